/**
 * Pure: raw (tgid, tid, nr) counters and thread records → the syscall
 * report (denet's `ebpf.syscalls` shape plus every count, per process).
 */
import type { CountEntry, CounterStats, TaskEntry } from '../bpf/layout.js';
import { CATEGORIES, categorize, emptyCategoryCounts, type Category } from './categories.js';
import { syscallName, type Arch } from './names.js';

export interface SyscallCount {
  name: string;
  count: number;
}

export interface SyscallAnalysis {
  syscall_rate_per_sec: number;
  io_intensity: number;
  memory_intensity: number;
  cpu_intensity: number;
  network_intensity: number;
}

export interface ProcessSyscalls {
  pid: number;
  ppid: number | null;
  comm: string | null;
  argv: string[] | null;
  threads: number;
  total: number;
  by_syscall: Record<string, number>;
}

export interface SyscallReport {
  total: number;
  by_category: Record<Category, number>;
  top_syscalls: SyscallCount[];
  analysis: SyscallAnalysis;
  by_syscall: Record<string, number>;
  processes: ProcessSyscalls[];
  dropped: number;
  untracked_threads: number;
  lost_thread_info: number;
}

export interface AggregateInput {
  counts: readonly CountEntry[];
  tasks: readonly TaskEntry[];
  stats: CounterStats;
  arch: Arch;
  wallTimeSecs: number;
  top: number;
  rootPid: number;
  argvByPid: ReadonlyMap<number, string[]>;
}

/** Count-descending, then name, so equal counts always print in the same order. */
function sortedCounts(byName: Map<string, number>): SyscallCount[] {
  return [...byName]
    .map(([name, count]) => ({ name, count }))
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function toRecord(list: SyscallCount[]): Record<string, number> {
  return Object.fromEntries(list.map((s) => [s.name, s.count]));
}

/**
 * denet's analysis: cumulative rate over the run and each category's share
 * of the total (cpu_intensity is the `process` share, as denet defines it);
 * all zero when fewer than one call or under 0.1 s were measured.
 */
export function analyze(total: number, byCategory: Record<Category, number>, elapsedSecs: number): SyscallAnalysis {
  if (total < 1 || elapsedSecs < 0.1) {
    return { syscall_rate_per_sec: 0, io_intensity: 0, memory_intensity: 0, cpu_intensity: 0, network_intensity: 0 };
  }
  return {
    syscall_rate_per_sec: total / elapsedSecs,
    io_intensity: byCategory.file_io / total,
    memory_intensity: byCategory.memory / total,
    cpu_intensity: byCategory.process / total,
    network_intensity: byCategory.network / total,
  };
}

export function buildSyscallReport(input: AggregateInput): SyscallReport {
  const byName = new Map<string, number>();
  const perProcess = new Map<number, { byName: Map<string, number>; tids: Set<number>; total: number }>();
  let total = 0;
  for (const entry of input.counts) {
    const name = syscallName(entry.nr, input.arch);
    byName.set(name, (byName.get(name) ?? 0) + entry.count);
    let proc = perProcess.get(entry.tgid);
    if (!proc) {
      proc = { byName: new Map(), tids: new Set(), total: 0 };
      perProcess.set(entry.tgid, proc);
    }
    proc.byName.set(name, (proc.byName.get(name) ?? 0) + entry.count);
    proc.tids.add(entry.tid);
    proc.total += entry.count;
    total += entry.count;
  }

  const byCategory = emptyCategoryCounts();
  for (const [name, count] of byName) byCategory[categorize(name)] += count;

  const taskByTid = new Map(input.tasks.map((t) => [t.tid, t]));
  const processes: ProcessSyscalls[] = [...perProcess].map(([pid, proc]) => {
    const leader = taskByTid.get(pid) ?? input.tasks.find((t) => t.tgid === pid);
    return {
      pid,
      ppid: leader && leader.tid === pid ? leader.ppid : null,
      comm: leader?.comm ?? null,
      argv: input.argvByPid.get(pid) ?? null,
      threads: proc.tids.size,
      total: proc.total,
      by_syscall: toRecord(sortedCounts(proc.byName)),
    };
  });
  processes.sort((a, b) => Number(b.pid === input.rootPid) - Number(a.pid === input.rootPid) || b.total - a.total || a.pid - b.pid);

  const all = sortedCounts(byName);
  return {
    total,
    by_category: Object.fromEntries(CATEGORIES.map((c) => [c, byCategory[c]])) as Record<Category, number>,
    top_syscalls: all.slice(0, input.top),
    analysis: analyze(total, byCategory, input.wallTimeSecs),
    by_syscall: toRecord(all),
    processes,
    dropped: input.stats.droppedCalls,
    untracked_threads: input.stats.lostTasks,
    lost_thread_info: input.stats.lostTaskInfo,
  };
}
