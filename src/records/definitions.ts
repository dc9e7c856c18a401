/**
 * Pure: the figures derived from syscall counts, each defined once and used
 * wherever it is shown (the live line, the tree records, the summary, the
 * terminal tables, `stats`, the HTML report). docs/monitoring.md states them.
 */
import type { Category } from '../syscalls/categories.js';
import type { SyscallAnalysis } from './schema.js';

/**
 * The syscall rate: calls counted since monitoring began / seconds since
 * then. At the end of a run that is every call / total_time_secs. No time,
 * no rate: undefined rather than a number made up from nothing.
 */
export function syscallRate(total: number, elapsedSecs: number): number | undefined {
  return elapsedSecs > 0 ? total / elapsedSecs : undefined;
}

/**
 * denet's `analysis` of a cumulative count: the running rate and each
 * category's share (cpu_intensity is the `process` share, as denet defines
 * it). Undefined while there is no call or no time to measure over: denet
 * writes zeros there (and under 0.1 s), a rate of 0 for a run that made calls.
 */
export function analyze(total: number, byCategory: Readonly<Record<Category, number>>, elapsedSecs: number): SyscallAnalysis | undefined {
  const rate = syscallRate(total, elapsedSecs);
  if (rate === undefined || total < 1) return undefined;
  return {
    syscall_rate_per_sec: rate,
    io_intensity: byCategory.file_io / total,
    memory_intensity: byCategory.memory / total,
    cpu_intensity: byCategory.process / total,
    network_intensity: byCategory.network / total,
  };
}
