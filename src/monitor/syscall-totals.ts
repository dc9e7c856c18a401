/**
 * Per-sample eBPF syscall counts that never decrease. A counter sample can
 * miss a thread that exits while it is read (exited threads' totals are
 * read before the live threads), never count one twice: every sample is at
 * most the truth, and the last one (all threads exited) is the truth. So
 * keeping, per slot, the largest count seen is monotonic and ends exact.
 */
import { sortedCounts, summarizeSyscalls } from '../records/definitions.js';
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
    return summarizeSyscalls(sortedCounts(byName), this.#total, top, elapsedSecs);
  }
}
