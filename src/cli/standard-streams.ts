/**
 * stdout and stderr failing under tsdenet. Without a listener, a failed
 * write is an 'error' event nobody handles: Node prints a stack trace and
 * exits 1, and the command's exit status is lost.
 *
 * A reader that leaves (`tsdenet --json run -- CMD | head -1`, EPIPE) ends
 * tsdenet's output there, as SIGPIPE ends a C program's, and the run goes
 * on to its normal end and exit status. Any other failure of stdout (a full
 * disk behind `> file`) means output the user asked for is missing: it is
 * kept and reported once the subcommand is done. stderr failing only loses
 * human text, which cannot be reported anywhere: it is ignored.
 */
import { OutputError } from '../errors.js';

let stdoutFailure: NodeJS.ErrnoException | undefined;
let guarded = false;

/** Installs the listeners (once per process). */
export function guardStandardStreams(): void {
  if (guarded) return;
  guarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    // The first failure says why; later writes fail with ERR_STREAM_DESTROYED.
    stdoutFailure ??= error;
  });
  process.stderr.on('error', () => undefined);
}

const HINTS: Record<string, string> = {
  ENOSPC: 'free some disk space, or write the output elsewhere',
  EDQUOT: 'your disk quota is exhausted: free some space, or write the output elsewhere',
  EIO: 'the device behind standard output failed: write the output elsewhere (-o FILE)',
};

/** The failure of stdout that the user must hear of, if any (EPIPE is not one). */
export function standardOutputFailure(): OutputError | undefined {
  const code = stdoutFailure?.code;
  if (stdoutFailure === undefined || code === 'EPIPE') return undefined;
  return new OutputError(`cannot write standard output: ${code ?? stdoutFailure.message}`, { cause: stdoutFailure, hint: HINTS[code ?? ''] });
}
