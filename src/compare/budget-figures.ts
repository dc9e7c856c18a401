/** Pure: where a budget's figures come from: a comparison (with a base), or one run's counts (KEY<=MAX only). */
import type { BudgetFigures, BudgetKey } from './budget.js';
import type { Comparison, DeltaRow } from './compare.js';
import type { RunCounts } from './run-profile.js';

function rowsOf(c: Comparison, key: BudgetKey): DeltaRow[] {
  switch (key.kind) {
    case 'total':
      return [c.total];
    case 'syscall':
      return c.syscalls;
    case 'category':
      return c.categories;
    case 'command':
      return c.commands;
  }
}

/** The medians of each side; a name neither side has counts 0. */
export function comparisonFigures(c: Comparison): (key: BudgetKey) => BudgetFigures {
  return (key) => {
    const row = key.kind === 'total' ? c.total : rowsOf(c, key).find((r) => r.name === key.name);
    return row ? { base: row.base.median, new: row.new.median, varies: row.varies } : { base: 0, new: 0, varies: false };
  };
}

/** One run's counts, no base. */
export function countFigures(counts: RunCounts): (key: BudgetKey) => BudgetFigures {
  return (key) => {
    const table = key.kind === 'syscall' ? counts.bySyscall : key.kind === 'category' ? counts.byCategory : key.kind === 'command' ? counts.byCommand : undefined;
    return { new: key.kind === 'total' ? counts.total : (table?.[key.name] ?? 0), varies: false };
  };
}
