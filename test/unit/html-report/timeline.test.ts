import { describe, expect, it } from 'vitest';
import type { ChartPoint } from '../../../src/html-report/points.js';
import { Downsampler } from '../../../src/html-report/downsample.js';
import { buildTimeline } from '../../../src/html-report/timeline.js';

function point(tsMs: number, fields: Partial<ChartPoint> = {}): ChartPoint {
  return {
    tsMs,
    cpuPercent: null,
    rssKb: null,
    diskReadBytes: null,
    diskWriteBytes: null,
    netRxBytes: null,
    netTxBytes: null,
    threads: null,
    processes: null,
    syscallTotal: null,
    syscallsByCategory: null,
    offcpuSleepingNs: null,
    offcpuRunnableNs: null,
    ebpfError: null,
    ...fields,
  };
}

describe('buildTimeline', () => {
  it('plots gauges as read and turns cumulative counters into rates per second', () => {
    const { timeline } = buildTimeline(
      [
        point(1_000, { cpuPercent: 10, rssKb: 1, diskReadBytes: 0, processes: 1 }),
        point(1_500, { cpuPercent: 50, rssKb: 2, diskReadBytes: 1_048_576, processes: 3 }),
        point(2_500, { cpuPercent: 20, rssKb: 4, diskReadBytes: 3_145_728, processes: 2 }),
      ],
      500,
    );
    expect(timeline.t).toEqual([0.5, 1, 2]);
    expect(timeline.cpuPercent).toEqual([10, 50, 20]);
    expect(timeline.rssBytes).toEqual([1024, 2048, 4096]);
    // 1 MiB in 0.5 s, then 2 MiB in 1 s: both 2 MiB/s; nothing before the first sample.
    expect(timeline.diskReadRate).toEqual([null, 2_097_152, 2_097_152]);
    expect(timeline.processes).toEqual([1, 3, 2]);
    expect(timeline.samplesPerPoint).toBe(1);
  });

  it('leaves out series that no sample has', () => {
    const { timeline, syscallRate } = buildTimeline([point(0, { cpuPercent: 1 }), point(100, { cpuPercent: 2 })], 0);
    expect(timeline.rssBytes).toBeNull();
    expect(timeline.diskWriteRate).toBeNull();
    expect(timeline.netRxRate).toBeNull();
    expect(timeline.threads).toBeNull();
    expect(syscallRate).toBeNull();
  });

  it('leaves a gap where a counter goes down, and counts those intervals', () => {
    const { timeline, decreasingIntervals } = buildTimeline(
      [point(0, { netTxBytes: 100 }), point(1000, { netTxBytes: 50 }), point(2000, { netTxBytes: 150 }), point(2000, { netTxBytes: 150 })],
      0,
    );
    // A zero-length interval has no rate either.
    expect(timeline.netTxRate).toEqual([null, null, 100, null]);
    expect(decreasingIntervals).toBe(1);
  });

  it('stacks nothing itself but gives one syscall rate per category, in the categories order', () => {
    const sys = (total: number, byCategory: Record<string, number>) => ({ syscallTotal: total, syscallsByCategory: byCategory });
    const { syscallRate } = buildTimeline(
      [point(0, sys(10, { network: 0, file_io: 10, memory: 0 })), point(500, sys(30, { network: 5, file_io: 20, memory: 5 }))],
      0,
    );
    expect(syscallRate).toEqual({ t: [0, 0.5], names: ['file_io', 'memory', 'network'], rates: [[null, 20], [null, 10], [null, 10]] });
  });

  it('plots the total when a file has no breakdown by category', () => {
    const { syscallRate } = buildTimeline(
      [point(0, { syscallTotal: 0 }), point(2000, { syscallTotal: 100 })],
      0,
    );
    expect(syscallRate).toEqual({ t: [0, 2], names: ['total'], rates: [[null, 50]] });
  });

  it('thins long files: peaks kept for gauges, exact average rates for counters', () => {
    // 25 samples 1 s apart, at most 10 points: the first sample alone, then buckets of 4 (1–4, 5–8, …, 21–24).
    const points = Array.from({ length: 25 }, (_, i) => point(i * 1000, { cpuPercent: i % 3 === 1 ? 100 : 1, diskWriteBytes: i * i }));
    const { timeline } = buildTimeline(points, 0, 10);
    expect(timeline.samplesPerPoint).toBe(4);
    expect(timeline.t).toEqual([0, 4, 8, 12, 16, 20, 24]);
    // Each point covers the samples after the previous point up to itself: one of them was a 100 % peak.
    expect(timeline.cpuPercent).toEqual([1, 100, 100, 100, 100, 100, 100]);
    // (4² − 0²) / 4 s, (8² − 4²) / 4 s, …: the exact average over each bucket.
    expect(timeline.diskWriteRate).toEqual([null, 4, 12, 20, 28, 36, 44]);
  });

  it('keeps the last sample when the last bucket is not full', () => {
    const points = Array.from({ length: 11 }, (_, i) => point(i * 1000, { rssKb: i }));
    const { timeline } = buildTimeline(points, 0, 5);
    expect(timeline.t).toEqual([0, 4, 8, 10]);
    expect(timeline.rssBytes).toEqual([0, 4, 8, 10].map((kb) => kb * 1024));
  });

  it('leaves the rate of a thinned point blank when its counter went down inside it', () => {
    // Bucket 1–4 holds the fall 30 → 5; bucket 5–8 rises again.
    const net = [0, 10, 20, 30, 5, 15, 25, 35, 45];
    const { timeline, decreasingIntervals } = buildTimeline(net.map((v, i) => point(i * 1000, { netRxBytes: v })), 0, 4);
    expect(timeline.t).toEqual([0, 4, 8]);
    expect(timeline.netRxRate).toEqual([null, null, 10]);
    expect(decreasingIntervals).toBe(1);
  });
});

describe('Downsampler', () => {
  it('keeps at most maxPoints points, each a run of consecutive samples, whatever the number of samples', () => {
    for (const maxPoints of [2, 3, 10, 1000]) {
      const samples = new Downsampler(maxPoints);
      let largest = 0;
      for (let i = 0; i < 20_000; i++) {
        samples.add(point(i, { cpuPercent: i === 17_777 ? 1000 : 1, netTxBytes: i }));
        largest = Math.max(largest, samples.buckets.length);
      }
      expect(largest, `maxPoints ${maxPoints}`).toBeLessThanOrEqual(maxPoints);
      expect(samples.buckets.length).toBeGreaterThanOrEqual(Math.min(maxPoints, 2) / 2);
      // Every sample is in exactly one point, in order, the first alone and the last one ending the last point.
      expect(samples.buckets.reduce((n, b) => n + b.samples, 0)).toBe(20_000);
      expect(samples.buckets[0]!.samples).toBe(1);
      expect(samples.buckets.at(-1)!.point.tsMs).toBe(19_999);
      expect(samples.buckets.every((b) => b.samples <= samples.samplesPerPoint)).toBe(true);
      // The one peak survives the thinning.
      expect(Math.max(...samples.buckets.map((b) => b.point.cpuPercent ?? 0))).toBe(1000);
    }
  });

  it('keeps every sample when there are no more than maxPoints', () => {
    const samples = new Downsampler(5);
    for (let i = 0; i < 5; i++) samples.add(point(i));
    expect(samples.buckets.map((b) => b.point.tsMs)).toEqual([0, 1, 2, 3, 4]);
    expect(samples.samplesPerPoint).toBe(1);
  });
});
