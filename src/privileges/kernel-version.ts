/**
 * Kernel release strings ("6.18.44-fc-v595", "5.15.0-91-generic") and the
 * version thresholds tsdenet's privilege rules depend on. Pure.
 */

export interface KernelVersion {
  major: number;
  minor: number;
  patch: number;
}

/** Linux 5.8 split CAP_BPF and CAP_PERFMON out of CAP_SYS_ADMIN. */
export const CAP_BPF_KERNEL: KernelVersion = { major: 5, minor: 8, patch: 0 };
/** Linux 5.11 charges BPF memory to the memory cgroup; RLIMIT_MEMLOCK no longer applies. */
export const MEMCG_BPF_KERNEL: KernelVersion = { major: 5, minor: 11, patch: 0 };
/** bpf/syscount.bpf.o needs bpf_loop (5.17) besides tp_btf, task storage and the task iterator. */
export const TP_BTF_KERNEL: KernelVersion = { major: 5, minor: 17, patch: 0 };

export function parseKernelRelease(release: string): KernelVersion | undefined {
  const m = /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(release.trim());
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0) };
}

export function kernelAtLeast(version: KernelVersion, min: KernelVersion): boolean {
  if (version.major !== min.major) return version.major > min.major;
  if (version.minor !== min.minor) return version.minor > min.minor;
  return version.patch >= min.patch;
}

export function formatKernelVersion(v: KernelVersion): string {
  return `${v.major}.${v.minor}`;
}
