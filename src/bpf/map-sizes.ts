/**
 * The counter's map capacities, in one place: the CLI's and the Node API's
 * defaults, the loader's sizes and the drain threshold all read them here.
 *
 * They are a start-up cost as much as a capacity: a hash map is created at
 * load with all its buckets, BPF_F_NO_PREALLOC or not (bpf_object__load
 * took 143 ms with a 1 M-entry counts map, 115 ms with 256 K, 109 ms with
 * 64 K on the 2-core VM; docs/startup.md). Since user space drains the
 * entries of ended threads and processes while the command runs
 * (count-drain.ts), the counts map needs to hold only what the tree writes
 * between two samples, not the whole run.
 */

/** Counts map: (process, syscall) pairs, (thread, syscall) with --per-thread; drained at a quarter full. */
export const DEFAULT_MAX_ENTRIES = 1 << 18;

/**
 * Tasks map (a thread's name and parent, kept until its process ends).
 * Without --per-thread only group leaders have an entry: one per process
 * alive or ended since the last drain. With --per-thread every thread of a
 * live process keeps one, so a long-lived process that starts many threads
 * needs the room it had before.
 */
export function tasksCapacity(perThread: boolean): number {
  return perThread ? 1 << 18 : 1 << 14;
}

/**
 * Processes proc_usage holds: live ones plus those ended since the last
 * sample({ usage: true }). Not preallocated: ~200 bytes of kernel memory
 * per entry in use (13 MB when full).
 */
export const DEFAULT_USAGE_ENTRIES = 1 << 16;

/** Entries in use in the counts map at which a sample drains it: a quarter of the smaller of the two maps it fills. */
export function drainThreshold(countsCapacity: number, tasks: number): number {
  return Math.max(1, Math.floor(Math.min(countsCapacity, tasks) / 4));
}
