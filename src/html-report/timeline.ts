/**
 * Pure: samples → the series the charts draw. Gauges (CPU %, RSS, counts)
 * are plotted as read; cumulative counters (disk and network bytes,
 * syscall counts) become rates, the difference between two samples over
 * the time between them.
 *
 * Long files are thinned while they are read (downsample.ts) to at most
 * `maxPoints` points: each point then stands for several samples, and
 * shows the highest gauge value among them (a peak is never averaged away)
 * and the exact average rate over them (a counter difference over a longer
 * interval).
 */
import { CATEGORIES } from '../syscalls/categories.js';
import { categoryCounter, COUNTERS, DEFAULT_MAX_POINTS, Downsampler } from './downsample.js';
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
  /** --offcpu: seconds off CPU so far (cumulative, each point its last sample's), by reason. */
  offcpuSleepingSecs: Series | null;
  offcpuRunnableSecs: Series | null;
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

/** The series, or null when no sample has the value (the chart is then left out). */
function orNull(series: Series): Series | null {
  return series.some((v) => v !== null) ? series : null;
}

/** The timelines of samples already downsampled (downsample.ts). */
export function timelineOf(samples: Downsampler, t0Ms: number): TimelineResult {
  const buckets = samples.buckets;
  const gauge = (read: (p: ChartPoint) => number | null, scale = 1): Series =>
    buckets.map((b) => {
      const v = read(b.point);
      return v === null ? null : v * scale;
    });

  /** Counter difference per second since the previous point; null for the first, across gaps and where it went down. */
  const rate = (key: string, read: (p: ChartPoint) => number | null): Series =>
    buckets.map((b, j) => {
      if (j === 0 || b.decreased?.has(key)) return null;
      const a = buckets[j - 1]!.point;
      const va = read(a);
      const vb = read(b.point);
      const dt = (b.point.tsMs - a.tsMs) / 1000;
      if (va === null || vb === null || dt <= 0) return null;
      return (vb - va) / dt;
    });

  const timeline: Timeline = {
    t: buckets.map((b) => (b.point.tsMs - t0Ms) / 1000),
    cpuPercent: orNull(gauge((p) => p.cpuPercent)),
    rssBytes: orNull(gauge((p) => p.rssKb, 1024)),
    diskReadRate: orNull(rate('diskReadBytes', COUNTERS.diskReadBytes)),
    diskWriteRate: orNull(rate('diskWriteBytes', COUNTERS.diskWriteBytes)),
    netRxRate: orNull(rate('netRxBytes', COUNTERS.netRxBytes)),
    netTxRate: orNull(rate('netTxBytes', COUNTERS.netTxBytes)),
    processes: orNull(gauge((p) => p.processes)),
    threads: orNull(gauge((p) => p.threads)),
    // Cumulative: a bucket keeps its last sample's (downsample.ts), the time off CPU up to it.
    offcpuSleepingSecs: orNull(gauge((p) => p.offcpuSleepingNs, 1e-9)),
    offcpuRunnableSecs: orNull(gauge((p) => p.offcpuRunnableNs, 1e-9)),
    samplesPerPoint: samples.samplesPerPoint,
  };
  return { timeline, syscallRate: buildSyscallRate(samples, timeline.t, rate), decreasingIntervals: samples.decreasingIntervals };
}

/** The timelines of `points`, thinned to at most `maxPoints` points. */
export function buildTimeline(points: readonly ChartPoint[], t0Ms: number, maxPoints = DEFAULT_MAX_POINTS): TimelineResult {
  const samples = new Downsampler(maxPoints);
  for (const p of points) samples.add(p);
  return timelineOf(samples, t0Ms);
}

function buildSyscallRate(
  samples: Downsampler,
  t: number[],
  rate: (key: string, read: (p: ChartPoint) => number | null) => Series,
): SyscallRate | null {
  if (!samples.anySyscalls) return null;
  const seen = samples.categories;
  const known: readonly string[] = CATEGORIES;
  const names = [...known.filter((c) => seen.has(c)), ...[...seen].filter((c) => !known.includes(c)).sort()];
  if (names.length === 0) {
    return { t, names: ['total'], rates: [rate('syscallTotal', COUNTERS.syscallTotal)] };
  }
  return { t, names, rates: names.map((name) => rate(categoryCounter(name), (p) => p.syscallsByCategory?.[name] ?? null)) };
}
