/**
 * Reads what both attach modes keep in the same maps: calls per slot of the
 * whole tree (slot_totals), the per-thread breakdown (counts, tasks), the
 * loss counters (stats) and, when asked for, errors and latency.
 */
import {
  decodeCounts,
  decodeErrors,
  decodeLatency,
  decodeSlotTotals,
  decodeStats,
  decodeTasks,
  zeroKey,
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
  stats: CounterStats;
  /** With errors: failed calls. */
  errors?: ErrorEntry[];
  /** With latency: time per syscall slot. */
  latency?: LatencyEntry[];
  /** With --offcpu: every thread's off-CPU time so far (SyscallCounter adds it). */
  offcpu?: OffCpuFigures[];
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

  constructor(lib: Libbpf, object: BpfObject, measured: { errors: boolean; latency: boolean }) {
    this.#lib = lib;
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

  /**
   * Everything so far, with the per-thread breakdown. `readLive` is called
   * after the shared maps are read: a thread exiting in between is missed
   * rather than counted twice.
   */
  snapshot(readLive: () => LiveReading): CountSnapshot {
    const totals = this.slotTotals();
    const c = this.#counts.readAll();
    const t = this.#tasks.readAll();
    const counts = decodeCounts(c.count, c.keys, c.values);
    const tasks = decodeTasks(t.count, t.keys, t.values);
    // x32 slots are beyond slot_totals: only the counts map has them.
    addCounts(totals, counts.filter((e) => e.nr >= NR_SLOTS));
    const live = readLive();
    counts.push(...live.counts);
    tasks.push(...live.tasks);
    addCounts(totals, live.counts);
    const stats = decodeStats(this.#stats.lookup(zeroKey()) ?? Buffer.alloc(STATS_SIZE));
    const snapshot: CountSnapshot = { totals, counts, tasks, stats };
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
