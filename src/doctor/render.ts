/** `tsdenet doctor` output: a cli-table3 table for people, one JSON object for --json. */
import Table from 'cli-table3';
import type { DoctorReport } from './run-doctor.js';

const CHECK_WIDTH = 34;
const STATUS_WIDTH = 9;

/** The table, wrapped to `width` columns, and a closing verdict line. */
export function renderDoctorTable(report: DoctorReport, width = 120): string {
  const hasFix = report.checks.some((c) => c.fix !== undefined);
  // The free-text columns share what the fixed ones and the borders leave.
  const rest = Math.max(40, width - CHECK_WIDTH - STATUS_WIDTH - (hasFix ? 5 : 4));
  const longestFound = Math.max(...report.checks.map((c) => c.found.length)) + 2;
  const foundWidth = hasFix ? Math.min(longestFound, Math.floor(rest * 0.55)) : rest;
  const table = new Table({
    head: hasFix ? ['check', 'status', 'found', 'fix'] : ['check', 'status', 'found'],
    colWidths: hasFix ? [CHECK_WIDTH, STATUS_WIDTH, foundWidth, rest - foundWidth] : [CHECK_WIDTH, STATUS_WIDTH, foundWidth],
    wordWrap: true,
    style: { head: [], border: [], compact: true },
  });
  for (const c of report.checks) table.push(hasFix ? [c.check, c.status, c.found, c.fix ?? ''] : [c.check, c.status, c.found]);
  const verdict = report.ok
    ? `eBPF profiling works here (attach mode ${report.attach_mode}).`
    : 'eBPF profiling does not work here: see the rows marked fail.';
  return `${table.toString()}\n${verdict}\n`;
}

export function renderDoctorJson(report: DoctorReport): string {
  return `${JSON.stringify(report)}\n`;
}
