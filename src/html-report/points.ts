/**
 * Pure: a sample as the charts plot it, from a record read by the one
 * reader (records/reader.ts). Every value a file may leave out is null, so
 * a chart shows a gap and never a made-up zero.
 */
import type { ReadAggregated } from '../records/reader.js';

export interface ChartPoint {
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
  syscallTotal: number | null;
  syscallsByCategory: Record<string, number> | null;
  /** --offcpu: the tree's off-CPU time so far (cumulative, ns), by reason; null when not recorded (denet files have no split). */
  offcpuSleepingNs: number | null;
  offcpuRunnableNs: number | null;
  ebpfError: string | null;
}

/** The chart point of a sample; `tree`: an aggregate of the tree (else one process). */
export function chartPoint(p: ReadAggregated, tree: boolean): ChartPoint {
  const syscalls = p.ebpf?.syscalls;
  return {
    tsMs: p.ts_ms,
    cpuPercent: p.cpu_usage ?? null,
    rssKb: p.mem_rss_kb ?? null,
    diskReadBytes: p.disk_read_bytes ?? null,
    diskWriteBytes: p.disk_write_bytes ?? null,
    netRxBytes: p.sys_net_rx_bytes ?? null,
    netTxBytes: p.sys_net_tx_bytes ?? null,
    threads: p.thread_count ?? null,
    processes: tree ? (p.process_count ?? null) : null,
    syscallTotal: syscalls?.total ?? null,
    syscallsByCategory: syscalls?.by_category ?? null,
    offcpuSleepingNs: p.ebpf?.offcpu?.sleeping_ns ?? null,
    offcpuRunnableNs: p.ebpf?.offcpu?.runnable_ns ?? null,
    ebpfError: p.ebpf?.error ?? null,
  };
}
