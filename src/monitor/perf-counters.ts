/**
 * Counters of a whole process tree through perf_event_open: each event is
 * opened on every thread of the tree as it is now, with `inherit`, so that
 * every process and thread they create from then on is counted too (and
 * kept when it exits: the kernel adds a child's count to its parent's
 * counter). Under `run` the command is opened right after the fork, before
 * it can have started anything of its own; under `attach` every existing
 * thread of the tree is opened.
 *
 * denet's hardware events (metadata.capabilities.perf_hw, sample `perf`):
 * cycles and instructions are required, the cache and stall counters
 * optional. The same code counts software events (the tests: task-clock,
 * context switches), which need no PMU.
 */
import { readdirSync } from 'node:fs';
import { closePerfCounter, perfEventOpen, PerfOpenError, PERF_TYPE_HARDWARE, readPerfCounter, type PerfEventSpec } from '../ffi/perf-event.js';
import { readText } from '../proc/proc-file.js';
import type { PerfDeltas } from '../records/schema.js';

export interface NamedEvent {
  /** perf's name (`perf list`), as denet lists them in capabilities.perf_hw.events. */
  name: string;
  spec: PerfEventSpec;
  required: boolean;
}

const hw = (name: string, config: number, required: boolean): NamedEvent => ({ name, spec: { type: PERF_TYPE_HARDWARE, config, inherit: true, userOnly: true }, required });

/** PERF_COUNT_HW_*: CPU_CYCLES 0, INSTRUCTIONS 1, CACHE_REFERENCES 2, CACHE_MISSES 3, STALLED_CYCLES_BACKEND 8. */
export const HARDWARE_EVENTS: readonly NamedEvent[] = [
  hw('cycles', 0, true),
  hw('instructions', 1, true),
  hw('cache-references', 2, false),
  hw('cache-misses', 3, false),
  hw('stalled-cycles-backend', 8, false),
];

export class TreeCounters {
  readonly #fds = new Map<string, number[]>();
  readonly events: string[];

  private constructor(opened: Map<string, number[]>) {
    this.#fds = opened;
    this.events = [...opened.keys()];
  }

  /**
   * Opens `events` on every thread `tids`. A required event that cannot be
   * opened on the first thread throws its PerfOpenError; an optional one is
   * left out. A thread that exited meanwhile (ESRCH) is skipped.
   */
  static open(events: readonly NamedEvent[], tids: readonly number[]): TreeCounters {
    const opened = new Map<string, number[]>();
    try {
      for (const event of events) {
        const fds: number[] = [];
        try {
          for (const tid of tids) {
            try {
              fds.push(perfEventOpen(event.spec, tid));
            } catch (error) {
              if (!(error instanceof PerfOpenError && error.errnoName === 'ESRCH')) throw error;
            }
          }
        } catch (error) {
          fds.forEach(closePerfCounter);
          if (event.required) throw error;
          continue;
        }
        if (fds.length > 0) opened.set(event.name, fds);
      }
    } catch (error) {
      for (const fds of opened.values()) fds.forEach(closePerfCounter);
      throw error;
    }
    return new TreeCounters(opened);
  }

  /** Each event's count over the tree since opening. */
  read(): Map<string, number> {
    const values = new Map<string, number>();
    for (const [name, fds] of this.#fds) values.set(name, fds.reduce((sum, fd) => sum + readPerfCounter(fd), 0));
    return values;
  }

  close(): void {
    for (const fds of this.#fds.values()) fds.forEach(closePerfCounter);
    this.#fds.clear();
  }
}

export type PerfCapability = { available: true; events: string[] } | { available: false; events: string[]; reason: string };

/** denet's reasons, with what tsdenet knows beyond them (no PMU at all). */
export function perfFailureReason(error: unknown, procRoot = '/proc', sysRoot = '/sys'): string {
  if (!(error instanceof PerfOpenError)) return `perf_event_open failed: ${error instanceof Error ? error.message : String(error)}`;
  switch (error.errnoName) {
    case 'EACCES':
    case 'EPERM': {
      const paranoid = (readText(`${procRoot}/sys/kernel/perf_event_paranoid`) ?? '?').trim();
      return `permission denied (perf_event_paranoid=${paranoid}; need <=2 for user-space counters, or CAP_PERFMON)`;
    }
    case 'ENOSYS':
      return 'perf_event_open not supported by kernel';
    case 'ENOENT':
    case 'EOPNOTSUPP':
      return noHardwarePmu(sysRoot) ? NO_PMU_REASON : `hardware counter not available on this CPU (perf_event_open: ${error.errnoName})`;
    default:
      return `perf_event_open failed: ${error.errnoName}`;
  }
}

/** PMUs of every machine that count no CPU cycles (software, tracing, breakpoints, MSRs, RAPL). */
const NON_CORE_PMUS = new Set(['breakpoint', 'kprobe', 'uprobe', 'software', 'tracepoint', 'msr', 'power']);

/**
 * No core PMU at all (a VM without a virtual PMU): every event source the
 * kernel lists is one of NON_CORE_PMUS. Then perf_event_open is not even
 * tried (koffi costs ~20 ms to load): the answer is known.
 */
export function noHardwarePmu(sysRoot = '/sys'): boolean {
  if (sysRoot === '/sys' && noPmuHere !== undefined) return noPmuHere;
  let none: boolean;
  try {
    none = readdirSync(`${sysRoot}/bus/event_source/devices`).every((name) => NON_CORE_PMUS.has(name));
  } catch {
    none = false;
  }
  if (sysRoot === '/sys') noPmuHere = none;
  return none;
}

/** This machine's answer, once known (the PMUs do not come and go). */
let noPmuHere: boolean | undefined;

const NO_PMU_REASON = 'hardware counter not available on this CPU: no hardware PMU here (the kernel lists only software event sources in /sys/bus/event_source/devices; a VM without a virtual PMU)';

/**
 * One descriptor per thread and event: an attached tree of thousands of
 * threads would take thousands of file descriptors (and could exhaust the
 * limit tsdenet needs for itself). Above this, no counters.
 */
export const MAX_COUNTED_THREADS = 256;

/** The tree's hardware counters, or why there are none. */
export function openHardwareCounters(tids: readonly number[]): { counters?: TreeCounters; capability: PerfCapability } {
  if (noHardwarePmu()) return { capability: { available: false, events: [], reason: NO_PMU_REASON } };
  if (tids.length > MAX_COUNTED_THREADS) {
    return { capability: { available: false, events: [], reason: `the tree already runs ${tids.length} threads: more than ${MAX_COUNTED_THREADS} counters per event would be needed` } };
  }
  try {
    const counters = TreeCounters.open(HARDWARE_EVENTS, tids);
    return { counters, capability: { available: true, events: counters.events } };
  } catch (error) {
    return { capability: { available: false, events: [], reason: perfFailureReason(error) } };
  }
}

/** Per-sample deltas of the hardware counters (denet: the first sample's are zeros). */
export class PerfDeltaReader {
  #last: Map<string, number> | undefined;

  constructor(readonly counters: TreeCounters) {}

  next(): PerfDeltas {
    const now = this.counters.read();
    const last = this.#last ?? now;
    this.#last = now;
    const delta = (name: string): number | null => (now.has(name) ? Math.max(0, now.get(name)! - (last.get(name) ?? 0)) : null);
    return { cycles: delta('cycles') ?? 0, instructions: delta('instructions') ?? 0, cache_refs: delta('cache-references'), cache_misses: delta('cache-misses'), stalled_backend: delta('stalled-cycles-backend') };
  }
}
