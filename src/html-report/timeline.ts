/**
 * Pure: samples → the series the charts draw. Gauges (CPU %, RSS, counts)
 * are plotted as read; cumulative counters (disk and network bytes,
 * syscall counts) become rates, the difference between two samples over
 * the time between them.
 *
 * Long files are thinned to at most `maxPoints` points so the page stays
 * fast: each point then stands for several samples, and shows the highest
 * gauge value among them (a peak is never averaged away) and the exact
 * average rate over them (a counter difference over a longer interval).
 */
import { CATEGORIES } from '../syscalls/categories.js';
import type { ChartPoint } from './points.js';

export type Series = (number | null)[];

export interface Timeline {
  /** Seconds since the start of the run. */
  t: number[];
  cpuPercent: Series | null;
  rssBytes: Series | null;
  diskReadRate: Series | null;
  diskWriteRate: Series | null;
  netRxRate: Series | null;
  netTxRate: Series | null;
  processes: Series | null;
  threads: Series | null;
  samplesPerPoint: number;
}

export interface SyscallRate {
  t: number[];
  /** Category names (denet's ten, in their order), or ["total"] when a file has no breakdown. */
  names: string[];
  /** Calls per second, one series per name. */
  rates: Series[];
}

export interface TimelineResult {
  timeline: Timeline;
  syscallRate: SyscallRate | null;
  /** Intervals where a cumulative counter went down (denet: processes left the tree). */
  decreasingIntervals: number;
}

export const DEFAULT_MAX_POINTS = 10_000;

/** The series, or null when no sample has the value (the chart is then left out). */
function orNull(series: Series): Series | null {
  return series.some((v) => v !== null) ? series : null;
}

/** Indices of the samples that become points: the first, then every k-th, and the last. */
function keptIndices(n: number, k: number): number[] {
  const kept: number[] = [];
  for (let i = 0; i < n; i += k) kept.push(i);
  if (kept[kept.length - 1] !== n - 1) kept.push(n - 1);
  return kept;
}

export function buildTimeline(points: readonly ChartPoint[], t0Ms: number, maxPoints = DEFAULT_MAX_POINTS): TimelineResult {
  const k = Math.max(1, Math.ceil(points.length / maxPoints));
  const kept = keptIndices(points.length, k);
  let decreasingIntervals = 0;

  /** The largest value of the samples a point stands for: (previous kept, this kept]. */
  const gauge = (read: (p: ChartPoint) => number | null, scale = 1): Series =>
    kept.map((end, j) => {
      const start = j === 0 ? end : (kept[j - 1] ?? end) + 1;
      let max: number | null = null;
      for (let i = start; i <= end; i++) {
        const v = read(points[i]!);
        if (v !== null && (max === null || v > max)) max = v;
      }
      return max === null ? null : max * scale;
    });

  /** Counter difference per second since the previous point; null for the first and across gaps. */
  const rate = (read: (p: ChartPoint) => number | null): Series =>
    kept.map((end, j) => {
      if (j === 0) return null;
      const a = points[kept[j - 1]!]!;
      const b = points[end]!;
      const va = read(a);
      const vb = read(b);
      const dt = (b.tsMs - a.tsMs) / 1000;
      if (va === null || vb === null || dt <= 0) return null;
      if (vb < va) {
        decreasingIntervals++;
        return null;
      }
      return (vb - va) / dt;
    });

  const timeline: Timeline = {
    t: kept.map((i) => (points[i]!.tsMs - t0Ms) / 1000),
    cpuPercent: orNull(gauge((p) => p.cpuPercent)),
    rssBytes: orNull(gauge((p) => p.rssKb, 1024)),
    diskReadRate: orNull(rate((p) => p.diskReadBytes)),
    diskWriteRate: orNull(rate((p) => p.diskWriteBytes)),
    netRxRate: orNull(rate((p) => p.netRxBytes)),
    netTxRate: orNull(rate((p) => p.netTxBytes)),
    processes: orNull(gauge((p) => p.processes)),
    threads: orNull(gauge((p) => p.threads)),
    samplesPerPoint: k,
  };
  return { timeline, syscallRate: buildSyscallRate(points, timeline.t, rate), decreasingIntervals };
}

function buildSyscallRate(
  points: readonly ChartPoint[],
  t: number[],
  rate: (read: (p: ChartPoint) => number | null) => Series,
): SyscallRate | null {
  if (!points.some((p) => p.syscallTotal !== null)) return null;
  const seen = new Set<string>();
  for (const p of points) for (const name of Object.keys(p.syscallsByCategory ?? {})) seen.add(name);
  const known: readonly string[] = CATEGORIES;
  const names = [...known.filter((c) => seen.has(c)), ...[...seen].filter((c) => !known.includes(c)).sort()];
  if (names.length === 0) {
    return { t, names: ['total'], rates: [rate((p) => p.syscallTotal)] };
  }
  return { t, names, rates: names.map((name) => rate((p) => p.syscallsByCategory?.[name] ?? null)) };
}
