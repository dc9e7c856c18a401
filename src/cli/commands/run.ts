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

/** Runs the command; resolves to tsdenet's exit status (the command's). */
export async function runSubcommand(options: GlobalOptions, command: string[]): Promise<number> {
  const arch = requestArch(options);
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
    ),
  );
}
