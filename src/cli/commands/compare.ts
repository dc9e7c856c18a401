/**
 * `tsdenet compare BASE NEW` (or BASE... -- NEW...): the deltas between
 * saved runs, as a table, Markdown or JSON, and the budgets checked.
 * Exit 0, 1 when a budget is exceeded, 2 when the runs or the budgets
 * cannot be read or compared.
 */
import { checkBudgets } from '../../compare/budget.js';
import { comparisonFigures } from '../../compare/budget-figures.js';
import { compareRuns } from '../../compare/compare.js';
import { loadBudgets } from '../../compare/load-budgets.js';
import { loadRunProfile } from '../../compare/load-run.js';
import { budgetVerdict } from '../../compare/format.js';
import { renderComparisonMarkdown } from '../../compare/markdown.js';
import { writeCommandOutput } from '../command-output.js';
import type { BudgetRequest } from '../ci-options.js';
import type { GlobalOptions } from '../options.js';

export interface CompareRequest {
  base: string[];
  new: string[];
  budgets: BudgetRequest;
  markdown: boolean;
}

export async function compareSubcommand(options: GlobalOptions, request: CompareRequest): Promise<number> {
  // A malformed budget is found before any file is read.
  const budgets = loadBudgets(request.budgets.specs, request.budgets.file);
  const base = [];
  for (const path of request.base) base.push(await loadRunProfile(path));
  const next = [];
  for (const path of request.new) next.push(await loadRunProfile(path));
  const comparison = compareRuns(base, next, { anyCommand: request.budgets.anyCommand });
  const results = budgets.length > 0 ? checkBudgets(budgets, comparisonFigures(comparison)) : undefined;
  const exceeded = results?.some((r) => r.exceeded) ?? false;
  let text: string;
  if (options.json) {
    text = JSON.stringify({ kind: 'comparison', ...comparison, budgets: results?.map((r) => ({ budget: r.budget.text, base: r.base, new: r.new, limit: r.limit, exceeded: r.exceeded, varies: r.varies })), exceeded }, null, 2) + '\n';
  } else if (request.markdown) {
    text = renderComparisonMarkdown(comparison, results);
  } else {
    const { renderComparisonTable } = await import('../../report/compare-table.js');
    text = renderComparisonTable(comparison, results);
  }
  await writeCommandOutput(options, text);
  if (exceeded && results) process.stderr.write(`tsdenet: ${budgetVerdict(results)}\n`);
  return exceeded ? 1 : 0;
}
