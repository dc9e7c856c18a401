/** Errors of `compare` and of budgets. */
import { TsdenetError, type ErrorDetails } from '../errors.js';

/**
 * A saved run that cannot be compared (unreadable, no summary, no syscall
 * counts, another command than the other side's), or a malformed budget:
 * exit 2, so that a CI job tells it from a budget that was exceeded (exit 1).
 */
export class CompareInputError extends TsdenetError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('COMPARE_INPUT', message, 2, details);
  }
}

/** A budget that cannot be parsed (exit 2; the message names the item and what is wrong). */
export class BudgetSpecError extends TsdenetError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('BUDGET_SPEC', message, 2, details);
  }
}
