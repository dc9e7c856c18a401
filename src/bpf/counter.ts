/**
 * The syscall counter: loads bpf/syscount.bpf.o (BTF tracepoints) or, where
 * the kernel cannot take it, bpf/syscount_tp.bpf.o (classic tracepoints),
 * follows the command's process tree in the kernel and reads the counts.
 *
 * Parts, each given the libbpf binding (so each runs against
 * test/helpers/fake-libbpf.ts): counter-loader.ts loads and attaches an
 * object, btf-driver.ts and tracepoint-driver.ts do what differs between
 * the modes (live threads, attach), counter-reader.ts reads the maps both
 * modes share. SyscallCounter puts them together.
 *
 * In tp_btf mode it also takes each thread's final resource usage in the
 * kernel when it ends (sample({ usage: true })): a process that lives 1 ms
 * is accounted as exactly as one that lives an hour.
 */
import { TsdenetError } from '../errors.js';
import { BtfDriver } from './btf-driver.js';
import { loadCounter, loadKey, type CounterOptions, type LoadedCounter, type LoadedObject } from './counter-loader.js';
import { takeEarlyLoad } from './early-load.js';
import { addCounts, CounterReader, type CountSnapshot } from './counter-reader.js';
import { encodeSpawn, zeroKey, FEATURES, type TreeCount } from './layout.js';
import { loadLibbpf, type Libbpf } from './libbpf.js';
import type { BpfMap } from './map.js';
import type { ModeDriver } from './mode-driver.js';
import { ATTACH_POINTS, BTF_PROGRAMS, MAPS, type AttachMode } from './names.js';
import type { BpfObject } from './object.js';
import { btfOffCpuSource, OffCpuReader, tracepointOffCpuSource, type OffCpuFigures } from './offcpu.js';
import { TracepointDriver } from './tracepoint-driver.js';
import type { ProcessUsage, RssSource, TreeUsage, Usage } from './usage.js';
import { systemConstants } from '../proc/system-constants.js';

export { ATTACH_POINTS, type AttachMode, type OffCpuFigures, type CountSnapshot, type CounterOptions, type ProcessUsage, type RssSource, type TreeCount, type TreeUsage, type Usage };
export { BPF_DIR, DEFAULT_MAX_ENTRIES, DEFAULT_USAGE_ENTRIES } from './counter-loader.js';

/** What a sample needs: cheap (one map lookup and the live threads), exact per slot. */
export interface SampleTotals {
  /** Calls per slot of the whole tree so far (x32 slots only in full snapshots). */
  bySlot: Map<number, number>;
  /** Processes of the tree running now. */
  liveTgids: number[];
  /** With sample({ usage: true }) in tp_btf mode: the tree's resource usage. */
  usage?: TreeUsage;
  /** With sample({ usage: true }) and --offcpu: every thread's off-CPU time so far. */
  offcpu?: OffCpuFigures[];
}

export class SyscallCounter {
  readonly mode: AttachMode;
  readonly #object: BpfObject;
  readonly #spawn: BpfMap;
  readonly #driver: ModeDriver;
  readonly #reader: CounterReader;
  readonly #offcpu: OffCpuReader | undefined;

  constructor(mode: AttachMode, object: BpfObject, driver: ModeDriver, reader: CounterReader, offcpu?: OffCpuReader) {
    this.mode = mode;
    this.#object = object;
    this.#spawn = object.map(MAPS.spawn);
    this.#driver = driver;
    this.#reader = reader;
    this.#offcpu = offcpu;
  }

  /** --offcpu's programs are loaded and attached. */
  get measuresOffcpu(): boolean {
    return this.#offcpu !== undefined;
  }

  /**
   * The next fork by thread `tid` becomes the tracked command (one shot).
   * Counting starts at its first execve, or after `skipExecs` of them when
   * the command is started through a wrapper that execs it.
   */
  armSpawn(tid: number, skipExecs = 0): void {
    this.#spawn.update(zeroKey(), encodeSpawn({ spawnerTid: tid, armed: true, skipExecs }));
  }

  disarm(): void {
    this.#spawn.update(zeroKey(), encodeSpawn({ spawnerTid: 0, armed: false, skipExecs: 0 }));
  }

  /**
   * attach: marks a running process and all its descendants (threads
   * included); counting starts now for them and for every child they fork
   * from now on. Throws when the process does not exist.
   */
  seedTree(rootPid: number): void {
    this.#driver.seedTree(rootPid);
    this.#offcpu?.seed();
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
    const bySlot = this.#reader.slotTotals();
    const usage = options.usage ? this.#driver.usage : undefined;
    const ended = usage?.readEnded();
    // Before the live threads: an entry's writers missing from them have ended.
    const drain = this.#reader.readForDrain();
    const live = this.#driver.readLive();
    if (drain) this.#reader.drain(drain, this.#driver.liveOwners(live));
    addCounts(bySlot, live.counts);
    const totals: SampleTotals = { bySlot, liveTgids: this.#driver.liveTgids(live) };
    if (usage && ended) totals.usage = usage.build(ended, live);
    if (options.usage && this.#offcpu) totals.offcpu = this.#offcpu.read();
    return totals;
  }

  /** Everything so far, with the per-thread breakdown (same ordering rule as sample()); with --offcpu, every thread's off-CPU time. */
  snapshot(): CountSnapshot {
    const snapshot = this.#reader.snapshot(() => this.#driver.readLive());
    if (this.#offcpu) snapshot.offcpu = this.#offcpu.read();
    return snapshot;
  }

  close(): void {
    this.#object.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

/** A loaded object with its mode's driver and the shared reader. */
export function counterFor(lib: Libbpf, loaded: LoadedCounter): SyscallCounter {
  const { mode, object, config, countsCapacity, tasksCapacity } = loaded;
  const driver: ModeDriver = mode === 'tp_btf'
    ? new BtfDriver(lib, object, { iterLinkFd: loaded.iterLinkFd ?? -1, seedable: loaded.seedable, constants: systemConstants })
    : new TracepointDriver(object.map(MAPS.tracked), config);
  const measured = { errors: (config.features & FEATURES.errors) !== 0, latency: (config.features & FEATURES.latency) !== 0 };
  const offcpu = loaded.offcpu && new OffCpuReader(mode === 'tp_btf'
    ? btfOffCpuSource(lib, object.map(MAPS.offcpuEnded), loaded.offcpu.iterLinkFd ?? -1, () => object.attachIter(BTF_PROGRAMS.offcpuSeed))
    : tracepointOffCpuSource(object.map(MAPS.offcpuThreads), object.map(MAPS.tracked)));
  return new SyscallCounter(mode, object, driver, new CounterReader(lib, object, measured, { counts: countsCapacity, tasks: tasksCapacity }), offcpu);
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
  // Settled before any other libbpf call; used only if it is what this request loads.
  let early = await takeEarlyLoad(lib);
  const log = options.log;
  lib.setPrint(log ? (_level, line) => log(line) : null);
  const modes: AttachMode[] = options.mode === 'auto' ? ['tp_btf', 'tracepoint'] : [options.mode];
  const attempts: { mode: AttachMode; error: unknown }[] = [];
  // The early load's object or failure stands for this mode's load when it is the same load.
  const loadedFor = (mode: AttachMode): LoadedObject | undefined => {
    const matching = early?.key === loadKey(mode, options) ? early : undefined;
    if (!matching && early && 'object' in early) early.object.close();
    early = undefined;
    if (matching && 'error' in matching) throw matching.error;
    return matching;
  };
  for (const mode of modes) {
    try {
      return counterFor(lib, await loadCounter(lib, mode, options, loadedFor(mode)));
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
