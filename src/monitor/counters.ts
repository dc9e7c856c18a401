/**
 * The cumulative counters a process carries in /proc, as one vector, so that
 * a process tree can add, compare and subtract them in one place.
 */

export interface Counters {
  /** utime + stime (+ cutime + cstime when inclusive), in clock ticks. */
  cpuTicks: number;
  rchar: number;
  wchar: number;
  readBytes: number;
  writeBytes: number;
  minflt: number;
  majflt: number;
}

export const COUNTER_KEYS = ['cpuTicks', 'rchar', 'wchar', 'readBytes', 'writeBytes', 'minflt', 'majflt'] as const;

export function zeroCounters(): Counters {
  return { cpuTicks: 0, rchar: 0, wchar: 0, readBytes: 0, writeBytes: 0, minflt: 0, majflt: 0 };
}

/** target += source (in place). */
export function addCounters(target: Counters, source: Counters): void {
  for (const k of COUNTER_KEYS) target[k] += source[k];
}

/** target = the larger of target and kept, per counter (in place): a cumulative counter never goes back. */
export function keepLargest(target: Counters, kept: Counters): void {
  for (const k of COUNTER_KEYS) target[k] = Math.max(target[k], kept[k]);
}

/** a − b per counter, never below zero (a counter never runs backwards). */
export function growth(a: Counters, b: Counters): Counters {
  const out = zeroCounters();
  for (const k of COUNTER_KEYS) out[k] = Math.max(0, a[k] - b[k]);
  return out;
}
