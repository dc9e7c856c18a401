/**
 * Every record tsdenet writes or reads, typed once.
 *
 * Two families, kept apart on purpose:
 *  - denet's records (`env`, `metadata`, `tree`, `sample`): field names,
 *    units and order as denet writes them (denet src/monitor/record.rs,
 *    metrics.rs). These, and only these, go into the -o file, so that
 *    denet's own readers (its `stats`, its Python analysis helpers, which
 *    take every line after the metadata for a sample) read it as a denet file.
 *  - tsdenet's own records (`syscalls`, `summary`): on stdout with --json
 *    after the denet records, and in the -o file's sidecar (sidecar.ts).
 * Optional fields are left out when unknown, as denet does.
 */
import type { Category } from '../syscalls/categories.js';

// ---------------------------------------------------------------- denet's

/** Fields denet's `Metrics` and `AggregatedMetrics` share (field order is set where records are built). */
export interface SampleFields {
  ts_ms: number;
  /** Over the window since the previous record; top's convention: one busy core = 100. */
  cpu_usage: number;
  mem_rss_kb: number;
  mem_vms_kb: number;
  disk_read_bytes: number;
  disk_write_bytes: number;
  syscall_read_bytes?: number;
  syscall_write_bytes?: number;
  page_faults_cached?: number;
  page_faults_disk?: number;
  sys_net_rx_bytes: number;
  sys_net_tx_bytes: number;
  thread_count: number;
  uptime_secs: number;
}

/** One process (denet `Metrics`): a `sample` record, `tree.parent`, `children[].metrics`. */
export interface Metrics extends SampleFields {
  cpu_core: number | null;
  /** NVML, when libnvidia-ml.so.1 is there: the devices, and this process's GPU memory (the root's; children carry none, as in denet). */
  gpu?: GpuMetrics;
  /** Memory pressure (the root's; children carry none). */
  psi_mem?: PsiMem;
  /** Hardware counters of the whole tree over the window (the root's metrics and the aggregate; children carry none). */
  perf?: PerfDeltas;
}

/** denet 0.6 `psi_mem`: the avg10 figures of the command's cgroup's memory.pressure, else the system's, in percent (0-100) as the kernel prints them. */
export interface PsiMem {
  some_avg10: number;
  full_avg10: number;
}

/** denet 0.6 `perf`: counts over the window (the first sample's are 0); null: the counter could not be opened (denet writes 0). */
export interface PerfDeltas {
  cycles: number;
  instructions: number;
  cache_refs: number | null;
  cache_misses: number | null;
  stalled_backend: number | null;
}

/** denet 0.6 summary `memory_characterization`; a ratio is left out when its counters are unknown. */
export interface MemoryCharacterization {
  mean_ipc?: number;
  llc_miss_rate?: number;
  backend_stall_ratio?: number;
  /** Share of the samples whose some_avg10 is above 0. */
  psi_some_fraction?: number;
  verdict: 'memory-bound' | 'cpu-bound' | 'mixed' | 'insufficient-data';
}

/** One GPU as NVML reports it (denet `SystemGpuMetrics`); null where the driver does not say. */
export interface SystemGpuMetrics {
  device_index: number;
  name: string;
  /** Percent, whole device (every process on it). */
  system_utilization_gpu: number | null;
  system_utilization_memory: number | null;
  /** Bytes. */
  memory_total: number | null;
  memory_used: number | null;
  memory_free: number | null;
  /** °C. */
  temperature: number | null;
  /** Milliwatts, as NVML gives it (denet's comment says watts; its value is NVML's mW). */
  power_usage: number | null;
}

/** A process of the tree that holds GPU memory (denet `ProcessGpuData`). */
export interface ProcessGpuData {
  pid: number;
  /** Per-process utilisation comes from nvidia-smi in denet; tsdenet runs no such tool: always null. */
  gpu_utilization: number | null;
  /** Bytes, on every device together. */
  memory_usage: number | null;
  memory_utilization: number | null;
}

/** denet's per-sample `gpu` (GpuMetrics). */
export interface GpuMetrics {
  system_metrics: SystemGpuMetrics[];
  process_data: ProcessGpuData[];
  has_process_data: boolean;
  /** "nvml-memory-only" when process_data holds something, else "none" (denet's values). */
  collection_method: string;
}

/** denet's summary `gpu` (GpuSummary). */
export interface GpuSummary {
  enabled: boolean;
  device_count: number;
  /** GiB: every device's memory together (the last sample's). */
  total_memory_gb: number;
  /** GiB: the largest memory in use on all devices together, over the samples. */
  peak_used_memory_gb: number;
  max_system_gpu_utilization: number;
  max_process_gpu_utilization: number | null;
  /** GiB: the largest GPU memory the tree's processes held together, over the samples. */
  process_memory_usage_gb: number;
}

export interface SyscallCount {
  name: string;
  count: number;
}

/** denet's `analysis`: the running syscall rate and each category's share (cpu_intensity is the `process` share, as denet defines it). */
export interface SyscallAnalysis {
  syscall_rate_per_sec: number;
  io_intensity: number;
  memory_intensity: number;
  cpu_intensity: number;
  network_intensity: number;
}

/** denet's `ebpf.syscalls` (cumulative since monitoring began). */
export interface EbpfSyscalls {
  total: number;
  by_category: Record<Category, number>;
  top_syscalls: SyscallCount[];
  /** Left out while no call or no time has been measured (denet writes zeros). */
  analysis?: SyscallAnalysis;
}

/** A thread of denet's `top_blocking_threads`. */
export interface OffcpuThreadShare {
  tid: number;
  pid: number;
  /** Its off-CPU time, ms. */
  time_ms: number;
  /** Its share of total_time_ns, percent, 2 decimals. */
  percentage: number;
}

/**
 * denet's `ebpf.offcpu` (cumulative since monitoring began; --offcpu), then
 * tsdenet's split of total_time_ns by why the threads were off CPU.
 * Definitions: records/offcpu.ts.
 */
export interface EbpfOffcpu {
  total_time_ns: number;
  /** Off-CPU intervals ended (a thread switched back in). */
  total_events: number;
  avg_time_ns: number;
  /** The longest single interval. */
  max_time_ns: number;
  top_blocking_threads: OffcpuThreadShare[];
  /** tsdenet: switched out not runnable (sleeping, blocked on I/O, a lock, a pipe...). */
  sleeping_ns: number;
  /** tsdenet: preempted while runnable (waiting for a CPU). */
  runnable_ns: number;
}

/** One process's off-CPU time (--offcpu), the sum over its threads. */
export interface ProcessOffcpu {
  sleeping_ns: number;
  runnable_ns: number;
  events: number;
}

export interface EbpfField {
  syscalls?: EbpfSyscalls;
  offcpu?: EbpfOffcpu;
  error?: string;
}

/** The whole tree (denet `AggregatedMetrics`). */
export interface AggregatedMetrics extends SampleFields {
  process_count: number;
  ebpf?: EbpfField;
  /** NVML: the devices, and the GPU memory of every process of the tree. */
  gpu?: GpuMetrics;
  psi_mem?: PsiMem;
  perf?: PerfDeltas;
}

export interface ChildEntry {
  pid: number;
  /** The process name (comm), as denet. */
  command: string;
  metrics: Metrics;
}

export interface TreeRecord {
  kind: 'tree';
  ts_ms: number;
  /** null once the root process has exited (the closing sample of `run`). */
  parent: Metrics | null;
  children: ChildEntry[];
  aggregated: AggregatedMetrics | null;
}

export type SampleRecord = { kind: 'sample' } & Metrics;

export interface MetadataRecord {
  kind: 'metadata';
  pid: number;
  cmd: string[];
  executable: string;
  /** When monitoring began: the time of the first sample. */
  t0_ms: number;
  capabilities?: Record<string, unknown>;
}

export interface EnvRecord {
  kind: 'env';
  ts_ms: number;
  host: string;
  kernel: string;
  lscpu: { sockets: number; cores_per_socket: number; threads_per_core: number; model: string };
  numa: { nodes: number; distances: number[][]; node_sizes_mb: number[] };
  affinity_inherited: string;
  cpu_governor?: string[];
  cpu_freq_khz?: number[];
  thp_enabled?: string;
  smt_active?: boolean;
  cgroup?: string;
}

/** What the -o file holds, in this order: env?, metadata, then tree (or sample) records. */
export type DenetRecord = EnvRecord | MetadataRecord | TreeRecord | SampleRecord;

// ---------------------------------------------------------------- the summary of samples

/** denet's `syscalls` averages of the samples' `analysis` (Summary.syscalls). */
export interface SyscallAverages {
  avg_syscall_rate_per_sec: number;
  avg_io_syscall_fraction: number;
  avg_memory_syscall_fraction: number;
  avg_cpu_syscall_fraction: number;
  avg_network_syscall_fraction: number;
}

/**
 * denet's Summary (`stats --json`), then tsdenet's own figures under their
 * own names. Definitions: docs/monitoring.md, "One definition per number".
 */
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
  /** When some sample carries `gpu`. */
  gpu?: GpuSummary;
  /** When some sample carries `psi_mem` or `perf`. */
  memory_characterization?: MemoryCharacterization;
  /** tsdenet: each sample's CPU weighted by the time it covers (the tree's CPU time / total_time_secs). */
  time_weighted_cpu_usage?: number;
  /** tsdenet: every syscall counted / total_time_secs. */
  syscall_rate_per_sec?: number;
}

// ---------------------------------------------------------------- tsdenet's

export interface ThreadSyscalls {
  tid: number;
  comm: string | null;
  total: number;
  by_syscall: Record<string, number>;
}

export interface ProcessSyscalls {
  pid: number;
  ppid: number | null;
  comm: string | null;
  argv: string[] | null;
  threads: number;
  total: number;
  by_syscall: Record<string, number>;
  /** With --per-thread. */
  thread_list?: ThreadSyscalls[];
  /** With --offcpu. */
  offcpu?: ProcessOffcpu;
}

export interface ErrorReport {
  /** Failed calls in all. */
  total: number;
  by_errno: Record<string, number>;
  by_syscall: Record<string, { total: number; by_errno: Record<string, number> }>;
  /** Failed calls not counted because the errors map was full. */
  lost: number;
}

export interface SyscallLatency {
  calls: number;
  total_secs: number;
  usecs_per_call: number;
  max_usecs: number;
  /** histogram_log2_ns[b]: calls that took [2^b, 2^(b+1)) ns. */
  histogram_log2_ns: number[];
}

export interface LatencyReport {
  total_secs: number;
  by_syscall: Record<string, SyscallLatency>;
}

/** The summary's `ebpf.syscalls`: denet's shape, plus every count, per process. */
export interface SyscallReport extends EbpfSyscalls {
  by_syscall: Record<string, number>;
  processes: ProcessSyscalls[];
  dropped: number;
  untracked_threads: number;
  lost_thread_info: number;
  /** With --syscalls/--category: only these were counted. */
  filter?: string[];
  errors?: ErrorReport;
  latency?: LatencyReport;
}

export type AttachMode = 'tp_btf' | 'tracepoint';

export interface EbpfSection {
  attach_mode?: AttachMode;
  attach_point?: string;
  syscalls?: SyscallReport;
  /** With --offcpu: the whole run's, as denet's per-sample field (per process: syscalls.processes[].offcpu). */
  offcpu?: EbpfOffcpu;
  error?: string;
}

/** --interval-report: calls in one interval. */
export interface SyscallIntervalRecord {
  kind: 'syscalls';
  ts_ms: number;
  /** Since monitoring began. */
  elapsed_secs: number;
  /** Length of this interval. */
  interval_secs: number;
  /** Calls in this interval. */
  total: number;
  rate_per_sec: number;
  by_category: Record<Category, number>;
  /** Calls in this interval per syscall, count descending; zero ones left out. */
  by_syscall: Record<string, number>;
}

/**
 * The closing record of `run` and `attach`: the run's own facts, then the
 * summary of its samples (RunStatistics, the object `tsdenet --json stats`
 * prints for the -o file), then the syscall counts.
 */
export interface SummaryRecord extends Partial<RunStatistics> {
  kind: 'summary';
  tsdenet_version: string;
  ts_ms: number;
  command: string[];
  executable: string;
  pid: number;
  /** The command's exit code; null when a signal killed it, or when it is not known (attach). */
  exit_code: number | null;
  signal: string | null;
  /** tsdenet's own exit status (run: the command's, 128 + N for signal N; attach: 0). */
  exit_status: number;
  /** run: tsdenet started the command; attach: it watched a running process, whose exit status it cannot know. */
  mode: 'run' | 'attach';
  interrupted: boolean;
  t0_ms: number;
  wall_time_secs: number;
  kernel: string;
  arch: string;
  ebpf?: EbpfSection;
  /** --duration was reached (run: the command was stopped). */
  timed_out?: boolean;
}

export type TsdenetRecord = SyscallIntervalRecord | SummaryRecord;

export type AnyRecord = DenetRecord | TsdenetRecord;
