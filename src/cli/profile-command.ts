/**
 * The body of `tsdenet run`: the output files, the monitoring session, the
 * command itself (runCommand, which takes over the counter being started)
 * and the report.
 */
import type { TsdenetError } from '../errors.js';
import { monitorCommand } from '../monitor/command-monitor.js';
import type { CommandIdentity } from '../privileges/command-identity.js';
import { abandonCounting } from '../profile/counting.js';
import type { StartedCounter } from '../profile/ebpf-request.js';
import { runCommand } from '../profile/run-command.js';
import { OutputFile } from '../report/output-file.js';
import type { Arch } from '../syscalls/names.js';
import { buildSummary } from './build-summary.js';
import { deliverReport } from './deliver-report.js';
import { createSession } from './monitor-setup.js';
import type { GlobalOptions } from './options.js';

export interface ProfileSetup {
  /** undefined on an architecture eBPF profiling does not support. */
  arch?: Arch;
  identity?: CommandIdentity;
  /** The counter being started (--enable-ebpf). */
  counting?: Promise<StartedCounter>;
  log?: (line: string) => void;
  /** Says that the command runs without counts (once it is about to start). */
  onEbpfUnavailable?: (error: TsdenetError) => void;
}

/** Runs and monitors the command, writes the report; resolves to the command's exit status. */
export async function profileCommand(options: GlobalOptions, command: string[], setup: ProfileSetup): Promise<number> {
  let out: OutputFile | undefined;
  let statsFile: OutputFile | undefined;
  try {
    [out, statsFile] = OutputFile.openAll([options.out, options.monitor.statsFile]);
  } catch (error) {
    await abandonCounting(setup.counting);
    throw error;
  }
  const { sink, session } = createSession(options, setup.arch ?? 'x86_64', out);
  try {
    const result = await runCommand({
      counting: setup.counting,
      onEbpfUnavailable: setup.onEbpfUnavailable,
      log: setup.log,
      identity: setup.identity,
      command,
      stdoutToStderr: options.json,
      whileRunning: monitorCommand(session),
      waitTree: options.waitTree,
      treePids: () => session.runningPids(),
      relayOutput: session.relaysOutput ? (target, chunk) => session.relayOutput(target, chunk) : undefined,
    });
    await deliverReport(buildSummary(result, options, setup.arch ?? process.arch), options, { out, statsFile, sink, session });
    return result.exitStatus;
  } catch (error) {
    out?.discard();
    statsFile?.discard();
    throw error;
  }
}
