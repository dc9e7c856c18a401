/** --budget SPEC (repeatable) and --budget-file FILE → the budgets, all checked before anything runs. */
import { closeSync, openSync, readSync } from 'node:fs';
import { parseBudgetFile, parseBudgetSpec, rejectDuplicateBudgets, type Budget } from './budget.js';
import { BudgetSpecError } from './errors.js';

/** A budget file is a few lines; more than this is the wrong file (or /dev/zero). */
const MAX_BUDGET_FILE = 1 << 20;

function readBudgetFile(path: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(MAX_BUDGET_FILE + 1);
    let length = 0;
    for (let n = 1; n > 0 && length <= MAX_BUDGET_FILE; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > MAX_BUDGET_FILE) throw new BudgetSpecError(`${path} is larger than a budget file can be (1 MiB)`, { hint: 'give the budget file (one item a line, e.g. openat=+10%)' });
    return buffer.subarray(0, length).toString('utf8');
  } catch (error) {
    if (error instanceof BudgetSpecError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new BudgetSpecError(`cannot read the budget file ${path}: ${code}`, { cause: error, hint: code === 'ENOENT' ? 'check the path of --budget-file' : undefined });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The budgets of every --budget and of --budget-file, in that order; one name may have one budget. */
export function loadBudgets(specs: readonly string[], file: string | undefined): Budget[] {
  const budgets: Budget[] = [...specs.flatMap(parseBudgetSpec), ...(file !== undefined ? parseBudgetFile(readBudgetFile(file), file) : [])];
  return rejectDuplicateBudgets(budgets);
}
