/** Human output: the run header and cli-table3 tables of syscalls and categories. */
import Table from 'cli-table3';
import { categorize } from '../syscalls/categories.js';
import type { SummaryRecord } from './summary.js';

function percent(part: number, total: number): string {
  return total === 0 ? '0.00%' : `${((100 * part) / total).toFixed(2)}%`;
}

function plainTable(head: string[], align: ('left' | 'right')[]): Table.Table {
  return new Table({ head, colAligns: align, style: { head: [], border: [], compact: true } });
}

/** Renders the summary as text for a terminal. */
export function renderSummary(summary: SummaryRecord): string {
  const lines: string[] = [];
  const how = summary.signal ? `killed by ${summary.signal}` : `exit code ${summary.exit_code}`;
  lines.push(`command: ${summary.command.join(' ')}  (pid ${summary.pid}, ${how}, ${summary.wall_time_secs.toFixed(3)} s)`);
  const ebpf = summary.ebpf;
  if (ebpf?.error) lines.push(`eBPF: not available: ${ebpf.error}`);
  const sc = ebpf?.syscalls;
  if (!sc) return lines.join('\n') + '\n';
  const rate = summary.wall_time_secs > 0 ? sc.total / summary.wall_time_secs : 0;
  lines.push(`syscalls: ${sc.total} in ${sc.processes.length} process(es), ${rate.toFixed(0)}/s, via ${ebpf.attach_point}`);
  if (sc.dropped > 0 || sc.untracked_threads > 0) {
    lines.push(`WARNING: ${sc.dropped} calls lost (counts map full), ${sc.untracked_threads} threads not tracked: raise --max-entries`);
  }
  const top = plainTable(['syscall', 'calls', '% of total', 'category'], ['left', 'right', 'right', 'left']);
  for (const s of sc.top_syscalls) top.push([s.name, s.count, percent(s.count, sc.total), categorize(s.name)]);
  lines.push(top.toString());
  const cats = plainTable(['category', 'calls', '% of total'], ['left', 'right', 'right']);
  const byCount = Object.entries(sc.by_category).sort((a, b) => b[1] - a[1]);
  for (const [name, count] of byCount) cats.push([name, count, percent(count, sc.total)]);
  lines.push(cats.toString());
  return lines.join('\n') + '\n';
}
