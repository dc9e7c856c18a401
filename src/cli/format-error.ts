/** Text of an error for stderr: the problem, the fix, and details with --debug. */
import { TsdenetError } from '../errors.js';

export function formatError(error: TsdenetError, debug: boolean, prefix = ''): string {
  let text = `tsdenet: ${prefix}${error.message}\n`;
  if (error.hint) text += `tsdenet: fix: ${error.hint}\n`;
  if (debug) {
    let cause = error.cause;
    while (cause !== undefined) {
      text += `tsdenet: caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}\n`;
      cause = cause instanceof Error ? cause.cause : undefined;
    }
  }
  return text;
}
