/** `tsdenet run`: maps options to runCommand and writes the report. */
import { release } from 'node:os';
import { ATTACH_POINTS } from '../../bpf/names.js';
import { runCommand, type RunResult } from '../../profile/run-command.js';
import { OutputFile } from '../../report/output-file.js';
import type { SummaryRecord } from '../../report/summary.js';
import { buildSyscallReport } from '../../syscalls/aggregate.js';
import { currentArch } from '../../syscalls/names.js';
import { UsageError } from '../../errors.js';
import { VERSION } from '../../version.js';
import { chooseCommandIdentity, describeIdentity } from '../../privileges/command-identity.js';
import type { GlobalOptions } from '../options.js';
import { deliverReport } from '../deliver-report.js';
import { createSession, ebpfRequest } from '../monitor-setup.js';
import { monitorCommand } from '../../monitor/command-monitor.js';

/** The closing `summary` record (also used by `attach`). */
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
    wall_time_secs: result.wallTimeSecs,
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

/** Runs the command; resolves to tsdenet's exit status (the command's). */
export async function runSubcommand(options: GlobalOptions, command: string[]): Promise<number> {
  const arch = currentArch();
  if (options.enableEbpf && arch === undefined) {
    throw new UsageError(`eBPF profiling supports x86_64 and arm64, not ${process.arch}`);
  }
  // Root under sudo: the command runs as the user who ran sudo, never as root by accident.
  const identity = chooseCommandIdentity({ euid: process.geteuid?.() ?? -1, env: process.env, user: options.user, asRoot: options.asRoot });
  if (identity && !options.quiet) process.stderr.write(`tsdenet: ${describeIdentity(identity)}\n`);
  const [out, statsFile] = OutputFile.openAll([options.out, options.monitor.statsFile]);
  const { sink, session } = createSession(options, arch ?? 'x86_64', out);
  try {
    const result = await runCommand({
      ...ebpfRequest(options, arch ?? 'x86_64', 'the command runs without syscall counts'),
      identity,
      command,
      stdoutToStderr: options.json,
      whileRunning: monitorCommand(session),
      waitTree: options.waitTree,
      treePids: () => session.runningPids(),
      relayOutput: session.relaysOutput ? (target, chunk) => session.relayOutput(target, chunk) : undefined,
    });
    await deliverReport(buildSummary(result, options, arch ?? process.arch), options, { out, statsFile, sink, session });
    return result.exitStatus;
  } catch (error) {
    out?.discard();
    statsFile?.discard();
    throw error;
  }
}
