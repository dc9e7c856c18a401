/**
 * koffi runs an asynchronous call on a stack of its own, 128 KiB by default;
 * bpf_object__load gets the 2 MiB of a synchronous call (libbpf's BTF
 * matching recurses). Settable only before koffi loads its first library,
 * so every module that loads one (libbpf, libc) calls this first.
 */
import type koffiModule from 'koffi';

export function configureKoffiStacks(koffi: Pick<typeof koffiModule, 'config'>): void {
  const config = koffi.config();
  const wanted = config.sync_stack_size ?? 2 << 20;
  if ((config.async_stack_size ?? 0) >= wanted) return;
  try {
    koffi.config({ ...config, async_stack_size: wanted });
  } catch {
    // A library was loaded already (a second bind, in tests): keep the settings.
  }
}
