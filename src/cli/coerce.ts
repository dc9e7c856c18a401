/** yargs coerce functions: a bad value is a UsageError (exit 2) naming the flag and the range. */
import { UsageError } from '../errors.js';

/** Accepts whole numbers in [min, max]. */
export function integerIn(name: string, min: number, max: number) {
  return (value: unknown): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got ${String(value)})`);
    }
    return n;
  };
}
