/**
 * Reads the monitored tree from /proc and builds denet's records: one
 * process (`sample`, --exclude-children) or the whole tree (`tree`).
 *
 * Rates (cpu_usage) cover the time since the previous reading; the first
 * reading is taken when the sampler is created (before the command starts
 * under `run`, at attach time under `attach`), so even the first record has
 * a real interval. Counters are deltas from that moment, or the kernel's raw
 * values with --since-process-start. A process born after monitoring began
 * is counted from its start (denet counts it from its first sighting).
 */
import { performance } from 'node:perf_hooks';
import { parseIo } from '../proc/io.js';
import { parseNetDev, type NetTotals } from '../proc/net-dev.js';
import { ProcFile, readText } from '../proc/proc-file.js';
import { parseStat, type ProcStat } from '../proc/stat.js';
import { ignoresSigchld } from '../proc/status.js';
import { systemConstants } from '../proc/system-constants.js';
import { parseUptime } from '../proc/uptime.js';
import type { Counters } from './counters.js';
import { aggregateTree, closingRootMetrics } from './tree-aggregate.js';
import { readProcess, type ProcessState, type ReadingContext } from './process-metrics.js';
import { ProcessTree, type Member } from './process-tree.js';
import { readReapedChildren } from './reaper.js';
import type { AggregatedMetrics, ChildEntry, EbpfField, Metrics, SampleRecord, TreeRecord } from './records.js';
import { REAPER_KEY, TreeAccounting, type Observation } from './tree-accounting.js';

export interface SamplerOptions {
  rootPid: number;
  /** run: tsdenet starts (and reaps) the root; attach: it was running before. */
  mode: 'run' | 'attach';
  excludeChildren: boolean;
  sinceProcessStart: boolean;
  /** aggregated.ebpf of each tree record (elapsed seconds since monitoring began). */
  ebpf?: (elapsedSecs: number) => EbpfField | undefined;
  procRoot?: string;
}

export interface SampleOutcome {
  record: TreeRecord | SampleRecord;
  /** The tree totals (also in the record, unless it is a `sample`). */
  aggregated: AggregatedMetrics;
  rootAlive: boolean;
}

export class TreeSampler {
  readonly #options: SamplerOptions;
  readonly #procRoot: string;
  readonly #tree: ProcessTree;
  readonly #accounting: TreeAccounting;
  readonly #states = new Map<string, ProcessState>();
  readonly #hz: number;
  readonly #pageKb: number;
  /** Boot-relative clock ticks when monitoring began: older processes are pre-existing. */
  readonly #startTicks: number;
  readonly #startMs: number;
  readonly #netBase: NetTotals;
  readonly #netFile: ProcFile;
  /** Seconds since boot when monitoring began; later uptimes are derived from the monotonic clock. */
  readonly #startUptime: number;
  #lastMs: number;
  /** Start of the window the next cpu_usage covers, and the tree's CPU ticks then. */
  #cpuWindowMs: number;
  #lastTotalCpu = 0;
  #rootStart: number | undefined;
  /** Some /proc/<pid>/io was readable: the syscall byte counters are known. */
  #ioKnown = false;

  constructor(options: SamplerOptions) {
    this.#options = options;
    this.#procRoot = options.procRoot ?? '/proc';
    const { clockTicks, pageSize } = systemConstants();
    this.#hz = clockTicks;
    this.#pageKb = pageSize / 1024;
    this.#startMs = performance.now();
    this.#startUptime = parseUptime(readText(`${this.#procRoot}/uptime`) ?? '');
    this.#startTicks = Math.floor(this.#startUptime * clockTicks);
    this.#lastMs = this.#startMs;
    this.#cpuWindowMs = this.#startMs;
    // `tsdenet attach $$` from a shell: tsdenet is in the tree it watches, and must not count itself.
    this.#tree = new ProcessTree(options.rootPid, { procRoot: this.#procRoot, followChildren: !options.excludeChildren, exclude: [process.pid] });
    this.#accounting = new TreeAccounting({
      readReaperChildren: options.mode === 'run' ? () => readReapedChildren(this.#procRoot) : undefined,
      // Read only when a member's children vanished: rare, so not cached.
      ignoresSigchld: (key) => ignoresSigchld(readText(`${this.#procRoot}/${key.slice(0, key.indexOf('@'))}/status`) ?? ''),
    });
    this.#netFile = new ProcFile(`${this.#procRoot}/${options.rootPid}/net/dev`);
    const net = this.#readNet();
    this.#netBase = options.sinceProcessStart ? { rxBytes: 0, txBytes: 0 } : net;
    // attach: the processes already there are read once now, so that the
    // first record has rates and their past work is not counted.
    if (options.mode === 'attach') this.#read(performance.now());
  }

  #uptime(): number {
    return this.#startUptime + (performance.now() - this.#startMs) / 1000;
  }

  /** The root's network namespace; tsdenet's own once the root is gone. */
  #readNet(): NetTotals {
    const text = this.#netFile.read() ?? readText(`${this.#procRoot}/net/dev`) ?? '';
    return parseNetDev(text);
  }

  /** Reads every member: per-process metrics and the tree observations. */
  #read(nowMs: number, known?: Iterable<number>): { live: { member: Member; stat: ProcStat; metrics: Metrics }[] } {
    this.#tree.discover(known);
    const context: ReadingContext = {
      preexisting: false,
      nowMs,
      previousSampleMs: this.#lastMs,
      tsMs: Date.now(),
      uptimeSecs: this.#uptime(),
      clockTicks: this.#hz,
      pageKb: this.#pageKb,
      sinceProcessStart: this.#options.sinceProcessStart,
    };
    const observations: Observation[] = [];
    const live: { member: Member; stat: ProcStat; metrics: Metrics }[] = [];
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
      if (isRoot) this.#rootStart = stat.starttime;
      const preexisting = this.#options.mode === 'attach' && stat.starttime < this.#startTicks;
      context.preexisting = preexisting;
      const state = this.#states.get(member.key);
      const reading = readProcess(stat, io, state, context);
      if (!state) this.#states.set(member.key, reading.state);
      observations.push({
        key: member.key,
        parentKey: isRoot ? (this.#options.mode === 'run' ? REAPER_KEY : undefined) : this.#tree.memberByPid(stat.ppid)?.key,
        inclusive: reading.inclusive,
        preexisting,
      });
      if (stat.state === 'Z') continue;
      const metrics = reading.metrics;
      live.push({ member, stat, metrics });
    }
    this.#accounting.update(observations);
    return { live };
  }

  /**
   * Takes one sample of the tree (or of the root alone with --exclude-children).
   * known: pids the eBPF counter saw running in the tree (see ProcessTree.discover).
   */
  sample(known?: Iterable<number>): SampleOutcome {
    const nowMs = performance.now();
    const { live } = this.#read(nowMs, this.#options.excludeChildren ? undefined : known);
    const tsMs = Date.now();
    this.#lastMs = nowMs;
    const total = { ...this.#accounting.total };
    if (this.#options.sinceProcessStart) {
      for (const [k, v] of Object.entries(this.#accounting.baseline)) total[k as keyof Counters] += v;
    }
    // A window under 5 ms gives no meaningful rate (ticks are 10 ms): its CPU
    // time is carried into the next sample's window instead of being dropped,
    // so a command that ends before the first interval still shows its CPU.
    const secs = (nowMs - this.#cpuWindowMs) / 1000;
    let cpuUsage = 0;
    if (secs > 0.005) {
      cpuUsage = ((this.#accounting.total.cpuTicks - this.#lastTotalCpu) / this.#hz / secs) * 100;
      this.#lastTotalCpu = this.#accounting.total.cpuTicks;
      this.#cpuWindowMs = nowMs;
    }
    const net = this.#readNet();
    const root = live.find((l) => l.member.pid === this.#options.rootPid);
    const uptimeSecs = root?.metrics.uptime_secs ?? (this.#rootStart === undefined ? 0 : Math.floor(Math.max(0, this.#uptime() - this.#rootStart / this.#hz)));
    const aggregated = aggregateTree({
      tsMs,
      cpuUsage,
      processes: live.map((l) => l.metrics),
      totals: total,
      ioKnown: this.#ioKnown,
      net: { rxBytes: Math.max(0, net.rxBytes - this.#netBase.rxBytes), txBytes: Math.max(0, net.txBytes - this.#netBase.txBytes) },
      uptimeSecs,
    });
    if (root) {
      root.metrics.ts_ms = tsMs;
      root.metrics.sys_net_rx_bytes = aggregated.sys_net_rx_bytes;
      root.metrics.sys_net_tx_bytes = aggregated.sys_net_tx_bytes;
    }
    if (this.#options.excludeChildren) {
      // The root alone; once it has exited, its closing values.
      const metrics: Metrics = root?.metrics ?? closingRootMetrics(aggregated);
      return { record: { kind: 'sample', ...metrics }, aggregated, rootAlive: root !== undefined };
    }
    const ebpf = this.#options.ebpf?.((nowMs - this.#startMs) / 1000);
    if (ebpf) aggregated.ebpf = ebpf;
    const children: ChildEntry[] = [];
    for (const { member, stat, metrics } of live) {
      if (member.pid === this.#options.rootPid) continue;
      metrics.ts_ms = tsMs;
      children.push({ pid: member.pid, command: stat.comm, metrics });
    }
    const record: TreeRecord = { kind: 'tree', ts_ms: tsMs, parent: root?.metrics ?? null, children, aggregated };
    return { record, aggregated, rootAlive: root !== undefined };
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
