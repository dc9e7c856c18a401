/**
 * The closing `summary` record of a run (JSON Lines, denet's `kind` tag).
 * Field names are documented in README.md ("JSON format").
 */
import type { AttachMode } from '../bpf/counter.js';
import type { SyscallReport } from '../syscalls/aggregate.js';
import type { RunStatistics } from '../stats/summary.js';

export interface EbpfSection {
  attach_mode?: AttachMode;
  attach_point?: string;
  syscalls?: SyscallReport;
  error?: string;
}

/** With monitoring, denet's `stats --json` fields (src/stats/summary.ts) follow the run's own. */
export interface SummaryRecord extends Partial<RunStatistics> {
  kind: 'summary';
  tsdenet_version: string;
  ts_ms: number;
  command: string[];
  executable: string;
  pid: number;
  exit_code: number | null;
  signal: string | null;
  exit_status: number;
  interrupted: boolean;
  t0_ms: number;
  wall_time_secs: number;
  kernel: string;
  arch: string;
  ebpf?: EbpfSection;
  /** --duration was reached (run: the command was stopped). */
  timed_out?: boolean;
}
