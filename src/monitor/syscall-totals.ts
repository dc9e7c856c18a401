/**
 * Per-sample eBPF syscall counts that never decrease. A counter snapshot
 * can miss a thread that exits while it is read (the counts map is read
 * before the live threads), so each (process, thread, syscall) counter keeps
 * the largest value seen; a missed thread reappears in the next snapshot
 * with at least the same count.
 */
import type { CountEntry } from '../bpf/layout.js';
import { analyze } from '../syscalls/aggregate.js';
import { CATEGORIES, categorize, emptyCategoryCounts, type Category } from '../syscalls/categories.js';
import { syscallName, type Arch } from '../syscalls/names.js';
import type { EbpfSyscalls } from './records.js';

export class SyscallTotals {
  readonly #byKey = new Map<string, number>();
  readonly #byNr = new Map<number, number>();
  #total = 0;

  get total(): number {
    return this.#total;
  }

  /** Merges one snapshot's counters (several entries may share a key: they add up). */
  update(counts: readonly CountEntry[]): void {
    const current = new Map<string, { nr: number; count: number }>();
    for (const c of counts) {
      const key = `${c.tgid}/${c.tid}/${c.nr}`;
      const entry = current.get(key);
      if (entry) entry.count += c.count;
      else current.set(key, { nr: c.nr, count: c.count });
    }
    for (const [key, { nr, count }] of current) {
      const before = this.#byKey.get(key) ?? 0;
      if (count <= before) continue;
      this.#byKey.set(key, count);
      this.#byNr.set(nr, (this.#byNr.get(nr) ?? 0) + count - before);
      this.#total += count - before;
    }
  }

  /** denet's `ebpf.syscalls` object for the counts so far. */
  report(arch: Arch, top: number, elapsedSecs: number): EbpfSyscalls {
    const byName = new Map<string, number>();
    for (const [nr, count] of this.#byNr) {
      const name = syscallName(nr, arch);
      byName.set(name, (byName.get(name) ?? 0) + count);
    }
    const byCategory = emptyCategoryCounts();
    for (const [name, count] of byName) byCategory[categorize(name)] += count;
    const topSyscalls = [...byName]
      .map(([name, count]) => ({ name, count }))
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .slice(0, top);
    return {
      total: this.#total,
      by_category: Object.fromEntries(CATEGORIES.map((c) => [c, byCategory[c]])) as Record<Category, number>,
      top_syscalls: topSyscalls,
      analysis: analyze(this.#total, byCategory, elapsedSecs),
    };
  }
}
