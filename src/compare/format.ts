/** Pure: how compare's figures read, the same in the terminal and in Markdown. */
import type { BudgetResult } from './budget.js';
import { isNoteworthy, type DeltaRow, type SideFigure } from './compare.js';

/** A count (a median of two runs can end in .5); `digits` for seconds. */
export function formatNumber(n: number, digits = 1): string {
  if (Number.isInteger(n)) return String(n);
  const text = n.toFixed(digits);
  // -0.0003 is "0.000", not "-0.000".
  return /^-0\.0*$/.test(text) ? text.slice(1) : text;
}

/** A side's median, and its range over the runs when they differ: "12 (10–15)". */
export function formatFigure(f: SideFigure, digits = 1): string {
  const median = formatNumber(f.median, digits);
  return f.min === f.max ? median : `${median} (${formatNumber(f.min, digits)}–${formatNumber(f.max, digits)})`;
}

export function formatDelta(delta: number, digits = 1): string {
  return delta > 0 ? `+${formatNumber(delta, digits)}` : formatNumber(delta, digits);
}

/** "+12.5%", "new" when the base had none, "0%" when nothing changed. */
export function formatRelative(r: DeltaRow): string {
  if (r.relative === null) return 'new';
  if (r.relative === 0) return '0%';
  const pct = r.relative * 100;
  return `${pct > 0 ? '+' : ''}${pct.toFixed(1)}%`;
}

/** A row's name with the mark of a count that varies between runs of one side. */
export function markedName(r: DeltaRow): string {
  return r.varies ? `${r.name} ~` : r.name;
}

export const VARIES_NOTE = '~ varies between runs of one side: its delta may be noise, not change';

/** The cells of one delta row: name, base, new, delta, change. */
export function rowCells(r: DeltaRow, digits = 1): string[] {
  return [markedName(r), formatFigure(r.base, digits), formatFigure(r.new, digits), formatDelta(r.delta, digits), formatRelative(r)];
}

export const ROW_HEADER = ['', 'base', 'new', 'delta', 'change'];

export const BUDGET_HEADER = ['budget', 'base', 'new', 'limit', 'result'];

/** The cells of one budget's verdict. */
export function budgetCells(r: BudgetResult): string[] {
  return [
    r.budget.text,
    r.base === undefined ? '-' : formatNumber(r.base),
    formatNumber(r.new),
    formatNumber(Math.floor(r.limit)),
    (r.exceeded ? 'EXCEEDED' : 'ok') + (r.varies ? ' ~' : ''),
  ];
}

/** One line that sums the budgets up. */
export function budgetVerdict(results: readonly BudgetResult[]): string {
  const exceeded = results.filter((r) => r.exceeded).length;
  return exceeded === 0 ? `all ${results.length} syscall budgets met` : `${exceeded} of ${results.length} syscall budgets exceeded`;
}

export interface Section {
  title: string;
  /** The rows shown: changed or varying ones. */
  rows: DeltaRow[];
  /** Rows left out because nothing changed. */
  unchanged: number;
  digits: number;
}

/** What a comparison shows, in order: the totals, then per category, syscall, command, failed call. */
export function sectionsOf(c: import('./compare.js').Comparison): Section[] {
  const shown = (title: string, rows: DeltaRow[], digits = 1): Section => {
    const kept = rows.filter(isNoteworthy);
    return { title, rows: kept, unchanged: rows.length - kept.length, digits };
  };
  const run = [c.total, c.wallTimeSecs, c.cpuSecs].filter((r): r is DeltaRow => r !== undefined);
  const sections = [
    { title: 'run', rows: run, unchanged: 0, digits: 3 },
    shown('category', c.categories),
    shown('syscall', c.syscalls),
    shown('command', c.commands),
  ];
  if (c.errors) sections.push(shown('failed calls (syscall errno)', c.errors));
  return sections;
}

/** "a.jsonl" or "a.jsonl, b.jsonl (2 runs: medians)". */
export function describeSide(sources: readonly string[]): string {
  return sources.length === 1 ? sources[0]! : `${sources.join(', ')} (${sources.length} runs: medians)`;
}
