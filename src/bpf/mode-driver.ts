/**
 * What differs between the two attach modes once loaded: how the live part
 * of the tree is read, and how attach marks an existing tree. One driver
 * per mode (btf-driver.ts, tracepoint-driver.ts); SyscallCounter (counter.ts)
 * holds one.
 */
import type { LiveOwners } from './count-drain.js';
import type { CountEntry, TaskEntry, ThreadUsage } from './layout.js';
import type { TreeUsage, UsageReading } from './usage.js';

/** The threads of the tree still running, with their counts so far (tp_btf; empty in classic mode, whose counts are all in the shared maps). */
export interface LiveReading {
  tasks: TaskEntry[];
  counts: CountEntry[];
  usage: ThreadUsage[];
}

export const NO_LIVE_READING: LiveReading = Object.freeze({ tasks: [], counts: [], usage: [] }) as LiveReading;

export interface ModeDriver {
  /** Live threads' counts; callers read the shared totals first (counter.ts, sample()). */
  readLive(): LiveReading;
  /** Processes of the tree running now. */
  liveTgids(live: LiveReading): number[];
  /** Threads and processes that may still write counts (undefined: not known now); `live` was read just before. */
  liveOwners(live: LiveReading): LiveOwners | undefined;
  /** attach: marks a running process and all its descendants. */
  seedTree(rootPid: number): void;
  /** tp_btf: the tree's resource usage; classic mode has none. */
  usage?: UsageSampler;
}

/** Ended threads' usage and the concurrency counts, read before the live threads. */
export type EndedUsage = Omit<UsageReading, 'live' | 'pageSize' | 'clockTicks'>;

export interface UsageSampler {
  /** CONSUMES: resets the concurrency peaks (see SyscallCounter.sample). */
  readEnded(): EndedUsage;
  /** The tree's usage; ended processes, reported now, leave the map. */
  build(ended: EndedUsage, live: LiveReading): TreeUsage;
}
