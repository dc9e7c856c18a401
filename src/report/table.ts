/**
 * Human output: the run header and cli-table3 tables of syscalls, time per
 * syscall, processes (and threads) and categories. Each quantity is printed
 * once: the time and the syscall rate are the EXECUTION SUMMARY's that
 * follows (denet's Duration, the one rate), so the header does not repeat
 * them in other words. Every string that comes from the profiled processes
 * (argv, comm) is escaped (terminal-text.ts).
 */
import { categorize } from '../syscalls/categories.js';
import { renderStraceTable } from './strace-table.js';
import type { ProcessSyscalls, SummaryRecord, SyscallReport, ThreadSyscalls } from '../records/schema.js';
import type { SyscallCounts } from '../records/summary.js';
import { lossWarnings } from './loss-warnings.js';
import { renderOffcpu } from './offcpu-table.js';
import { plainTable } from './plain-table.js';
import { escapeControl, shellQuote } from '../text/terminal-text.js';

export interface SummaryTextOptions {
  /** Tables, or strace -c's table. */
  format: 'table' | 'strace';
  /** Rows of each table (--top): syscalls, syscalls by time, processes, threads per process. */
  top: number;
  /**
   * The EXECUTION SUMMARY follows (it has the duration and the syscall
   * rate); without it the header gives the wall time and the rate itself.
   */
  withStatistics: boolean;
}

/** A process's most frequent syscalls, in one cell. */
const TOP_SYSCALLS_PER_PROCESS = 3;
/** Command lines longer than this are cut in the process table (the header has the command's in full). */
const COMMAND_WIDTH = 60;

function percent(part: number, total: number): string {
  return total === 0 ? '0.00%' : `${((100 * part) / total).toFixed(2)}%`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function howItEnded(summary: SummaryRecord): string {
  if (summary.signal) return `killed by ${summary.signal}`;
  if (summary.exit_code !== null) return `exit code ${summary.exit_code}`;
  // attach: not tsdenet's child, so its exit status is not tsdenet's to know.
  return summary.interrupted || summary.timed_out ? 'still running' : 'ended, exit status unknown';
}

function cut(text: string, width: number): string {
  const chars = [...text];
  return chars.length > width ? `${chars.slice(0, width - 1).join('')}…` : text;
}

/** The first few of a count-descending record ("openat 120, read 80, close 40"). */
function topOf(bySyscall: Record<string, number>): string {
  return Object.entries(bySyscall)
    .slice(0, TOP_SYSCALLS_PER_PROCESS)
    .map(([name, n]) => `${escapeControl(name)} ${n}`)
    .join(', ');
}

/** A process's command line when it was still running at the end, else its name in brackets (all that is known of an exited one). */
function commandOf(p: ProcessSyscalls): string {
  if (p.argv && p.argv.length > 0) return cut(shellQuote(p.argv), COMMAND_WIDTH);
  return p.comm === null ? '?' : `[${escapeControl(p.comm)}]`;
}

function threadRows(p: ProcessSyscalls, threads: readonly ThreadSyscalls[], total: number, top: number): (string | number)[][] {
  const rows: (string | number)[][] = threads
    .slice(0, top)
    .map((t) => [`tid ${t.tid}`, '', t.total, percent(t.total, total), t.comm === null ? '?' : escapeControl(t.comm), topOf(t.by_syscall)]);
  const rest = threads.slice(top);
  if (rest.length > 0) {
    const calls = rest.reduce((a, t) => a + t.total, 0);
    rows.push([`tid …`, '', calls, percent(calls, total), `${plural(rest.length, 'more thread')} of ${p.pid}`, '']);
  }
  return rows;
}

/**
 * The processes of the tree: the command first, then the most calls; the
 * rest summed in one row, the calls no process could be given (a full map)
 * in another, so the column adds up to the header's total.
 */
function processTable(sc: Pick<SyscallReport, 'processes' | 'total' | 'dropped'>, top: number): string {
  const shown = sc.processes.slice(0, top);
  const rest = sc.processes.slice(top);
  // --per-thread: the threads of each process that had more than one (a lone thread's row would repeat its process's).
  const perThread = sc.processes.some((p) => p.thread_list);
  const table = plainTable(['pid', 'ppid', 'calls', '% of total', 'command', 'top syscalls'], ['right', 'right', 'right', 'right', 'left', 'left']);
  for (const p of shown) {
    table.push([p.pid, p.ppid ?? '?', p.total, percent(p.total, sc.total), commandOf(p), topOf(p.by_syscall)]);
    if (p.thread_list && p.thread_list.length > 1) for (const row of threadRows(p, p.thread_list, sc.total, top)) table.push(row);
  }
  if (rest.length > 0) {
    const calls = rest.reduce((a, p) => a + p.total, 0);
    table.push(['…', '', calls, percent(calls, sc.total), plural(rest.length, 'more process', 'more processes'), '']);
  }
  if (sc.dropped > 0) table.push(['?', '', sc.dropped, percent(sc.dropped, sc.total), 'no process known (counts map full)', '']);
  const notes = [
    `processes: ${sc.processes.length} in all; ${rest.length === 0 ? 'the command first, then by calls' : shown.length > 1 ? `the command and the top ${shown.length - 1} by calls` : 'the command'}`,
  ];
  if (perThread) {
    // Said either way, so that --per-thread never looks ignored.
    const anyThreads = shown.some((p) => (p.thread_list?.length ?? 0) > 1);
    notes.push(anyThreads ? 'tid N: the threads of a process that had more than one, by calls' : 'per thread: each process had one thread');
  }
  if (shown.some((p) => !p.argv || p.argv.length === 0)) notes.push('[name]: the process ended before a sample read its command line');
  return `${notes.join('; ')}\n${table.toString()}`;
}

/** The syscalls that took the most time, whatever their number of calls. */
function latencyTable(sc: Pick<SyscallTablesInput, 'latency'>, top: number): string | undefined {
  const latency = sc.latency;
  if (!latency) return undefined;
  const rows = Object.entries(latency.by_syscall).sort((a, b) => b[1].total_secs - a[1].total_secs || (a[0] < b[0] ? -1 : 1));
  const title = `syscalls by total time (wall time from entry to exit; ${latency.total_secs.toFixed(6)} s in all): ${rows.length > top ? `the top ${top} of ${rows.length}` : `all ${rows.length}`}`;
  const table = plainTable(['syscall', 'calls', 'seconds', '% time', 'usecs/call', 'max usecs'], ['left', 'right', 'right', 'right', 'right', 'right']);
  for (const [name, l] of rows.slice(0, top)) {
    table.push([escapeControl(name), l.calls, l.total_secs.toFixed(6), percent(l.total_secs, latency.total_secs), l.usecs_per_call.toFixed(1), l.max_usecs.toFixed(0)]);
  }
  return `${title}\n${table.toString()}`;
}

function header(summary: SummaryRecord, withStatistics: boolean): string[] {
  const wall = withStatistics ? '' : `, wall time ${summary.wall_time_secs.toFixed(3)} s`;
  const lines = [`command: ${shellQuote(summary.command)}  (pid ${summary.pid}, ${howItEnded(summary)}${wall})`];
  const ebpf = summary.ebpf;
  if (ebpf?.error) lines.push(`eBPF: not available: ${escapeControl(ebpf.error)}`);
  const sc = ebpf?.syscalls;
  if (sc) {
    // Without the EXECUTION SUMMARY, the one syscall rate (records/definitions.ts) is shown here.
    const rate = summary.syscall_rate_per_sec;
    const rateText = withStatistics || rate === undefined ? '' : `, ${rate.toFixed(0)}/s`;
    lines.push(`syscalls: ${sc.total} calls in ${plural(sc.processes.length, 'process', 'processes')}${rateText}, via ${ebpf.attach_point}`);
    for (const warning of lossWarnings(sc)) lines.push(`WARNING: ${warning}`);
    if (sc.filter) lines.push(`counted only: ${sc.filter.join(', ')}`);
  }
  return lines;
}

/** Renders the summary as text for a terminal: tables, or strace -c's table. */
export function renderSummary(summary: SummaryRecord, options: SummaryTextOptions): string {
  const lines = header(summary, options.withStatistics);
  const sc = summary.ebpf?.syscalls;
  if (!sc) return lines.join('\n') + '\n';
  const offcpu = summary.ebpf?.offcpu;
  const offcpuText = offcpu ? '\n' + renderOffcpu(offcpu, options.top, sc.processes) : '';
  if (options.format === 'strace') return lines.join('\n') + '\n' + renderStraceTable(sc) + offcpuText;
  return lines.join('\n') + '\n' + renderSyscallTables(sc, options.top) + offcpuText;
}

/**
 * What the tables show: any run's counts (a denet file's too, which has
 * neither the per-syscall map nor processes); errors, latency and the
 * process table where the run measured them.
 */
export type SyscallTablesInput = Pick<SyscallReport, 'total' | 'top_syscalls'> & { by_category: Record<string, number> } & Partial<Pick<SyscallReport, 'by_syscall' | 'errors' | 'latency' | 'processes' | 'dropped'>>;

/** The top syscalls, time per syscall, processes and categories as tables (the run's and `stats FILE`'s); ends with a newline. */
export function renderSyscallTables(sc: SyscallTablesInput, rowsShown: number): string {
  const lines: string[] = [];
  const errors = sc.errors?.by_syscall;
  const head = ['syscall', 'calls', '% of total', 'category'];
  if (errors) head.push('errors');
  const distinct = sc.by_syscall ? Object.keys(sc.by_syscall).length : sc.top_syscalls.length;
  // The JSON's own list (--top of them), so the table and top_syscalls are the same rows.
  const shown = sc.top_syscalls;
  lines.push(`syscalls by calls: ${shown.length < distinct ? `the top ${shown.length} of ${distinct}` : `all ${distinct}`}`);
  const top = plainTable(head, ['left', 'right', 'right', 'left', 'right']);
  for (const { name, count } of shown) {
    const row: (string | number)[] = [escapeControl(name), count, percent(count, sc.total), categorize(name)];
    if (errors) row.push(errors[name]?.total ?? 0);
    top.push(row);
  }
  lines.push(top.toString());
  if (sc.errors && sc.errors.total > 0) {
    const byErrno = Object.entries(sc.errors.by_errno).map(([e, n]) => `${escapeControl(e)} ${n}`).join(', ');
    lines.push(`failed calls: ${sc.errors.total} (${byErrno})`);
  }
  const latency = latencyTable(sc, rowsShown);
  if (latency) lines.push(latency);
  if (sc.processes && sc.processes.length > 0) lines.push(processTable({ processes: sc.processes, total: sc.total, dropped: sc.dropped ?? 0 }, rowsShown));
  lines.push('categories, by calls');
  const cats = plainTable(['category', 'calls', '% of total'], ['left', 'right', 'right']);
  const byCount = Object.entries(sc.by_category).sort((a, b) => b[1] - a[1]);
  for (const [name, count] of byCount) cats.push([name, count, percent(count, sc.total)]);
  lines.push(cats.toString());
  return lines.join('\n') + '\n';
}

/** `stats FILE` of an eBPF run: its syscall counts, in the run's own tables. */
export function renderSyscallCounts(counts: SyscallCounts): string {
  return `\nSYSCALLS (eBPF): ${counts.total} calls\n${renderSyscallTables(counts, counts.top_syscalls.length)}`;
}
