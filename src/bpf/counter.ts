/**
 * The syscall counter: loads bpf/syscount.bpf.o (BTF tracepoints) or, where
 * the kernel cannot take it, bpf/syscount_tp.bpf.o (classic tracepoints),
 * follows the command's process tree in the kernel and reads the counts.
 *
 * Order matters: open → size maps → load → write config → attach. The
 * command is forked only after attach, with the spawner armed, so its
 * execve is the first call counted and nothing before it is missed.
 *
 * In tp_btf mode it also takes each thread's final resource usage in the
 * kernel when it ends (sample({ usage: true })): a process that lives 1 ms
 * is accounted as exactly as one that lives an hour.
 */
import { closeSync, readSync, statSync } from 'node:fs';
import { release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BpfError, TsdenetError } from '../errors.js';
import { checkInt } from './errors.js';
import {
  COUNT_KEY_SIZE,
  COUNT_VALUE_SIZE,
  CONFIG_SIZE,
  SEED_SIZE,
  SPAWN_SIZE,
  TRACKED_TASK_SIZE,
  ERROR_KEY_SIZE,
  FEATURES,
  FILTER_SIZE,
  INIT_PID_NS_INO,
  LATENCY_SIZE,
  NR_SLOTS,
  PROC_KEY_SIZE,
  PROC_USAGE_SIZE,
  SLOT_TOTALS_SIZE,
  STATS_SIZE,
  TASK_INFO_SIZE,
  TREE_COUNT_SIZE,
  USAGE_TOTAL_SIZE,
  decodeCounts,
  decodeDump,
  decodeErrors,
  decodeLatency,
  decodeProcUsages,
  decodeSeedGlobalTgid,
  decodeSlotTotals,
  decodeStats,
  decodeTasks,
  decodeTracked,
  decodeTreeCount,
  decodeUsageTotal,
  encodeConfig,
  encodeSeed,
  encodeSpawn,
  encodeFilter,
  encodeProcKey,
  encodeTreeCount,
  encodeTrackedTask,
  zeroKey,
  type CountEntry,
  type CounterConfig,
  type CounterStats,
  type ErrorEntry,
  type LatencyEntry,
  type TaskEntry,
  type ThreadUsage,
  type TreeCount,
} from './layout.js';
import { ia32StatusOffset } from './ia32-status.js';
import { loadLibbpf, type Libbpf } from './libbpf.js';
import type { BpfMap } from './map.js';
import { BTF_OBJECT, BTF_PROGRAMS, MAPS, TRACEPOINT_OBJECT, TRACEPOINT_PROGRAMS } from './names.js';
import { BpfObject } from './object.js';
import { listTreeTasks, tgidOfThread } from './proc-tree.js';
import { forkChildPidOffset } from './tracefs.js';
import { buildTreeUsage, type ProcessUsage, type RssSource, type TreeUsage, type Usage, type UsageReading } from './usage.js';
import { systemConstants } from '../proc/system-constants.js';

import { ATTACH_POINTS, type AttachMode } from './names.js';

export { ATTACH_POINTS, type AttachMode, type ProcessUsage, type RssSource, type TreeCount, type TreeUsage, type Usage };

export const DEFAULT_MAX_ENTRIES = 1 << 20;
/**
 * Processes proc_usage holds: live ones plus those ended since the last
 * sample({ usage: true }). Not preallocated: ~200 bytes of kernel memory
 * per entry in use (13 MB when full).
 */
export const DEFAULT_USAGE_ENTRIES = 1 << 16;

export interface CounterOptions {
  mode: 'auto' | AttachMode;
  nrExecve: number;
  nrExecveat: number;
  /** Capacity of the counts map ((thread, syscall) pairs of exited threads). */
  maxEntries?: number;
  /**
   * tp_btf: capacity of the per-process usage map (processes alive, plus
   * those ended since the last sample({ usage: true })). When full, the
   * totals stay exact and TreeUsage.lostProcesses counts what is missing.
   */
  usageEntries?: number;
  /** Count failed calls per errno (attaches sys_exit). */
  errors?: boolean;
  /** Time every call (attaches sys_exit). */
  latency?: boolean;
  /** Count only these slots (syscall numbers; ia32 ones at 512 + nr). */
  filterSlots?: readonly number[];
  /** x86_64: tell ia32 calls apart (BTF mode only). */
  compat?: boolean;
  /** attach: load the program that marks an existing tree (its verification alone takes ~40 ms). */
  seed?: boolean;
  /** libbpf's own log lines (--debug). */
  log?: (line: string) => void;
  libbpf?: Libbpf;
}

/** What a sample needs: cheap (one map lookup and the live threads), exact per slot. */
export interface SampleTotals {
  /** Calls per slot of the whole tree so far (x32 slots only in full snapshots). */
  bySlot: Map<number, number>;
  /** Processes of the tree running now. */
  liveTgids: number[];
  /** With sample({ usage: true }) in tp_btf mode: the tree's resource usage. */
  usage?: TreeUsage;
}

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
}

export const BPF_DIR = fileURLToPath(new URL('../../bpf/', import.meta.url));

interface CounterMaps {
  slotTotals: BpfMap;
  counts: BpfMap;
  tasks: BpfMap;
  config: BpfMap;
  stats: BpfMap;
  errors: BpfMap;
  latency: BpfMap;
}

/** tp_btf only. */
interface UsageMaps {
  procUsage: BpfMap;
  usageTotal: BpfMap;
  treeLive: BpfMap;
}

export class SyscallCounter {
  readonly mode: AttachMode;
  readonly #object: BpfObject;
  readonly #config: CounterConfig;
  readonly #maps: CounterMaps;
  readonly #usageMaps: UsageMaps | undefined;
  readonly #iterLinkFd: number | undefined;
  readonly #errors: boolean;
  readonly #latency: boolean;
  readonly #seedable: boolean;

  constructor(mode: AttachMode, object: BpfObject, config: CounterConfig, iterLinkFd: number | undefined, seedable = false) {
    this.mode = mode;
    this.#object = object;
    this.#config = config;
    this.#iterLinkFd = iterLinkFd;
    this.#errors = (config.features & FEATURES.errors) !== 0;
    this.#latency = (config.features & FEATURES.latency) !== 0;
    this.#seedable = seedable;
    this.#maps = {
      slotTotals: object.map(MAPS.slotTotals),
      counts: object.map(MAPS.counts),
      tasks: object.map(MAPS.tasks),
      config: object.map(MAPS.config),
      stats: object.map(MAPS.stats),
      errors: object.map(MAPS.errors),
      latency: object.map(MAPS.latency, { perCpu: true }),
    };
    this.#usageMaps = mode === 'tp_btf'
      ? { procUsage: object.map(MAPS.procUsage), usageTotal: object.map(MAPS.usageTotal, { perCpu: true }), treeLive: object.map(MAPS.treeLive) }
      : undefined;
  }

  /**
   * The next fork by thread `tid` becomes the tracked command (one shot).
   * Counting starts at its first execve, or after `skipExecs` of them when
   * the command is started through a wrapper that execs it.
   */
  armSpawn(tid: number, skipExecs = 0): void {
    this.#object.map(MAPS.spawn).update(zeroKey(), encodeSpawn({ spawnerTid: tid, armed: true, skipExecs }));
  }

  disarm(): void {
    this.#object.map(MAPS.spawn).update(zeroKey(), encodeSpawn({ spawnerTid: 0, armed: false, skipExecs: 0 }));
  }

  /**
   * attach: marks a running process and all its descendants (threads
   * included); counting starts now for them and for every child they fork
   * from now on. Throws when the process does not exist.
   */
  seedTree(rootPid: number): void {
    if (this.mode === 'tp_btf') {
      if (!this.#seedable) throw new Error('seedTree needs a counter started with seed: true');
      const seed = this.#object.map(MAPS.seed);
      seed.update(zeroKey(), encodeSeed(rootPid));
      try {
        readIterator(this.#object.attachIter(BTF_PROGRAMS.findSeed)); // rootPid in the initial namespace
        const found = seed.lookup(zeroKey());
        if (!found || decodeSeedGlobalTgid(found) === 0) {
          throw new TsdenetError('NO_SUCH_PROCESS', `no process ${rootPid}`, 1, { hint: 'check the pid: it may have exited' });
        }
        // Twice: a child forked by a not-yet-marked parent during the first
        // marking pass is marked by the second (later forks follow their parent).
        const linkFd = this.#object.attachIter(BTF_PROGRAMS.seed);
        readIterator(linkFd);
        readIterator(linkFd);
      } finally {
        seed.update(zeroKey(), encodeSeed(0));
      }
      return;
    }
    if (this.#config.nsIno !== INIT_PID_NS_INO) {
      throw new BpfError('attach', 95, 'EOPNOTSUPP', 'attaching inside a pid namespace needs the BTF counter (tp_btf)', {
        hint: 'use a kernel with BTF (/sys/kernel/btf/vmlinux), or run tsdenet in the initial pid namespace',
      });
    }
    const tracked = this.#object.map(MAPS.tracked);
    const features = this.#config.features;
    const tasks = listTreeTasks(rootPid);
    if (tasks.length === 0) throw new TsdenetError('NO_SUCH_PROCESS', `no process ${rootPid}`, 1, { hint: 'check the pid: it may have exited' });
    for (let pass = 0; pass < 2; pass++) {
      for (const task of pass === 0 ? tasks : listTreeTasks(rootPid)) {
        tracked.update(uint32(task.tid), encodeTrackedTask({ ...task, features }));
      }
    }
  }

  #readSlotTotals(): Map<number, number> {
    return decodeSlotTotals(this.#maps.slotTotals.lookup(zeroKey()) ?? Buffer.alloc(SLOT_TOTALS_SIZE));
  }

  #readLive(): { tasks: TaskEntry[]; counts: CountEntry[]; usage: ThreadUsage[] } {
    return this.#iterLinkFd === undefined ? { tasks: [], counts: [], usage: [] } : decodeDump(readIterator(this.#iterLinkFd));
  }

  /**
   * Processes of the tree running now. tp_btf: from the iterator's pass.
   * Classic mode: the tracked map holds exactly the live threads of the
   * tree; a child that has made no call yet has no tgid there, and in the
   * initial pid namespace (where the map's key is its pid) /proc gives it.
   */
  #liveTgids(live: { tasks: TaskEntry[] }): number[] {
    if (this.mode === 'tp_btf') return [...new Set(live.tasks.map((t) => t.tgid))];
    const r = this.#object.map(MAPS.tracked).readAll();
    const tgids = new Set<number>();
    for (const e of decodeTracked(r.count, r.keys, r.values)) {
      const tgid = e.tgid || (this.#config.nsIno === INIT_PID_NS_INO ? tgidOfThread(e.globalTid) : undefined);
      if (tgid) tgids.add(tgid);
    }
    return [...tgids];
  }

  /**
   * Totals for one sample, without walking the counts map. Exited threads'
   * totals are read before the live threads, so a thread exiting in between
   * is missed by this sample rather than counted twice (callers keep the
   * maximum per slot, which stays monotonic and ends exact).
   *
   * usage (tp_btf only): also the tree's resource usage, from the same
   * iterator pass. This CONSUMES: ended processes are reported by this call
   * only (then removed from the map) and the concurrency peaks restart from
   * the current values. Call it with usage from one place, once per sample;
   * other callers (liveTgids) call sample() without it.
   */
  sample(options: { usage?: boolean } = {}): SampleTotals {
    const bySlot = this.#readSlotTotals();
    const ended = options.usage && this.#usageMaps ? this.#readEndedUsage(this.#usageMaps) : undefined;
    const live = this.#readLive();
    for (const c of live.counts) bySlot.set(c.nr, (bySlot.get(c.nr) ?? 0) + c.count);
    const totals: SampleTotals = { bySlot, liveTgids: this.#liveTgids(live) };
    if (ended && this.#usageMaps) {
      const { pageSize, clockTicks } = systemConstants();
      totals.usage = buildTreeUsage({ ...ended, live: live.usage, pageSize, clockTicks });
      // Reported once: an ended entry gets no more updates (all its threads are finalised).
      for (const e of ended.entries) {
        if (e.liveThreads === 0) this.#usageMaps.procUsage.delete(encodeProcKey(e.tgid, e.startNs));
      }
    }
    return totals;
  }

  /**
   * Ended threads' usage (total first, then per process) and the
   * concurrency counts; resets the peaks to the current values. A fork
   * between reading and resetting is missed by that one peak (microseconds).
   */
  #readEndedUsage(maps: UsageMaps): Omit<UsageReading, 'live' | 'pageSize' | 'clockTicks'> {
    const perCpu = maps.usageTotal.lookup(zeroKey()) ?? Buffer.alloc(0);
    const total = decodeUsageTotal(perCpu);
    const p = maps.procUsage.readAll();
    const entries = decodeProcUsages(p.count, p.keys, p.values);
    const readCount = (index: number): TreeCount =>
      decodeTreeCount(maps.treeLive.lookup(uint32(index)) ?? Buffer.alloc(TREE_COUNT_SIZE));
    const now = readCount(0);
    const peak = readCount(1);
    maps.treeLive.update(uint32(1), encodeTreeCount(now));
    return { total, entries, now, peak: { processes: Math.max(peak.processes, now.processes), threads: Math.max(peak.threads, now.threads) } };
  }

  /** Everything so far, with the per-thread breakdown (same ordering rule as sample()). */
  snapshot(): CountSnapshot {
    const totals = this.#readSlotTotals();
    const c = this.#maps.counts.readAll();
    const t = this.#maps.tasks.readAll();
    const counts = decodeCounts(c.count, c.keys, c.values);
    const tasks = decodeTasks(t.count, t.keys, t.values);
    // x32 slots are beyond slot_totals: only the counts map has them.
    for (const e of counts) if (e.nr >= NR_SLOTS) totals.set(e.nr, (totals.get(e.nr) ?? 0) + e.count);
    const live = this.#readLive();
    counts.push(...live.counts);
    tasks.push(...live.tasks);
    for (const e of live.counts) totals.set(e.nr, (totals.get(e.nr) ?? 0) + e.count);
    const stats = decodeStats(this.#maps.stats.lookup(zeroKey()) ?? Buffer.alloc(STATS_SIZE));
    const snapshot: CountSnapshot = { totals, counts, tasks, stats };
    if (this.#errors) {
      const e = this.#maps.errors.readAll();
      snapshot.errors = decodeErrors(e.count, e.keys, e.values);
    }
    if (this.#latency) {
      const l = this.#maps.latency.readAll();
      snapshot.latency = decodeLatency(l.count, l.keys, l.values, loadLibbpf().possibleCpus());
    }
    return snapshot;
  }

  close(): void {
    this.#object.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

function uint32(n: number): Buffer {
  const buf = Buffer.alloc(4);
  buf.writeUInt32LE(n, 0);
  return buf;
}

/** Runs the iterator once and returns everything it wrote. */
function readIterator(linkFd: number): Buffer {
  const lib = loadLibbpf();
  const fd = checkInt('create task iterator', lib.iterCreate(linkFd));
  const chunks: Buffer[] = [];
  try {
    for (;;) {
      const buf = Buffer.alloc(64 * 1024);
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return Buffer.concat(chunks);
}

/** Identity of tsdenet's pid namespace: pids are reported as seen from it. */
function ownPidNamespace(): { nsDev: number; nsIno: number } {
  const st = statSync('/proc/self/ns/pid');
  return { nsDev: st.dev, nsIno: st.ino };
}

/** ia32StatusOffset: the classic tracepoint's way to tell ia32 calls apart (0: it cannot). */
function featureBits(options: CounterOptions, mode: AttachMode, ia32StatusOffset: number): number {
  let bits = 0;
  if (options.errors) bits |= FEATURES.errors;
  if (options.latency) bits |= FEATURES.latency;
  if (options.filterSlots) bits |= FEATURES.filter;
  // tp_btf reads the code segment; the classic tracepoint, TS_COMPAT where the kernel version says.
  if (options.compat && (mode === 'tp_btf' || ia32StatusOffset > 0)) bits |= FEATURES.compat;
  return bits;
}

async function openCounter(lib: Libbpf, mode: AttachMode, options: CounterOptions): Promise<SyscallCounter> {
  const object = BpfObject.open(lib, BPF_DIR + (mode === 'tp_btf' ? BTF_OBJECT : TRACEPOINT_OBJECT));
  try {
    const programs = mode === 'tp_btf' ? BTF_PROGRAMS : TRACEPOINT_PROGRAMS;
    let forkProgram: string = programs.fork;
    if (mode === 'tracepoint') {
      const old = forkChildPidOffset() === 44;
      forkProgram = old ? TRACEPOINT_PROGRAMS.forkOld : TRACEPOINT_PROGRAMS.fork;
      object.disable(old ? TRACEPOINT_PROGRAMS.fork : TRACEPOINT_PROGRAMS.forkOld);
    }
    const timed = Boolean(options.errors || options.latency);
    // sys_exit costs a second program run per syscall: loaded only when asked for.
    if (!timed) object.disable(programs.sysExit);
    if (mode === 'tp_btf' && !options.seed) {
      object.disable(BTF_PROGRAMS.findSeed);
      object.disable(BTF_PROGRAMS.seed);
    }
    const counts = object.map(MAPS.counts);
    counts.checkLayout(COUNT_KEY_SIZE, COUNT_VALUE_SIZE);
    object.map(MAPS.tasks).checkLayout(4, TASK_INFO_SIZE);
    object.map(MAPS.config).checkLayout(4, CONFIG_SIZE);
    object.map(MAPS.spawn).checkLayout(4, SPAWN_SIZE);
    object.map(MAPS.stats).checkLayout(4, STATS_SIZE);
    object.map(MAPS.errors).checkLayout(ERROR_KEY_SIZE, 8);
    object.map(MAPS.latency).checkLayout(4, LATENCY_SIZE);
    object.map(MAPS.filter).checkLayout(4, FILTER_SIZE);
    object.map(MAPS.slotTotals).checkLayout(4, SLOT_TOTALS_SIZE);
    if (mode === 'tp_btf') {
      const procUsage = object.map(MAPS.procUsage);
      procUsage.checkLayout(PROC_KEY_SIZE, PROC_USAGE_SIZE);
      procUsage.setMaxEntries(options.usageEntries ?? DEFAULT_USAGE_ENTRIES);
      object.map(MAPS.usageTotal).checkLayout(4, USAGE_TOTAL_SIZE);
      object.map(MAPS.treeLive).checkLayout(4, TREE_COUNT_SIZE);
      object.map(MAPS.seed).checkLayout(4, SEED_SIZE);
    } else {
      object.map(MAPS.tracked).checkLayout(4, TRACKED_TASK_SIZE);
    }
    counts.setMaxEntries(options.maxEntries ?? DEFAULT_MAX_ENTRIES);
    // One slot per syscall per CPU only when timing is asked for.
    if (!options.latency) object.map(MAPS.latency).setMaxEntries(1);
    await object.load();
    const ia32Offset = mode === 'tracepoint' && options.compat ? ia32StatusOffset(process.arch, release()) : 0;
    const config: CounterConfig = {
      nrExecve: options.nrExecve,
      nrExecveat: options.nrExecveat,
      selfTgid: process.pid,
      features: featureBits(options, mode, ia32Offset),
      ...ownPidNamespace(),
      ia32StatusOffset: ia32Offset,
    };
    object.map(MAPS.config).update(zeroKey(), encodeConfig(config));
    if (options.filterSlots) object.map(MAPS.filter).update(zeroKey(), encodeFilter(options.filterSlots));
    // Exit (and the last switch) before fork before sys_enter: a thread is
    // never counted without the handlers that keep its counts and usage
    // when it ends.
    object.attach(programs.exit);
    if (mode === 'tp_btf') object.attach(BTF_PROGRAMS.finish);
    object.attach(forkProgram);
    object.attach(programs.exec);
    if (timed) object.attach(programs.sysExit);
    object.attach(programs.sysEnter);
    const iterFd = mode === 'tp_btf' ? object.attachIter(BTF_PROGRAMS.dump) : undefined;
    return new SyscallCounter(mode, object, config, iterFd, options.seed === true);
  } catch (error) {
    object.close();
    throw error;
  }
}

/** Error for a counter that could not start in any mode; keeps each mode's reason. */
export class CounterStartError extends TsdenetError {
  readonly attempts: { mode: AttachMode; error: unknown }[];

  constructor(attempts: { mode: AttachMode; error: unknown }[]) {
    const first = attempts[0]?.error;
    const detail = attempts
      .map((a) => `${a.mode}: ${a.error instanceof Error ? a.error.message : String(a.error)}`)
      .join('; ');
    super(
      first instanceof TsdenetError ? first.code : 'BPF_START',
      `eBPF syscall counting unavailable (${detail})`,
      1,
      { hint: first instanceof TsdenetError ? first.hint : undefined, cause: first },
    );
    this.attempts = attempts;
  }
}

/** Loads and attaches the counter: tp_btf first, classic tracepoint as the fallback. */
export async function startSyscallCounter(options: CounterOptions): Promise<SyscallCounter> {
  const lib = options.libbpf ?? loadLibbpf();
  const log = options.log;
  lib.setPrint(log ? (_level, line) => log(line) : null);
  const modes: AttachMode[] = options.mode === 'auto' ? ['tp_btf', 'tracepoint'] : [options.mode];
  const attempts: { mode: AttachMode; error: unknown }[] = [];
  for (const mode of modes) {
    try {
      return await openCounter(lib, mode, options);
    } catch (error) {
      if (!(error instanceof TsdenetError)) throw error;
      log?.(`${mode} failed: ${error.message}`);
      attempts.push({ mode, error });
    }
  }
  throw new CounterStartError(attempts);
}

/** The version of the libbpf tsdenet loads (throws LibbpfMissingError when it cannot). */
export function libbpfVersion(): string {
  return loadLibbpf().version;
}
