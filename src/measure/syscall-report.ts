/**
 * Pure: raw (tgid, tid, nr) counters and thread records → the syscall
 * report (denet's `ebpf.syscalls` shape plus every count, per process).
 */
import type { CountEntry, CounterStats, ErrorEntry, LatencyEntry, TaskEntry } from '../bpf/layout.js';
import { sortedCounts, summarizeSyscalls } from '../records/definitions.js';
import type { ErrorReport, LatencyReport, ProcessSyscalls, SyscallCount, SyscallLatency, SyscallReport } from '../records/schema.js';
import { errnoName } from '../syscalls/errno-names.js';
import { slotName, type Arch } from '../syscalls/names.js';

export interface SyscallReportInput {
  /**
   * Calls per slot of the whole tree (exact even when the per-thread map
   * overflowed); without it the totals are the sum of `counts`.
   */
  totals?: ReadonlyMap<number, number>;
  counts: readonly CountEntry[];
  tasks: readonly TaskEntry[];
  /**
   * Counts folded per process (no --per-thread): its ended threads other
   * than the leader (whose ended state its task entry shows), per tgid; its
   * counts then carry tid 0 for those and a live thread's own tid.
   */
  exitedThreads?: ReadonlyMap<number, number>;
  stats: Pick<CounterStats, 'droppedCalls' | 'lostTasks' | 'lostTaskInfo' | 'lostErrors'>;
  errors?: readonly ErrorEntry[];
  latency?: readonly LatencyEntry[];
  arch: Arch;
  /** Seconds the rate is measured over: the run's total_time_secs (records/definitions.ts). */
  elapsedSecs: number;
  top: number;
  rootPid: number;
  argvByPid: ReadonlyMap<number, string[]>;
  perThread?: boolean;
  filter?: string[];
}

function toRecord(list: SyscallCount[]): Record<string, number> {
  return Object.fromEntries(list.map((s) => [s.name, s.count]));
}

function add(map: Map<string, number>, name: string, n: number): void {
  map.set(name, (map.get(name) ?? 0) + n);
}

/** Failed calls by errno and by syscall (strace -c's errors column, and more). */
function buildErrorReport(entries: readonly ErrorEntry[], arch: Arch, lost: number): ErrorReport {
  const byErrno = new Map<string, number>();
  const bySyscall = new Map<string, Map<string, number>>();
  let total = 0;
  for (const e of entries) {
    const errno = errnoName(e.errno, arch);
    const name = slotName(e.nr, arch);
    add(byErrno, errno, e.count);
    let m = bySyscall.get(name);
    if (!m) bySyscall.set(name, (m = new Map()));
    add(m, errno, e.count);
    total += e.count;
  }
  const perSyscall = [...bySyscall].map(([name, m]) => ({ name, total: [...m.values()].reduce((a, b) => a + b, 0), m }));
  perSyscall.sort((a, b) => b.total - a.total || (a.name < b.name ? -1 : 1));
  return {
    total,
    by_errno: toRecord(sortedCounts(byErrno)),
    by_syscall: Object.fromEntries(perSyscall.map(({ name, total: t, m }) => [name, { total: t, by_errno: toRecord(sortedCounts(m)) }])),
    lost,
  };
}

/** Time per syscall: totals, means, maxima and log2 histograms, merged by name. */
function buildLatencyReport(entries: readonly LatencyEntry[], arch: Arch): LatencyReport {
  const byName = new Map<string, LatencyEntry>();
  for (const e of entries) {
    if (e.count === 0) continue;
    const name = slotName(e.nr, arch);
    const prev = byName.get(name);
    byName.set(
      name,
      prev
        ? { nr: prev.nr, count: prev.count + e.count, totalNs: prev.totalNs + e.totalNs, maxNs: Math.max(prev.maxNs, e.maxNs), hist: prev.hist.map((v, i) => v + (e.hist[i] ?? 0)) }
        : e,
    );
  }
  const rows = [...byName].sort((a, b) => b[1].totalNs - a[1].totalNs || (a[0] < b[0] ? -1 : 1));
  let totalNs = 0;
  const bySyscall: Record<string, SyscallLatency> = {};
  for (const [name, e] of rows) {
    totalNs += e.totalNs;
    let last = e.hist.length;
    while (last > 0 && e.hist[last - 1] === 0) last--;
    bySyscall[name] = {
      calls: e.count,
      total_secs: e.totalNs / 1e9,
      usecs_per_call: e.totalNs / e.count / 1e3,
      max_usecs: e.maxNs / 1e3,
      histogram_log2_ns: e.hist.slice(0, last),
    };
  }
  return { total_secs: totalNs / 1e9, by_syscall: bySyscall };
}

/**
 * Threads of a process: each tid counted under; with folded counts, its
 * live ones (their own tids), its other ended ones and its leader if ended.
 */
function threadCount(pid: number, tids: ReadonlyMap<number, unknown>, exited: ReadonlyMap<number, number> | undefined, leader: TaskEntry | undefined): number {
  if (!exited) return tids.size;
  let live = 0;
  for (const tid of tids.keys()) if (tid !== 0) live++;
  const leaderEnded = leader !== undefined && leader.tid === pid && !leader.live && !tids.has(pid);
  return Math.max(1, (exited.get(pid) ?? 0) + live + (leaderEnded ? 1 : 0));
}

export function buildSyscallReport(input: SyscallReportInput): SyscallReport {
  const byName = new Map<string, number>();
  type Acc = { byName: Map<string, number>; total: number };
  const perProcess = new Map<number, Acc & { threads: Map<number, Acc> }>();
  let total = 0;
  for (const entry of input.counts) {
    const name = slotName(entry.nr, input.arch);
    if (!input.totals) add(byName, name, entry.count);
    let proc = perProcess.get(entry.tgid);
    if (!proc) {
      proc = { byName: new Map(), threads: new Map(), total: 0 };
      perProcess.set(entry.tgid, proc);
    }
    add(proc.byName, name, entry.count);
    proc.total += entry.count;
    let thread = proc.threads.get(entry.tid);
    if (!thread) proc.threads.set(entry.tid, (thread = { byName: new Map(), total: 0 }));
    add(thread.byName, name, entry.count);
    thread.total += entry.count;
    if (!input.totals) total += entry.count;
  }
  for (const [slot, count] of input.totals ?? []) {
    add(byName, slotName(slot, input.arch), count);
    total += count;
  }

  const taskByTid = new Map(input.tasks.map((t) => [t.tid, t]));
  const processes: ProcessSyscalls[] = [...perProcess].map(([pid, proc]) => {
    const leader = taskByTid.get(pid) ?? input.tasks.find((t) => t.tgid === pid);
    const entry: ProcessSyscalls = {
      pid,
      ppid: leader && leader.tid === pid ? leader.ppid : null,
      comm: leader?.comm ?? null,
      argv: input.argvByPid.get(pid) ?? null,
      threads: threadCount(pid, proc.threads, input.perThread ? undefined : input.exitedThreads, leader),
      total: proc.total,
      by_syscall: toRecord(sortedCounts(proc.byName)),
    };
    if (input.perThread) {
      entry.thread_list = [...proc.threads]
        .map(([tid, t]) => ({ tid, comm: taskByTid.get(tid)?.comm ?? null, total: t.total, by_syscall: toRecord(sortedCounts(t.byName)) }))
        .sort((a, b) => Number(b.tid === pid) - Number(a.tid === pid) || b.total - a.total || a.tid - b.tid);
    }
    return entry;
  });
  processes.sort((a, b) => Number(b.pid === input.rootPid) - Number(a.pid === input.rootPid) || b.total - a.total || a.pid - b.pid);

  const all = sortedCounts(byName);
  const report: SyscallReport = {
    ...summarizeSyscalls(all, total, input.top, input.elapsedSecs),
    by_syscall: toRecord(all),
    processes,
    dropped: input.stats.droppedCalls,
    untracked_threads: input.stats.lostTasks,
    lost_thread_info: input.stats.lostTaskInfo,
  };
  if (input.filter) report.filter = input.filter;
  if (input.errors) report.errors = buildErrorReport(input.errors, input.arch, input.stats.lostErrors);
  if (input.latency) report.latency = buildLatencyReport(input.latency, input.arch);
  return report;
}
