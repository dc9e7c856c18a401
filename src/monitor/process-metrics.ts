/**
 * Pure: one process's reading (its stat and io files) → its denet Metrics,
 * its inclusive counters for the tree totals, and what the next reading is
 * measured from.
 *
 * A process's own counters: CPU time and faults come apart in stat (utime,
 * stime, minflt against cutime, cminflt), but /proc/PID/io includes the
 * I/O of the children it reaped; the tree accounting knows what it
 * absorbed of the members it saw vanish, and that is taken off.
 */
import type { ProcIo } from '../proc/io.js';
import type { ProcStat } from '../proc/stat.js';
import type { Metrics } from '../records/schema.js';
import { growth, keepLargest, zeroCounters, type Counters } from './counters.js';
import { CpuRate } from './cpu-rate.js';

/** Per process instance: what its rates and deltas are measured from. */
export interface ProcessState {
  cpu: CpuRate;
  readAtMs: number;
  /** Threads at the previous reading: a window's rate may use the larger count. */
  threads: number;
  /** Counter values that read as zero (a pre-existing process's past, unless --since-process-start). */
  base: Counters;
  lastIo: Counters;
  ioReadable: boolean;
  /** Own counters and RSS at the last reading: what a process that vanishes is known to have done. */
  lastOwn: Counters;
  lastRssKb: number;
}

export interface ReadingContext {
  /** Monotonic ms of this reading and of the previous sample (equal for the opening sample). */
  nowMs: number;
  previousSampleMs: number;
  tsMs: number;
  uptimeSecs: number;
  clockTicks: number;
  pageKb: number;
  /** Started before monitoring began: its past is not counted, its first rate is unknown. */
  preexisting: boolean;
  sinceProcessStart: boolean;
  /** CPU time comes from the kernel's accounting, which counts from the fork or the attach: no past to leave out. */
  cpuFromKernel?: boolean;
}

export interface ProcessReading {
  /** Own and reaped-children counters, as the kernel sums them. */
  inclusive: Counters;
  /** stat's own values with /proc/PID/io, which still holds what it reaped. */
  withReapedIo: Counters;
  ioReadable: boolean;
  state: ProcessState;
}

/** Counters of one process: with its own CPU and faults, and inclusive of its reaped children. */
export function countersOf(stat: ProcStat, io: Counters): { withReapedIo: Counters; inclusive: Counters } {
  const withReapedIo: Counters = { ...io, cpuTicks: stat.utime + stat.stime, minflt: stat.minflt, majflt: stat.majflt };
  const inclusive: Counters = {
    ...io,
    cpuTicks: withReapedIo.cpuTicks + stat.cutime + stat.cstime,
    minflt: stat.minflt + stat.cminflt,
    majflt: stat.majflt + stat.cmajflt,
  };
  return { withReapedIo, inclusive };
}

/** Phase one: the counters of a reading (the tree accounting needs every member's before metrics are built). */
export function readProcess(stat: ProcStat, io: ProcIo | undefined, state: ProcessState | undefined, ctx: ReadingContext): ProcessReading {
  const ioCounters = zeroCounters();
  if (io) Object.assign(ioCounters, io);
  else if (state) Object.assign(ioCounters, state.lastIo);
  const { withReapedIo, inclusive } = countersOf(stat, ioCounters);
  const ioReadable = io !== undefined || (state?.ioReadable ?? false);
  const base = ctx.preexisting && !ctx.sinceProcessStart ? { ...withReapedIo } : zeroCounters();
  // A pre-existing process's CPU time so far is its past, never reported as a rate.
  const next: ProcessState = state ?? {
    cpu: new CpuRate(ctx.preexisting && !ctx.cpuFromKernel ? withReapedIo.cpuTicks / ctx.clockTicks : 0),
    readAtMs: ctx.nowMs,
    threads: stat.numThreads,
    base,
    lastIo: ioCounters,
    ioReadable,
    lastOwn: zeroCounters(),
    lastRssKb: 0,
  };
  next.lastIo = ioCounters;
  next.ioReadable = ioReadable;
  return { inclusive, withReapedIo, ioReadable, state: next };
}

/**
 * The window a rate covers: the record's, since the previous sample, for a
 * newcomer too (all its CPU time since its start falls in it), so that a
 * process's rate and the tree's cover the same time in one record.
 */
function windowSecs(state: ProcessState, firstReading: boolean, ctx: ReadingContext): number {
  return (firstReading ? ctx.nowMs - ctx.previousSampleMs : ctx.nowMs - state.readAtMs) / 1000;
}

/** stat's own CPU and faults; /proc/PID/io without what the process absorbed. */
export function ownCounters(withReapedIo: Counters, absorbed: Counters): Counters {
  return {
    ...withReapedIo,
    rchar: Math.max(0, withReapedIo.rchar - absorbed.rchar),
    wchar: Math.max(0, withReapedIo.wchar - absorbed.wchar),
    readBytes: Math.max(0, withReapedIo.readBytes - absorbed.readBytes),
    writeBytes: Math.max(0, withReapedIo.writeBytes - absorbed.writeBytes),
  };
}

/**
 * Phase two: the process's Metrics from its own counters: /proc's with what
 * it reaped of the tree taken off (ownCounters), or the kernel's own
 * accounting (eBPF), which counts from its fork (or the attach) and needs no
 * base. The CPU rate covers the window since its previous reading, at most
 * 100 % per thread; `state` is updated in place.
 */
export function processMetrics(stat: ProcStat, reading: ProcessReading, ownNow: Counters, firstReading: boolean, ctx: ReadingContext, base = reading.state.base): Metrics {
  const state = reading.state;
  // A counter never goes back (a child's I/O is taken off the moment it is
  // seen reaped, a thread finalised between the kernel's two reads is
  // missing for one sample): keep the largest value seen.
  const own = { ...ownNow };
  keepLargest(own, state.lastOwn);
  const cores = Math.max(stat.numThreads, state.threads, 1);
  const cpuUsage = state.cpu.next(own.cpuTicks / ctx.clockTicks, windowSecs(state, firstReading, ctx), cores);
  state.readAtMs = ctx.nowMs;
  state.threads = stat.numThreads;
  state.lastOwn = own;
  const rssKb = stat.rssPages * ctx.pageKb;
  state.lastRssKb = rssKb;
  // One literal in denet's field order; undefined fields are left out by JSON.stringify.
  return {
    ts_ms: ctx.tsMs,
    cpu_usage: cpuUsage,
    mem_rss_kb: rssKb,
    mem_vms_kb: Math.floor(stat.vsizeBytes / 1024),
    ...counterFields(own, base, reading.ioReadable),
    sys_net_rx_bytes: 0,
    sys_net_tx_bytes: 0,
    thread_count: stat.numThreads,
    uptime_secs: Math.max(0, Math.floor(ctx.uptimeSecs - stat.starttime / ctx.clockTicks)),
    cpu_core: stat.processor,
  };
}

/**
 * A record's counter fields, in denet's order: a process's own counters
 * less `base` (what it had done before monitoring began, unless counted
 * from its start), never below 0; the syscall byte counters only when its
 * /proc/PID/io was readable (or the kernel counted them).
 */
export function counterFields(
  own: Counters,
  base: Counters,
  ioKnown: boolean,
): Pick<Metrics, 'disk_read_bytes' | 'disk_write_bytes' | 'syscall_read_bytes' | 'syscall_write_bytes' | 'page_faults_cached' | 'page_faults_disk'> {
  const done = growth(own, base);
  return {
    disk_read_bytes: done.readBytes,
    disk_write_bytes: done.writeBytes,
    syscall_read_bytes: ioKnown ? done.rchar : undefined,
    syscall_write_bytes: ioKnown ? done.wchar : undefined,
    page_faults_cached: done.minflt,
    page_faults_disk: done.majflt,
  };
}
