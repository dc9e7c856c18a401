/**
 * Pure: syscall budgets, parsed and checked.
 *
 * A budget is a comma-separated list (--budget) or one item a line, with
 * commas too and `#` comments (--budget-file). Each item is KEY=LIMIT or KEY<=MAX:
 *   KEY    total | SYSCALL | syscall:SYSCALL | category:CATEGORY | command:COMM
 *   =+N    the new run may make at most N calls more than the base (=N, =0: same)
 *   =+P%   at most P percent more than the base (=-P%: at least P percent fewer)
 *   <=MAX  at most MAX calls, whatever the base (needs no base run)
 * A budget is exceeded when the new count is above its limit.
 */
import { CATEGORIES, isCategory } from '../syscalls/categories.js';
import { closeMatches } from '../syscalls/filter.js';
import { syscallNames } from '../syscalls/names.js';
import { BudgetSpecError } from './errors.js';

export type BudgetKey = { kind: 'total' } | { kind: 'syscall'; name: string } | { kind: 'category'; name: string } | { kind: 'command'; name: string };

export type BudgetLimit =
  /** At most `calls` more than the base (negative: fewer). */
  | { kind: 'calls'; calls: number }
  /** At most `percent` percent more than the base. */
  | { kind: 'percent'; percent: number }
  /** At most `max` calls. */
  | { kind: 'max'; max: number };

export interface Budget {
  /** The item as written (shown in the table). */
  text: string;
  /** Where it was written, for messages: `--budget item 2 ("read=+1")`, `budgets.txt:3`. */
  where: string;
  key: BudgetKey;
  limit: BudgetLimit;
}

/** The kernel keeps 15 bytes of a command name (TASK_COMM_LEN 16). */
const COMM_MAX = 15;

let knownSyscalls: string[] | undefined;
/** Names of either architecture's table: a budget file may serve x86_64 and arm64 runners. */
function syscallNameList(): string[] {
  knownSyscalls ??= [...new Set([...syscallNames('x86_64'), ...syscallNames('arm64')])].sort();
  return knownSyscalls;
}

export function keyName(key: BudgetKey): string {
  return key.kind === 'total' ? 'total' : key.kind === 'syscall' ? key.name : `${key.kind}:${key.name}`;
}

function parseKey(raw: string, where: string): BudgetKey {
  if (raw === '') throw new BudgetSpecError(`${where}: no name before the limit`, { hint: 'e.g. openat=+10%, total=+5%, category:network<=0' });
  if (raw === 'total') return { kind: 'total' };
  const colon = raw.indexOf(':');
  const prefix = colon >= 0 ? raw.slice(0, colon) : 'syscall';
  const name = colon >= 0 ? raw.slice(colon + 1) : raw;
  switch (prefix) {
    case 'syscall': {
      const known = syscallNameList();
      if (!known.includes(name)) {
        const near = closeMatches(name, known);
        throw new BudgetSpecError(`${where}: unknown syscall "${name}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}`, {
          hint: 'a budget names total, a syscall (as in strace), category:NAME or command:COMM',
        });
      }
      return { kind: 'syscall', name };
    }
    case 'category':
      if (!isCategory(name)) throw new BudgetSpecError(`${where}: unknown category "${name}"`, { hint: `categories: ${CATEGORIES.join(', ')}` });
      return { kind: 'category', name };
    case 'command':
      if (name === '') throw new BudgetSpecError(`${where}: command: needs a command name`, { hint: 'e.g. command:cc1=+5%' });
      if (Buffer.byteLength(name) > COMM_MAX) {
        throw new BudgetSpecError(`${where}: "${name}" is longer than a command name can be (${COMM_MAX} bytes, the kernel's comm)`, { hint: `use the name tsdenet shows: ${Buffer.from(name).subarray(0, COMM_MAX).toString()}` });
      }
      return { kind: 'command', name };
    default:
      throw new BudgetSpecError(`${where}: unknown kind "${prefix}:"`, { hint: 'a budget names total, a syscall, syscall:NAME, category:NAME or command:COMM' });
  }
}

const RELATIVE = /^([+-]?)(\d+(?:\.\d+)?)(%?)$/;

function parseLimit(raw: string, max: boolean, where: string): BudgetLimit {
  if (max) {
    if (!/^\d+$/.test(raw)) throw new BudgetSpecError(`${where}: "${raw}" is no call count`, { hint: 'KEY<=MAX takes a whole number of calls, e.g. category:network<=0' });
    return { kind: 'max', max: Number(raw) };
  }
  const m = RELATIVE.exec(raw);
  if (!m) {
    throw new BudgetSpecError(`${where}: "${raw}" is no limit`, { hint: 'KEY=+N allows N calls more than the base, KEY=+P% P percent more, KEY<=MAX at most MAX calls' });
  }
  const value = Number(m[2]) * (m[1] === '-' ? -1 : 1);
  if (m[3] === '%') {
    if (value < -100) throw new BudgetSpecError(`${where}: ${raw} asks for fewer than no calls`, { hint: 'a decrease is at most -100%' });
    return { kind: 'percent', percent: value };
  }
  return { kind: 'calls', calls: value };
}

/** One item: KEY=LIMIT or KEY<=MAX. */
export function parseBudgetItem(text: string, where: string): Budget {
  const item = text.trim();
  const cap = item.indexOf('<=');
  const eq = item.indexOf('=');
  if (eq < 0) throw new BudgetSpecError(`${where}: "${item}" has no limit`, { hint: 'write KEY=+N, KEY=+P% or KEY<=MAX, e.g. openat=+10%' });
  const isMax = cap >= 0 && cap === eq - 1;
  const key = parseKey(item.slice(0, isMax ? cap : eq).trim(), where);
  const limit = parseLimit(item.slice(eq + 1).trim(), isMax, where);
  return { text: item, where, key, limit };
}

/** Both from --budget, or both from the budget file. */
function sameSource(a: Budget, b: Budget): boolean {
  return a.where.startsWith('--budget ') === b.where.startsWith('--budget ');
}

/** The budgets, unless two name the same thing (within one option or file, or across them). */
export function rejectDuplicateBudgets(budgets: Budget[]): Budget[] {
  const seen = new Map<string, Budget>();
  for (const b of budgets) {
    const name = keyName(b.key);
    const first = seen.get(name);
    if (first) {
      throw new BudgetSpecError(`${b.where}: a second budget for ${name} (the first: ${first.text}${sameSource(first, b) ? '' : `, ${first.where}`})`, {
        hint: 'give one limit per name (in --budget or in --budget-file, not both)',
      });
    }
    seen.set(name, b);
  }
  return budgets;
}

/** --budget SPEC: comma-separated items. */
export function parseBudgetSpec(spec: string): Budget[] {
  const items = spec.split(',');
  const where = (i: number): string => `--budget item ${i + 1} ("${items[i]!.trim()}")`;
  if (spec.trim() === '') throw new BudgetSpecError('--budget is empty', { hint: 'e.g. --budget openat=+10%,total=+5%' });
  const budgets = items.map((item, i) => {
    if (item.trim() === '') throw new BudgetSpecError(`--budget item ${i + 1} is empty (two commas, or one at an end?)`, { hint: 'separate items by single commas' });
    return parseBudgetItem(item, where(i));
  });
  return rejectDuplicateBudgets(budgets);
}

/** --budget-file: one or more items a line (commas), `#` starts a comment, blank lines are skipped. */
export function parseBudgetFile(text: string, name: string): Budget[] {
  const budgets: Budget[] = [];
  text.split('\n').forEach((line, i) => {
    const content = line.replace(/#.*/, '').trim();
    if (content === '') return;
    for (const item of content.split(',')) {
      const where = `${name}:${i + 1}`;
      if (item.trim() === '') throw new BudgetSpecError(`${where}: an empty item (two commas, or one at an end?)`, { hint: 'separate items by single commas' });
      budgets.push(parseBudgetItem(item, where));
    }
  });
  if (budgets.length === 0) throw new BudgetSpecError(`${name} holds no budget`, { hint: 'one item a line, e.g. openat=+10%' });
  return rejectDuplicateBudgets(budgets);
}

/** Whether a budget compares with a base run (all but KEY<=MAX). */
export function needsBase(b: Budget): boolean {
  return b.limit.kind !== 'max';
}

/** A budget's figures: the base's (undefined without a base) and the new run's. */
export interface BudgetFigures {
  base?: number;
  new: number;
  /** The count differs between runs of one side: the verdict may be noise. */
  varies: boolean;
}

export interface BudgetResult {
  budget: Budget;
  base?: number;
  new: number;
  /** The most the new run may make. */
  limit: number;
  exceeded: boolean;
  varies: boolean;
}

/** The most calls the budget allows the new run. */
export function limitOf(limit: BudgetLimit, base: number | undefined): number {
  switch (limit.kind) {
    case 'max':
      return limit.max;
    case 'calls':
      return (base ?? 0) + limit.calls;
    case 'percent':
      return (base ?? 0) * (1 + limit.percent / 100);
  }
}

/** Checks each budget against its figures (`figures(key)`; a name no run has counts 0). */
export function checkBudgets(budgets: readonly Budget[], figures: (key: BudgetKey) => BudgetFigures): BudgetResult[] {
  return budgets.map((budget) => {
    const f = figures(budget.key);
    if (needsBase(budget) && f.base === undefined) {
      throw new BudgetSpecError(`budget ${budget.text} compares with a base run, and there is none`, { hint: 'add --budget-against BASE.jsonl, or use an absolute limit (KEY<=MAX)' });
    }
    const limit = limitOf(budget.limit, f.base);
    return { budget, base: f.base, new: f.new, limit, exceeded: f.new > limit, varies: f.varies };
  });
}
