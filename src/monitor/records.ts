/**
 * The JSON Lines records of a monitored run, with denet's `kind` tag, field
 * names and field order (denet src/monitor/record.rs and metrics.rs).
 * Optional fields are left out when unknown, as denet does.
 */
import type { Category } from '../syscalls/categories.js';
import type { SyscallAnalysis, SyscallCount } from '../syscalls/aggregate.js';

/** Fields denet's `Metrics` and `AggregatedMetrics` share (field order is set where records are built). */
interface SampleFields {
  ts_ms: number;
  /** top's convention: one busy core = 100. */
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
}

/** denet's `ebpf.syscalls` (cumulative since monitoring began). */
export interface EbpfSyscalls {
  total: number;
  by_category: Record<Category, number>;
  top_syscalls: SyscallCount[];
  analysis: SyscallAnalysis;
}

export interface EbpfField {
  syscalls?: EbpfSyscalls;
  error?: string;
}

/** The whole tree (denet `AggregatedMetrics`). */
export interface AggregatedMetrics extends SampleFields {
  process_count: number;
  ebpf?: EbpfField;
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

import type { SyscallIntervalRecord } from './interval-report.js';

export type MonitorRecord = EnvRecord | MetadataRecord | TreeRecord | SampleRecord | SyscallIntervalRecord;
