/**
 * What the kernel side could not keep, in words: each kind of loss says what
 * is missing, whether the totals are affected, and what to do. Pure.
 */
import type { SyscallReport } from '../records/schema.js';

export function lossWarnings(sc: Pick<SyscallReport, 'dropped' | 'untracked_threads' | 'lost_thread_info' | 'errors'>): string[] {
  const warnings: string[] = [];
  if (sc.dropped > 0) {
    warnings.push(`${sc.dropped} calls are missing from the per-process breakdown (the counts map was full; the totals are exact): raise --max-entries`);
  }
  if (sc.untracked_threads > 0) {
    warnings.push(
      `${sc.untracked_threads} threads of the tree were not followed (the kernel had no memory for their task storage): their calls are missing from every count`,
    );
  }
  if (sc.lost_thread_info > 0) {
    warnings.push(`${sc.lost_thread_info} exited threads have no name or parent (the tasks map was full); their counts are kept`);
  }
  if (sc.errors && sc.errors.lost > 0) {
    warnings.push(`${sc.errors.lost} failed calls are missing from the errors breakdown (the errors map was full)`);
  }
  return warnings;
}
