/** Errors about privileges: what is missing, and the fix. */
import { TsdenetError, type ErrorDetails } from '../errors.js';

/**
 * tsdenet lacks a privilege it needs (capabilities for eBPF, root for
 * --user). Exit 1, like other failures that are not usage mistakes.
 */
export class PrivilegeError extends TsdenetError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('PRIVILEGE', message, 1, details);
  }
}
