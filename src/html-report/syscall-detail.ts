/**
 * Pure: the summary's per-syscall numbers (`by_syscall`, and with --errors
 * and --latency `errors` and `latency`) → one row per syscall, the errno
 * totals and the latency histograms with labelled buckets. Every number is
 * the summary record's own (a mean is its `usecs_per_call`, not
 * recomputed); the page only rounds them.
 */
import type { ReadSummarySyscalls } from '../records/reader.js';
import { categorize } from '../syscalls/categories.js';
import { formatCount, formatNanos } from './format.js';

export interface ErrnoCount {
  errno: string;
  count: number;
}

export interface HistogramBucket {
  /** The bucket's range, e.g. "16–33 µs": calls that took [lowNs, highNs). */
  label: string;
  lowNs: number;
  highNs: number;
  count: number;
}

export interface SyscallDetailRow {
  name: string;
  category: string;
  /** Calls counted (`by_syscall`): the number the top-syscalls chart shows. */
  calls: number;
  /** Failed calls; null without --errors. */
  errors: number | null;
  /** errno → failed calls, most first; null without --errors. */
  errnos: ErrnoCount[] | null;
  /** null without --latency, or for a syscall that was never timed (exit never returns). */
  totalSecs: number | null;
  meanUsecs: number | null;
  maxUsecs: number | null;
  /** From the first to the last non-empty bucket; null when not timed. */
  histogram: HistogramBucket[] | null;
}

export interface ErrnoRow extends ErrnoCount {
  /** The syscalls that failed with it, most first: "openat 930 · newfstatat 12". */
  syscalls: string;
}

export interface SyscallDetail {
  /** Longest total time first with --latency, else most errors first with --errors, else most calls. */
  rows: SyscallDetailRow[];
  /** Every call counted, for the shares. */
  totalCalls: number;
  errors: { total: number; lost: number; byErrno: ErrnoRow[] } | null;
  latency: { totalSecs: number } | null;
}

/** "16–33 µs", "524 µs–1.0 ms": one unit when both ends share it. */
export function bucketLabel(lowNs: number, highNs: number): string {
  const low = formatNanos(lowNs);
  const high = formatNanos(highNs);
  const [lowValue, lowUnit] = low.split(' ');
  const [highValue, highUnit] = high.split(' ');
  return lowUnit === highUnit ? `${lowValue}–${highValue} ${highUnit}` : `${low}–${high}`;
}

/** Empty buckets in a row, at least this many, become one row (a long wait makes a long run of them). */
export const EMPTY_RUN_MERGED = 3;

/**
 * histogram_log2_ns[b] counts calls of [2^b, 2^(b+1)) ns. Empty buckets at
 * both ends are left out; a run of EMPTY_RUN_MERGED or more empty buckets
 * between calls becomes one bucket of count 0 spanning them.
 */
export function histogramBuckets(log2: readonly number[]): HistogramBucket[] | null {
  const first = log2.findIndex((c) => c > 0);
  if (first < 0) return null;
  let last = log2.length - 1;
  while (log2[last] === 0) last--;
  const buckets: HistogramBucket[] = [];
  for (let b = first; b <= last; b++) {
    let end = b;
    while (log2[b] === 0 && log2[end + 1] === 0) end++;
    if (end - b + 1 < EMPTY_RUN_MERGED) end = b;
    const lowNs = 2 ** b;
    const highNs = 2 ** (end + 1);
    buckets.push({ label: bucketLabel(lowNs, highNs), lowNs, highNs, count: log2[b] ?? 0 });
    b = end;
  }
  return buckets;
}

function byCountThenName(a: [string, number], b: [string, number]): number {
  return b[1] - a[1] || (a[0] < b[0] ? -1 : 1);
}

function errnoRows(syscalls: ReadSummarySyscalls): ErrnoRow[] {
  const errors = syscalls.errors!;
  return Object.entries(errors.by_errno)
    .sort(byCountThenName)
    .map(([errno, count]) => {
      const failing = Object.entries(errors.by_syscall)
        .map(([name, e]): [string, number] => [name, e.by_errno[errno] ?? 0])
        .filter(([, n]) => n > 0)
        .sort(byCountThenName);
      return { errno, count, syscalls: failing.map(([name, n]) => `${name} ${formatCount(n)}`).join(' · ') };
    });
}

/** The rows of every syscall the summary names; null when it has no per-syscall counts (denet files). */
export function syscallDetail(syscalls: ReadSummarySyscalls | null | undefined): SyscallDetail | null {
  const bySyscall = syscalls?.by_syscall;
  if (!syscalls || !bySyscall) return null;
  const errors = syscalls.errors;
  const latency = syscalls.latency;
  const names = new Set([...Object.keys(bySyscall), ...Object.keys(errors?.by_syscall ?? {}), ...Object.keys(latency?.by_syscall ?? {})]);
  const rows = [...names].map((name): SyscallDetailRow => {
    const e = errors?.by_syscall[name];
    const l = latency?.by_syscall[name];
    return {
      name,
      category: categorize(name),
      calls: bySyscall[name] ?? l?.calls ?? 0,
      errors: errors ? (e?.total ?? 0) : null,
      errnos: errors ? Object.entries(e?.by_errno ?? {}).sort(byCountThenName).map(([errno, count]) => ({ errno, count })) : null,
      totalSecs: l ? l.total_secs : null,
      meanUsecs: l ? l.usecs_per_call : null,
      maxUsecs: l ? l.max_usecs : null,
      histogram: l ? histogramBuckets(l.histogram_log2_ns) : null,
    };
  });
  const key = (r: SyscallDetailRow) => (latency ? (r.totalSecs ?? -1) : errors ? (r.errors ?? 0) : r.calls);
  rows.sort((a, b) => key(b) - key(a) || b.calls - a.calls || (a.name < b.name ? -1 : 1));
  return {
    rows,
    totalCalls: syscalls.total ?? rows.reduce((n, r) => n + r.calls, 0),
    errors: errors ? { total: errors.total, lost: errors.lost, byErrno: errnoRows(syscalls) } : null,
    latency: latency ? { totalSecs: latency.total_secs } : null,
  };
}
