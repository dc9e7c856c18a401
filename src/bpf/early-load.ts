/**
 * The counter's object, loaded ahead while the rest of tsdenet starts.
 *
 * bpf_object__load is the longest step of a run's start-up (libbpf parses
 * the kernel's BTF, the kernel creates the maps and verifies the programs:
 * about 100 ms here; docs/startup.md). It runs on one of koffi's threads,
 * so the CLI starts it before parsing its options (cli/early-counter.ts)
 * and the parsing and the loading of the run's modules happen meanwhile.
 *
 * What is loaded ahead is a guess made from the command line; the counter
 * takes it only when it is what the request would load (loadKey), and
 * closes it otherwise. A failed early load is forgotten: the request's own
 * load fails the same way and says why, with its fix.
 */
import { loadObject, type LoadedObject, type LoadOptions } from './counter-loader.js';
import { loadLibbpf, type Libbpf } from './libbpf.js';
import type { AttachMode } from './names.js';

interface EarlyLoad {
  lib: Libbpf;
  loading: Promise<LoadedObject | undefined>;
}

let early: EarlyLoad | undefined;

/** Starts loading the object of `mode` for `options` (libbpf silent: --debug does not load ahead). */
export function beginEarlyLoad(mode: AttachMode, options: LoadOptions): void {
  if (early) return;
  const lib = loadLibbpf();
  lib.setPrint(null);
  early = { lib, loading: loadObject(lib, mode, options).catch(() => undefined) };
}

/**
 * The object loaded ahead, once its load has settled (no other libbpf call
 * may run before); undefined when none was started, it failed, or it was
 * loaded through another libbpf than `lib`. Handed out once.
 */
export async function takeEarlyLoad(lib: Libbpf): Promise<LoadedObject | undefined> {
  const taken = early;
  early = undefined;
  if (!taken) return undefined;
  const loaded = await taken.loading;
  if (loaded && taken.lib !== lib) {
    loaded.object.close();
    return undefined;
  }
  return loaded;
}
