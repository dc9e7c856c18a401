/**
 * `tsdenet run`: options → the run's request; the destinations opened
 * first (a bad -o is the only error then), then the run itself, with every
 * resource it holds, is measure/profile-run.ts's (the Node API's profile()
 * runs the same function).
 */
import { chooseCommandIdentity, describeIdentity } from '../../privileges/command-identity.js';
import { measureCommand } from '../../measure/profile-run.js';
import { ebpfRequest, measureToDestinations, monitorSettings, requestArch, syscallReportOptions } from '../run-request.js';
import type { GlobalOptions } from '../options.js';
import type { Measurement } from '../../measure/summary-record.js';
import type { RunCiRequest } from '../ci-run.js';
import { budgetsGiven, prometheusWanted } from '../ci-options.js';

/**
 * Runs the command; resolves to tsdenet's exit status (the command's; with
 * budgets, 1 when the command exits 0 and a budget is exceeded: ci-run.ts).
 */
export async function runSubcommand(given: GlobalOptions, command: string[], ciRequest?: RunCiRequest): Promise<number> {
  // Budgets check syscall counts: a run that cannot count fails before it starts.
  const budgeted = ciRequest !== undefined && budgetsGiven(ciRequest.budgets);
  const options = budgeted ? { ...given, requireEbpf: true } : given;
  const arch = requestArch(options);
  const wanted = budgeted || (ciRequest !== undefined && prometheusWanted(ciRequest.prometheus));
  // Loaded only when asked for: a plain run starts no faster for them.
  const ciRun = wanted ? await import('../ci-run.js') : undefined;
  const ci = ciRun && ciRequest ? await ciRun.prepareRunCi(ciRequest, command, syscallReportOptions(options).filter) : undefined;
  let measurement: Measurement | undefined;
  let status: number;
  try {
    status = await profileCommand(options, command, arch, (m) => (measurement = m));
  } catch (error) {
    if (ci) ciRun?.discardRunCi(ci);
    throw error;
  }
  return ciRun && ci && measurement ? ciRun.finishRunCi(ci, measurement.summary, status, options.quiet) : status;
}

async function profileCommand(options: GlobalOptions, command: string[], arch: ReturnType<typeof requestArch>, measured: (m: Measurement) => void): Promise<number> {
  // Root under sudo: the command runs as the user who ran sudo, never as root by accident.
  const identity = chooseCommandIdentity({ euid: process.geteuid?.() ?? -1, env: process.env, user: options.user, asRoot: options.asRoot });
  if (identity && !options.quiet) process.stderr.write(`tsdenet: ${describeIdentity(identity)}\n`);
  return measureToDestinations(options, (emit) =>
    measureCommand(
      ebpfRequest(options, arch, 'the command runs without syscall counts'),
      {
        command,
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
    }),
  );
}
