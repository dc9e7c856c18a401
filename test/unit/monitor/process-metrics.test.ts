import { describe, expect, it } from 'vitest';
import { zeroCounters } from '../../../src/monitor/counters.js';
import { CpuRate } from '../../../src/monitor/cpu-rate.js';
import { ownCounters, processMetrics, readProcess, type ReadingContext } from '../../../src/monitor/process-metrics.js';
import type { ProcIo } from '../../../src/proc/io.js';
import type { ProcStat } from '../../../src/proc/stat.js';

function stat(over: Partial<ProcStat> = {}): ProcStat {
  return {
    pid: 10, comm: 'x', state: 'S', ppid: 1, minflt: 100, majflt: 2, cminflt: 50, cmajflt: 1,
    utime: 30, stime: 10, cutime: 5, cstime: 5, numThreads: 3, starttime: 1000, vsizeBytes: 8192 * 1024,
    rssPages: 256, processor: 1, ...over,
  };
}

const io: ProcIo = { rchar: 5000, wchar: 600, readBytes: 4096, writeBytes: 0 };

function ctx(over: Partial<ReadingContext> = {}): ReadingContext {
  // Uptime 20 s: the process (start tick 1000 at 100 Hz = 10 s) is 10 s old.
  return { nowMs: 10_000, previousSampleMs: 9_900, tsMs: 1_700_000_000_000, uptimeSecs: 20, clockTicks: 100, pageKb: 4, preexisting: false, sinceProcessStart: false, ...over };
}

/** Both phases for one reading; `absorbed` is what the tree accounting says it reaped. */
function metricsOf(s: ProcStat, i: ProcIo | undefined, c: ReadingContext, state?: ReturnType<typeof readProcess>['state'], absorbed = zeroCounters()) {
  const reading = readProcess(s, i, state, c);
  return { reading, metrics: processMetrics(s, reading, ownCounters(reading.withReapedIo, absorbed), state === undefined, c) };
}

describe('readProcess and processMetrics', () => {
  it('counts a process born during monitoring from its start, in denet units', () => {
    // Born 50 ms ago (after the previous sample): its 4 ticks over the record's 100 ms window.
    const { reading, metrics } = metricsOf(stat({ utime: 3, stime: 1 }), io, ctx({ uptimeSecs: 10.05 }));
    expect(metrics).toEqual({
      ts_ms: 1_700_000_000_000, cpu_usage: 40, mem_rss_kb: 1024, mem_vms_kb: 8192,
      disk_read_bytes: 4096, disk_write_bytes: 0, syscall_read_bytes: 5000, syscall_write_bytes: 600,
      page_faults_cached: 100, page_faults_disk: 2, sys_net_rx_bytes: 0, sys_net_tx_bytes: 0,
      thread_count: 3, uptime_secs: 0, cpu_core: 1,
    });
    expect(reading.inclusive).toMatchObject({ cpuTicks: 14, minflt: 150, majflt: 3, rchar: 5000 });
  });

  it('measures a newcomer over the record\'s window, never over its whole life', () => {
    expect(metricsOf(stat({ utime: 3, stime: 1 }), io, ctx({ uptimeSecs: 10.5 })).metrics.cpu_usage).toBe(40);
  });

  it('never shows more than 100 % per thread: the excess waits for the next window', () => {
    // One thread, 15 ticks (150 ms of CPU) credited in a 100 ms window: impossible, so 100 % now…
    const first = metricsOf(stat({ numThreads: 1, utime: 15, stime: 0, starttime: 0 }), io, ctx({ uptimeSecs: 20, previousSampleMs: 9_900 }));
    expect(first.metrics.cpu_usage).toBe(100);
    // …and the 50 ms carried show in the next window, with its own 5 ticks: 100 ms over 200 ms.
    const next = metricsOf(stat({ numThreads: 1, utime: 20, stime: 0, starttime: 0 }), io, ctx({ nowMs: 10_200 }), first.reading.state);
    expect(next.metrics.cpu_usage).toBe(50);
  });

  it('gives a pre-existing process no rate at first, zero deltas, then rates over the interval', () => {
    const first = metricsOf(stat(), io, ctx({ preexisting: true }));
    expect(first.metrics).toMatchObject({ cpu_usage: 0, disk_read_bytes: 0, syscall_read_bytes: 0, page_faults_cached: 0, uptime_secs: 10 });
    const later = metricsOf(stat({ utime: 80 }), { ...io, rchar: 7000 }, ctx({ preexisting: true, nowMs: 10_500 }), first.reading.state);
    expect(later.metrics).toMatchObject({ cpu_usage: 100, syscall_read_bytes: 2000 });
  });

  it('takes off its I/O what it reaped of the tree (the kernel adds a reaped child’s I/O to its parent’s)', () => {
    const absorbed = { ...zeroCounters(), rchar: 4000, readBytes: 4096 };
    const { metrics } = metricsOf(stat(), io, ctx(), undefined, absorbed);
    expect(metrics).toMatchObject({ syscall_read_bytes: 1000, disk_read_bytes: 0, syscall_write_bytes: 600 });
  });

  it('reports the raw totals with --since-process-start', () => {
    const { metrics } = metricsOf(stat(), io, ctx({ preexisting: true, sinceProcessStart: true }));
    expect(metrics).toMatchObject({ disk_read_bytes: 4096, syscall_read_bytes: 5000, page_faults_cached: 100 });
  });

  it('leaves out the syscall byte counters when /proc/<pid>/io cannot be read', () => {
    const { metrics } = metricsOf(stat(), undefined, ctx());
    expect(metrics.syscall_read_bytes).toBeUndefined();
    expect(JSON.stringify(metrics)).not.toContain('syscall_read_bytes');
  });
});

describe('CpuRate', () => {
  it('is capped at the cores given and carries the rest, so the rates add up to the CPU time', () => {
    const rate = new CpuRate();
    // 350 ms of CPU credited to one core over 100 ms, then nothing for 400 ms.
    const rates = [rate.next(0.35, 0.1, 1), rate.next(0.35, 0.1, 1), rate.next(0.35, 0.1, 1), rate.next(0.35, 0.1, 1), rate.next(0.35, 0.1, 1)];
    expect(rates).toEqual([100, 100, 100, 50, 0]);
    expect(rates.reduce((a, r) => a + (r / 100) * 0.1, 0)).toBeCloseTo(0.35, 9);
    expect(rate.carriedSecs(0.35)).toBeCloseTo(0, 9);
  });

  it('gives no rate for a window too short to measure over (under 10 ms), and keeps its CPU time', () => {
    const rate = new CpuRate();
    expect(rate.next(0.004, 0.006, 1)).toBe(0);
    expect(rate.carriedSecs(0.004)).toBeCloseTo(0.004, 9);
    expect(rate.next(0.004, 0.02, 1)).toBe(20);
  });

  it('never reports a pre-existing past', () => {
    const rate = new CpuRate(5);
    expect(rate.next(5.05, 0.1, 4)).toBe(50);
  });
});
