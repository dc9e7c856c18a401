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
import { zeroCounters, type Counters } from './counters.js';
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

/** Per process instance: what its rates and deltas are measured from. */
interface ProcessState {
  ownCpuTicks: number;
  readAtMs: number;
  base: Counters;
  lastIo: Counters;
  ioReadable: boolean;
}

export interface SampleOutcome {
  record: TreeRecord | SampleRecord;
  /** The tree totals (also in the record, unless it is a `sample`). */
  aggregated: AggregatedMetrics;
  rootAlive: boolean;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Counters of one process: own (per-process record) and inclusive (tree totals). */
function countersOf(stat: ProcStat, io: Counters): { own: Counters; inclusive: Counters } {
  const own: Counters = { ...io, cpuTicks: stat.utime + stat.stime, minflt: stat.minflt, majflt: stat.majflt };
  const inclusive: Counters = {
    ...io,
    cpuTicks: own.cpuTicks + stat.cutime + stat.cstime,
    minflt: stat.minflt + stat.cminflt,
    majflt: stat.majflt + stat.cmajflt,
  };
  return { own, inclusive };
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
    this.#tree = new ProcessTree(options.rootPid, { procRoot: this.#procRoot, followChildren: !options.excludeChildren });
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
  #read(nowMs: number): { live: { member: Member; stat: ProcStat; metrics: Metrics }[] } {
    this.#tree.discover();
    const uptime = this.#uptime();
    const tsMs = Date.now();
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
      const state = this.#states.get(member.key);
      const ioCounters = zeroCounters();
      if (io) {
        Object.assign(ioCounters, io);
        this.#ioKnown = true;
      } else if (state) {
        Object.assign(ioCounters, state.lastIo);
      }
      const { own, inclusive } = countersOf(stat, ioCounters);
      const isRoot = member.pid === this.#options.rootPid;
      if (isRoot) this.#rootStart = stat.starttime;
      const preexisting = this.#options.mode === 'attach' && stat.starttime < this.#startTicks;
      const parent = this.#tree.memberByPid(stat.ppid);
      observations.push({
        key: member.key,
        parentKey: isRoot ? (this.#options.mode === 'run' ? REAPER_KEY : undefined) : parent?.key,
        inclusive,
        preexisting,
      });
      const ageSecs = Math.max(0, uptime - stat.starttime / this.#hz);
      let cpuUsage = 0;
      if (state) {
        const secs = (nowMs - state.readAtMs) / 1000;
        if (secs > 0.005) cpuUsage = ((own.cpuTicks - state.ownCpuTicks) / this.#hz / secs) * 100;
      } else if (!preexisting && ageSecs > 0.005) {
        const secs = Math.min(ageSecs, (nowMs - this.#lastMs) / 1000);
        if (secs > 0.005) cpuUsage = (own.cpuTicks / this.#hz / secs) * 100;
      }
      const ioReadable = io !== undefined || (state?.ioReadable ?? false);
      let base: Counters;
      if (state) {
        base = state.base;
        state.ownCpuTicks = own.cpuTicks;
        state.readAtMs = nowMs;
        state.lastIo = ioCounters;
        state.ioReadable = ioReadable;
      } else {
        base = preexisting && !this.#options.sinceProcessStart ? { ...own } : zeroCounters();
        this.#states.set(member.key, { ownCpuTicks: own.cpuTicks, readAtMs: nowMs, base, lastIo: ioCounters, ioReadable });
      }
      if (stat.state === 'Z') continue;
      // One literal in denet's field order; undefined fields are left out by JSON.stringify.
      const metrics: Metrics = {
        ts_ms: tsMs,
        cpu_usage: round2(Math.max(0, cpuUsage)),
        mem_rss_kb: stat.rssPages * this.#pageKb,
        mem_vms_kb: Math.floor(stat.vsizeBytes / 1024),
        disk_read_bytes: Math.max(0, own.readBytes - base.readBytes),
        disk_write_bytes: Math.max(0, own.writeBytes - base.writeBytes),
        syscall_read_bytes: ioReadable ? Math.max(0, own.rchar - base.rchar) : undefined,
        syscall_write_bytes: ioReadable ? Math.max(0, own.wchar - base.wchar) : undefined,
        page_faults_cached: Math.max(0, own.minflt - base.minflt),
        page_faults_disk: Math.max(0, own.majflt - base.majflt),
        sys_net_rx_bytes: 0,
        sys_net_tx_bytes: 0,
        thread_count: stat.numThreads,
        uptime_secs: Math.floor(ageSecs),
        cpu_core: stat.processor,
      };
      live.push({ member, stat, metrics });
    }
    this.#accounting.update(observations);
    return { live };
  }

  /** Takes one sample of the tree (or of the root alone with --exclude-children). */
  sample(): SampleOutcome {
    const nowMs = performance.now();
    const { live } = this.#read(nowMs);
    const tsMs = Date.now();
    const secs = (nowMs - this.#lastMs) / 1000;
    this.#lastMs = nowMs;
    const total = { ...this.#accounting.total };
    if (this.#options.sinceProcessStart) {
      for (const [k, v] of Object.entries(this.#accounting.baseline)) total[k as keyof Counters] += v;
    }
    const cpuUsage = secs > 0.005 ? ((this.#accounting.total.cpuTicks - this.#lastTotalCpu) / this.#hz / secs) * 100 : 0;
    this.#lastTotalCpu = this.#accounting.total.cpuTicks;
    const net = this.#readNet();
    const root = live.find((l) => l.member.pid === this.#options.rootPid);
    const uptimeSecs = root?.metrics.uptime_secs ?? (this.#rootStart === undefined ? 0 : Math.floor(Math.max(0, this.#uptime() - this.#rootStart / this.#hz)));
    let rssKb = 0;
    let vmsKb = 0;
    let threads = 0;
    for (const { metrics } of live) {
      rssKb += metrics.mem_rss_kb;
      vmsKb += metrics.mem_vms_kb;
      threads += metrics.thread_count;
    }
    const aggregated: AggregatedMetrics = {
      ts_ms: tsMs,
      cpu_usage: round2(Math.max(0, cpuUsage)),
      mem_rss_kb: rssKb,
      mem_vms_kb: vmsKb,
      disk_read_bytes: total.readBytes,
      disk_write_bytes: total.writeBytes,
      syscall_read_bytes: this.#ioKnown ? total.rchar : undefined,
      syscall_write_bytes: this.#ioKnown ? total.wchar : undefined,
      page_faults_cached: total.minflt,
      page_faults_disk: total.majflt,
      sys_net_rx_bytes: Math.max(0, net.rxBytes - this.#netBase.rxBytes),
      sys_net_tx_bytes: Math.max(0, net.txBytes - this.#netBase.txBytes),
      thread_count: threads,
      process_count: live.length,
      uptime_secs: uptimeSecs,
      ebpf: undefined,
    };
    if (root) {
      root.metrics.ts_ms = tsMs;
      root.metrics.sys_net_rx_bytes = aggregated.sys_net_rx_bytes;
      root.metrics.sys_net_tx_bytes = aggregated.sys_net_tx_bytes;
    }
    if (this.#options.excludeChildren) {
      // The root alone; once it has exited, its closing values.
      const metrics: Metrics = root?.metrics ?? this.#closingRootMetrics(aggregated);
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

  /** The root's last `sample` after it exited: tree counters, no memory, no threads. */
  #closingRootMetrics(a: AggregatedMetrics): Metrics {
    return {
      ts_ms: a.ts_ms,
      cpu_usage: a.cpu_usage,
      mem_rss_kb: 0,
      mem_vms_kb: 0,
      disk_read_bytes: a.disk_read_bytes,
      disk_write_bytes: a.disk_write_bytes,
      syscall_read_bytes: a.syscall_read_bytes,
      syscall_write_bytes: a.syscall_write_bytes,
      page_faults_cached: a.page_faults_cached,
      page_faults_disk: a.page_faults_disk,
      sys_net_rx_bytes: a.sys_net_rx_bytes,
      sys_net_tx_bytes: a.sys_net_tx_bytes,
      thread_count: 0,
      uptime_secs: a.uptime_secs,
      cpu_core: null,
    };
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
