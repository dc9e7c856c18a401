/**
 * Pure: the figures derived from syscall counts, each defined once and used
 * wherever it is shown (the live line, the tree records, the summary, the
 * terminal tables, `stats`, the HTML report). docs/monitoring.md states them.
 */
import { categorize, emptyCategoryCounts, type Category } from '../syscalls/categories.js';
import type { EbpfSyscalls, SyscallAnalysis, SyscallCount } from './schema.js';

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

/** Calls per name, count-descending, then by name, so equal counts always print in the same order. */
export function sortedCounts(byName: ReadonlyMap<string, number>): SyscallCount[] {
  return [...byName]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * denet's `ebpf.syscalls` of a cumulative count (a tree record's, the
 * summary's): `total`, the calls per category (in denet's order), the
 * `top` names of `counts` (sorted by sortedCounts) and the analysis.
 */
export function summarizeSyscalls(counts: readonly SyscallCount[], total: number, top: number, elapsedSecs: number): EbpfSyscalls {
  const byCategory = emptyCategoryCounts();
  for (const { name, count } of counts) byCategory[categorize(name)] += count;
  const analysis = analyze(total, byCategory, elapsedSecs);
  return { total, by_category: byCategory, top_syscalls: counts.slice(0, top), ...(analysis && { analysis }) };
}
