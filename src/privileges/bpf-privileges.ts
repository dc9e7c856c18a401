/**
 * Which capabilities loading tsdenet's BPF programs takes, and which of
 * them this process lacks. Rules (kernel/bpf/syscall.c, kernel/events):
 *  - Linux >= 5.8: tracing programs (tp_btf, tracepoint) need CAP_BPF and
 *    CAP_PERFMON; CAP_SYS_ADMIN still stands in for either.
 *  - Linux < 5.8: CAP_SYS_ADMIN.
 *  - Capabilities held in a user namespace other than the initial one do
 *    not count: BPF checks them against the initial namespace.
 *  - kernel.unprivileged_bpf_disabled and kernel.kptr_restrict do not
 *    matter once CAP_BPF is held (verified on 6.18 with kptr_restrict=2:
 *    both attach modes load as a non-root user with CAP_BPF+CAP_PERFMON).
 */
import { readFileSync } from 'node:fs';
import { hasCapability, type CapabilityName } from './capabilities.js';
import { CAP_BPF_KERNEL, kernelAtLeast, type KernelVersion } from './kernel-version.js';

export interface PrivilegeState {
  euid: number;
  /** The effective capability set. */
  effective: bigint;
  kernel: KernelVersion | undefined;
  inInitialUserNamespace: boolean;
}

/** Capabilities missing for loading and attaching tsdenet's programs (empty: none missing). */
export function missingBpfCapabilities(state: Pick<PrivilegeState, 'effective' | 'kernel'>): CapabilityName[] {
  const has = (name: CapabilityName): boolean => hasCapability(state.effective, name);
  if (has('CAP_SYS_ADMIN')) return [];
  // Unknown kernel version: assume a current one (the 5.8 rules).
  if (state.kernel && !kernelAtLeast(state.kernel, CAP_BPF_KERNEL)) return ['CAP_SYS_ADMIN'];
  return (['CAP_BPF', 'CAP_PERFMON'] as const).filter((name) => !has(name));
}

/** True for the initial user namespace's identity map ("0 0 4294967295"). */
export function isInitialUserNamespace(uidMap: string): boolean {
  const lines = uidMap.trim().split('\n');
  return lines.length === 1 && /^\s*0\s+0\s+4294967295\s*$/.test(lines[0] ?? '');
}

/** Whether this process runs in the initial user namespace; true when it cannot tell. */
export function readInInitialUserNamespace(procRoot = '/proc'): boolean {
  try {
    return isInitialUserNamespace(readFileSync(`${procRoot}/self/uid_map`, 'utf8'));
  } catch {
    return true;
  }
}
