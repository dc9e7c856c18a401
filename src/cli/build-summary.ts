/** The closing `summary` record of `run` and `attach`. */
import { release } from 'node:os';
import { ATTACH_POINTS } from '../bpf/names.js';
import type { RunResult } from '../profile/run-command.js';
import type { SummaryRecord } from '../report/summary.js';
import { buildSyscallReport } from '../syscalls/aggregate.js';
import { VERSION } from '../version.js';
import type { GlobalOptions } from './options.js';

/** What was measured, as the last record (both commands end with it). */
export function buildSummary(result: RunResult, options: GlobalOptions, arch: string): SummaryRecord {
  const summary: SummaryRecord = {
    kind: 'summary',
    tsdenet_version: VERSION,
    ts_ms: Date.now(),
    command: [...result.command],
    executable: result.executable,
    pid: result.pid,
    exit_code: result.exit.code,
    signal: result.exit.signal,
    exit_status: result.exitStatus,
    interrupted: result.interruptedBy !== undefined,
    t0_ms: result.startedAtMs,
    // Microseconds are what the clock gives; more digits are float noise.
    wall_time_secs: Math.round(result.wallTimeSecs * 1e6) / 1e6,
    kernel: release(),
    arch,
  };
  const ebpf = result.ebpf;
  if (ebpf?.error) summary.ebpf = { error: ebpf.error.message };
  if (ebpf?.mode && ebpf.snapshot) {
    summary.ebpf = {
      attach_mode: ebpf.mode,
      attach_point: ATTACH_POINTS[ebpf.mode],
      syscalls: buildSyscallReport({
        ...ebpf.snapshot,
        arch: arch as 'x86_64' | 'arm64',
        wallTimeSecs: result.wallTimeSecs,
        top: options.top,
        rootPid: result.pid,
        argvByPid: result.argvByPid,
        perThread: options.measure.perThread,
        filter: options.filterSlots ? [...options.measure.syscalls, ...options.measure.categories] : undefined,
      }),
    };
  }
  return summary;
}
