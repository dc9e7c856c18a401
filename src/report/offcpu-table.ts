/**
 * --offcpu for a terminal: the tree's off-CPU time split by why (sleeping or
 * blocked, preempted while runnable), per process where the summary has it,
 * and denet's top blocking threads. Shared by the run's summary and
 * `stats FILE` (a denet file has no split: its rows say so).
 */
import type { ReadOffcpu } from '../records/reader.js';
import type { ProcessSyscalls } from '../records/schema.js';
import { plainTable } from './plain-table.js';
import { escapeControl } from '../text/terminal-text.js';

const secs = (ns: number): string => (ns / 1e9).toFixed(3);
const ms = (ns: number): string => (ns / 1e6).toFixed(1);

function share(part: number, total: number): string {
  return total === 0 ? '0.00%' : `${((100 * part) / total).toFixed(2)}%`;
}

function processRows(processes: readonly ProcessSyscalls[], total: number, top: number): string | undefined {
  const rows = processes
    .filter((p) => p.offcpu)
    .map((p) => ({ p, o: p.offcpu!, time: p.offcpu!.sleeping_ns + p.offcpu!.runnable_ns }))
    .sort((a, b) => b.time - a.time || a.p.pid - b.p.pid);
  if (rows.length === 0) return undefined;
  const table = plainTable(['pid', 'sleeping s', 'runnable s', 'intervals', '% of off-CPU', 'name'], ['right', 'right', 'right', 'right', 'right', 'left']);
  for (const { p, o, time } of rows.slice(0, top)) {
    table.push([p.pid, secs(o.sleeping_ns), secs(o.runnable_ns), o.events, share(time, total), p.comm === null ? '?' : escapeControl(p.comm)]);
  }
  const rest = rows.length > top ? `; ${rows.length - top} more not shown` : '';
  return `off-CPU time per process, most first${rest}\n${table.toString()}`;
}

/** The off-CPU section; ends with a newline. processes: the summary's, with their offcpu figures. */
export function renderOffcpu(o: ReadOffcpu, top: number, processes?: readonly ProcessSyscalls[]): string {
  const total = o.total_time_ns;
  const lines = [`OFF-CPU TIME (eBPF, sched_switch): ${secs(total)} s in ${o.total_events ?? '?'} intervals`];
  if (o.sleeping_ns !== undefined && o.runnable_ns !== undefined) {
    lines.push(`  sleeping or blocked: ${secs(o.sleeping_ns)} s (${share(o.sleeping_ns, total)}); preempted while runnable (waiting for a CPU): ${secs(o.runnable_ns)} s (${share(o.runnable_ns, total)})`);
  } else {
    lines.push('  (no split into sleeping and runnable: the file does not have it)');
  }
  if (o.avg_time_ns !== undefined && o.max_time_ns !== undefined) lines.push(`  mean interval ${ms(o.avg_time_ns)} ms, longest ${ms(o.max_time_ns)} ms`);
  const perProcess = processes && processRows(processes, total, top);
  if (perProcess) lines.push(perProcess);
  const threads = o.top_blocking_threads ?? [];
  if (threads.length > 0) {
    const table = plainTable(['tid', 'pid', 'off-CPU ms', '% of off-CPU'], ['right', 'right', 'right', 'right']);
    for (const t of threads) table.push([t.tid, t.pid, t.time_ms.toFixed(1), `${t.percentage.toFixed(2)}%`]);
    lines.push(`threads off CPU the longest (denet's top_blocking_threads)\n${table.toString()}`);
  }
  return lines.join('\n') + '\n';
}
