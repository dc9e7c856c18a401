/**
 * `tsdenet run`: checks what can be checked without starting anything,
 * starts the eBPF counter, and only then loads the rest of the run
 * (profile-command.ts), so that the two overlap (see profile/counting.ts).
 */
import { UsageError } from '../../errors.js';
import { chooseCommandIdentity, describeIdentity } from '../../privileges/command-identity.js';
import { abandonCounting } from '../../profile/counting.js';
import { currentArch } from '../../syscalls/names.js';
import { ebpfRequest } from '../ebpf-options.js';
import type { GlobalOptions } from '../options.js';

/** Runs the command; resolves to tsdenet's exit status (the command's). */
export async function runSubcommand(options: GlobalOptions, command: string[]): Promise<number> {
  const arch = currentArch();
  if (options.enableEbpf && arch === undefined) {
    throw new UsageError(`eBPF profiling supports x86_64 and arm64, not ${process.arch}`);
  }
  // Root under sudo: the command runs as the user who ran sudo, never as root by accident.
  const identity = chooseCommandIdentity({ euid: process.geteuid?.() ?? -1, env: process.env, user: options.user, asRoot: options.asRoot });
  if (identity && !options.quiet) process.stderr.write(`tsdenet: ${describeIdentity(identity)}\n`);
  const request = ebpfRequest(options, arch ?? 'x86_64', 'the command runs without syscall counts');
  // koffi and libbpf load only when eBPF is asked for. The call returns with
  // the BPF object loading on a worker thread (see profile/counting.ts).
  // Its "runs without syscall counts" warning waits until the command is
  // about to start: a missing command or -o directory is the error to see.
  const counting = request.enableEbpf
    ? (await import('../../profile/ebpf-request.js')).startRequestedCounter({ ...request, onEbpfUnavailable: undefined })
    : undefined;
  // Its failure (--require-ebpf) is thrown where runCommand awaits it, before
  // the fork; until then it must not count as an unhandled rejection.
  counting?.catch(() => undefined);
  let profileCommand: typeof import('../profile-command.js').profileCommand;
  try {
    ({ profileCommand } = await import('../profile-command.js'));
  } catch (error) {
    await abandonCounting(counting);
    throw error;
  }
  return profileCommand(options, command, { arch, identity, counting, log: request.log, onEbpfUnavailable: request.onEbpfUnavailable });
}
