/** The run summary as a borderless two-column table (denet's EXECUTION SUMMARY). */
import Table from 'cli-table3';
import { formatBytes } from './format.js';
import type { RunStatistics } from '../records/schema.js';

const NO_BORDERS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '',
  right: '', 'right-mid': '', middle: '  ',
};

/** The rows denet prints, plus syscall-byte and fault totals when known. */
export function statisticsRows(s: RunStatistics): [string, string][] {
  const rows: [string, string][] = [
    ['Duration', `${s.total_time_secs.toFixed(2)} seconds`],
    ['Samples', String(s.sample_count)],
    ['Max Processes', String(s.max_processes)],
    ['Max Threads', String(s.max_threads)],
    ['Peak Memory', `${Math.round(s.peak_mem_rss_kb / 1024)} MB`],
    // denet's mean of the samples, and the mean weighted by the time each sample covers.
    ['Avg CPU Usage', s.time_weighted_cpu_usage === undefined ? `${s.avg_cpu_usage.toFixed(1)}%` : `${s.avg_cpu_usage.toFixed(1)}% (mean of samples; ${s.time_weighted_cpu_usage.toFixed(1)}% weighted by time)`],
    ['Disk Read', formatBytes(s.total_disk_read_bytes)],
    ['Disk Write', formatBytes(s.total_disk_write_bytes)],
  ];
  if (s.total_syscall_read_bytes !== undefined) rows.push(['Bytes Read (syscalls)', formatBytes(s.total_syscall_read_bytes)]);
  if (s.total_syscall_write_bytes !== undefined) rows.push(['Bytes Written (syscalls)', formatBytes(s.total_syscall_write_bytes)]);
  // denet's sys_net_*: every interface of the network namespace but lo, whoever sent it.
  rows.push(['Network Received', `${formatBytes(s.total_sys_net_rx_bytes)} (namespace, not lo)`], ['Network Sent', `${formatBytes(s.total_sys_net_tx_bytes)} (namespace, not lo)`]);
  if (s.syscall_rate_per_sec !== undefined) rows.push(['Syscall Rate', `${s.syscall_rate_per_sec.toFixed(1)}/s`]);
  return rows;
}

/** Title line, then the table; ends with a newline. */
export function renderStatistics(s: RunStatistics, title: string): string {
  const table = new Table({ chars: NO_BORDERS, style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 } });
  for (const row of statisticsRows(s)) table.push(row);
  // cli-table3 pads every cell; the last column's padding is noise.
  const text = table.toString().split('\n').map((line) => line.trimEnd()).join('\n');
  return `${title}\n${text}\n`;
}
