/**
 * profile(): runs a command and measures it, as `tsdenet run` does and
 * through the same function (measure/profile-run.ts), without printing
 * anything: the command's stdin, stdout and stderr are the calling
 * process's; while it runs, SIGINT, SIGTERM, SIGHUP and SIGQUIT sent to
 * this process are forwarded to the command (as under the CLI), and the
 * promise resolves once it has ended.
 */
import { UsageError } from '../errors.js';
import { measureCommand } from '../measure/profile-run.js';
import { collect, type ProfileResult } from './measurement.js';
import { toRequests, type MeasureOptions } from './options.js';

export interface ProfileOptions extends MeasureOptions {
  /** End when the command and every process it started have exited (`--wait-tree`). */
  waitTree?: boolean;
}

/**
 * Runs `command` (argv: the program, resolved on PATH, then its arguments)
 * and resolves when it has ended. Throws a TsdenetError for what the
 * caller can fix: UsageError (a bad option), CommandStartError (not found:
 * exitCode 127; not executable: 126), an eBPF error with requireEbpf.
 */
export async function profile(command: readonly string[], options: ProfileOptions = {}): Promise<ProfileResult> {
  if (!Array.isArray(command) || command.length === 0 || command.some((a) => typeof a !== 'string')) {
    throw new UsageError('profile() needs a command: a non-empty array of strings, e.g. [\'ls\', \'-l\']');
  }
  const requests = toRequests(options);
  return collect(options, (emit) =>
    measureCommand(
      requests.ebpf,
      { command: [...command], stdoutToStderr: false, waitTree: options.waitTree === true, monitor: requests.monitor, syscalls: requests.syscalls },
      emit,
    ),
  );
}
