/**
 * What profile() and attach() resolve to, and where their records go: the
 * caller's onRecord, the result's `records`, and with `out` the -o file
 * and its sidecar, exactly as the CLI writes them.
 */
import type { Measurement } from '../measure/summary-record.js';
import type { RecordWriter } from '../monitor/session.js';
import { deliverSummary } from '../report/deliver.js';
import { discardDestinations, openDestinations } from '../report/destinations.js';
import type { AnyRecord, RunStatistics, SummaryRecord } from '../records/schema.js';
import type { MeasureOptions } from './options.js';

export interface ProfileResult {
  /** The closing `summary` record (the last line of `tsdenet --json`). */
  summary: SummaryRecord;
  /** The summary of the samples (denet's Summary, also inside `summary`): what `summarize()` gives for the records. */
  statistics?: RunStatistics;
  /** tsdenet's exit status: the command's exit code, 128 + N when signal N killed it; 0 under attach. */
  exitStatus: number;
  /** The command's exit code; null when a signal killed it or under attach. */
  exitCode: number | null;
  /** The signal that killed the command (`"SIGKILL"`), else null. */
  signal: string | null;
  /** Every record, in order, the summary last (empty with keepRecords: false). */
  records: AnyRecord[];
}

/** Runs `measure` with its records delivered as the options ask; resolves to the result. */
export async function collect(options: MeasureOptions, measure: (emit: RecordWriter) => Promise<Measurement>): Promise<ProfileResult> {
  const records: AnyRecord[] = [];
  const keep = options.keepRecords !== false;
  const destinations = options.out === undefined ? undefined : openDestinations({ json: false, out: options.out });
  const deliver = (record: AnyRecord): void => {
    if (keep) records.push(record);
    options.onRecord?.(record);
  };
  try {
    const measurement = await measure((record) => {
      destinations?.sink.write(record);
      deliver(record);
    });
    // quiet: no table is drawn, so its row count (top) is not used.
    if (destinations) await deliverSummary(measurement.summary, measurement.statistics, { json: false, quiet: true, format: 'table', top: 0 }, destinations);
    const { summary } = measurement;
    deliver(summary);
    return { summary, statistics: measurement.statistics, exitStatus: measurement.exitStatus, exitCode: summary.exit_code, signal: summary.signal, records };
  } catch (error) {
    if (destinations) discardDestinations(destinations);
    throw error;
  }
}
