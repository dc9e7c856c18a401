/** Human output of `compare` and of budgets: cli-table3 tables on a terminal. */
import type { BudgetResult } from '../compare/budget.js';
import type { Comparison } from '../compare/compare.js';
import { plainTable } from './plain-table.js';
import { escapeControl, shellQuote } from '../text/terminal-text.js';
import { BUDGET_HEADER, budgetCells, budgetVerdict, describeSide, ROW_HEADER, rowCells, sectionsOf, VARIES_NOTE } from '../compare/format.js';

/** A name column, then figures. */
const ALIGN: ('left' | 'right')[] = ['left', 'right', 'right', 'right', 'right'];

/** The budgets' table and verdict. */
export function renderBudgetTable(results: readonly BudgetResult[]): string {
  const t = plainTable(BUDGET_HEADER, ALIGN);
  for (const r of results) t.push(budgetCells(r));
  const varies = results.some((r) => r.varies) ? `\n${VARIES_NOTE}` : '';
  return `${t.toString()}\n${budgetVerdict(results)}${varies}\n`;
}

export function renderComparisonTable(c: Comparison, budgets?: readonly BudgetResult[]): string {
  const lines = [`base: ${describeSide(c.base)}`, `new:  ${describeSide(c.new)}`, `command: ${shellQuote(c.command)}${c.newCommand ? ` → ${shellQuote(c.newCommand)}` : ''}`];
  let varies = false;
  for (const s of sectionsOf(c)) {
    if (s.rows.length === 0) {
      lines.push(`${s.title}: no change${s.unchanged > 0 ? ` (${s.unchanged} unchanged)` : ''}`);
      continue;
    }
    const t = plainTable([s.title, ...ROW_HEADER.slice(1)], ALIGN);
    for (const r of s.rows) t.push(rowCells(r, s.digits).map((cell, i) => (i === 0 ? escapeControl(cell) : cell)));
    lines.push(t.toString() + (s.unchanged > 0 ? `\n(${s.unchanged} unchanged)` : ''));
    varies ||= s.rows.some((r) => r.varies);
  }
  if (varies) lines.push(VARIES_NOTE);
  let out = lines.join('\n') + '\n';
  if (budgets && budgets.length > 0) out += '\n' + renderBudgetTable(budgets);
  return out;
}
