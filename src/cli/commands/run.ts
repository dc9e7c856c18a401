/**
 * `tsdenet run`: options → the run's request; the destinations opened
 * first (a bad -o is the only error then), the eBPF counter started, and
 * only then the rest of the run loaded, so that the two overlap (the BPF
 * object loads on a worker thread: measure/counter-request.ts). The run
 * itself, and every resource it holds, is measure/run.ts's.
 */
import { chooseCommandIdentity, describeIdentity } from '../../privileges/command-identity.js';
import { discardDestinations, openDestinations } from '../../report/destinations.js';
import { ebpfRequest, monitorSettings, requestArch, syscallReportOptions } from '../run-request.js';
import type { GlobalOptions } from '../options.js';

/** Runs the command; resolves to tsdenet's exit status (the command's). */
export async function runSubcommand(options: GlobalOptions, command: string[]): Promise<number> {
  const arch = requestArch(options);
  // Root under sudo: the command runs as the user who ran sudo, never as root by accident.
  const identity = chooseCommandIdentity({ euid: process.geteuid?.() ?? -1, env: process.env, user: options.user, asRoot: options.asRoot });
  if (identity && !options.quiet) process.stderr.write(`tsdenet: ${describeIdentity(identity)}\n`);
  const destinations = openDestinations({ json: options.json, out: options.out, statsFile: options.monitor.statsFile });
  try {
    const request = ebpfRequest(options, arch, 'the command runs without syscall counts');
    // libbpf loads only when eBPF is asked for (koffi then, else only for
    // getrusage once the command has ended: ffi/libc.ts); the call returns
    // with the BPF object loading on a worker thread. Its "runs without
    // syscall counts" warning waits until the command is about to start.
    const counting = request.enableEbpf
      ? (await import('../../measure/counter-request.js')).startRequestedCounter({ ...request, onEbpfUnavailable: undefined })
      : undefined;
    // Its failure (--require-ebpf) is thrown where measureRun awaits it,
    // before the fork; until then it must not count as an unhandled rejection.
    counting?.catch(() => undefined);
    const { measureRun } = await import('../../measure/run.js');
    const measurement = await measureRun(
      {
        command,
        counting,
        onEbpfUnavailable: request.onEbpfUnavailable,
        log: request.log,
        stdoutToStderr: options.json,
        identity,
        waitTree: options.waitTree,
        monitor: monitorSettings(options, arch),
        syscalls: syscallReportOptions(options),
      },
      (record) => destinations.sink.write(record),
    );
    const { deliverSummary } = await import('../../report/deliver.js');
    await deliverSummary(measurement.summary, measurement.statistics, { json: options.json, quiet: options.quiet, format: options.measure.format }, destinations);
    return measurement.exitStatus;
  } catch (error) {
    discardDestinations(destinations);
    throw error;
  }
}
