/**
 * Pure: two sides of saved runs (one run or several each) → the deltas per
 * syscall, category, command and failed call, absolute and relative,
 * sorted by change. With several runs on a side, each figure is that
 * side's median, and a name whose count is not the same in every run of a
 * side is marked as varying (futex, poll: what threads and timers make):
 * its delta is noise as much as change.
 */
import { CompareInputError } from './errors.js';
import type { RunCounts, RunProfile } from './run-profile.js';

/** One figure across the runs of one side. */
export interface SideFigure {
  /** One per run, in the order given (0 where a run has none). */
  values: number[];
  median: number;
  min: number;
  max: number;
}

export interface DeltaRow {
  name: string;
  base: SideFigure;
  new: SideFigure;
  /** new median − base median. */
  delta: number;
  /** delta / base median; null when the base is 0 (a name that is new). */
  relative: number | null;
  /** Its count differs between the runs of one side (or both). */
  varies: boolean;
}

export interface Comparison {
  base: string[];
  new: string[];
  /** The command of the base side (the first run's). */
  command: string[];
  /** The new side's command, when it differs (compared anyway: --any-command). */
  newCommand?: string[];
  total: DeltaRow;
  categories: DeltaRow[];
  syscalls: DeltaRow[];
  commands: DeltaRow[];
  /** Failed calls, "syscall errno", when every run was made with --errors. */
  errors?: DeltaRow[];
  /** Wall time and CPU seconds: noisy, shown for context, never budgeted. */
  wallTimeSecs?: DeltaRow;
  cpuSecs?: DeltaRow;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return 0;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function sideFigure(values: number[]): SideFigure {
  return { values, median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

export function deltaRow(name: string, base: number[], next: number[]): DeltaRow {
  const b = sideFigure(base);
  const n = sideFigure(next);
  const delta = n.median - b.median;
  return { name, base: b, new: n, delta, relative: b.median === 0 ? (delta === 0 ? 0 : null) : delta / b.median, varies: b.min !== b.max || n.min !== n.max };
}

/** Biggest change first (absolute calls), then the biggest relative one, then by name. */
export function byChange(a: DeltaRow, b: DeltaRow): number {
  return Math.abs(b.delta) - Math.abs(a.delta) || Math.abs(b.relative ?? Infinity) - Math.abs(a.relative ?? Infinity) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** Rows for every name either side has, each side's counts per run (0 when a run lacks the name). */
export function deltaRows(base: Record<string, number>[], next: Record<string, number>[]): DeltaRow[] {
  const names = new Set([...base, ...next].flatMap((m) => Object.keys(m)));
  return [...names].map((name) => deltaRow(name, base.map((m) => m[name] ?? 0), next.map((m) => m[name] ?? 0))).sort(byChange);
}

function flatErrors(e: NonNullable<RunCounts['errors']>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, byErrno] of Object.entries(e)) for (const [errno, n] of Object.entries(byErrno)) out[`${name} ${errno}`] = n;
  return out;
}

function optionalRow(name: string, base: RunProfile[], next: RunProfile[], get: (p: RunProfile) => number | undefined): DeltaRow | undefined {
  const b = base.map(get);
  const n = next.map(get);
  if ([...b, ...n].some((v) => v === undefined)) return undefined;
  return deltaRow(name, b as number[], n as number[]);
}

const sameList = (a: readonly string[] | undefined, b: readonly string[] | undefined): boolean => JSON.stringify(a ?? []) === JSON.stringify(b ?? []);

const describeFilter = (f: readonly string[] | undefined): string => (f ? `only ${f.join(',')}` : 'every syscall');

function countsOf(p: RunProfile, hint = 'compare runs made with tsdenet --enable-ebpf (add --require-ebpf so that a run without counts fails at once)'): RunCounts {
  if (p.counts) return p.counts;
  throw new CompareInputError(`${p.source} has no syscall counts: ${p.noCountsReason ?? 'no eBPF data'}`, { hint });
}

/**
 * run --budget-against: before the command starts, that the base run can be
 * compared with the run about to be made (its command and filter, as given).
 * The same rules as compareRuns, worded for a run that has not happened yet.
 */
export function checkBaseForRun(base: RunProfile, command: readonly string[], filter: readonly string[] | undefined, options: CompareOptions): void {
  const counts = countsOf(base, 'give --budget-against a run made with tsdenet --enable-ebpf');
  if (!options.anyCommand && !sameList(base.command, command)) {
    throw new CompareInputError(`${base.source} is a run of ${JSON.stringify(base.command)}, not of ${JSON.stringify(command)}`, { hint: 'give the base run of this command, or add --any-command to compare anyway' });
  }
  if (!sameList(counts.filter, filter)) {
    throw new CompareInputError(`${base.source} counted ${describeFilter(counts.filter)}, this run would count ${describeFilter(filter)}: their counts cannot be compared`, {
      hint: 'give the same --syscalls and --category as the base run',
    });
  }
}

export interface CompareOptions {
  /** Compare runs of different commands (otherwise an error). */
  anyCommand: boolean;
}

/**
 * Checks that the runs can be compared (every one has counts, all count
 * the same syscalls, all ran one command) and compares them.
 */
export function compareRuns(base: RunProfile[], next: RunProfile[], options: CompareOptions): Comparison {
  if (base.length === 0 || next.length === 0) throw new CompareInputError('compare needs at least one run on each side', { hint: 'tsdenet compare BASE.jsonl NEW.jsonl' });
  const all = [...base, ...next];
  const counts = all.map((p) => countsOf(p));
  const first = all[0]!;
  const filtered = all.find((p, i) => !sameList(counts[i]!.filter, counts[0]!.filter));
  if (filtered) {
    throw new CompareInputError(`${first.source} counted ${describeFilter(counts[0]!.filter)}, ${filtered.source} ${describeFilter(countsOf(filtered).filter)}: their counts cannot be compared`, {
      hint: 'compare runs made with the same --syscalls and --category',
    });
  }
  const baseOther = base.find((p) => !sameList(p.command, first.command));
  if (baseOther) {
    throw new CompareInputError(`the base runs are of different commands: ${first.source} ran ${JSON.stringify(first.command)}, ${baseOther.source} ${JSON.stringify(baseOther.command)}`, {
      hint: 'the runs of one side are repeats of one command (compare the two commands as BASE and NEW instead)',
    });
  }
  const newOther = next.find((p) => !sameList(p.command, next[0]!.command));
  if (newOther) {
    throw new CompareInputError(`the new runs are of different commands: ${next[0]!.source} ran ${JSON.stringify(next[0]!.command)}, ${newOther.source} ${JSON.stringify(newOther.command)}`, {
      hint: 'the runs of one side are repeats of one command',
    });
  }
  const commandsDiffer = !sameList(first.command, next[0]!.command);
  if (commandsDiffer && !options.anyCommand) {
    throw new CompareInputError(`${first.source} ran ${JSON.stringify(first.command)} but ${next[0]!.source} ran ${JSON.stringify(next[0]!.command)}`, {
      hint: 'compare runs of the same command, or add --any-command to compare these anyway',
    });
  }
  const b = counts.slice(0, base.length);
  const n = counts.slice(base.length);
  const withErrors = counts.every((c) => c.errors !== undefined);
  return {
    base: base.map((p) => p.source),
    new: next.map((p) => p.source),
    command: first.command,
    newCommand: commandsDiffer ? next[0]!.command : undefined,
    total: deltaRow('total', b.map((c) => c.total), n.map((c) => c.total)),
    categories: deltaRows(b.map((c) => c.byCategory), n.map((c) => c.byCategory)),
    syscalls: deltaRows(b.map((c) => c.bySyscall), n.map((c) => c.bySyscall)),
    commands: deltaRows(b.map((c) => c.byCommand), n.map((c) => c.byCommand)),
    errors: withErrors ? deltaRows(b.map((c) => flatErrors(c.errors!)), n.map((c) => flatErrors(c.errors!))) : undefined,
    wallTimeSecs: optionalRow('wall_time_secs', base, next, (p) => p.wallTimeSecs),
    cpuSecs: optionalRow('cpu_secs', base, next, (p) => p.cpuSecs),
  };
}

/** Whether a row says anything: a change, or a count that varies between runs. */
export function isNoteworthy(row: DeltaRow): boolean {
  return row.delta !== 0 || row.varies;
}
