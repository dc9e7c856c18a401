/**
 * The end of `run` and `attach`: the closing summary to every destination
 * (stdout with --json, the -o file's sidecar, --stats FILE, or tables on
 * stderr), the files moved into place, and the loss warnings. Shared so
 * both commands end the same way.
 */
import type { RunStatistics, SummaryRecord } from '../records/schema.js';
import { statsDocument, syscallCountsOf } from '../records/summary.js';
import type { Destinations } from './destinations.js';
import { lossWarnings } from './loss-warnings.js';

export interface DeliveryOptions {
  json: boolean;
  quiet: boolean;
  /** Human output: tables, or strace -c's table. */
  format: 'table' | 'strace';
  /** Rows of each human table (--top). */
  top: number;
}

/**
 * Writes the summary everywhere it was asked for; rethrows the first write
 * failure afterwards. statistics: the summary of the samples (also inside
 * `summary`), which --stats FILE gets.
 */
export async function deliverSummary(summary: SummaryRecord, statistics: RunStatistics | undefined, options: DeliveryOptions, to: Destinations): Promise<void> {
  // A report that cannot be written (a full disk) fails the run, exit 1,
  // but only after what was measured is shown here.
  const failures: unknown[] = [];
  const keep = (error: unknown): void => {
    failures.push(error);
  };
  await to.sink.writeSummary(summary, to.stdout).catch(keep);
  if (to.statsFile) {
    // --stats FILE: what `tsdenet --json stats` prints for this run's -o file (denet's Summary object, and the syscall counts).
    const syscalls = summary.ebpf?.syscalls;
    to.statsFile.stream.write(JSON.stringify(statsDocument(statistics, { syscalls: syscalls && syscallCountsOf(syscalls), offcpu: summary.ebpf?.offcpu }), null, 2) + '\n');
    await to.statsFile.commit().catch(keep);
  }
  // The samples first: a sidecar is read only with the -o file whose run it closes (records/sidecar.ts).
  await to.out?.commit().catch(keep);
  await to.sidecar?.commit().catch(keep);
  if (!options.json && !options.quiet) {
    // Loaded only for human output: cli-table3 costs ~10 ms of start-up.
    const { renderSummary } = await import('./table.js');
    const { renderStatistics } = await import('../stats/render.js');
    process.stderr.write(renderSummary(summary, { format: options.format, top: options.top, withStatistics: statistics !== undefined }));
    if (statistics) process.stderr.write(renderStatistics(statistics, '\nEXECUTION SUMMARY'));
  }
  // The tables say it themselves; JSON and quiet runs get it on stderr.
  const sc = summary.ebpf?.syscalls;
  if (sc && (options.json || options.quiet)) for (const warning of lossWarnings(sc)) process.stderr.write(`tsdenet: warning: ${warning}\n`);
  if (failures.length > 0) throw failures[0];
}
