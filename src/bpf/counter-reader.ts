/**
 * Reads what both attach modes keep in the same maps: calls per slot of the
 * whole tree (slot_totals), the per-thread breakdown (counts, tasks), the
 * loss counters (stats) and, when asked for, errors and latency. Drains the
 * final entries of counts and tasks into user space before they fill
 * (count-drain.ts).
 */
import { drainThreshold } from './map-sizes.js';
import { DrainedCounts, isFinal, isFinalTask, type LiveOwners } from './count-drain.js';
import {
  decodeCountValue,
  decodeCounts,
  decodeErrors,
  decodeLatency,
  decodeSlotTotals,
  decodeStats,
  decodeTasks,
  encodeCountKey,
  uint32,
  zeroKey,
  EXITED_THREADS_NR,
  NR_SLOTS,
  SLOT_TOTALS_SIZE,
  STATS_SIZE,
  type CountEntry,
  type CounterStats,
  type ErrorEntry,
  type LatencyEntry,
  type TaskEntry,
} from './layout.js';
import type { Libbpf } from './libbpf.js';
import type { OffCpuFigures } from './offcpu.js';
import type { BpfMap } from './map.js';
import type { LiveReading } from './mode-driver.js';
import { MAPS } from './names.js';
import type { BpfObject } from './object.js';

export interface CountSnapshot {
  /** Calls per slot, exact even when the counts map is full. */
  totals: Map<number, number>;
  /** Per-thread counts (the breakdown; may miss `stats.droppedCalls` calls). */
  counts: CountEntry[];
  /** Exited threads (tasks map) and live ones (iterator), by tid. */
  tasks: TaskEntry[];
  /** Counts folded per process (no --per-thread): how many threads of each process (tgid) other than its leader have ended. */
  exitedThreads: Map<number, number>;
  stats: CounterStats;
  /** With errors: failed calls. */
  errors?: ErrorEntry[];
  /** With latency: time per syscall slot. */
  latency?: LatencyEntry[];
  /** With --offcpu: every thread's off-CPU time so far (SyscallCounter adds it). */
  offcpu?: OffCpuFigures[];
}

/** What a drain read of the counts and tasks maps, before the live owners are read. */
export interface DrainRead {
  counts: CountEntry[];
  tasks: TaskEntry[];
}

/** Adds per-thread counts to calls per slot. */
export function addCounts(totals: Map<number, number>, counts: Iterable<{ nr: number; count: number }>): void {
  for (const c of counts) totals.set(c.nr, (totals.get(c.nr) ?? 0) + c.count);
}

export class CounterReader {
  readonly #lib: Libbpf;
  readonly #slotTotals: BpfMap;
  readonly #counts: BpfMap;
  readonly #tasks: BpfMap;
  readonly #stats: BpfMap;
  readonly #errors: BpfMap | undefined;
  readonly #latency: BpfMap | undefined;
  readonly #drained = new DrainedCounts();
  /** Entries in use in the counts map at which a sample drains it: a quarter of the smaller map. */
  readonly #drainAt: number;
  /** false once the kernel refused lookup_and_delete (hash maps: Linux 5.14): the map then fills as before, with `dropped`. */
  #drainWorks = true;

  constructor(lib: Libbpf, object: BpfObject, measured: { errors: boolean; latency: boolean }, capacity: { counts: number; tasks: number }) {
    this.#lib = lib;
    this.#drainAt = drainThreshold(capacity.counts, capacity.tasks);
    this.#slotTotals = object.map(MAPS.slotTotals);
    this.#counts = object.map(MAPS.counts);
    this.#tasks = object.map(MAPS.tasks);
    this.#stats = object.map(MAPS.stats);
    this.#errors = measured.errors ? object.map(MAPS.errors) : undefined;
    this.#latency = measured.latency ? object.map(MAPS.latency, { perCpu: true }) : undefined;
  }

  /** Calls per slot of exited threads (BTF) or of every thread (classic): one lookup. */
  slotTotals(): Map<number, number> {
    return decodeSlotTotals(this.#slotTotals.lookup(zeroKey()) ?? Buffer.alloc(SLOT_TOTALS_SIZE));
  }

  #readStats(): CounterStats {
    return decodeStats(this.#stats.lookup(zeroKey()) ?? Buffer.alloc(STATS_SIZE));
  }

  /**
   * When the counts map holds a quarter of what it (or the tasks map) can:
   * both maps as they are now. Call liveOwners after this, then drain().
   * Each entry is a tasks entry at most (every thread that saves one makes
   * a call first), so the counts map's fill bounds the tasks map's.
   */
  readForDrain(): DrainRead | undefined {
    if (!this.#drainWorks) return undefined;
    if (this.#readStats().countEntries - this.#drained.taken < this.#drainAt) return undefined;
    const c = this.#counts.readAll();
    const t = this.#tasks.readAll();
    return { counts: decodeCounts(c.count, c.keys, c.values), tasks: decodeTasks(t.count, t.keys, t.values) };
  }

  /**
   * Takes every final entry read out of the maps into user space. Each is
   * read and deleted in one step, and only once its writers have ended:
   * no call is lost or counted twice. live undefined: the owners are not
   * known (nothing is taken).
   */
  drain(read: DrainRead, live: LiveOwners | undefined): void {
    if (!live) return;
    try {
      for (const entry of read.counts) {
        if (!isFinal(entry, live)) continue;
        const value = this.#counts.take(encodeCountKey(entry));
        if (value) this.#drained.add({ ...entry, count: decodeCountValue(value) });
      }
      for (const task of read.tasks) {
        if (isFinalTask(task, live) && this.#tasks.take(uint32(task.tid))) this.#drained.addTask(task);
      }
    } catch {
      // What was taken is kept; what was not stays in the map, read at the end.
      this.#drainWorks = false;
    }
  }

  /**
   * Everything so far, with the per-thread breakdown. `readLive` is called
   * after the shared maps are read: a thread exiting in between is missed
   * rather than counted twice.
   */
  snapshot(readLive: () => LiveReading): CountSnapshot {
    const totals = this.slotTotals();
    const c = this.#counts.readAll();
    const t = this.#tasks.readAll();
    const exitedThreads = new Map<number, number>();
    const counts: CountEntry[] = [];
    for (const entry of [...this.#drained.counts(), ...decodeCounts(c.count, c.keys, c.values)]) {
      if (entry.nr === EXITED_THREADS_NR) exitedThreads.set(entry.tgid, (exitedThreads.get(entry.tgid) ?? 0) + entry.count);
      else counts.push(entry);
    }
    // Drained first: a later process that reused a tid has the newer name.
    const tasks = [...this.#drained.tasks(), ...decodeTasks(t.count, t.keys, t.values)];
    // x32 slots are beyond slot_totals: only the counts map has them.
    addCounts(totals, counts.filter((e) => e.nr >= NR_SLOTS));
    const live = readLive();
    counts.push(...live.counts);
    tasks.push(...live.tasks);
    addCounts(totals, live.counts);
    const snapshot: CountSnapshot = { totals, counts, tasks, exitedThreads, stats: this.#readStats() };
    if (this.#errors) {
      const e = this.#errors.readAll();
      snapshot.errors = decodeErrors(e.count, e.keys, e.values);
    }
    if (this.#latency) {
      const l = this.#latency.readAll();
      snapshot.latency = decodeLatency(l.count, l.keys, l.values, this.#lib.possibleCpus());
    }
    return snapshot;
  }
}
