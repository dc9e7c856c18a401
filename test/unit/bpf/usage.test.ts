import { describe, expect, it } from 'vitest';
import type { ProcUsageEntry, ThreadUsage, Usage } from '../../../src/bpf/layout.js';
import { zeroUsage } from '../../../src/bpf/layout.js';
import { buildTreeUsage, startTicks, type UsageReading } from '../../../src/bpf/usage.js';

function usage(cpuNs: number, extra: Partial<Usage> = {}): Usage {
  return { ...zeroUsage(), cpuNs, ...extra };
}

function entry(e: Partial<ProcUsageEntry> & { tgid: number; startNs: bigint }): ProcUsageEntry {
  return { usage: zeroUsage(), threads: 1, liveThreads: 1, peakRssPages: 0, ppid: 1, comm: 'x', ...e };
}

function thread(t: Partial<ThreadUsage> & { tgid: number; tid: number; startNs: bigint }): ThreadUsage {
  return { ppid: 0, usage: zeroUsage(), comm: 'x', ...t };
}

function reading(r: Partial<UsageReading>): UsageReading {
  return {
    total: { usage: zeroUsage(), threads: 0, lostProcesses: 0 },
    entries: [],
    live: [],
    now: { processes: 0, threads: 0 },
    peak: { processes: 0, threads: 0 },
    pageSize: 4096,
    clockTicks: 100,
    ...r,
  };
}

const S1 = 1_230_000_000n; // 1.23 s after boot: starttime 123 ticks
const S2 = 2_000_000_001n;

describe('startTicks', () => {
  it('is /proc/PID/stat starttime: whole USER_HZ ticks since boot, rounded down', () => {
    expect(startTicks(S1, 100)).toBe(123);
    expect(startTicks(19_999_999n, 100)).toBe(1);
    expect(startTicks(2n ** 60n, 100)).toBe(Number(2n ** 60n / 10_000_000n));
  });
});

describe('buildTreeUsage', () => {
  it('adds a live process\'s ended threads (its entry) and live threads (the dump)', () => {
    const u = buildTreeUsage(
      reading({
        total: { usage: usage(500, { wcharBytes: 9 }), threads: 3, lostProcesses: 0 },
        entries: [entry({ tgid: 10, startNs: S1, usage: usage(300, { wcharBytes: 9 }), threads: 3, liveThreads: 2, comm: 'node', ppid: 1 })],
        live: [
          thread({ tgid: 10, tid: 10, startNs: S1, ppid: 1, usage: usage(40), comm: 'app' }),
          thread({ tgid: 10, tid: 12, startNs: S1, ppid: 10, usage: usage(60), comm: 'app' }),
        ],
        now: { processes: 1, threads: 2 },
        peak: { processes: 2, threads: 5 },
      }),
    );
    expect(u.processes).toEqual([
      { pid: 10, ppid: 1, comm: 'app', startTicks: 123, usage: usage(400, { wcharBytes: 9 }), threads: 3, ended: false },
    ]);
    // The tree: every ended thread (usage_total, which also holds ended processes already reported) plus the live ones.
    expect(u.total).toEqual(usage(600, { wcharBytes: 9 }));
    expect(u.live).toEqual({ processes: 1, threads: 2 });
    expect(u.peak).toEqual({ processes: 2, threads: 5 });
  });

  it('reports an ended process with its final values and peak RSS in kB', () => {
    const u = buildTreeUsage(
      reading({
        entries: [
          entry({ tgid: 20, startNs: S2, usage: usage(7), liveThreads: 0, peakRssPages: 16500, rssSource: 'vmhwm', comm: 'touch', ppid: 10 }),
          entry({ tgid: 21, startNs: S2, liveThreads: 0, peakRssPages: 1300, rssSource: 'maxrss' }),
          entry({ tgid: 10, startNs: S1, liveThreads: 1 }),
        ],
        pageSize: 16384,
      }),
    );
    expect(u.processes.map((p) => p.pid)).toEqual([10, 20, 21]); // by start time, then pid
    expect(u.processes[1]).toEqual({ pid: 20, ppid: 10, comm: 'touch', startTicks: 200, usage: usage(7), threads: 1, ended: true, peakRssKb: 16500 * 16, peakRssSource: 'vmhwm' });
    expect(u.processes[2]!.peakRssSource).toBe('maxrss');
    // A running process has no peak yet.
    expect(u.processes[0]).not.toHaveProperty('peakRssKb');
  });

  it('keeps a pid reused by a later process apart (same tgid, other start)', () => {
    const u = buildTreeUsage(
      reading({
        entries: [entry({ tgid: 30, startNs: S1, usage: usage(5), liveThreads: 0 })],
        live: [thread({ tgid: 30, tid: 30, startNs: S2, ppid: 10, usage: usage(8), comm: 'new' })],
      }),
    );
    expect(u.processes.map((p) => [p.pid, p.startTicks, p.usage.cpuNs, p.ended])).toEqual([
      [30, 123, 5, true],
      [30, 200, 8, false],
    ]);
  });

  it('knows a process missing from the map (map full) from its live threads; its parent from its leader only', () => {
    const u = buildTreeUsage(
      reading({
        live: [
          thread({ tgid: 40, tid: 41, startNs: S1, ppid: 40, usage: usage(1), comm: 'w' }),
          thread({ tgid: 40, tid: 40, startNs: S1, ppid: 7, usage: usage(2), comm: 'w' }),
          thread({ tgid: 50, tid: 51, startNs: S2, ppid: 50, usage: usage(4), comm: 'v' }),
        ],
        total: { usage: usage(10), threads: 5, lostProcesses: 2 },
      }),
    );
    expect(u.processes).toEqual([
      { pid: 40, ppid: 7, comm: 'w', startTicks: 123, usage: usage(3), threads: 2, ended: false },
      { pid: 50, ppid: 0, comm: 'v', startTicks: 200, usage: usage(4), threads: 1, ended: false },
    ]);
    expect(u.total.cpuNs).toBe(17);
    expect(u.lostProcesses).toBe(2);
  });

  it('does not change what it was given', () => {
    const e = entry({ tgid: 10, startNs: S1, usage: usage(300) });
    const t = thread({ tgid: 10, tid: 10, startNs: S1, usage: usage(40) });
    const total = { usage: usage(1), threads: 1, lostProcesses: 0 };
    buildTreeUsage(reading({ entries: [e], live: [t], total }));
    expect(e.usage.cpuNs).toBe(300);
    expect(t.usage.cpuNs).toBe(40);
    expect(total.usage.cpuNs).toBe(1);
  });
});
