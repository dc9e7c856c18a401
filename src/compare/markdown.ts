/**
 * Pure: a comparison and budget verdicts as GitHub-flavoured Markdown, for a
 * CI job summary (`>> $GITHUB_STEP_SUMMARY`). Names and commands come from
 * saved runs: they are shown as text, never as markup (text/markdown-text.ts).
 */
import type { BudgetResult } from './budget.js';
import type { Comparison } from './compare.js';
import { markdownCode, markdownCommand, markdownText } from '../text/markdown-text.js';
import { BUDGET_HEADER, budgetCells, budgetVerdict, ROW_HEADER, rowCells, sectionsOf, VARIES_NOTE } from './format.js';

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.map(markdownText).join(' | ')} |`;
  return [line(header), `|${header.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...rows.map(line)].join('\n') + '\n';
}

export function renderBudgetsMarkdown(results: readonly BudgetResult[]): string {
  const exceeded = results.some((r) => r.exceeded);
  return `### ${exceeded ? '❌' : '✅'} ${budgetVerdict(results)}\n\n${table(BUDGET_HEADER, results.map(budgetCells))}`;
}

export function renderComparisonMarkdown(c: Comparison, budgets?: readonly BudgetResult[]): string {
  let out = '## tsdenet: syscalls compared\n\n';
  const side = (sources: string[]): string => sources.map(markdownCode).join(', ') + (sources.length > 1 ? ` (${sources.length} runs: medians)` : '');
  out += `- base: ${side(c.base)}\n- new: ${side(c.new)}\n`;
  out += `- command: ${markdownCommand(c.command)}${c.newCommand ? ` → ${markdownCommand(c.newCommand)}` : ''}\n\n`;
  if (budgets && budgets.length > 0) out += renderBudgetsMarkdown(budgets) + '\n';
  let varies = false;
  for (const s of sectionsOf(c)) {
    out += `### ${s.title}\n\n`;
    if (s.rows.length === 0) out += `No change${s.unchanged > 0 ? ` (${s.unchanged} unchanged)` : ''}.\n\n`;
    else out += table([s.title, ...ROW_HEADER.slice(1)], s.rows.map((r) => rowCells(r, s.digits))) + (s.unchanged > 0 ? `\n${s.unchanged} unchanged.\n\n` : '\n');
    varies ||= s.rows.some((r) => r.varies);
  }
  if (varies) out += `${VARIES_NOTE}\n`;
  return out;
}
