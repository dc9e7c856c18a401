/**
 * The one function that summarizes samples (denet's Summary, `stats
 * --json`), built one record at a time in constant memory. The live run,
 * `stats FILE` and the HTML report all feed it, so they show the same
 * numbers for the same records.
 *
 * denet's fields keep denet's definitions (src/monitor/metrics.rs
 * Summary::from_aggregated_metrics and summary.rs), so a file gives the
 * same summary in denet and in tsdenet:
 *  - total_time_secs: last sample's ts_ms − first sample's;
 *  - avg_cpu_usage: the plain mean of the samples' cpu_usage;
 *  - totals: the last sample's (counters are cumulative); peaks: the largest;
 *  - max_processes: the largest process_count (1 for single-process samples);
 *  - syscalls: the means of the samples' `analysis` fields.
 * When a file holds both tree aggregates and single-process samples, the
 * aggregates win (denet).
 * tsdenet adds, under their own names, two figures measured from t0 (the
 * metadata's t0_ms, when monitoring began; the first sample without one):
 *  - time_weighted_cpu_usage: each sample's cpu_usage weighted by the window
 *    it covers (since the previous sample; the first since t0): the tree's
 *    CPU time over the time since t0, where denet's plain mean gives the
 *    densely sampled first second ten times its weight;
 *  - syscall_rate_per_sec: every call counted / the seconds since t0
 *    (definitions.ts), the last sample's running rate.
 */
import { syscallRate } from './definitions.js';
import { GpuTrack } from './gpu-summary.js';
import { MemoryTrack } from './memory-characterization.js';
import { defined, sampleOf, type ReadAggregated, type ReadEbpfSyscalls, type ReadOffcpu, type ReadRecord } from './reader.js';
import type { RunStatistics, SyscallAverages, SyscallCount } from './schema.js';

/**
 * The run's syscall counts, denet's `ebpf.syscalls` without the running
 * analysis: the closing summary record's when there is one, else the last
 * sample's (cumulative; a denet file). What `stats` shows, under the same
 * path (`.ebpf.syscalls`) as in the summary record.
 */
export interface SyscallCounts {
  total: number;
  by_category: Record<string, number>;
  top_syscalls: SyscallCount[];
  /** Every syscall's count, where the record has them (a tsdenet summary; denet's samples only have the top). */
  by_syscall?: Record<string, number>;
}

/** A record's `ebpf.syscalls` as `stats` shows them. */
export function syscallCountsOf(syscalls: ReadEbpfSyscalls & { by_syscall?: Record<string, number> }): SyscallCounts {
  const counts: SyscallCounts = { total: syscalls.total, by_category: syscalls.by_category ?? {}, top_syscalls: syscalls.top_syscalls ?? [] };
  if (syscalls.by_syscall) counts.by_syscall = syscalls.by_syscall;
  return counts;
}

/** The eBPF part of `stats`: what the file has of each, under the summary record's paths. */
export interface StatsEbpf {
  syscalls?: SyscallCounts;
  offcpu?: ReadOffcpu;
}

/**
 * What `stats --json` prints and `run --stats FILE` writes: denet's Summary
 * object, with the syscall counts and off-CPU time under the summary
 * record's paths (.ebpf.syscalls, .ebpf.offcpu).
 */
export function statsDocument(statistics: RunStatistics | undefined, ebpf: StatsEbpf): (RunStatistics & { ebpf?: StatsEbpf }) | Record<string, never> {
  if (!statistics) return {};
  const { syscalls, offcpu } = ebpf;
  return syscalls || offcpu ? { ...statistics, ebpf: { ...(syscalls && { syscalls }), ...(offcpu && { offcpu }) } } : statistics;
}

/** analysis field → summary field (denet's names). */
const ANALYSIS_FIELDS = {
  syscall_rate_per_sec: 'avg_syscall_rate_per_sec',
  io_intensity: 'avg_io_syscall_fraction',
  memory_intensity: 'avg_memory_syscall_fraction',
  cpu_intensity: 'avg_cpu_syscall_fraction',
  network_intensity: 'avg_network_syscall_fraction',
} as const;

type AnalysisField = keyof typeof ANALYSIS_FIELDS;

/** The running figures of one kind of sample (tree aggregates, or single processes). */
class Track {
  count = 0;
  firstTs = 0;
  /** t0, or the first sample's time: what the rates are measured from. */
  startTs = 0;
  last: ReadAggregated | undefined;
  maxProcesses = 0;
  maxThreads = 0;
  peakRss = 0;
  peakFaultsCached: number | undefined;
  peakFaultsDisk: number | undefined;
  cpuSum = 0;
  cpuCount = 0;
  /** Σ cpu_usage × seconds covered, and the seconds, for time_weighted_cpu_usage. */
  cpuWeighted = 0;
  weightSecs = 0;
  readonly analysisSums: Record<AnalysisField, number> = { syscall_rate_per_sec: 0, io_intensity: 0, memory_intensity: 0, cpu_intensity: 0, network_intensity: 0 };
  analysisCount = 0;
  syscalls: ReadEbpfSyscalls | undefined;
  /** --offcpu: the last sample's (cumulative). */
  offcpu: ReadOffcpu | undefined;
  readonly gpu = new GpuTrack();
  readonly memory = new MemoryTrack();

  constructor(readonly tree: boolean) {}

  /** t0Ms: when monitoring began, if known (the first sample's window starts there). */
  add(p: ReadAggregated, t0Ms: number | undefined): void {
    const previousTs = this.last ? this.last.ts_ms : t0Ms !== undefined && t0Ms <= p.ts_ms ? t0Ms : undefined;
    if (this.count === 0) {
      this.startTs = previousTs ?? p.ts_ms;
      this.firstTs = p.ts_ms;
    }
    this.count++;
    this.maxProcesses = Math.max(this.maxProcesses, this.tree ? (p.process_count ?? 0) : 1);
    this.maxThreads = Math.max(this.maxThreads, p.thread_count ?? 0);
    this.peakRss = Math.max(this.peakRss, p.mem_rss_kb ?? 0);
    if (p.page_faults_cached !== undefined) this.peakFaultsCached = Math.max(this.peakFaultsCached ?? 0, p.page_faults_cached);
    if (p.page_faults_disk !== undefined) this.peakFaultsDisk = Math.max(this.peakFaultsDisk ?? 0, p.page_faults_disk);
    if (p.cpu_usage !== undefined) {
      this.cpuSum += p.cpu_usage;
      this.cpuCount++;
      if (previousTs !== undefined && p.ts_ms > previousTs) {
        const secs = (p.ts_ms - previousTs) / 1000;
        this.cpuWeighted += p.cpu_usage * secs;
        this.weightSecs += secs;
      }
    }
    if (p.gpu) this.gpu.add(p.gpu);
    this.memory.add(p);
    const syscalls = p.ebpf?.syscalls;
    if (syscalls) this.syscalls = syscalls;
    if (p.ebpf?.offcpu) this.offcpu = p.ebpf.offcpu;
    const analysis = syscalls?.analysis;
    if (analysis) {
      this.analysisCount++;
      for (const key of Object.keys(ANALYSIS_FIELDS) as AnalysisField[]) this.analysisSums[key] += analysis[key] ?? 0;
    }
    this.last = p;
  }

  /** syscallTotal: the run's final count when a summary record gives it (else the last sample's). */
  result(syscallTotal: number | undefined): RunStatistics | undefined {
    const last = this.last;
    if (!last) return undefined;
    const totalTimeSecs = Math.max(0, last.ts_ms - this.firstTs) / 1000;
    const sinceStartSecs = Math.max(0, last.ts_ms - this.startTs) / 1000;
    let averages: SyscallAverages | undefined;
    if (this.analysisCount > 0) {
      averages = {} as SyscallAverages;
      for (const [from, to] of Object.entries(ANALYSIS_FIELDS) as [AnalysisField, keyof SyscallAverages][]) averages[to] = this.analysisSums[from] / this.analysisCount;
    }
    const total = syscallTotal ?? this.syscalls?.total;
    // Unknown figures are left out, as denet leaves out its optional ones.
    return defined<RunStatistics>({
      total_time_secs: totalTimeSecs,
      sample_count: this.count,
      max_processes: this.maxProcesses,
      max_threads: this.maxThreads,
      total_disk_read_bytes: last.disk_read_bytes ?? 0,
      total_disk_write_bytes: last.disk_write_bytes ?? 0,
      total_syscall_read_bytes: last.syscall_read_bytes,
      total_syscall_write_bytes: last.syscall_write_bytes,
      peak_page_faults_cached: this.peakFaultsCached,
      peak_page_faults_disk: this.peakFaultsDisk,
      total_sys_net_rx_bytes: last.sys_net_rx_bytes ?? 0,
      total_sys_net_tx_bytes: last.sys_net_tx_bytes ?? 0,
      peak_mem_rss_kb: this.peakRss,
      avg_cpu_usage: this.cpuCount > 0 ? this.cpuSum / this.cpuCount : 0,
      syscalls: averages,
      gpu: this.gpu.result(),
      memory_characterization: this.memory.result(),
      time_weighted_cpu_usage: this.weightSecs > 0 ? this.cpuWeighted / this.weightSecs : undefined,
      syscall_rate_per_sec: total !== undefined ? syscallRate(total, sinceStartSecs) : undefined,
    });
  }
}

export class SummaryBuilder {
  readonly #aggregated = new Track(true);
  readonly #single = new Track(false);
  #syscallTotal: number | undefined;
  #summaryCounts: SyscallCounts | undefined;
  #summaryOffcpu: ReadOffcpu | undefined;
  #t0Ms: number | undefined;

  /** Takes one record; only the metadata's t0, samples and the closing summary's syscall total count. */
  add(record: ReadRecord): void {
    if (record.kind === 'metadata') {
      this.#t0Ms ??= record.t0_ms;
      return;
    }
    if (record.kind === 'summary') {
      const syscalls = record.ebpf?.syscalls;
      if (syscalls?.total !== undefined) {
        this.#syscallTotal = syscalls.total;
        this.#summaryCounts = syscallCountsOf({ ...syscalls, total: syscalls.total });
      }
      this.#summaryOffcpu = record.ebpf?.offcpu ?? this.#summaryOffcpu;
      return;
    }
    const sample = sampleOf(record);
    if (sample) (sample.tree ? this.#aggregated : this.#single).add(sample.point, this.#t0Ms);
  }

  /** The run's final syscall count, known before its summary record is written (the live run). */
  setSyscallTotal(total: number): void {
    this.#syscallTotal = total;
  }

  /** The syscall counts (summary record first, else the samples result() summarizes), if any were read. */
  syscallCounts(): SyscallCounts | undefined {
    if (this.#summaryCounts) return this.#summaryCounts;
    const track = this.#aggregated.count > 0 ? this.#aggregated : this.#single;
    return track.syscalls && syscallCountsOf(track.syscalls);
  }

  /**
   * --offcpu's off-CPU time (denet's ebpf.offcpu, with tsdenet's split when
   * the file has it): the closing summary record's, else the last sample's
   * (cumulative), under the same path as in the summary record.
   */
  offcpu(): ReadOffcpu | undefined {
    if (this.#summaryOffcpu) return this.#summaryOffcpu;
    const track = this.#aggregated.count > 0 ? this.#aggregated : this.#single;
    return track.offcpu;
  }

  /** The summary, or undefined when no sample was added. */
  result(): RunStatistics | undefined {
    return this.#aggregated.result(this.#syscallTotal) ?? this.#single.result(this.#syscallTotal);
  }
}
