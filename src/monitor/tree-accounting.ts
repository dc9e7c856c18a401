/**
 * Pure bookkeeping that keeps the CPU time, I/O and page faults of a
 * process tree when its processes exit.
 *
 * The kernel already does half the work: when a parent reaps a child, the
 * child's CPU time (cutime/cstime), faults (cminflt/cmajflt) and I/O
 * (/proc/<pid>/io) are added to the parent's. So each process is followed
 * by its *inclusive* counters (own + reaped descendants), and the tree's
 * total grows by:
 *   - the growth of every process seen in both samples, minus, for a parent
 *     that reaped tree members in between, what those members had already
 *     contributed at their last sighting (it is in the parent's growth too);
 *   - the whole inclusive counters of every process born since.
 * A process that vanishes keeps what it had at its last sighting; only what
 * it did after that is lost, and only when nobody in the tree reaped it
 * (reparented to init, or a parent that ignores SIGCHLD). The command itself
 * is reaped by tsdenet (`run`): tsdenet's own cutime/cstime stand in for it
 * (the "reaper").
 */
import { addCounters, growth, zeroCounters, type Counters } from './counters.js';

export interface Observation {
  /** Unique per process instance (pid and start time), so pid reuse never mixes two. */
  key: string;
  /** Key of the parent if it is in the tree; REAPER_KEY for the command under `run`. */
  parentKey: string | undefined;
  /** Own and reaped-descendant counters, as the kernel sums them. */
  inclusive: Counters;
  /** Started before monitoring began: what it did so far is not counted. */
  preexisting: boolean;
}

export const REAPER_KEY = 'reaper';

export interface AccountingOptions {
  /** The reaper's reaped-children counters now (tsdenet's cutime/cstime…); only for `run`. */
  readReaperChildren?: () => Counters;
  /** The reaper's counters when monitoring began (default: read at construction). */
  reaperStart?: Counters;
  /** Whether the process ignores SIGCHLD: it then absorbs nothing from its children. */
  ignoresSigchld?: (key: string) => boolean;
}

interface Seen {
  parentKey: string | undefined;
  inclusive: Counters;
}

const MAX_DEPTH = 4096;

export class TreeAccounting {
  readonly #options: AccountingOptions;
  #last = new Map<string, Seen>();
  #reaperLast: Counters | undefined;
  /** Per process: what it absorbed of vanished members (their inclusive counters at their last sighting). */
  readonly #absorbed = new Map<string, Counters>();
  /**
   * Growth of the reaper's counters in the last update beyond what the
   * members it absorbed had at their last sighting: their last moments
   * (under `run`, mostly the command's own, after its last reading).
   */
  reaperRemainder = zeroCounters();
  /** Work done by the tree since monitoring began. */
  readonly total = zeroCounters();
  /** Inclusive counters of pre-existing processes when first seen. */
  readonly baseline = zeroCounters();

  constructor(options: AccountingOptions = {}) {
    this.#options = options;
    this.#reaperLast = options.reaperStart ?? options.readReaperChildren?.();
  }

  /** The nearest ancestor alive in both samples (or the reaper) that reaped `key`. */
  #absorber(key: string, now: ReadonlyMap<string, Observation>): string | undefined {
    let parent = this.#last.get(key)?.parentKey;
    for (let depth = 0; parent !== undefined && depth < MAX_DEPTH; depth++) {
      if (parent === REAPER_KEY) return this.#reaperLast ? REAPER_KEY : undefined;
      if (now.has(parent)) return this.#last.has(parent) ? parent : undefined;
      parent = this.#last.get(parent)?.parentKey;
    }
    return undefined;
  }

  /** What the process absorbed of members that vanished (0 for a parent that ignores SIGCHLD). */
  absorbed(key: string): Counters {
    return this.#absorbed.get(key) ?? zeroCounters();
  }

  /**
   * Feeds every tree process readable now (zombies included); updates
   * `total`. readReaper: the reaper's counters may have grown though no
   * member vanished (the command ended before any sample read it).
   */
  update(observations: readonly Observation[], readReaper = false): void {
    const now = new Map(observations.map((o) => [o.key, o]));
    const owed = new Map<string, Counters>();
    for (const [key, seen] of this.#last) {
      if (now.has(key)) continue;
      const absorber = this.#absorber(key, now);
      if (absorber === undefined) continue;
      let debt = owed.get(absorber);
      if (!debt) owed.set(absorber, (debt = zeroCounters()));
      addCounters(debt, seen.inclusive);
      if (absorber !== REAPER_KEY && !this.#options.ignoresSigchld?.(absorber)) {
        let absorbed = this.#absorbed.get(absorber);
        if (!absorbed) this.#absorbed.set(absorber, (absorbed = zeroCounters()));
        addCounters(absorbed, seen.inclusive);
      }
    }
    for (const key of this.#absorbed.keys()) if (!now.has(key)) this.#absorbed.delete(key);
    for (const obs of observations) {
      const prev = this.#last.get(obs.key);
      if (!prev) {
        addCounters(obs.preexisting ? this.baseline : this.total, obs.inclusive);
        continue;
      }
      let grown = growth(obs.inclusive, prev.inclusive);
      const debt = owed.get(obs.key);
      if (debt && !this.#options.ignoresSigchld?.(obs.key)) grown = growth(grown, debt);
      addCounters(this.total, grown);
    }
    const reaperDebt = owed.get(REAPER_KEY);
    this.reaperRemainder = zeroCounters();
    if ((reaperDebt || readReaper) && this.#reaperLast && this.#options.readReaperChildren) {
      const reaperNow = this.#options.readReaperChildren();
      this.reaperRemainder = growth(growth(reaperNow, this.#reaperLast), reaperDebt ?? zeroCounters());
      addCounters(this.total, this.reaperRemainder);
      this.#reaperLast = reaperNow;
    }
    this.#last = new Map(observations.map((o) => [o.key, { parentKey: o.parentKey, inclusive: o.inclusive }]));
  }
}
