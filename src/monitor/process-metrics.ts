/**
 * Pure: one process's reading (its stat and io files) → its denet Metrics,
 * its inclusive counters for the tree totals, and what the next reading is
 * measured from.
 */
import type { ProcIo } from '../proc/io.js';
import type { ProcStat } from '../proc/stat.js';
import { zeroCounters, type Counters } from './counters.js';
import type { Metrics } from './records.js';

/** Per process instance: what its rates and deltas are measured from. */
export interface ProcessState {
  ownCpuTicks: number;
  readAtMs: number;
  /** Counter values that read as zero (first reading, or zeros). */
  base: Counters;
  lastIo: Counters;
  ioReadable: boolean;
}

export interface ReadingContext {
  /** Monotonic ms of this reading and of the previous sample. */
  nowMs: number;
  previousSampleMs: number;
  tsMs: number;
  uptimeSecs: number;
  clockTicks: number;
  pageKb: number;
  /** Started before monitoring began: its past is not counted, its first rate is unknown. */
  preexisting: boolean;
  sinceProcessStart: boolean;
}

export interface ProcessReading {
  metrics: Metrics;
  /** Own and reaped-children counters, as the kernel sums them. */
  inclusive: Counters;
  state: ProcessState;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Counters of one process: own (per-process record) and inclusive (tree totals). */
export function countersOf(stat: ProcStat, io: Counters): { own: Counters; inclusive: Counters } {
  const own: Counters = { ...io, cpuTicks: stat.utime + stat.stime, minflt: stat.minflt, majflt: stat.majflt };
  const inclusive: Counters = {
    ...io,
    cpuTicks: own.cpuTicks + stat.cutime + stat.cstime,
    minflt: stat.minflt + stat.cminflt,
    majflt: stat.majflt + stat.cmajflt,
  };
  return { own, inclusive };
}

/**
 * CPU % since the previous reading; for a process born since the previous
 * sample, since its start. 0 when there is no interval to measure over.
 */
function cpuPercent(ownTicks: number, stat: ProcStat, state: ProcessState | undefined, ctx: ReadingContext): number {
  let ticks = ownTicks;
  let secs: number;
  if (state) {
    ticks -= state.ownCpuTicks;
    secs = (ctx.nowMs - state.readAtMs) / 1000;
  } else {
    if (ctx.preexisting) return 0;
    const ageSecs = ctx.uptimeSecs - stat.starttime / ctx.clockTicks;
    secs = Math.min(ageSecs, (ctx.nowMs - ctx.previousSampleMs) / 1000);
  }
  return secs > 0.005 ? Math.max(0, round2((ticks / ctx.clockTicks / secs) * 100)) : 0;
}

/** Metrics of one process; `state` is updated in place when given (no allocation per sample). */
export function readProcess(stat: ProcStat, io: ProcIo | undefined, state: ProcessState | undefined, ctx: ReadingContext): ProcessReading {
  const ioCounters = zeroCounters();
  if (io) Object.assign(ioCounters, io);
  else if (state) Object.assign(ioCounters, state.lastIo);
  const { own, inclusive } = countersOf(stat, ioCounters);
  const cpuUsage = cpuPercent(own.cpuTicks, stat, state, ctx);
  const ioReadable = io !== undefined || (state?.ioReadable ?? false);
  const base = state?.base ?? (ctx.preexisting && !ctx.sinceProcessStart ? { ...own } : zeroCounters());
  const next: ProcessState = state ?? { ownCpuTicks: 0, readAtMs: 0, base, lastIo: ioCounters, ioReadable };
  next.ownCpuTicks = own.cpuTicks;
  next.readAtMs = ctx.nowMs;
  next.lastIo = ioCounters;
  next.ioReadable = ioReadable;
  // One literal in denet's field order; undefined fields are left out by JSON.stringify.
  const metrics: Metrics = {
    ts_ms: ctx.tsMs,
    cpu_usage: cpuUsage,
    mem_rss_kb: stat.rssPages * ctx.pageKb,
    mem_vms_kb: Math.floor(stat.vsizeBytes / 1024),
    disk_read_bytes: Math.max(0, own.readBytes - base.readBytes),
    disk_write_bytes: Math.max(0, own.writeBytes - base.writeBytes),
    syscall_read_bytes: ioReadable ? Math.max(0, own.rchar - base.rchar) : undefined,
    syscall_write_bytes: ioReadable ? Math.max(0, own.wchar - base.wchar) : undefined,
    page_faults_cached: Math.max(0, own.minflt - base.minflt),
    page_faults_disk: Math.max(0, own.majflt - base.majflt),
    sys_net_rx_bytes: 0,
    sys_net_tx_bytes: 0,
    thread_count: stat.numThreads,
    uptime_secs: Math.max(0, Math.floor(ctx.uptimeSecs - stat.starttime / ctx.clockTicks)),
    cpu_core: stat.processor,
  };
  return { metrics, inclusive, state: next };
}
