import { describe, expect, it } from 'vitest';
import { readProcess, type ReadingContext } from '../../../src/monitor/process-metrics.js';
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

describe('readProcess', () => {
  it('counts a process born during monitoring from its start, in denet units', () => {
    // Born 50 ms ago (after the previous sample): 4 ticks over its 50 ms of life.
    const r = readProcess(stat({ utime: 3, stime: 1 }), io, undefined, ctx({ uptimeSecs: 10.05 }));
    expect(r.metrics).toEqual({
      ts_ms: 1_700_000_000_000, cpu_usage: 80, mem_rss_kb: 1024, mem_vms_kb: 8192,
      disk_read_bytes: 4096, disk_write_bytes: 0, syscall_read_bytes: 5000, syscall_write_bytes: 600,
      page_faults_cached: 100, page_faults_disk: 2, sys_net_rx_bytes: 0, sys_net_tx_bytes: 0,
      thread_count: 3, uptime_secs: 0, cpu_core: 1,
    });
    expect(r.inclusive).toMatchObject({ cpuTicks: 14, minflt: 150, majflt: 3, rchar: 5000 });
  });

  it('measures a newcomer over the interval at most, never over its whole life', () => {
    const r = readProcess(stat({ utime: 3, stime: 1 }), io, undefined, ctx({ uptimeSecs: 10.5 }));
    expect(r.metrics.cpu_usage).toBe(40);
  });

  it('gives a pre-existing process no rate at first, zero deltas, then rates over the interval', () => {
    const first = readProcess(stat(), io, undefined, ctx({ preexisting: true }));
    expect(first.metrics).toMatchObject({ cpu_usage: 0, disk_read_bytes: 0, syscall_read_bytes: 0, page_faults_cached: 0, uptime_secs: 10 });
    const later = readProcess(stat({ utime: 80 }), { ...io, rchar: 7000 }, first.state, ctx({ preexisting: true, nowMs: 10_500 }));
    expect(later.metrics).toMatchObject({ cpu_usage: 100, syscall_read_bytes: 2000 });
  });

  it('reports the raw totals with --since-process-start', () => {
    const r = readProcess(stat(), io, undefined, ctx({ preexisting: true, sinceProcessStart: true }));
    expect(r.metrics).toMatchObject({ disk_read_bytes: 4096, syscall_read_bytes: 5000, page_faults_cached: 100 });
  });

  it('leaves out the syscall byte counters when /proc/<pid>/io cannot be read', () => {
    const r = readProcess(stat(), undefined, undefined, ctx());
    expect(r.metrics.syscall_read_bytes).toBeUndefined();
    expect(JSON.stringify(r.metrics)).not.toContain('syscall_read_bytes');
  });
});
