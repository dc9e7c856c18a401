/**
 * metadata.capabilities' `ebpf`: whether eBPF syscall counting runs, and
 * why not. (denet's `psi` and `perf_hw`, and `gpu`, are the monitor's:
 * monitor/memory-signals.ts, monitor/gpu.ts.)
 */
import type { AttachMode } from '../bpf/counter.js';

/** {} without --enable-ebpf; else { capabilities: { ebpf: … } } (`offcpu: true` when --offcpu's programs run). */
export function ebpfCapabilities(
  ebpf: { mode?: AttachMode; error?: { message: string }; counter?: { readonly measuresOffcpu: boolean } } | undefined,
): { capabilities?: Record<string, unknown> } {
  if (!ebpf) return {};
  const status = ebpf.mode
    ? { available: true, attach_mode: ebpf.mode, ...(ebpf.counter?.measuresOffcpu && { offcpu: true }) }
    : { available: false, reason: ebpf.error?.message ?? 'not started' };
  return { capabilities: { ebpf: status } };
}
