/**
 * The tree's resource usage at one sample, from what the counter read
 * (pure: no maps, no FFI). Ended threads are in proc_usage and usage_total,
 * live ones in the task iterator's DUMP_USAGE records; a process's usage is
 * the sum of both.
 */
import { addUsage, zeroUsage, type ProcUsageEntry, type RssSource, type ThreadUsage, type TreeCount, type Usage, type UsageTotal } from './layout.js';

export type { RssSource, Usage };

export interface ProcessUsage {
  pid: number;
  ppid: number;
  comm: string;
  /** Its start time in clock ticks since boot, as /proc/PID/stat's starttime: with pid, a process's identity. */
  startTicks: number;
  /** Since it was forked (since attach for a process that already ran). */
  usage: Usage;
  /** Threads it had, ended ones included. */
  threads: number;
  /** All its threads have ended: its values are final, and no later sample() reports it again. */
  ended: boolean;
  /** Ended processes: the highest resident set it reached, in kB. */
  peakRssKb?: number;
  /** 'vmhwm': its own peak (/proc's VmHWM at exit, Linux >= 6.16); 'maxrss': getrusage's ru_maxrss, which also holds the peak of what it ran before its last execve (for the command: tsdenet's own copy). */
  peakRssSource?: RssSource;
}

export interface TreeUsage {
  /**
   * Every process of the tree with usage so far: live ones (ended threads +
   * live threads), and those that ended since the previous sample (reported
   * once, with their final values). Missing: those counted in lostProcesses.
   */
  processes: ProcessUsage[];
  /** The whole tree since counting began: exact even when the per-process map was full. */
  total: Usage;
  /**
   * Processes and threads of the tree alive now (a process from its fork to
   * its last thread's end), and their peak since the previous sample
   * (which restarts from the values then). Processes counted in
   * lostProcesses are missing from the process counts.
   */
  live: TreeCount;
  peak: TreeCount;
  /** Processes missing from `processes` (since counting began) because the per-process map was full. */
  lostProcesses: number;
}

export interface UsageReading {
  /** usage_total, read first. */
  total: UsageTotal;
  /** Every proc_usage entry. */
  entries: ProcUsageEntry[];
  /** DUMP_USAGE records of the task iterator, read last. */
  live: ThreadUsage[];
  now: TreeCount;
  peak: TreeCount;
  pageSize: number;
  /** USER_HZ: /proc/PID/stat's starttime unit. */
  clockTicks: number;
}

/** The kernel's nsec_to_clock_t(start_boottime): whole ticks, rounded down. */
export function startTicks(startNs: bigint, clockTicks: number): number {
  return Number(startNs / BigInt(Math.round(1e9 / clockTicks)));
}

interface Row {
  p: ProcessUsage;
  startNs: bigint;
  /** In proc_usage (else known only from its live threads). */
  hasEntry: boolean;
}

/** Builds the sample's TreeUsage; processes sorted by start time, then pid. */
export function buildTreeUsage(r: UsageReading): TreeUsage {
  const rows = new Map<string, Row>();
  for (const e of r.entries) {
    const p: ProcessUsage = {
      pid: e.tgid,
      ppid: e.ppid,
      comm: e.comm,
      startTicks: startTicks(e.startNs, r.clockTicks),
      usage: { ...e.usage },
      threads: e.threads,
      ended: e.liveThreads === 0,
    };
    if (p.ended && e.rssSource) {
      p.peakRssKb = (e.peakRssPages * r.pageSize) / 1024;
      p.peakRssSource = e.rssSource;
    }
    rows.set(`${e.tgid}:${e.startNs}`, { p, startNs: e.startNs, hasEntry: true });
  }
  const total = addUsage(zeroUsage(), r.total.usage);
  for (const t of r.live) {
    addUsage(total, t.usage);
    const key = `${t.tgid}:${t.startNs}`;
    let row = rows.get(key);
    if (!row) {
      // Not in proc_usage: its entry could not be made (map full), or it
      // forked after the map was read. Known from its threads only.
      const p = { pid: t.tgid, ppid: 0, comm: t.comm, startTicks: startTicks(t.startNs, r.clockTicks), usage: zeroUsage(), threads: 0, ended: false };
      row = { p, startNs: t.startNs, hasEntry: false };
      rows.set(key, row);
    }
    addUsage(row.p.usage, t.usage);
    // The entry keeps the name at fork; a live thread reports its leader's name now (after execve).
    row.p.comm = t.comm;
    if (!row.hasEntry) {
      row.p.threads++;
      // Only the leader's record holds the parent process (a thread's names its own process).
      if (t.tid === t.tgid) row.p.ppid = t.ppid;
    }
  }
  const processes = [...rows.values()]
    .sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : a.p.pid - b.p.pid))
    .map((row) => row.p);
  return { processes, total, live: r.now, peak: r.peak, lostProcesses: r.total.lostProcesses };
}
