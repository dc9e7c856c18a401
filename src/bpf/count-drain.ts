/**
 * Keeps the counts map from filling (issue 14): an entry that can get no
 * more writes (its thread has ended, or with counts folded per process its
 * whole process has) moves to user space, where it is kept until the run's
 * snapshot. Any number of processes then fits a map of fixed size.
 *
 * Pure bookkeeping; counter-reader.ts reads the maps and takes the entries.
 */
import type { CountEntry, TaskEntry } from './layout.js';

/** Threads and processes of the tree that may still write counts, read AFTER the counts map. */
export interface LiveOwners {
  tids: ReadonlySet<number>;
  tgids: ReadonlySet<number>;
}

/**
 * Whether a counts entry is final: filed under a thread (tid != 0,
 * --per-thread) that has ended, or under a process (tid 0) none of whose
 * threads is left. The owners must be read after the entry: an owner
 * absent then has made its last write before.
 */
export function isFinal(entry: Pick<CountEntry, 'tgid' | 'tid'>, live: LiveOwners): boolean {
  return entry.tid === 0 ? !live.tgids.has(entry.tgid) : !live.tids.has(entry.tid);
}

/**
 * A tasks entry (a thread's name and parent) is kept while its process
 * lives: an execve by another thread reads the old leader's entry.
 */
export function isFinalTask(task: Pick<TaskEntry, 'tgid'>, live: LiveOwners): boolean {
  return !live.tgids.has(task.tgid);
}

/** tid < 2^22 (PID_MAX_LIMIT): one number per (tgid, tid), exact below 2^53. */
const TID_SPAN = 2 ** 22;

/** Counts and thread names taken out of the kernel's maps, summed per (tgid, tid, nr). */
export class DrainedCounts {
  readonly #counts = new Map<number, Map<number, number>>();
  readonly #tasks = new Map<number, TaskEntry>();
  #taken = 0;

  /** Entries taken out of the counts map so far. */
  get taken(): number {
    return this.#taken;
  }

  add(entry: CountEntry): void {
    const owner = entry.tgid * TID_SPAN + entry.tid;
    let byNr = this.#counts.get(owner);
    if (!byNr) this.#counts.set(owner, (byNr = new Map()));
    byNr.set(entry.nr, (byNr.get(entry.nr) ?? 0) + entry.count);
    this.#taken++;
  }

  /** A later process that reuses the tid replaces the earlier one's name, as the kernel's map would. */
  addTask(task: TaskEntry): void {
    this.#tasks.set(task.tid, task);
  }

  counts(): CountEntry[] {
    const out: CountEntry[] = [];
    for (const [owner, byNr] of this.#counts) {
      const tgid = Math.floor(owner / TID_SPAN);
      const tid = owner - tgid * TID_SPAN;
      for (const [nr, count] of byNr) out.push({ tgid, tid, nr, count });
    }
    return out;
  }

  tasks(): TaskEntry[] {
    return [...this.#tasks.values()];
  }
}
