/**
 * --interval-report: per-interval syscall deltas while a long job runs, as
 * `syscalls` records. Each sample of the counter is at most the truth and
 * never counts a call twice (see syscall-totals.ts), so keeping the largest
 * count seen per slot and reporting the growth gives deltas that are never
 * negative and add up to the final totals.
 */
import type { SyscallIntervalRecord } from '../records/schema.js';
import { CATEGORIES, categorize, emptyCategoryCounts, type Category } from '../syscalls/categories.js';
import { slotName, type Arch } from '../syscalls/names.js';

export class IntervalReporter {
  readonly #arch: Arch;
  readonly #startMs: number;
  readonly #seen = new Map<number, number>();
  #lastMs: number;

  constructor(arch: Arch, startMs: number) {
    this.#arch = arch;
    this.#startMs = startMs;
    this.#lastMs = startMs;
  }

  /** The record for the interval ending now, given the counter's calls per slot so far. */
  next(bySlot: ReadonlyMap<number, number>, nowMs: number, wallClockMs: number): SyscallIntervalRecord {
    const byName = new Map<string, number>();
    let total = 0;
    for (const [slot, count] of bySlot) {
      const before = this.#seen.get(slot) ?? 0;
      if (count <= before) continue;
      this.#seen.set(slot, count);
      const name = slotName(slot, this.#arch);
      byName.set(name, (byName.get(name) ?? 0) + count - before);
      total += count - before;
    }
    const byCategory = emptyCategoryCounts();
    for (const [name, n] of byName) byCategory[categorize(name)] += n;
    const intervalSecs = (nowMs - this.#lastMs) / 1000;
    this.#lastMs = nowMs;
    return {
      kind: 'syscalls',
      ts_ms: wallClockMs,
      elapsed_secs: (nowMs - this.#startMs) / 1000,
      interval_secs: intervalSecs,
      total,
      rate_per_sec: intervalSecs > 0 ? total / intervalSecs : 0,
      by_category: Object.fromEntries(CATEGORIES.map((c) => [c, byCategory[c]])) as Record<Category, number>,
      by_syscall: Object.fromEntries([...byName].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))),
    };
  }
}
