/**
 * Pure: per-thread off-CPU figures → denet's `ebpf.offcpu` (plus tsdenet's
 * split by reason) and the per-process figures. The one computation: the
 * tree records' cumulative field and the closing summary both come from
 * here, so they agree on the same threads.
 *
 * denet's definitions (reference/denet.md §3.7): total_time_ns and
 * total_events over every thread, avg_time_ns = total / events,
 * max_time_ns the longest single interval, top_blocking_threads ≤ 10 by
 * time descending, `percentage` the thread's share of the total off-CPU
 * time (2 decimals). denet drops intervals of 1 ms or less; tsdenet counts
 * every interval, from switch-out to the next switch-in of the same thread.
 */
import type { EbpfOffcpu, OffcpuThreadShare, ProcessOffcpu } from './schema.js';

/** One thread's off-CPU time (ids as tsdenet reports them). */
export interface ThreadOffcpu {
  tid: number;
  pid: number;
  sleeping_ns: number;
  runnable_ns: number;
  /** Intervals ended (switched back in), and the longest. */
  events: number;
  max_ns: number;
}

/** denet's limit on top_blocking_threads. */
export const TOP_BLOCKING_THREADS = 10;

const round2 = (x: number): number => Math.round(x * 100) / 100;

export function summarizeOffcpu(threads: readonly ThreadOffcpu[], top = TOP_BLOCKING_THREADS): EbpfOffcpu {
  let sleeping = 0;
  let runnable = 0;
  let events = 0;
  let max = 0;
  for (const t of threads) {
    sleeping += t.sleeping_ns;
    runnable += t.runnable_ns;
    events += t.events;
    max = Math.max(max, t.max_ns);
  }
  const total = sleeping + runnable;
  const ranked = threads
    .map((t) => ({ t, time: t.sleeping_ns + t.runnable_ns }))
    .filter((r) => r.time > 0)
    .sort((a, b) => b.time - a.time || a.t.tid - b.t.tid)
    .slice(0, top);
  const topThreads: OffcpuThreadShare[] = ranked.map(({ t, time }) => ({
    tid: t.tid,
    pid: t.pid,
    time_ms: time / 1e6,
    percentage: total > 0 ? round2((100 * time) / total) : 0,
  }));
  return {
    total_time_ns: total,
    total_events: events,
    avg_time_ns: events > 0 ? Math.floor(total / events) : 0,
    max_time_ns: max,
    top_blocking_threads: topThreads,
    sleeping_ns: sleeping,
    runnable_ns: runnable,
  };
}

/** Each process's off-CPU time: the sum over its threads. */
export function offcpuByProcess(threads: readonly ThreadOffcpu[]): Map<number, ProcessOffcpu> {
  const byPid = new Map<number, ProcessOffcpu>();
  for (const t of threads) {
    const p = byPid.get(t.pid) ?? { sleeping_ns: 0, runnable_ns: 0, events: 0 };
    p.sleeping_ns += t.sleeping_ns;
    p.runnable_ns += t.runnable_ns;
    p.events += t.events;
    byPid.set(t.pid, p);
  }
  return byPid;
}
