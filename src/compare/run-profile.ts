/**
 * Pure: what `compare`, budgets and the Prometheus metrics need of one run,
 * taken from its closing summary record (the sidecar's, or the live run's):
 * counts per syscall, per category and per command (comm), failed calls,
 * and the run's own figures. Nothing is recomputed: the summary is the one
 * source of these numbers (records/summary.ts built its statistics).
 */
import type { ReadSummary } from '../records/reader.js';
import type { SummaryRecord } from '../records/schema.js';

export interface RunProfile {
  /** What messages call the run (its file name, or "this run"). */
  source: string;
  command: string[];
  /** undefined when the run has no syscall counts; then `noCountsReason` says why. */
  counts?: RunCounts;
  noCountsReason?: string;
  exitStatus?: number;
  wallTimeSecs?: number;
  /** The tree's CPU time: time_weighted_cpu_usage (one core = 100) × total_time_secs. */
  cpuSecs?: number;
  peakRssBytes?: number;
  maxProcesses?: number;
  /** When the run's summary was written (ms since 1970). */
  endedAtMs?: number;
}

export interface RunCounts {
  total: number;
  bySyscall: Record<string, number>;
  byCategory: Record<string, number>;
  /** Calls per command name (the processes' comm; several processes of one name add up). */
  byCommand: Record<string, number>;
  /** Failed calls per syscall and errno, when the run was made with --errors. */
  errors?: Record<string, Record<string, number>>;
  /** --syscalls/--category the run was made with: only these were counted. */
  filter?: string[];
  /** Processes of the tree that made a counted call. */
  processes: number;
}

function countsOf(summary: ReadSummary | SummaryRecord): { counts?: RunCounts; reason?: string } {
  const ebpf = summary.ebpf;
  const sc = ebpf?.syscalls;
  if (!sc || sc.total === undefined || sc.by_syscall === undefined) {
    return { reason: ebpf?.error ? `eBPF could not count: ${ebpf.error}` : 'it was made without --enable-ebpf' };
  }
  const byCommand: Record<string, number> = {};
  for (const p of sc.processes ?? []) {
    const name = p.comm ?? `pid ${p.pid}`;
    byCommand[name] = (byCommand[name] ?? 0) + p.total;
  }
  let errors: RunCounts['errors'];
  if (sc.errors) {
    errors = {};
    for (const [name, e] of Object.entries(sc.errors.by_syscall)) errors[name] = { ...e.by_errno };
  }
  return {
    counts: {
      total: sc.total,
      bySyscall: { ...sc.by_syscall },
      byCategory: { ...(sc.by_category ?? {}) },
      byCommand,
      errors,
      filter: sc.filter ? [...sc.filter] : undefined,
      processes: sc.processes?.length ?? 0,
    },
  };
}

/** The profile of a run from its summary record. */
export function profileOfSummary(summary: ReadSummary | SummaryRecord, source: string): RunProfile {
  const { counts, reason } = countsOf(summary);
  const cpu = summary.time_weighted_cpu_usage;
  const secs = summary.total_time_secs;
  return {
    source,
    command: [...(summary.command ?? [])],
    counts,
    noCountsReason: reason,
    exitStatus: summary.exit_status,
    wallTimeSecs: summary.wall_time_secs,
    cpuSecs: cpu !== undefined && secs !== undefined ? (cpu / 100) * secs : undefined,
    peakRssBytes: summary.peak_mem_rss_kb !== undefined ? summary.peak_mem_rss_kb * 1024 : undefined,
    maxProcesses: summary.max_processes,
    endedAtMs: summary.ts_ms,
  };
}
