/**
 * --format strace: strace -c's summary table (% time, seconds, usecs/call,
 * calls, errors, syscall), sorted by time as strace sorts it by default, so
 * the two can be compared side by side.
 *
 * Its time is wall time from each call's entry to its exit, as `strace -c
 * -w` counts it. Plain `strace -c` counts system CPU time instead, which
 * leaves out the time a call waits: measured on the same workload (three
 * `sleep 0.1` and `ls -R`), clock_nanosleep took 0.305 s here, 0.305 s
 * under `strace -c -w` and 0.0001 s under `strace -c` (docs/terminal-output.md). The
 * BPF program sees entry and exit, not the CPU time in between, so the
 * table says which time it shows rather than look like strace -c's.
 */
import type { SyscallReport } from '../records/schema.js';
import { splitAbi } from '../syscalls/names.js';

const RULE = '------ ----------- ----------- --------- --------- ----------------';

/** Above the table: what its time is. */
export const STRACE_TIME_NOTE = 'seconds: wall time from entry to exit of each call, as `strace -c -w` counts it (plain `strace -c` counts system CPU time, without the time a call waits)';

function row(pct: string, secs: string, usecs: string, calls: string, errors: string, name: string): string {
  return `${pct.padStart(6)} ${secs.padStart(11)} ${usecs.padStart(11)} ${calls.padStart(9)} ${errors.padStart(9)} ${name}`;
}

/**
 * One personality's table: rows of `names` (reported names), shown as
 * strace shows them (without the i386: prefix, the header says the mode).
 */
function renderTable(sc: SyscallReport, names: string[]): string[] {
  const latency = sc.latency?.by_syscall ?? {};
  const errors = sc.errors?.by_syscall ?? {};
  const totalSecs = names.reduce((t, name) => t + (latency[name]?.total_secs ?? 0), 0);
  names.sort((a, b) => {
    const ta = latency[a]?.total_secs ?? 0;
    const tb = latency[b]?.total_secs ?? 0;
    return tb - ta || (sc.by_syscall[b] ?? 0) - (sc.by_syscall[a] ?? 0) || (a < b ? -1 : 1);
  });
  const lines = [STRACE_TIME_NOTE, row('% time', 'seconds', 'usecs/call', 'calls', 'errors', 'syscall'), RULE];
  let totalErrors = 0;
  let totalCalls = 0;
  for (const name of names) {
    const calls = sc.by_syscall[name] ?? 0;
    const secs = latency[name]?.total_secs ?? 0;
    const errs = errors[name]?.total ?? 0;
    totalErrors += errs;
    totalCalls += calls;
    const pct = totalSecs > 0 ? (100 * secs) / totalSecs : 0;
    const usecs = latency[name] ? Math.round(latency[name].usecs_per_call) : 0;
    lines.push(row(pct.toFixed(2), secs.toFixed(6), String(usecs), String(calls), errs ? String(errs) : '', splitAbi(name).name));
  }
  lines.push(RULE);
  const avg = totalCalls > 0 ? Math.round((totalSecs * 1e6) / totalCalls) : 0;
  lines.push(row('100.00', totalSecs.toFixed(6), String(avg), String(totalCalls), totalErrors ? String(totalErrors) : '', 'total'));
  return lines;
}

/**
 * The table as text; needs the latency and errors sections for its time and
 * errors columns. 32-bit (ia32) calls get a table of their own after the
 * 64-bit one, under strace's heading for it.
 */
export function renderStraceTable(sc: SyscallReport): string {
  const names = Object.keys(sc.by_syscall);
  const ia32 = names.filter((name) => splitAbi(name).ia32);
  const native = names.filter((name) => !splitAbi(name).ia32);
  const lines = native.length > 0 || ia32.length === 0 ? renderTable(sc, native) : [];
  if (ia32.length > 0) lines.push('System call usage summary for 32 bit mode:', ...renderTable(sc, ia32));
  return lines.join('\n') + '\n';
}
