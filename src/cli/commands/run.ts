/**
 * `tsdenet run`: options → the run's request; the destinations opened
 * first (a bad -o is the only error then), the eBPF counter started, and
 * only then the rest of the run loaded, so that the two overlap (the BPF
 * object loads on a worker thread: measure/counter-request.ts). The run
 * itself, and every resource it holds, is measure/run.ts's.
 */
import { chooseCommandIdentity, describeIdentity } from '../../privileges/command-identity.js';
import { abandonCounting } from '../../measure/abandon-counting.js';
import { ebpfRequest, measureToDestinations, monitorSettings, requestArch, syscallReportOptions } from '../run-request.js';
import type { GlobalOptions } from '../options.js';
import type { Measurement } from '../../measure/summary-record.js';
import type { RunCiRequest } from '../ci-run.js';

/**
 * Runs the command; resolves to tsdenet's exit status (the command's; with
 * budgets, 1 when the command exits 0 and a budget is exceeded: ci-run.ts).
 */
export async function runSubcommand(given: GlobalOptions, command: string[], ciRequest?: RunCiRequest): Promise<number> {
  // Budgets check syscall counts: a run that cannot count fails before it starts.
  const budgeted = ciRequest !== undefined && (ciRequest.budgets.specs.length > 0 || ciRequest.budgets.file !== undefined);
  const options = budgeted ? { ...given, requireEbpf: true } : given;
  const arch = requestArch(options);
  const wanted = budgeted || ciRequest?.prometheus.pushgateway !== undefined || ciRequest?.prometheus.promFile !== undefined;
  // Loaded only when asked for: a plain run starts no faster for them.
  const ciRun = wanted ? await import('../ci-run.js') : undefined;
  const ci = ciRun && ciRequest ? await ciRun.prepareRunCi(ciRequest, command, syscallReportOptions(options).filter) : undefined;
  let measurement: Measurement | undefined;
  let status: number;
  try {
    status = await measureCommand(options, command, arch, (m) => (measurement = m));
  } catch (error) {
    if (ci) ciRun?.discardRunCi(ci);
    throw error;
  }
  return ciRun && ci && measurement ? ciRun.finishRunCi(ci, measurement.summary, status, options.quiet) : status;
}

async function measureCommand(options: GlobalOptions, command: string[], arch: ReturnType<typeof requestArch>, measured: (m: Measurement) => void): Promise<number> {
  // Root under sudo: the command runs as the user who ran sudo, never as root by accident.
  const identity = chooseCommandIdentity({ euid: process.geteuid?.() ?? -1, env: process.env, user: options.user, asRoot: options.asRoot });
  if (identity && !options.quiet) process.stderr.write(`tsdenet: ${describeIdentity(identity)}\n`);
  return measureToDestinations(options, async (emit) => {
    const request = ebpfRequest(options, arch, 'the command runs without syscall counts');
    // libbpf loads only when eBPF is asked for (koffi then, else only for
    // getrusage once the command has ended: ffi/libc.ts); the call returns
    // with the BPF object loading on a worker thread. Its "runs without
    // syscall counts" warning waits until the command is about to start.
    const counterRequest = request.enableEbpf ? await import('../../measure/counter-request.js') : undefined;
    const counting = counterRequest?.startRequestedCounter({ ...request, onEbpfUnavailable: undefined });
    // Its failure (--require-ebpf) is thrown where measureRun awaits it,
    // before the fork; until then it must not count as an unhandled rejection.
    counting?.catch(() => undefined);
    let measureRun: typeof import('../../measure/run.js').measureRun;
    try {
      ({ measureRun } = await import('../../measure/run.js'));
    } catch (error) {
      // From here on measureRun owns the counter; before, it is closed here.
      await abandonCounting(counting);
      throw error;
    }
    return measureRun(
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
      emit,
    ).then((m) => {
      measured(m);
      return m;
    });
  });
}
