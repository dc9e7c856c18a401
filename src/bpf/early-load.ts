/**
 * The counter's object, loaded ahead while the rest of tsdenet starts.
 *
 * bpf_object__load is the longest step of a run's start-up (libbpf parses
 * the kernel's BTF, the kernel creates the maps and verifies the programs:
 * 100–150 ms here; docs/startup.md). It runs on one of koffi's threads,
 * so the CLI starts it before parsing its options (cli/early-counter.ts)
 * and the parsing and the loading of the run's modules happen meanwhile.
 *
 * What is loaded ahead is a guess made from the command line; the counter
 * takes it only when it is what the request would load (loadKey), and
 * closes it otherwise. A load that failed (no privileges, a kernel that
 * refuses the object) is handed out as its error, which is the error the
 * request's own load of the same object would give, without a second try.
 */
import { TsdenetError } from '../errors.js';
import { loadKey, loadObject, type LoadedObject, type LoadOptions } from './counter-loader.js';
import { loadLibbpf, type Libbpf } from './libbpf.js';
import type { AttachMode } from './names.js';

/** What the early load gave: the object, or the failure of a load with this key. */
export type EarlyLoadResult = LoadedObject | { key: string; error: TsdenetError };

interface EarlyLoad {
  lib: Libbpf;
  loading: Promise<EarlyLoadResult | undefined>;
}

let early: EarlyLoad | undefined;

/** Starts loading the object of `mode` for `options` (libbpf silent: --debug does not load ahead). */
export function beginEarlyLoad(mode: AttachMode, options: LoadOptions, lib: Libbpf = loadLibbpf()): void {
  if (early) return;
  lib.setPrint(null);
  const key = loadKey(mode, options);
  // Anything but a TsdenetError is a bug: forgotten here, the request's own load shows it.
  const loading = loadObject(lib, mode, options).catch((error: unknown) => (error instanceof TsdenetError ? { key, error } : undefined));
  early = { lib, loading };
}

/**
 * What the early load gave, once it has settled (no other libbpf call may
 * run before); undefined when none was started or it was made through
 * another libbpf than `lib`. Handed out once.
 */
export async function takeEarlyLoad(lib: Libbpf): Promise<EarlyLoadResult | undefined> {
  const taken = early;
  early = undefined;
  if (!taken) return undefined;
  const result = await taken.loading;
  if (result && taken.lib !== lib) {
    if ('object' in result) result.object.close();
    return undefined;
  }
  return result;
}
