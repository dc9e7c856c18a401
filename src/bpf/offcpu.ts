/**
 * --offcpu: reads each thread's off-CPU time (bpf/offcpu.bpf.h). tp_btf
 * keeps live threads in task storage (read with the dump_offcpu iterator)
 * and ended ones in offcpu_ended; the classic object keeps every thread in
 * offcpu_threads. A thread off CPU at the reading has its interval so far
 * added (bpf_ktime_get_ns is CLOCK_MONOTONIC, as process.hrtime is).
 *
 * Readings never go down: each thread's figures are the largest read so
 * far, so a thread that ends between the two reads of tp_btf (ended map
 * first, then the live ones: it is missed, never counted twice) keeps what
 * the previous reading gave it.
 */
import { readText } from '../proc/proc-file.js';
import { parseStat } from '../proc/stat.js';
import { decodeOffCpuThreads, decodeTracked, encodeOffCpuStart, type OffCpuThread } from './layout.js';
import { readIterator } from './iterator.js';
import type { Libbpf } from './libbpf.js';
import type { BpfMap } from './map.js';
import { tgidOfThread } from '../proc/tree-tasks.js';

/**
 * One thread's off-CPU time at a reading, its interval in progress
 * included; named as the records name it (records/offcpu.ts ThreadOffcpu),
 * which takes it as is.
 */
export interface OffCpuFigures {
  tid: number;
  /** Its process (tgid). */
  pid: number;
  sleeping_ns: number;
  runnable_ns: number;
  events: number;
  max_ns: number;
}

/** A thread's figures with its interval in progress (since its switch-out until `nowNs`) added to its reason. */
export function figuresAt(t: OffCpuThread, nowNs: bigint): OffCpuFigures {
  const open = t.sinceNs > 0n && nowNs > t.sinceNs ? Number(nowNs - t.sinceNs) : 0;
  return {
    tid: t.tid,
    pid: t.tgid,
    sleeping_ns: t.sleepingNs + (t.sinceRunnable ? 0 : open),
    runnable_ns: t.runnableNs + (t.sinceRunnable ? open : 0),
    events: t.events,
    max_ns: Math.max(t.maxNs, open),
  };
}

/** The raw per-thread structs, and attach's marking of the threads already off CPU, per attach mode. */
export interface OffCpuSource {
  read(): OffCpuThread[];
  /** attach, once the tree is marked: its threads off CPU now count from now on (their sleep began unseen). */
  seed(): void;
}

const BPF_NOEXIST = 1;

export function btfOffCpuSource(lib: Libbpf, ended: BpfMap, iterLinkFd: number, seedLinkFd: () => number): OffCpuSource {
  return {
    read: () => {
      const e = ended.readAll();
      return [...decodeOffCpuThreads(e.values, e.count), ...decodeOffCpuThreads(readIterator(lib, iterLinkFd))];
    },
    seed: () => {
      readIterator(lib, seedLinkFd());
    },
  };
}

/**
 * Classic object: every thread in offcpu_threads. attach reads each tracked
 * thread's state in /proc (classic attach runs in the initial pid namespace,
 * where the map's keys are /proc's ids): one not running (R) is off CPU
 * from now on, sleeping or blocked. A thread already marked by its own
 * switch is left alone (NOEXIST).
 */
export function tracepointOffCpuSource(threads: BpfMap, tracked: BpfMap, procRoot = '/proc'): OffCpuSource {
  return {
    read: () => {
      const r = threads.readAll();
      return decodeOffCpuThreads(r.values, r.count);
    },
    seed: () => {
      const t = tracked.readAll();
      for (const e of decodeTracked(t.count, t.keys, t.values)) {
        const state = parseStat(readText(`${procRoot}/${e.globalTid}/stat`) ?? '')?.state;
        if (state === undefined || state === 'R' || state === 'Z' || state === 'X') continue;
        const tgid = e.tgid || (tgidOfThread(e.globalTid, procRoot) ?? 0);
        const key = Buffer.alloc(4);
        key.writeUInt32LE(e.globalTid);
        try {
          threads.update(key, encodeOffCpuStart({ tid: e.tid || e.globalTid, tgid, sinceNs: process.hrtime.bigint(), runnable: false }), BPF_NOEXIST);
        } catch {
          // EEXIST: its own switch-out marked it already.
        }
      }
    },
  };
}

export class OffCpuReader {
  readonly #source: OffCpuSource;
  readonly #now: () => bigint;
  readonly #seen = new Map<number, OffCpuFigures>();

  constructor(source: OffCpuSource, now: () => bigint = () => process.hrtime.bigint()) {
    this.#source = source;
    this.#now = now;
  }

  /** attach: after the tree is marked, its threads off CPU now count from now on. */
  seed(): void {
    this.#source.seed();
  }

  /** Every thread of the tree that has been off CPU, so far (tid order). */
  read(): OffCpuFigures[] {
    const raw = this.#source.read();
    const now = this.#now();
    for (const t of raw) {
      // The thread id is what user space knows it by; 0 only if its ids could not be read.
      if (t.tid === 0) continue;
      const f = figuresAt(t, now);
      const prev = this.#seen.get(t.tid);
      this.#seen.set(t.tid, prev ? maxOf(prev, f) : f);
    }
    return [...this.#seen.values()].sort((a, b) => a.tid - b.tid);
  }
}

function maxOf(a: OffCpuFigures, b: OffCpuFigures): OffCpuFigures {
  return {
    tid: b.tid,
    pid: b.pid || a.pid,
    sleeping_ns: Math.max(a.sleeping_ns, b.sleeping_ns),
    runnable_ns: Math.max(a.runnable_ns, b.runnable_ns),
    events: Math.max(a.events, b.events),
    max_ns: Math.max(a.max_ns, b.max_ns),
  };
}
