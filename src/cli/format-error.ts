/** Text of an error for stderr: the problem, the fix, and details with --debug. */
import { TsdenetError } from '../errors.js';
import { escapeControl } from '../text/terminal-text.js';

export function formatError(error: TsdenetError, debug: boolean, prefix = ''): string {
  // Messages quote what they are about (a command, a process's name, a file's record): never its control characters raw.
  let text = `tsdenet: ${prefix}${escapeControl(error.message)}\n`;
  if (error.hint) text += `tsdenet: fix: ${escapeControl(error.hint)}\n`;
  if (debug) {
    let cause = error.cause;
    while (cause !== undefined) {
      const detail = cause instanceof Error ? (cause.stack ?? cause.message) : String(cause);
      text += `tsdenet: caused by: ${detail.split('\n').map(escapeControl).join('\n')}\n`;
      cause = cause instanceof Error ? cause.cause : undefined;
    }
  }
  return text;
}
