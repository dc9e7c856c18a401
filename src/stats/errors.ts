/** Errors of `tsdenet stats`. */
import { TsdenetError, type ErrorDetails } from '../errors.js';

/** The metrics file cannot be read or holds no sample (exit 1, as denet). */
export class StatsInputError extends TsdenetError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('STATS_INPUT', message, 1, details);
  }
}
