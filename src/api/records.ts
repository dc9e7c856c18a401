/**
 * readRecords() and summarize(): the records of a saved run (tsdenet's or
 * denet's, `-o FILE`) through the one reader (records/reader.ts) and the
 * one summary (records/summary.ts) that `tsdenet stats` and the HTML
 * report use, so the numbers are the same.
 */
import { readRecords as readFileRecords, type Problem } from '../records/read-file.js';
import { readLines, readLinesFrom } from '../records/read-lines.js';
import type { ReadRecord } from '../records/reader.js';
import type { RunStatistics } from '../records/schema.js';
import { SummaryBuilder } from '../records/summary.js';
import { StatsInputError } from '../stats/errors.js';
import { summarizeFile } from '../stats/summarize-file.js';

export interface ReadOptions {
  /** strict: a known field of the wrong type makes the line a problem (the report); default lenient, as denet reads. */
  strict?: boolean;
  /** Lines that are no record (not JSON, wrong shape, cut short) are skipped; this hears of each. */
  onProblem?: (problem: Problem) => void;
}

/** The records of a JSON Lines file (a path) or byte stream, one at a time, in constant memory. */
export async function* readRecords(source: string | AsyncIterable<Buffer | string>, options: ReadOptions = {}): AsyncGenerator<ReadRecord> {
  const lines = typeof source === 'string' ? readLines(source) : readLinesFrom(bytes(source));
  for await (const item of readFileRecords(lines, options.strict ? 'strict' : 'lenient')) {
    if (item.type === 'record') yield item.record;
    else options.onProblem?.(item.problem);
  }
}

async function* bytes(source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  for await (const chunk of source) yield typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
}

/**
 * denet's Summary of the samples (`tsdenet --json stats`): of a file (a
 * path; its sidecar `FILE.tsdenet.jsonl` is read too when it closes the
 * same run), or of records (readRecords' or profile()'s). Throws
 * StatsInputError when there is no sample.
 */
export async function summarize(source: string | Iterable<ReadRecord> | AsyncIterable<ReadRecord>): Promise<RunStatistics> {
  if (typeof source === 'string') return (await summarizeFile(source)).statistics;
  const builder = new SummaryBuilder();
  for await (const record of source) builder.add(record);
  const statistics = builder.result();
  if (!statistics) throw new StatsInputError('no samples among the records', { hint: 'give the records of a run: profile()\'s, or readRecords() of a file written with -o' });
  return statistics;
}
