/** yargs coerce functions: a bad value is a UsageError (exit 2) naming the flag and the range. */
import { UsageError } from '../errors.js';

/** The value as the user will recognize it (yargs has already made `abc` NaN). */
function shown(value: unknown): string {
  return typeof value === 'number' && Number.isNaN(value) ? 'something that is not a number' : String(value);
}

/** Accepts whole numbers in [min, max]. */
export function integerIn(name: string, min: number, max: number) {
  return (value: unknown): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got ${shown(value)})`);
    }
    return n;
  };
}

/**
 * Accepts seconds (fractions allowed) from 0 to max. Node's timers hold at
 * most 2^31 - 1 ms (24.8 days); a longer timer would fire at once.
 */
export function secondsUpTo(name: string, max: number) {
  return (value: unknown): number => {
    const n = Number(value);
    if (typeof value === 'boolean' || !Number.isFinite(n) || n < 0 || n > max) {
      throw new UsageError(`--${name} must be a number of seconds from 0 to ${max} (got ${shown(value)})`);
    }
    return n;
  };
}

/** The longest duration a Node timer can wait, in whole seconds. */
export const MAX_TIMER_SECS = Math.floor((2 ** 31 - 1) / 1000);
