import { describe, expect, it } from 'vitest';
import type { ChartPoint } from '../../../src/html-report/points.js';
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
    // 25 samples 1 s apart, at most 10 points: every 3rd sample is kept (0, 3, …, 24).
    const points = Array.from({ length: 25 }, (_, i) => point(i * 1000, { cpuPercent: i % 3 === 1 ? 100 : 1, diskWriteBytes: i * i }));
    const { timeline } = buildTimeline(points, 0, 10);
    expect(timeline.samplesPerPoint).toBe(3);
    expect(timeline.t).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24]);
    // Each point covers the samples after the previous point up to itself: one of them was a 100 % peak.
    expect(timeline.cpuPercent).toEqual([1, 100, 100, 100, 100, 100, 100, 100, 100]);
    expect(timeline.diskWriteRate).toEqual([null, 3, 9, 15, 21, 27, 33, 39, 45]);
  });

  it('keeps the last sample when the thinning step does not end on it', () => {
    const points = Array.from({ length: 11 }, (_, i) => point(i * 1000, { rssKb: i }));
    const { timeline } = buildTimeline(points, 0, 5);
    expect(timeline.t).toEqual([0, 3, 6, 9, 10]);
    expect(timeline.rssBytes).toEqual([0, 3, 6, 9, 10].map((kb) => kb * 1024));
  });
});
