/**
 * What the report reads from a JSON Lines file, normalised: tsdenet's and
 * denet's records reduced to the fields the report uses. Every field that
 * a file may leave out is `null` here, so the model never guesses a zero.
 */

/** One sample of the tree (denet `tree.aggregated`) or of one process (`sample`). */
export interface SamplePoint {
  tsMs: number;
  cpuPercent: number | null;
  rssKb: number | null;
  /** Cumulative counters (deltas from the first sample unless --since-process-start). */
  diskReadBytes: number | null;
  diskWriteBytes: number | null;
  netRxBytes: number | null;
  netTxBytes: number | null;
  threads: number | null;
  /** null for single-process samples (`sample`, --exclude-children): the tree was not followed. */
  processes: number | null;
  /** Cumulative syscall counts of this sample (`aggregated.ebpf.syscalls`), when eBPF counted. */
  syscalls: CumulativeSyscalls | null;
  ebpfError: string | null;
}

export interface CumulativeSyscalls {
  total: number;
  byCategory: Record<string, number> | null;
  /** denet writes its top list in every tree record; the last one stands for the run. */
  topSyscalls: SyscallCount[] | null;
}

export interface SyscallCount {
  name: string;
  count: number;
}

export interface ProcessCounts {
  pid: number;
  ppid: number | null;
  comm: string | null;
  argv: string[] | null;
  threads: number | null;
  total: number;
  bySyscall: Record<string, number>;
}

/** The `ebpf` object of a summary record (or of the last tree record, for denet files). */
export interface EbpfInfo {
  attachMode: string | null;
  attachPoint: string | null;
  error: string | null;
  total: number | null;
  byCategory: Record<string, number> | null;
  topSyscalls: SyscallCount[] | null;
  bySyscall: Record<string, number> | null;
  processes: ProcessCounts[] | null;
  dropped: number | null;
  untrackedThreads: number | null;
  lostThreadInfo: number | null;
  /** Future fields, shown as found: any JSON value. */
  errors: unknown;
  latency: unknown;
}

export interface SummaryInfo {
  tsdenetVersion: string | null;
  command: string[] | null;
  executable: string | null;
  pid: number | null;
  exitCode: number | null;
  signal: string | null;
  exitStatus: number | null;
  interrupted: boolean | null;
  t0Ms: number | null;
  wallTimeSecs: number | null;
  kernel: string | null;
  arch: string | null;
  ebpf: EbpfInfo | null;
  /** denet's `stats --json` fields, when the summary carries them. */
  totalTimeSecs: number | null;
  sampleCount: number | null;
  maxProcesses: number | null;
  maxThreads: number | null;
  peakRssKb: number | null;
  avgCpuPercent: number | null;
  totalDiskReadBytes: number | null;
  totalDiskWriteBytes: number | null;
  totalNetRxBytes: number | null;
  totalNetTxBytes: number | null;
}

export interface MetadataInfo {
  pid: number | null;
  cmd: string[] | null;
  executable: string | null;
  t0Ms: number | null;
}

export interface EnvInfo {
  host: string | null;
  kernel: string | null;
  cpuModel: string | null;
}

/** One line of the file. `source` says which shape it had, for the report's notes. */
export type ReportRecord =
  | { type: 'sample'; source: 'tree' | 'sample' | 'aggregated' | 'legacy-tree' | 'legacy-aggregated' | 'legacy-metrics'; point: SamplePoint }
  | { type: 'summary'; summary: SummaryInfo }
  | { type: 'metadata'; metadata: MetadataInfo }
  | { type: 'env'; env: EnvInfo }
  /** An --interval-report record: valid, and nothing the page needs. */
  | { type: 'syscall-interval' }
  /** A record that is valid but carries nothing to plot (a tree whose root was unreadable). */
  | { type: 'empty-sample'; reason: string };
