/**
 * The end of `run` and `attach`: the closing summary to every destination
 * (the -o file, --stats file, stdout with --json, or tables on stderr),
 * and the loss warning. Shared so both commands end the same way.
 */
import type { RecordSink } from '../monitor/record-sink.js';
import { addStatistics, writeStatisticsFile } from '../monitor/run-statistics.js';
import type { MonitorSession } from '../monitor/session.js';
import { writeJsonLine } from '../report/json.js';
import { lossWarnings } from '../report/loss-warnings.js';
import type { OutputFile } from '../report/output-file.js';
import type { SummaryRecord } from '../report/summary.js';
import type { GlobalOptions } from './options.js';

export interface Destinations {
  out?: OutputFile;
  statsFile?: OutputFile;
  sink: RecordSink;
  session: MonitorSession;
}

/** Writes the summary everywhere it was asked for; rethrows the first write failure afterwards. */
export async function deliverReport(summary: SummaryRecord, options: GlobalOptions, to: Destinations): Promise<void> {
  const statistics = to.session.statistics();
  addStatistics(summary, statistics, to.session.timedOut);
  // A report that cannot be written (a full disk) fails the run, exit 1,
  // but only after what was measured is shown here.
  const failures: unknown[] = [];
  if (to.statsFile) await writeStatisticsFile(to.statsFile, statistics).catch((error: unknown) => failures.push(error));
  if (to.out) {
    await to.out.writeRecord(summary);
    await to.out.commit().catch((error: unknown) => failures.push(error));
  }
  // stdout closed early (| head): the records stop there, as with SIGPIPE.
  if (options.json) {
    // A failure of stdout itself is main.ts's to report (a reader gone: nothing to say).
    if (to.sink.writable(process.stdout)) await writeJsonLine(process.stdout, summary).catch(() => undefined);
  } else if (!options.quiet) {
    // Loaded only for human output: cli-table3 costs ~10 ms of start-up.
    const { renderSummary } = await import('../report/table.js');
    const { renderStatistics } = await import('../stats/render.js');
    process.stderr.write(renderSummary(summary, options.measure.format));
    if (statistics) process.stderr.write(renderStatistics(statistics, '\nEXECUTION SUMMARY'));
  }
  // The tables say it themselves; JSON and quiet runs get it on stderr.
  const sc = summary.ebpf?.syscalls;
  if (sc && (options.json || options.quiet)) for (const warning of lossWarnings(sc)) process.stderr.write(`tsdenet: warning: ${warning}\n`);
  if (failures.length > 0) throw failures[0];
}
