/** Pure: the `aggregated` object of a tree record. */
import type { Counters } from './counters.js';
import type { WindowPeaks } from './kernel-usage.js';
import type { AggregatedMetrics, Metrics } from '../records/schema.js';

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
  /**
   * What ran in the window beyond the running processes: they count in it,
   * and the peak RSS of one that ended is a lower bound of the tree's peak
   * in the window (never a sum: they may not have run together).
   */
  ended?: WindowPeaks;
}

/** Memory and threads are sums over running processes (and `ended`); counters are the tree's totals. */
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
  const ended = input.ended;
  return {
    ts_ms: input.tsMs,
    cpu_usage: Math.max(0, Math.round(input.cpuUsage * 100) / 100),
    mem_rss_kb: Math.max(rssKb, ended?.peakRssKb ?? 0),
    mem_vms_kb: vmsKb,
    disk_read_bytes: t.readBytes,
    disk_write_bytes: t.writeBytes,
    syscall_read_bytes: input.ioKnown ? t.rchar : undefined,
    syscall_write_bytes: input.ioKnown ? t.wchar : undefined,
    page_faults_cached: t.minflt,
    page_faults_disk: t.majflt,
    sys_net_rx_bytes: input.net.rxBytes,
    sys_net_tx_bytes: input.net.txBytes,
    thread_count: threads + (ended?.threads ?? 0),
    process_count: input.processes.length + (ended?.processes ?? 0),
    uptime_secs: input.uptimeSecs,
    ebpf: undefined,
  };
}
