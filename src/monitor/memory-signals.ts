/**
 * denet 0.6's memory signals for each sample: `psi_mem` (monitor/psi.ts)
 * and `perf`, the tree's hardware counters over the window
 * (monitor/perf-counters.ts), on the root's metrics and the tree's
 * aggregate (children carry neither, as in denet), with
 * metadata.capabilities' `psi` and `perf_hw`.
 */
import type { SampleRecord, TreeRecord } from '../records/schema.js';
import { listTreeTasks, threadIds } from '../proc/tree-tasks.js';
import { noHardwarePmu, openHardwareCounters, PerfDeltaReader, type PerfCapability } from './perf-counters.js';
import { cgroup2Mount, PsiReader } from './psi.js';

export class MemorySignals {
  readonly #psi: PsiReader;
  readonly #perf: PerfDeltaReader | undefined;
  readonly #perfCapability: PerfCapability;

  private constructor(psi: PsiReader, perf: PerfDeltaReader | undefined, perfCapability: PerfCapability) {
    this.#psi = psi;
    this.#perf = perf;
    this.#perfCapability = perfCapability;
  }

  /**
   * Opens the counters on every thread of rootPid's tree as it is now
   * (inherit covers what it starts later): under `run`, the command just
   * forked; under `attach`, the whole running tree.
   */
  static open(rootPid: number, mode: 'run' | 'attach'): MemorySignals {
    // run: the command has just forked, one thread; attach: all of the tree but tsdenet itself.
    const tids = mode === 'run' ? threadIds(rootPid) : listTreeTasks(rootPid).filter((t) => t.tgid !== process.pid).map((t) => t.tid);
    const hw = openHardwareCounters(tids);
    return new MemorySignals(new PsiReader(rootPid), hw.counters && new PerfDeltaReader(hw.counters), hw.capability);
  }

  /** capabilities.psi and capabilities.perf_hw (denet's names and order). */
  capabilities(): { psi: ReturnType<PsiReader['capability']>; perf_hw: PerfCapability } {
    return { psi: this.#psi.capability(), perf_hw: this.#perfCapability };
  }

  /** This sample's psi_mem and perf, on the root's metrics and the aggregate (or the `sample` record). */
  addTo(record: TreeRecord | SampleRecord): void {
    const psi = this.#psi.read();
    let perf;
    try {
      perf = this.#perf?.next();
    } catch {
      perf = undefined;
    }
    const targets = record.kind === 'sample' ? [record] : [record.parent, record.aggregated];
    for (const t of targets) {
      if (!t) continue;
      if (psi) t.psi_mem = psi;
      if (perf) t.perf = perf;
    }
  }

  close(): void {
    this.#perf?.counters.close();
  }
}

/** Reads what does not depend on the command (the PMUs, the cgroup v2 mount) ahead of time. */
export function prepareMemorySignals(): void {
  noHardwarePmu();
  cgroup2Mount();
}
