/** Human output: the run header and cli-table3 tables of syscalls and categories. */
import Table from 'cli-table3';
import { categorize } from '../syscalls/categories.js';
import { renderStraceTable } from './strace-table.js';
import type { SummaryRecord, SyscallReport } from '../records/schema.js';
import { lossWarnings } from './loss-warnings.js';

function percent(part: number, total: number): string {
  return total === 0 ? '0.00%' : `${((100 * part) / total).toFixed(2)}%`;
}

function plainTable(head: string[], align: ('left' | 'right')[]): Table.Table {
  return new Table({ head, colAligns: align, style: { head: [], border: [], compact: true } });
}

function howItEnded(summary: SummaryRecord): string {
  if (summary.signal) return `killed by ${summary.signal}`;
  if (summary.exit_code !== null) return `exit code ${summary.exit_code}`;
  // attach: not tsdenet's child, so its exit status is not tsdenet's to know.
  return summary.interrupted || summary.timed_out ? 'still running' : 'ended, exit status unknown';
}

/** Renders the summary as text for a terminal: tables, or strace -c's table. */
export function renderSummary(summary: SummaryRecord, format: 'table' | 'strace' = 'table'): string {
  const lines: string[] = [];
  lines.push(`command: ${summary.command.join(' ')}  (pid ${summary.pid}, ${howItEnded(summary)}, ${summary.wall_time_secs.toFixed(3)} s)`);
  const ebpf = summary.ebpf;
  if (ebpf?.error) lines.push(`eBPF: not available: ${ebpf.error}`);
  const sc = ebpf?.syscalls;
  if (!sc) return lines.join('\n') + '\n';
  // The one syscall rate (records/definitions.ts): every call / total_time_secs, as in the tables below.
  const rate = summary.syscall_rate_per_sec;
  lines.push(`syscalls: ${sc.total} in ${sc.processes.length} process(es)${rate === undefined ? '' : `, ${rate.toFixed(0)}/s`}, via ${ebpf.attach_point}`);
  for (const warning of lossWarnings(sc)) lines.push(`WARNING: ${warning}`);
  if (sc.filter) lines.push(`counted only: ${sc.filter.join(', ')}`);
  if (format === 'strace') return lines.join('\n') + '\n' + renderStraceTable(sc);
  return lines.join('\n') + '\n' + renderSyscallTables(sc);
}

/** What the tables show: any run's counts (a denet file's too); errors and latency when measured. */
export type SyscallTablesInput = Pick<SyscallReport, 'total' | 'top_syscalls'> & { by_category: Record<string, number> } & Partial<Pick<SyscallReport, 'errors' | 'latency'>>;

/** The top syscalls and the categories as tables (the run's and `stats FILE`'s); ends with a newline. */
export function renderSyscallTables(sc: SyscallTablesInput): string {
  const lines: string[] = [];
  const errors = sc.errors?.by_syscall;
  const latency = sc.latency?.by_syscall;
  const head = ['syscall', 'calls', '% of total', 'category'];
  if (errors) head.push('errors');
  if (latency) head.push('usecs/call', 'max usecs');
  const top = plainTable(head, ['left', 'right', 'right', 'left', 'right', 'right', 'right']);
  for (const s of sc.top_syscalls) {
    const row: (string | number)[] = [s.name, s.count, percent(s.count, sc.total), categorize(s.name)];
    if (errors) row.push(errors[s.name]?.total ?? 0);
    if (latency) row.push(latency[s.name]?.usecs_per_call.toFixed(1) ?? '-', latency[s.name]?.max_usecs.toFixed(0) ?? '-');
    top.push(row);
  }
  lines.push(top.toString());
  if (sc.errors && sc.errors.total > 0) {
    const byErrno = Object.entries(sc.errors.by_errno).map(([e, n]) => `${e} ${n}`).join(', ');
    lines.push(`failed calls: ${sc.errors.total} (${byErrno})`);
  }
  const cats = plainTable(['category', 'calls', '% of total'], ['left', 'right', 'right']);
  const byCount = Object.entries(sc.by_category).sort((a, b) => b[1] - a[1]);
  for (const [name, count] of byCount) cats.push([name, count, percent(count, sc.total)]);
  lines.push(cats.toString());
  return lines.join('\n') + '\n';
}
