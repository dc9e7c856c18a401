/** Pure: the `aggregated` object of a tree record, and the root's closing sample. */
import type { Counters } from './counters.js';
import type { AggregatedMetrics, Metrics } from './records.js';

export interface AggregateInput {
  tsMs: number;
  cpuUsage: number;
  /** Running (non-zombie) processes of the tree. */
  processes: readonly Metrics[];
  /** The tree's cumulative counters (exited processes included). */
  totals: Counters;
  /** /proc/<pid>/io was readable: rchar/wchar are known. */
  ioKnown: boolean;
  net: { rxBytes: number; txBytes: number };
  uptimeSecs: number;
}

/** Memory and threads are sums over running processes; counters are the tree's totals. */
export function aggregateTree(input: AggregateInput): AggregatedMetrics {
  let rssKb = 0;
  let vmsKb = 0;
  let threads = 0;
  for (const m of input.processes) {
    rssKb += m.mem_rss_kb;
    vmsKb += m.mem_vms_kb;
    threads += m.thread_count;
  }
  const t = input.totals;
  return {
    ts_ms: input.tsMs,
    cpu_usage: Math.max(0, Math.round(input.cpuUsage * 100) / 100),
    mem_rss_kb: rssKb,
    mem_vms_kb: vmsKb,
    disk_read_bytes: t.readBytes,
    disk_write_bytes: t.writeBytes,
    syscall_read_bytes: input.ioKnown ? t.rchar : undefined,
    syscall_write_bytes: input.ioKnown ? t.wchar : undefined,
    page_faults_cached: t.minflt,
    page_faults_disk: t.majflt,
    sys_net_rx_bytes: input.net.rxBytes,
    sys_net_tx_bytes: input.net.txBytes,
    thread_count: threads,
    process_count: input.processes.length,
    uptime_secs: input.uptimeSecs,
    ebpf: undefined,
  };
}

/** The root's last `sample` after it exited (--exclude-children): tree counters, no memory, no threads. */
export function closingRootMetrics(a: AggregatedMetrics): Metrics {
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
