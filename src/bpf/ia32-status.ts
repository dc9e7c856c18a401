/**
 * Where the classic-tracepoint program finds TS_COMPAT (an ia32 syscall is
 * running) without BTF: thread_info is the first member of task_struct on
 * x86_64 (CONFIG_THREAD_INFO_IN_TASK), and since Linux 5.11 (generic entry's
 * syscall_work) it starts
 *   { unsigned long flags; unsigned long syscall_work; u32 status; ... }
 * Older kernels laid it out otherwise and are not guessed at: 0 means "do
 * not tell ia32 calls apart" (README, Limitations). Pure.
 */
import { kernelAtLeast, parseKernelRelease, type KernelVersion } from '../privileges/kernel-version.js';

/** x86 thread_info gained syscall_work in Linux 5.11. */
const SYSCALL_WORK_KERNEL: KernelVersion = { major: 5, minor: 11, patch: 0 };

/** Offset of thread_info.status in task_struct for `release` on Node's `arch` (0: unknown). */
export function ia32StatusOffset(arch: string, release: string): number {
  if (arch !== 'x64') return 0;
  const kernel = parseKernelRelease(release);
  return kernel && kernelAtLeast(kernel, SYSCALL_WORK_KERNEL) ? 16 : 0;
}
