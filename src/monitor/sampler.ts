/**
 * Reads the monitored tree and builds denet's records: one process
 * (`sample`, --exclude-children) or the whole tree (`tree`). /proc gives
 * what is running (RSS, VMS, threads, CPU last run on); the counters come
 * from the kernel's accounting when the eBPF counter runs in tp_btf mode
 * (monitor/kernel-usage.ts), else from /proc with the tree accounting
 * (monitor/tree-accounting.ts) and tsdenet's reaped children (reaper.ts).
 *
 * A record describes the window since the previous one: rates (cpu_usage)
 * over the window, counters cumulative at its end. Monitoring begins at the
 * opening (openMonitoring): under `run` just before the fork, so the first
 * window holds the command's first moments; counters are deltas from then,
 * or the kernel's raw values with --since-process-start. A process born
 * after monitoring began is counted from its start (denet counts it from
 * its first sighting).
 *
 * The tree is followed even with --exclude-children: what the main process
 * reaped of it is known, and taken off its I/O (the kernel adds a reaped
 * child's I/O to its parent's /proc/PID/io).
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseIo } from '../proc/io.js';
import { parseNetDev, type NetTotals } from '../proc/net-dev.js';
import { ProcFile, readText } from '../proc/proc-file.js';
import { parseStat, type ProcStat } from '../proc/stat.js';
import { ignoresSigchld } from '../proc/status.js';
import { systemConstants } from '../proc/system-constants.js';
import { parseUptime } from '../proc/uptime.js';
import type { ProcessUsage, TreeUsage } from '../bpf/counter.js';
import type { AggregatedMetrics, ChildEntry, EbpfField, Metrics, SampleRecord, TreeRecord } from '../records/schema.js';
import { addCounters, keepLargest, zeroCounters, type Counters } from './counters.js';
import { CpuRate } from './cpu-rate.js';
import { counterFields, ownCounters, processMetrics, readProcess, type ProcessReading, type ProcessState, type ReadingContext } from './process-metrics.js';
import { KernelUsage, countersOfUsage, type WindowPeaks } from './kernel-usage.js';
import { ProcessTree, type Member } from './process-tree.js';
import { readReapedChildren, reapedChildrenAtStart, type ReaperReading } from './reaper.js';
import { REAPER_KEY, TreeAccounting, type Observation } from './tree-accounting.js';
import { aggregateTree } from './tree-aggregate.js';

/** The moment monitoring began: every rate and delta is measured from it. */
export interface Opening {
  /** performance.now() and Date.now() then. */
  monoMs: number;
  wallMs: number;
  /** Seconds since boot then (/proc/uptime). */
  uptimeSecs: number;
  /** The network counters then (tsdenet's namespace: the command's, unless it makes its own). */
  net: NetTotals;
  /** tsdenet's reaped-children counters then (under `run` they will hold the command once it ended). */
  reaper: ReaperReading;
}

/** Takes the opening now: under `run`, just before the fork, so the command's whole life is in the first window. */
export function openMonitoring(procRoot = '/proc'): Opening {
  return {
    reaper: reapedChildrenAtStart(systemConstants().clockTicks, procRoot),
    monoMs: performance.now(),
    wallMs: Date.now(),
    uptimeSecs: parseUptime(readText(`${procRoot}/uptime`) ?? ''),
    net: parseNetDev(readText(`${procRoot}/self/net/dev`) ?? readText(`${procRoot}/net/dev`) ?? ''),
  };
}

export interface SamplerOptions {
  rootPid: number;
  /** When monitoring began (default: at the first sample, as for attach). */
  opening?: Opening;
  /** run: tsdenet starts (and reaps) the root; attach: it was running before. */
  mode: 'run' | 'attach';
  excludeChildren: boolean;
  sinceProcessStart: boolean;
  procRoot?: string;
  /** CPUs the tree can run on at once: the tree's CPU is never above 100 % each (default: online CPUs). */
  onlineCpus?: number;
  /** The reaper's counters (tests); by default tsdenet's own reaped children. */
  readReaper?: () => ReaperReading;
  /**
   * Read each process's command line (for the per-process syscall counts,
   * which only eBPF gives): not the root's, whose argv is the command given.
   */
  commandLines?: boolean;
}

export interface SampleInput {
  /** Pids the eBPF counter saw running in the tree (see ProcessTree.discover). */
  known?: Iterable<number>;
  /** aggregated.ebpf of a tree record, given the record's time. */
  ebpf?: (tsMs: number) => EbpfField;
  /** The kernel's accounting of the tree at this sample (eBPF, tp_btf). */
  usage?: TreeUsage;
  /**
   * The sample's time, when it is the opening's (attach: the first sample,
   * read at once, opens the run at `t0`); else now.
   */
  at?: { monoMs: number; wallMs: number };
}

export interface SampleOutcome {
  record: TreeRecord | SampleRecord;
  /** The tree totals (also in the record, unless it is a `sample`). */
  aggregated: AggregatedMetrics;
  rootAlive: boolean;
}

interface LiveMember {
  member: Member;
  stat: ProcStat;
  reading: ProcessReading;
  firstReading: boolean;
}

export class TreeSampler {
  readonly #options: SamplerOptions;
  readonly #procRoot: string;
  readonly #tree: ProcessTree;
  readonly #accounting: TreeAccounting;
  readonly #states = new Map<string, ProcessState>();
  readonly #hz: number;
  readonly #pageKb: number;
  readonly #onlineCpus: number;
  readonly #treeCpu = new CpuRate();
  readonly #netFile: ProcFile;
  readonly #opening: Opening;
  readonly #netBase: NetTotals;
  /** Boot-relative clock ticks when monitoring began: older processes are pre-existing. */
  readonly #startTicks: number;
  #lastMs: number;
  #rootStart: number | undefined;
  /** The root's last reading while it ran: its own counters and RSS when it vanishes. */
  #rootLast: ProcessState | undefined;
  #rootCounted = false;
  #rootEnded = false;
  /** The root's own counters once it has ended (--exclude-children's closing samples). */
  #rootFinal: Counters | undefined;
  #reaperMaxRssKb = 0;
  /** The root's CPU rate, carried on after it ended (--exclude-children). */
  #rootCpu: CpuRate | undefined;
  /**
   * The kernel's accounting is used for the whole run once the first
   * sample has it (never mixed with /proc's, whose totals differ); a later
   * sample whose read failed keeps the last one.
   */
  #kernel: KernelUsage | undefined;
  #kernelDecided = false;
  #kernelTotal: Counters | undefined;
  /** The command as the kernel last accounted it: its final own values once it has ended. */
  #rootUsage: ProcessUsage | undefined;
  /** Some /proc/<pid>/io was readable: the syscall byte counters are known. */
  #ioKnown = false;

  constructor(options: SamplerOptions) {
    this.#options = options;
    this.#procRoot = options.procRoot ?? '/proc';
    const { clockTicks, pageSize } = systemConstants();
    this.#hz = clockTicks;
    this.#pageKb = pageSize / 1024;
    this.#onlineCpus = options.onlineCpus ?? Math.max(1, cpus().length);
    // `tsdenet attach $$` from a shell: tsdenet is in the tree it watches, and must not count itself.
    this.#tree = new ProcessTree(options.rootPid, { procRoot: this.#procRoot, exclude: [process.pid] });
    this.#opening = options.opening ?? openMonitoring(this.#procRoot);
    const readReaper = options.readReaper ?? (() => readReapedChildren(this.#hz, this.#procRoot));
    this.#accounting = new TreeAccounting({
      reaperStart: options.mode === 'run' ? this.#opening.reaper.counters : undefined,
      readReaperChildren:
        options.mode === 'run'
          ? () => {
              const reaper = readReaper();
              if (reaper.maxRssKb !== undefined) this.#reaperMaxRssKb = reaper.maxRssKb;
              return reaper.counters;
            }
          : undefined,
      // Read only when a member's children vanished: rare, so not cached.
      ignoresSigchld: (key) => ignoresSigchld(readText(`${this.#procRoot}/${key.slice(0, key.indexOf('@'))}/status`) ?? ''),
    });
    this.#netFile = new ProcFile(`${this.#procRoot}/${options.rootPid}/net/dev`);
    this.#lastMs = this.#opening.monoMs;
    this.#startTicks = Math.floor(this.#opening.uptimeSecs * this.#hz);
    this.#netBase = options.sinceProcessStart ? { rxBytes: 0, txBytes: 0 } : this.#opening.net;
  }

  /** When monitoring began (metadata t0_ms). */
  get t0Ms(): number {
    return this.#opening.wallMs;
  }

  #uptime(nowMs: number): number {
    return this.#opening.uptimeSecs + (nowMs - this.#opening.monoMs) / 1000;
  }

  /** The root's network namespace; tsdenet's own once the root is gone. */
  #readNet(): NetTotals {
    const text = this.#netFile.read() ?? readText(`${this.#procRoot}/net/dev`) ?? '';
    return parseNetDev(text);
  }

  /** Reads every member; feeds the tree accounting; returns the running ones. */
  #read(ctx: ReadingContext, known: Iterable<number> | undefined): LiveMember[] {
    this.#tree.discover(known);
    const observations: Observation[] = [];
    const live: LiveMember[] = [];
    for (const member of [...this.#tree.members]) {
      const stat = parseStat(member.stat.read() ?? '');
      if (!stat) {
        this.#tree.remove(member);
        this.#states.delete(member.key);
        continue;
      }
      member.last = stat;
      const io = parseIo(member.io.read() ?? '');
      if (io) this.#ioKnown = true;
      const isRoot = member.pid === this.#options.rootPid;
      if (this.#options.commandLines && !isRoot) this.#tree.noteCommandLine(member);
      if (isRoot) this.#rootStart = stat.starttime;
      ctx.preexisting = this.#options.mode === 'attach' && stat.starttime < this.#startTicks;
      const state = this.#states.get(member.key);
      const reading = readProcess(stat, io, state, ctx);
      if (!state) this.#states.set(member.key, reading.state);
      observations.push({
        key: member.key,
        parentKey: isRoot ? (this.#options.mode === 'run' ? REAPER_KEY : undefined) : this.#tree.memberByPid(stat.ppid)?.key,
        inclusive: reading.inclusive,
        preexisting: ctx.preexisting,
      });
      if (stat.state !== 'Z') live.push({ member, stat, reading, firstReading: state === undefined });
    }
    // Once the command is gone (or was never read: it ended before the
    // first sample), tsdenet's reaped-children counters hold it.
    const rootGone = this.#options.mode === 'run' && this.#tree.memberByPid(this.#options.rootPid) === undefined;
    // The reaper's I/O is tsdenet's own /proc/self/io, always readable.
    if (rootGone) this.#ioKnown = true;
    this.#accounting.update(observations, rootGone);
    return live;
  }

  /**
   * The kernel's accounting for this sample, when the run uses it: decided
   * at the first sample that has it (tp_btf). A later read that failed
   * keeps the last one's totals, marked stale: its ended processes and
   * peaks were that window's, not this one's. Not for attach with
   * --since-process-start: the kernel counts from the attach, the flag asks
   * for the totals since each process started.
   */
  #kernelUsage(usage: TreeUsage | undefined): { kernel: KernelUsage; fresh: boolean } | undefined {
    if (!this.#kernelDecided) {
      this.#kernelDecided = true;
      if (usage && !(this.#options.mode === 'attach' && this.#options.sinceProcessStart)) this.#kernel = new KernelUsage(usage);
      return this.#kernel && { kernel: this.#kernel, fresh: true };
    }
    if (!this.#kernel) return undefined;
    if (!usage) return { kernel: this.#kernel, fresh: false };
    this.#kernel = new KernelUsage(usage);
    return { kernel: this.#kernel, fresh: true };
  }

  /**
   * A cumulative counter never goes back: a thread finalised between the
   * counter's two reads (ended threads, then live ones) is in neither for
   * one sample; the next has it.
   */
  #monotonic(total: Counters): Counters {
    if (this.#kernelTotal) keepLargest(total, this.#kernelTotal);
    this.#kernelTotal = total;
    return total;
  }

  /**
   * What ran in the window beyond what the sample reads running. With eBPF,
   * the kernel's peaks of processes and threads alive at once, and the
   * largest peak RSS of a process that ended. Without, only a command that
   * ended before any sample saw it run is known: it counts once, with the
   * largest peak RSS the kernel kept for tsdenet's reaped children (ru_maxrss).
   */
  #windowPeaks(kernel: KernelUsage | undefined, running: number, threads: number, unseenRoot: boolean): WindowPeaks | undefined {
    if (kernel) return kernel.windowPeaks(running, threads);
    return unseenRoot ? { processes: 1, threads: 1, peakRssKb: this.#reaperMaxRssKb } : undefined;
  }

  /**
   * The record of the opening under `run`, before the fork: no process yet.
   * It anchors the run's time: denet's total_time_secs (last sample − first)
   * then spans the command's whole life, like the rates measured from t0.
   */
  openingSample(ebpf?: (tsMs: number) => EbpfField): SampleOutcome {
    const tsMs = this.#opening.wallMs;
    // Nothing has run: every counter is 0, the syscall byte counters too (tsdenet reads the I/O of what it starts).
    const aggregated = aggregateTree({ tsMs, cpuUsage: 0, processes: [], totals: zeroCounters(), ioKnown: true, net: { rxBytes: 0, txBytes: 0 }, uptimeSecs: 0 });
    if (this.#options.excludeChildren) {
      const { process_count: _count, ebpf: _ebpf, ...fields } = aggregated;
      return { record: { kind: 'sample', ...fields, cpu_core: null }, aggregated, rootAlive: false };
    }
    if (ebpf) aggregated.ebpf = ebpf(tsMs);
    return { record: { kind: 'tree', ts_ms: tsMs, parent: null, children: [], aggregated }, aggregated, rootAlive: false };
  }

  /**
   * Takes one sample of the tree (a `tree` record; with --exclude-children,
   * a `sample` record of the root alone), over the window since the
   * previous one (the first: since the opening).
   */
  sample(input: SampleInput = {}): SampleOutcome {
    const nowMs = input.at?.monoMs ?? performance.now();
    const previousMs = this.#lastMs;
    const tsMs = input.at?.wallMs ?? Date.now();
    const reading = this.#kernelUsage(input.usage);
    const kernel = reading?.kernel;
    const ctx: ReadingContext = {
      cpuFromKernel: kernel !== undefined,
      preexisting: false,
      nowMs,
      previousSampleMs: previousMs,
      tsMs,
      uptimeSecs: this.#uptime(nowMs),
      clockTicks: this.#hz,
      pageKb: this.#pageKb,
      sinceProcessStart: this.#options.sinceProcessStart,
    };
    const live = this.#read(ctx, input.known);
    this.#lastMs = nowMs;
    const windowSecs = (nowMs - previousMs) / 1000;

    const processes: Metrics[] = [];
    let root: Metrics | undefined;
    const children: ChildEntry[] = [];
    let threads = 0;
    for (const { member, stat, reading, firstReading } of live) {
      // The kernel's count of its own usage from its fork (or the attach); else /proc's, less what it reaped.
      const fromKernel = kernel?.process(member.pid, stat.starttime);
      const metrics = fromKernel
        ? processMetrics(stat, reading, countersOfUsage(fromKernel.usage, this.#hz), firstReading, ctx, zeroCounters())
        : processMetrics(stat, reading, ownCounters(reading.withReapedIo, this.#accounting.absorbed(member.key)), firstReading, ctx);
      processes.push(metrics);
      threads += stat.numThreads;
      if (member.pid === this.#options.rootPid) {
        root = metrics;
        this.#rootLast = reading.state;
        this.#rootCounted = true;
      } else {
        children.push({ pid: member.pid, command: stat.comm, metrics });
      }
    }
    // The root's end (gone from /proc: reaped, by tsdenet under run). With
    // eBPF its own counters are the kernel's final accounting of it, exact.
    // Else they stop at its last reading: what the kernel gives tsdenet when
    // it reaps the root (the reaper remainder, in the tree's totals) is the
    // root's last moments AND those of the descendants it reaped unseen,
    // which are not its own (--exclude-children carries the main process's
    // own only); a root never read running (it ended before the first
    // sample) has nothing else.
    if (kernel && reading?.fresh) {
      this.#rootUsage = (this.#rootStart === undefined ? kernel.firstWithPid(this.#options.rootPid) : kernel.process(this.#options.rootPid, this.#rootStart)) ?? this.#rootUsage;
    }
    const rootEndedNow = root === undefined && !this.#rootEnded && this.#tree.memberByPid(this.#options.rootPid) === undefined;
    if (rootEndedNow) {
      this.#rootEnded = true;
      this.#rootFinal = this.#rootUsage
        ? countersOfUsage(this.#rootUsage.usage, this.#hz)
        : (this.#rootLast?.lastOwn ?? (this.#options.mode === 'run' ? { ...this.#accounting.reaperRemainder } : zeroCounters()));
    }

    let total: Counters;
    let treeCpuSecs: number;
    if (kernel) {
      total = this.#monotonic(countersOfUsage(kernel.usage.total, this.#hz));
      treeCpuSecs = total.cpuTicks / this.#hz;
    } else {
      treeCpuSecs = this.#accounting.total.cpuTicks / this.#hz;
      total = { ...this.#accounting.total };
      if (this.#options.sinceProcessStart) addCounters(total, this.#accounting.baseline);
    }
    // The tree's CPU over the window: at most 100 % per online CPU, and with
    // eBPF at most 100 % per thread that ran at once (the kernel counts them).
    const cores = kernel && reading?.fresh ? Math.min(this.#onlineCpus, Math.max(1, kernel.usage.peak.threads, threads)) : this.#onlineCpus;
    const cpuUsage = this.#treeCpu.next(treeCpuSecs, windowSecs, cores);
    const net = this.#readNet();
    const base = this.#netBase;
    const uptimeSecs = root?.uptime_secs ?? (this.#rootStart === undefined ? 0 : Math.floor(Math.max(0, this.#uptime(nowMs) - this.#rootStart / this.#hz)));
    const unseenRoot = rootEndedNow && !this.#rootCounted;
    const aggregated = aggregateTree({
      tsMs,
      cpuUsage,
      processes,
      totals: total,
      ioKnown: this.#ioKnown || kernel !== undefined,
      net: { rxBytes: Math.max(0, net.rxBytes - base.rxBytes), txBytes: Math.max(0, net.txBytes - base.txBytes) },
      uptimeSecs,
      ended: this.#windowPeaks(reading?.fresh ? kernel : undefined, processes.length, threads, unseenRoot && !kernel),
    });
    if (root) {
      root.sys_net_rx_bytes = aggregated.sys_net_rx_bytes;
      root.sys_net_tx_bytes = aggregated.sys_net_tx_bytes;
    }
    if (this.#options.excludeChildren) {
      const metrics: Metrics = root ?? this.#closingRootMetrics(aggregated, windowSecs, rootEndedNow, unseenRoot, kernel !== undefined);
      return { record: { kind: 'sample', ...metrics }, aggregated, rootAlive: root !== undefined };
    }
    if (input.ebpf) aggregated.ebpf = input.ebpf(tsMs);
    const record: TreeRecord = { kind: 'tree', ts_ms: tsMs, parent: root ?? null, children, aggregated };
    return { record, aggregated, rootAlive: root !== undefined };
  }

  /**
   * The root's `sample` once it no longer runs (--exclude-children): its
   * own counters to the end (the kernel's final ones with eBPF, else its last
   * reading), its CPU over the window; no memory or threads are held any
   * more, but in the window it ended in, its peak RSS (eBPF), its last RSS,
   * or, never seen running, the kernel's peak for tsdenet's reaped children
   * stands for its memory. A zombie not yet reaped keeps its last reading.
   */
  #closingRootMetrics(a: AggregatedMetrics, windowSecs: number, endedNow: boolean, unseen: boolean, fromKernel: boolean): Metrics {
    // Before its end (a zombie not yet reaped): what its last reading had.
    const final = this.#rootFinal ?? this.#rootLast?.lastOwn ?? zeroCounters();
    const state = this.#rootLast;
    // The kernel counts from the fork (or the attach): nothing to take off.
    const base = fromKernel ? zeroCounters() : (state?.base ?? zeroCounters());
    const peakRssKb = this.#rootUsage?.peakRssKb ?? (unseen ? this.#reaperMaxRssKb : (state?.lastRssKb ?? 0));
    const threads = Math.max(state?.threads ?? 1, 1);
    this.#rootCpu ??= state?.cpu ?? new CpuRate();
    return {
      ts_ms: a.ts_ms,
      cpu_usage: this.#rootCpu.next(final.cpuTicks / this.#hz, windowSecs, threads),
      mem_rss_kb: endedNow ? peakRssKb : 0,
      mem_vms_kb: 0,
      ...counterFields(final, base, this.#ioKnown || fromKernel),
      sys_net_rx_bytes: a.sys_net_rx_bytes,
      sys_net_tx_bytes: a.sys_net_tx_bytes,
      thread_count: endedNow ? threads : 0,
      uptime_secs: a.uptime_secs,
      cpu_core: null,
    };
  }

  /** The command lines of the tree's processes as last read, by pid, exited ones included (with `commandLines`). */
  commandLines(): Map<number, string[]> {
    return this.#tree.commandLines();
  }

  /** The pids of the tree's processes at the last sample, not yet exited, root first. */
  runningPids(): number[] {
    const pids: number[] = [];
    for (const member of this.#tree.members) if (member.last.state !== 'Z') pids.push(member.pid);
    return pids.sort((a, b) => Number(b === this.#options.rootPid) - Number(a === this.#options.rootPid));
  }

  close(): void {
    this.#netFile.close();
    this.#tree.close();
  }
}
