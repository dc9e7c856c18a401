/**
 * koffi, and libc through it, for every binding in src/ffi/ and
 * src/bpf/libbpf.ts. One place, so that whichever binding a caller reaches
 * first (the CLI starts with capset, the Node API may start with
 * perf_event_open or NVML) configures koffi before its first library:
 *
 * koffi runs an asynchronous call on a stack of its own, 128 KiB by default;
 * bpf_object__load gets the 2 MiB of a synchronous call (libbpf's BTF
 * matching recurses). That is settable only before koffi loads its first
 * library.
 *
 * koffi is required on first use, not imported: loading it costs ~20 ms,
 * which `run` without eBPF often never needs.
 */
import { createRequire } from 'node:module';
import type koffiModule from 'koffi';
import type { LibraryHandle } from 'koffi';

export type Koffi = typeof koffiModule;

let configured: Koffi | undefined;
let libcHandle: LibraryHandle | undefined;

/** Sets the asynchronous calls' stack to the synchronous one's size, unless a library is loaded already. */
export function configureKoffiStacks(koffi: Pick<Koffi, 'config'>): void {
  const config = koffi.config();
  const wanted = config.sync_stack_size ?? 2 << 20;
  if ((config.async_stack_size ?? 0) >= wanted) return;
  try {
    koffi.config({ ...config, async_stack_size: wanted });
  } catch {
    // A library was loaded already (a second bind, in tests): keep the settings.
  }
}

/** koffi, configured: call this, never require('koffi') elsewhere. */
export function loadKoffi(): Koffi {
  if (!configured) {
    const koffi = createRequire(import.meta.url)('koffi') as Koffi;
    configureKoffiStacks(koffi);
    configured = koffi;
  }
  return configured;
}

/** libc.so.6, loaded once for every binding that needs a libc function. */
export function loadLibc(): LibraryHandle {
  libcHandle ??= loadKoffi().load('libc.so.6');
  return libcHandle;
}
