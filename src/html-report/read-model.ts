/**
 * A JSON Lines file (or stdin) → the report model, through the one reader
 * (records/reader.ts, strict: a wrong field is named, never drawn). Lines
 * that are no record become notes for the report; a file with no record at
 * all is an error, since a report of nothing would only hide the mistake.
 * A tsdenet run's sidecar (run.tsdenet.jsonl beside run.jsonl), holding its
 * summary, is read too when it is there.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { describeProblem, readRecords } from '../records/read-file.js';
import { readLinesFrom, type Line } from '../records/read-lines.js';
import type { ReadRecord } from '../records/reader.js';
import { isSidecar, sameRun, sidecarBeside, sidecarPath } from '../records/sidecar.js';
import { ReportInputError } from './errors.js';
import { ModelBuilder, type ModelOptions, type ReportModel } from './model.js';

/**
 * Longer lines are no record. Far above any real one (the summary of a run
 * with --per-thread and a million threads), below V8's longest string.
 */
const MAX_LINE_BYTES = 256 * 1024 * 1024;

const INPUT_HINT = 'give the JSON Lines file of a run: tsdenet --json run -- CMD > run.jsonl (or -o run.jsonl), or denet\'s -o/--json output';

/** Feeds the records of `lines` to the builder; returns the count of non-blank lines and the first problem. */
async function feed(builder: ModelBuilder, lines: AsyncIterable<Line>): Promise<{ nonBlank: number; firstProblem: string | undefined }> {
  let nonBlank = 0;
  let firstProblem: string | undefined;
  async function* counted(): AsyncGenerator<Line> {
    for await (const line of lines) {
      if (line.overlong || line.text.trim() !== '') nonBlank++;
      yield line;
    }
  }
  for await (const item of readRecords(counted(), 'strict')) {
    if (item.type === 'record') {
      builder.add(item.record);
    } else {
      builder.problem(item.problem);
      firstProblem ??= describeProblem(item.problem);
    }
  }
  return { nonBlank, firstProblem };
}

/** Reads `lines` into a model; `name` names the input in errors; `sidecar`: more lines of the same run. */
export async function readModel(lines: AsyncIterable<Line>, name: string, options: ModelOptions, sidecar?: AsyncIterable<Line>): Promise<ReportModel> {
  const builder = new ModelBuilder(options);
  const { nonBlank, firstProblem } = await feed(builder, lines);
  if (nonBlank === 0) {
    throw new ReportInputError(`${name} is empty`, { hint: `${INPUT_HINT}; a run writes JSON only with --json or -o FILE` });
  }
  if (builder.recordCount === 0) {
    throw new ReportInputError(`${name} holds no tsdenet or denet record (${nonBlank} line(s) read; ${firstProblem ?? 'none is a record'})`, {
      hint: INPUT_HINT,
    });
  }
  if (sidecar) await feedSidecar(builder, sidecar, options.sidecar ?? 'the sidecar');
  return builder.build();
}

/**
 * The sidecar's records (tsdenet's: interval records and the summary), when
 * its summary closes the run the file holds (same pid and t0_ms); another
 * run's (a sidecar left under the same name) is noted and left out.
 */
async function feedSidecar(builder: ModelBuilder, lines: AsyncIterable<Line>, name: string): Promise<void> {
  const records: ReadRecord[] = [];
  for await (const item of readRecords(lines, 'strict')) if (item.type === 'record') records.push(item.record);
  const summary = records.find((r) => r.kind === 'summary');
  if (summary && !sameRun(builder.metadata ?? undefined, summary)) {
    builder.note(`${name} is another run's summary (its pid and t0_ms are not this file's): not read`);
    return;
  }
  for (const record of records) builder.add(record);
}

function describeOpenError(name: string, error: unknown): ReportInputError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  const reasons: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'it is a directory' };
  return new ReportInputError(`cannot read ${name}: ${reasons[code] ?? code}`, { hint: INPUT_HINT, cause: error });
}

/** The lines of a file (bounded length: a large file without newlines is no record, not a RangeError). */
function fileLines(path: string): AsyncGenerator<Line> {
  return readLinesFrom(createReadStream(path), MAX_LINE_BYTES);
}

/** Reads a file ("-" is stdin), and its sidecar, into a model. */
export async function readModelFromFile(path: string, options: Omit<ModelOptions, 'fileLabel'> = {}): Promise<ReportModel> {
  const name = path === '-' ? 'standard input' : path;
  let lines: AsyncGenerator<Line>;
  if (path === '-') {
    lines = readLinesFrom(process.stdin as AsyncIterable<Buffer>, MAX_LINE_BYTES);
  } else {
    try {
      if ((await stat(path)).isDirectory()) throw Object.assign(new Error(`${path} is a directory`), { code: 'EISDIR' });
    } catch (error) {
      throw describeOpenError(name, error);
    }
    lines = fileLines(path);
  }
  const expected = path !== '-' && !isSidecar(path) ? sidecarPath(path) : undefined;
  const sidecar = path !== '-' ? sidecarBeside(path) : undefined;
  try {
    return await readModel(lines, name, { ...options, fileLabel: name, sidecar: expected }, sidecar ? fileLines(sidecar) : undefined);
  } catch (error) {
    if (error instanceof ReportInputError) throw error;
    // A read error mid-file (EIO) ends the iterator with that error.
    if ((error as NodeJS.ErrnoException).code) throw describeOpenError(name, error);
    throw error;
  }
}
