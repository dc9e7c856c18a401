/**
 * A JSON Lines file (or stdin) → the report model, through the one reader
 * (records/reader.ts, strict: a wrong field is named, never drawn). Lines
 * that are no record become notes for the report; a file with no record at
 * all is an error, since a report of nothing would only hide the mistake.
 * A tsdenet run's sidecar (run.tsdenet.jsonl beside run.jsonl), holding its
 * summary, is read too when it is there.
 */
import { stat } from 'node:fs/promises';
import { describeProblem, readRecords } from '../records/read-file.js';
import { readLines, readLinesFrom, type Line } from '../records/read-lines.js';
import { isSidecar, otherRunNote, readSidecar, sidecarBeside, sidecarPath } from '../records/sidecar.js';
import { ReportInputError } from './errors.js';
import { ModelBuilder, type ModelOptions, type ReportModel } from './model.js';

const INPUT_HINT = 'give the JSON Lines file of a run: tsdenet --json run -- CMD > run.jsonl (or -o run.jsonl), or denet\'s -o/--json output';

/** Feeds the records of `lines` to the builder; returns the count of non-blank lines and the first problem. */
async function feed(builder: ModelBuilder, lines: AsyncIterable<Line>): Promise<{ nonBlank: number; firstProblem: string | undefined }> {
  let nonBlank = 0;
  let firstProblem: string | undefined;
  // readRecords yields one item per non-blank line (a record or a problem).
  for await (const item of readRecords(lines, 'strict')) {
    nonBlank++;
    if (item.type === 'record') {
      builder.add(item.record);
    } else {
      builder.problem(item.problem);
      firstProblem ??= describeProblem(item.problem);
    }
  }
  return { nonBlank, firstProblem };
}

/** Reads `lines` into a model; `name` names the input in errors; `sidecar`: the path of the file's sidecar, read too. */
export async function readModel(lines: AsyncIterable<Line>, name: string, options: ModelOptions, sidecar?: string): Promise<ReportModel> {
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
  if (sidecar) {
    // tsdenet's interval records and the summary, when they close this file's run.
    const { records, otherRun } = await readSidecar(sidecar, builder.metadata ?? undefined, 'strict');
    if (otherRun) builder.note(otherRunNote(sidecar));
    for (const record of records) builder.add(record);
  }
  return builder.build();
}

function describeOpenError(name: string, error: unknown): ReportInputError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  const reasons: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'it is a directory' };
  return new ReportInputError(`cannot read ${name}: ${reasons[code] ?? code}`, { hint: INPUT_HINT, cause: error });
}

/** Reads a file ("-" is stdin), and its sidecar, into a model. */
export async function readModelFromFile(path: string, options: Omit<ModelOptions, 'fileLabel'> = {}): Promise<ReportModel> {
  const name = path === '-' ? 'standard input' : path;
  let lines: AsyncGenerator<Line>;
  if (path === '-') {
    lines = readLinesFrom(process.stdin as AsyncIterable<Buffer>);
  } else {
    try {
      if ((await stat(path)).isDirectory()) throw Object.assign(new Error(`${path} is a directory`), { code: 'EISDIR' });
    } catch (error) {
      throw describeOpenError(name, error);
    }
    // Bounded line length: a large file without newlines is no record, not a RangeError.
    lines = readLines(path);
  }
  const expected = path !== '-' && !isSidecar(path) ? sidecarPath(path) : undefined;
  const sidecar = path !== '-' ? sidecarBeside(path) : undefined;
  try {
    return await readModel(lines, name, { ...options, fileLabel: name, sidecar: expected }, sidecar);
  } catch (error) {
    if (error instanceof ReportInputError) throw error;
    // A read error mid-file (EIO) ends the iterator with that error.
    if ((error as NodeJS.ErrnoException).code) throw describeOpenError(name, error);
    throw error;
  }
}
