/**
 * The BTF counter once loaded: live threads' counts and usage come from the
 * task iterator (dump_tasks), attach marks an existing tree in the kernel
 * (find_seed, then seed_tasks), and the tree's resource usage is read from
 * proc_usage, usage_total and tree_live.
 */
import { TsdenetError } from '../errors.js';
import {
  decodeDump,
  decodeProcUsages,
  decodeSeedGlobalTgid,
  decodeTreeCount,
  decodeUsageTotal,
  encodeProcKey,
  encodeSeed,
  encodeTreeCount,
  uint32,
  zeroKey,
  TREE_COUNT_SIZE,
  type TreeCount,
} from './layout.js';
import type { LiveOwners } from './count-drain.js';
import { readIterator } from './iterator.js';
import type { Libbpf } from './libbpf.js';
import type { BpfMap } from './map.js';
import type { EndedUsage, LiveReading, ModeDriver, UsageSampler } from './mode-driver.js';
import { BTF_PROGRAMS, MAPS } from './names.js';
import type { BpfObject } from './object.js';
import { buildTreeUsage, type TreeUsage } from './usage.js';

export interface BtfDriverOptions {
  /** The dump_tasks iterator's link fd. */
  iterLinkFd: number;
  /** find_seed and seed_tasks were loaded (CounterOptions.seed). */
  seedable: boolean;
  /** Page size and clock ticks for the usage figures (systemConstants()). */
  constants: () => { pageSize: number; clockTicks: number };
}

export class BtfDriver implements ModeDriver {
  readonly #lib: Libbpf;
  readonly #object: BpfObject;
  readonly #options: BtfDriverOptions;
  readonly usage: UsageSampler;

  constructor(lib: Libbpf, object: BpfObject, options: BtfDriverOptions) {
    this.#lib = lib;
    this.#object = object;
    this.#options = options;
    this.usage = new BtfUsage(object.map(MAPS.procUsage), object.map(MAPS.usageTotal, { perCpu: true }), object.map(MAPS.treeLive), options.constants);
  }

  readLive(): LiveReading {
    return decodeDump(readIterator(this.#lib, this.#options.iterLinkFd));
  }

  /** Every thread with task storage (the iterator's usage records): running, not yet exec'd, or exiting. */
  liveOwners(live: LiveReading): LiveOwners {
    return { tids: new Set(live.usage.map((u) => u.tid)), tgids: new Set(live.usage.map((u) => u.tgid)) };
  }

  liveTgids(live: LiveReading): number[] {
    return [...new Set(live.tasks.map((t) => t.tgid))];
  }

  seedTree(rootPid: number): void {
    if (!this.#options.seedable) throw new Error('seedTree needs a counter started with seed: true');
    const seed = this.#object.map(MAPS.seed);
    seed.update(zeroKey(), encodeSeed(rootPid));
    try {
      readIterator(this.#lib, this.#object.attachIter(BTF_PROGRAMS.findSeed)); // rootPid in the initial namespace
      const found = seed.lookup(zeroKey());
      if (!found || decodeSeedGlobalTgid(found) === 0) {
        throw new TsdenetError('NO_SUCH_PROCESS', `no process ${rootPid}`, 1, { hint: 'check the pid: it may have exited' });
      }
      // Twice: a child forked by a not-yet-marked parent during the first
      // marking pass is marked by the second (later forks follow their parent).
      const linkFd = this.#object.attachIter(BTF_PROGRAMS.seed);
      readIterator(this.#lib, linkFd);
      readIterator(this.#lib, linkFd);
    } finally {
      seed.update(zeroKey(), encodeSeed(0));
    }
  }
}

class BtfUsage implements UsageSampler {
  constructor(
    readonly procUsage: BpfMap,
    readonly usageTotal: BpfMap,
    readonly treeLive: BpfMap,
    readonly constants: () => { pageSize: number; clockTicks: number },
  ) {}

  /**
   * Ended threads' usage (total first, then per process) and the
   * concurrency counts; resets the peaks to the current values. A fork
   * between reading and resetting is missed by that one peak (microseconds).
   */
  readEnded(): EndedUsage {
    const total = decodeUsageTotal(this.usageTotal.lookup(zeroKey()) ?? Buffer.alloc(0));
    const p = this.procUsage.readAll();
    const entries = decodeProcUsages(p.count, p.keys, p.values);
    const readCount = (index: number): TreeCount => decodeTreeCount(this.treeLive.lookup(uint32(index)) ?? Buffer.alloc(TREE_COUNT_SIZE));
    const now = readCount(0);
    const peak = readCount(1);
    this.treeLive.update(uint32(1), encodeTreeCount(now));
    return { total, entries, now, peak: { processes: Math.max(peak.processes, now.processes), threads: Math.max(peak.threads, now.threads) } };
  }

  build(ended: EndedUsage, live: LiveReading): TreeUsage {
    const usage = buildTreeUsage({ ...ended, live: live.usage, ...this.constants() });
    // Reported once: an ended entry gets no more updates (all its threads are finalised).
    for (const e of ended.entries) {
      if (e.liveThreads === 0) this.procUsage.delete(encodeProcKey(e.tgid, e.startNs));
    }
    return usage;
  }
}
