/**
 * denet's run summary (`stats --json`, Summary in summary.rs), built one
 * sample at a time in constant memory, from live samples or from a file.
 *
 * Same definitions as denet except two it gets wrong:
 *  - max_processes is the largest process_count (denet's live summary
 *    always says 1);
 *  - avg_cpu_usage is weighted by the time each sample covers. With
 *    adaptive sampling, samples are 10x denser in the first second, and a
 *    plain mean gives that second ten times its weight.
 * Totals are the last sample's values (counters are cumulative); when a
 * file holds both tree aggregates and single-process samples, the
 * aggregates win (denet).
 */
import type { SamplePoint } from './classify.js';

export interface SyscallAverages {
  avg_syscall_rate_per_sec: number;
  avg_io_syscall_fraction: number;
  avg_memory_syscall_fraction: number;
  avg_cpu_syscall_fraction: number;
  avg_network_syscall_fraction: number;
}

export interface RunStatistics {
  total_time_secs: number;
  sample_count: number;
  max_processes: number;
  max_threads: number;
  total_disk_read_bytes: number;
  total_disk_write_bytes: number;
  total_syscall_read_bytes?: number;
  total_syscall_write_bytes?: number;
  peak_page_faults_cached?: number;
  peak_page_faults_disk?: number;
  total_sys_net_rx_bytes: number;
  total_sys_net_tx_bytes: number;
  peak_mem_rss_kb: number;
  avg_cpu_usage: number;
  syscalls?: SyscallAverages;
}

/** analysis field → summary field (denet's names). */
const ANALYSIS_FIELDS = {
  syscall_rate_per_sec: 'avg_syscall_rate_per_sec',
  io_intensity: 'avg_io_syscall_fraction',
  memory_intensity: 'avg_memory_syscall_fraction',
  cpu_intensity: 'avg_cpu_syscall_fraction',
  network_intensity: 'avg_network_syscall_fraction',
} as const;

class Track {
  count = 0;
  firstTs = 0;
  last: SamplePoint | undefined;
  maxProcesses = 0;
  maxThreads = 0;
  peakRss = 0;
  peakFaultsCached: number | undefined;
  peakFaultsDisk: number | undefined;
  cpuSum = 0;
  cpuWeighted = 0;
  weight = 0;
  analysisCount = 0;
  analysisSums: Record<string, number> = {};

  add(p: SamplePoint, t0Ms: number | undefined): void {
    const previousTs = this.last?.ts_ms ?? t0Ms;
    if (this.count === 0) this.firstTs = p.ts_ms;
    this.count++;
    this.maxProcesses = Math.max(this.maxProcesses, p.process_count);
    this.maxThreads = Math.max(this.maxThreads, p.thread_count);
    this.peakRss = Math.max(this.peakRss, p.mem_rss_kb);
    if (p.page_faults_cached !== undefined) this.peakFaultsCached = Math.max(this.peakFaultsCached ?? 0, p.page_faults_cached);
    if (p.page_faults_disk !== undefined) this.peakFaultsDisk = Math.max(this.peakFaultsDisk ?? 0, p.page_faults_disk);
    this.cpuSum += p.cpu_usage;
    const covered = previousTs === undefined ? 0 : Math.max(0, p.ts_ms - previousTs);
    this.cpuWeighted += p.cpu_usage * covered;
    this.weight += covered;
    if (p.analysis) {
      this.analysisCount++;
      for (const key of Object.keys(ANALYSIS_FIELDS)) this.analysisSums[key] = (this.analysisSums[key] ?? 0) + (p.analysis[key] ?? 0);
    }
    this.last = p;
  }

  result(t0Ms: number | undefined): RunStatistics | undefined {
    const last = this.last;
    if (!last) return undefined;
    const start = t0Ms !== undefined && t0Ms <= this.firstTs ? t0Ms : this.firstTs;
    const stats: RunStatistics = {
      total_time_secs: Math.max(0, last.ts_ms - start) / 1000,
      sample_count: this.count,
      max_processes: this.maxProcesses,
      max_threads: this.maxThreads,
      total_disk_read_bytes: last.disk_read_bytes,
      total_disk_write_bytes: last.disk_write_bytes,
    } as RunStatistics;
    if (last.syscall_read_bytes !== undefined) stats.total_syscall_read_bytes = last.syscall_read_bytes;
    if (last.syscall_write_bytes !== undefined) stats.total_syscall_write_bytes = last.syscall_write_bytes;
    if (this.peakFaultsCached !== undefined) stats.peak_page_faults_cached = this.peakFaultsCached;
    if (this.peakFaultsDisk !== undefined) stats.peak_page_faults_disk = this.peakFaultsDisk;
    stats.total_sys_net_rx_bytes = last.sys_net_rx_bytes;
    stats.total_sys_net_tx_bytes = last.sys_net_tx_bytes;
    stats.peak_mem_rss_kb = this.peakRss;
    stats.avg_cpu_usage = this.weight > 0 ? this.cpuWeighted / this.weight : this.cpuSum / this.count;
    if (this.analysisCount > 0) {
      const averages = {} as SyscallAverages;
      for (const [from, to] of Object.entries(ANALYSIS_FIELDS)) averages[to] = (this.analysisSums[from] ?? 0) / this.analysisCount;
      stats.syscalls = averages;
    }
    return stats;
  }
}

export class StatisticsBuilder {
  #t0Ms: number | undefined;
  readonly #aggregated = new Track();
  readonly #single = new Track();

  /** Monitoring start (metadata t0_ms): the first sample covers the time since. */
  setStart(t0Ms: number | undefined): void {
    if (t0Ms !== undefined && this.#t0Ms === undefined) this.#t0Ms = t0Ms;
  }

  addAggregated(point: SamplePoint): void {
    this.#aggregated.add(point, this.#t0Ms);
  }

  addSingle(point: SamplePoint): void {
    this.#single.add(point, this.#t0Ms);
  }

  get sampleCount(): number {
    return this.#aggregated.count || this.#single.count;
  }

  /** The summary, or undefined when no sample was added. */
  result(): RunStatistics | undefined {
    return this.#aggregated.result(this.#t0Ms) ?? this.#single.result(this.#t0Ms);
  }
}
