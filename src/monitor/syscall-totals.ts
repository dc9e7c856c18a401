/**
 * Per-sample eBPF syscall counts that never decrease. A counter sample can
 * miss a thread that exits while it is read (exited threads' totals are
 * read before the live threads), never count one twice: every sample is at
 * most the truth, and the last one (all threads exited) is the truth. So
 * keeping, per slot, the largest count seen is monotonic and ends exact.
 */
import { analyze } from '../records/definitions.js';
import { CATEGORIES, categorize, emptyCategoryCounts, type Category } from '../syscalls/categories.js';
import { slotName, type Arch } from '../syscalls/names.js';
import type { EbpfSyscalls } from '../records/schema.js';

export class SyscallTotals {
  readonly #byNr = new Map<number, number>();
  #total = 0;

  get total(): number {
    return this.#total;
  }

  /** Merges one sample's calls per slot. */
  update(bySlot: ReadonlyMap<number, number>): void {
    for (const [nr, count] of bySlot) {
      const before = this.#byNr.get(nr) ?? 0;
      if (count <= before) continue;
      this.#byNr.set(nr, count);
      this.#total += count - before;
    }
  }

  /** denet's `ebpf.syscalls` object for the counts so far. */
  report(arch: Arch, top: number, elapsedSecs: number): EbpfSyscalls {
    const byName = new Map<string, number>();
    for (const [nr, count] of this.#byNr) {
      const name = slotName(nr, arch);
      byName.set(name, (byName.get(name) ?? 0) + count);
    }
    const byCategory = emptyCategoryCounts();
    for (const [name, count] of byName) byCategory[categorize(name)] += count;
    const topSyscalls = [...byName]
      .map(([name, count]) => ({ name, count }))
      .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .slice(0, top);
    const analysis = analyze(this.#total, byCategory, elapsedSecs);
    return {
      total: this.#total,
      by_category: Object.fromEntries(CATEGORIES.map((c) => [c, byCategory[c]])) as Record<Category, number>,
      top_syscalls: topSyscalls,
      ...(analysis && { analysis }),
    };
  }
}
