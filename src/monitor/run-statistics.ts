/** The monitoring part of a run's closing record, and the --stats file. */
import type { SummaryRecord } from '../report/summary.js';
import type { OutputFile } from '../report/output-file.js';
import type { RunStatistics } from '../stats/summary.js';

/** Adds denet's summary fields (and timed_out) to the closing `summary` record. */
export function addStatistics(summary: SummaryRecord, statistics: RunStatistics | undefined, timedOut: boolean): void {
  if (statistics) Object.assign(summary, statistics);
  if (timedOut) summary.timed_out = true;
}

/** --stats FILE: the summary as `tsdenet --json stats` prints it (denet's Summary object). */
export async function writeStatisticsFile(file: OutputFile, statistics: RunStatistics | undefined): Promise<void> {
  file.stream.write(JSON.stringify(statistics ?? {}, null, 2) + '\n');
  await file.commit();
}
