/**
 * What a run or an attach measured → its closing `summary` record. One
 * builder for both, so both say the same things the same way: attach says
 * plainly that the process's exit status is not known (it was not
 * tsdenet's child), instead of a made-up 0.
 */
import { constants, release } from 'node:os';
import type { CountSnapshot } from '../bpf/counter.js';
import { ATTACH_POINTS } from '../bpf/names.js';
import type { TsdenetError } from '../errors.js';
import type { AttachMode, ProcessOffcpu, ProcessSyscalls, RunStatistics, SummaryRecord } from '../records/schema.js';
import type { Arch } from '../syscalls/names.js';
import { VERSION } from '../version.js';
import { offcpuByProcess, summarizeOffcpu } from '../records/offcpu.js';
import { buildSyscallReport } from './syscall-report.js';

/** How the monitored process ended. */
export type Outcome =
  | { kind: 'exited'; code: number }
  | { kind: 'killed'; signal: NodeJS.Signals }
  /** attach: not tsdenet's child, so its exit status cannot be known. */
  | { kind: 'not-waited' };

export interface Measured {
  mode: 'run' | 'attach';
  command: readonly string[];
  executable: string;
  pid: number;
  outcome: Outcome;
  /** The signal tsdenet itself received (and, under run, forwarded). */
  interruptedBy?: NodeJS.Signals;
  timedOut: boolean;
  /** When monitoring began (the first sample). */
  t0Ms: number;
  /** run: from just before the fork to the command's exit (with --wait-tree: the tree's); attach: of the monitoring. */
  wallTimeSecs: number;
  /** The summary of the samples (undefined only when none was taken). */
  statistics?: RunStatistics;
  /** Seconds from t0 to the last sample: the running rates' time. */
  elapsedSecs: number;
  ebpf?: { mode?: AttachMode; error?: TsdenetError; snapshot?: CountSnapshot };
  /** Command lines of the tree's processes still alive at the end (by pid). */
  argvByPid: ReadonlyMap<number, string[]>;
}

export interface SyscallReportOptions {
  arch: Arch;
  top: number;
  perThread: boolean;
  /** --syscalls/--category as given: only these were counted. */
  filter?: string[];
}

export interface Measurement {
  summary: SummaryRecord;
  /** The summary of the samples (denet's Summary, also inside `summary`): what --stats FILE gets. */
  statistics?: RunStatistics;
  /** tsdenet's own exit status: the command's under run (128 + N for signal N), 0 under attach. */
  exitStatus: number;
}

/** POSIX shells report death by signal N as 128 + N; tsdenet does the same. */
export function exitStatusOf(outcome: Outcome): number {
  switch (outcome.kind) {
    case 'exited':
      return outcome.code;
    case 'killed':
      return 128 + (constants.signals[outcome.signal] ?? 0);
    case 'not-waited':
      return 0;
  }
}

/** The closing record of what was measured. */
export function buildMeasurement(m: Measured, syscalls: SyscallReportOptions): Measurement {
  const exitStatus = exitStatusOf(m.outcome);
  const summary: SummaryRecord = {
    kind: 'summary',
    tsdenet_version: VERSION,
    ts_ms: Date.now(),
    command: [...m.command],
    executable: m.executable,
    pid: m.pid,
    exit_code: m.outcome.kind === 'exited' ? m.outcome.code : null,
    signal: m.outcome.kind === 'killed' ? m.outcome.signal : null,
    exit_status: exitStatus,
    mode: m.mode,
    interrupted: m.interruptedBy !== undefined,
    t0_ms: m.t0Ms,
    // Microseconds are what the clock gives; more digits are float noise.
    wall_time_secs: Math.round(m.wallTimeSecs * 1e6) / 1e6,
    kernel: release(),
    arch: syscalls.arch,
    ...m.statistics,
  };
  if (m.timedOut) summary.timed_out = true;
  const ebpf = m.ebpf;
  if (ebpf?.error) summary.ebpf = { error: ebpf.error.message };
  if (ebpf?.mode && ebpf.snapshot) {
    summary.ebpf = {
      attach_mode: ebpf.mode,
      attach_point: ATTACH_POINTS[ebpf.mode],
      syscalls: buildSyscallReport({
        ...ebpf.snapshot,
        arch: syscalls.arch,
        // The rate's one definition: every call over the seconds from t0 to the last sample.
        elapsedSecs: m.elapsedSecs,
        top: syscalls.top,
        rootPid: m.pid,
        argvByPid: m.argvByPid,
        perThread: syscalls.perThread,
        filter: syscalls.filter,
      }),
    };
    const offcpu = ebpf.snapshot.offcpu;
    if (offcpu) {
      summary.ebpf.offcpu = summarizeOffcpu(offcpu);
      addProcessOffcpu(summary.ebpf.syscalls!.processes, offcpuByProcess(offcpu));
    }
  }
  return { summary, statistics: m.statistics, exitStatus };
}

/**
 * Each process's off-CPU time in its entry of the syscall report. A process
 * with no call counted (a --syscalls filter that none of its calls passed)
 * gets an entry of its own, with no calls, so that no off-CPU time goes unshown.
 */
function addProcessOffcpu(processes: ProcessSyscalls[], byPid: ReadonlyMap<number, ProcessOffcpu>): void {
  const listed = new Set<number>();
  for (const p of processes) {
    listed.add(p.pid);
    const o = byPid.get(p.pid);
    if (o) p.offcpu = o;
  }
  for (const [pid, o] of byPid) {
    if (!listed.has(pid)) processes.push({ pid, ppid: null, comm: null, argv: null, threads: 0, total: 0, by_syscall: {}, offcpu: o });
  }
}

/** The run's final syscall count from a snapshot (the sum over slots). */
export function snapshotTotal(snapshot: CountSnapshot | undefined): number | undefined {
  if (!snapshot) return undefined;
  let total = 0;
  for (const count of snapshot.totals.values()) total += count;
  return total;
}
