/**
 * A JSON Lines file (or stdin) → the report model, line by line. Lines
 * that are not JSON or not a record are kept as notes for the report; a
 * file with no record at all is an error, since a report of nothing would
 * only hide the mistake.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { readLinesFrom } from '../stats/read-lines.js';
import { ReportInputError } from './errors.js';
import { ModelBuilder, type ModelOptions, type ReportModel } from './model.js';
import { parseRecord } from './parse-record.js';

/**
 * Longer lines are no record. Far above any real one (the summary of a run
 * with --per-thread and a million threads), below V8's longest string.
 */
const MAX_LINE_BYTES = 256 * 1024 * 1024;

const INPUT_HINT = 'give the JSON Lines file of a run: tsdenet --json run -- CMD > run.jsonl (or -o run.jsonl), or denet\'s -o/--json output';

/**
 * Reads `lines` into a model; `name` names the input in errors. A null line
 * is one too long to be a record (a binary file without newlines).
 */
export async function readModel(lines: AsyncIterable<string | null> | Iterable<string | null>, name: string, options: ModelOptions): Promise<ReportModel> {
  const builder = new ModelBuilder(options);
  let number = 0;
  let nonBlank = 0;
  let firstProblem: string | undefined;
  let lastLineNotJson: { number: number; startsRecord: boolean } | undefined;
  for await (const text of lines) {
    number++;
    if (text !== null && text.trim() === '') continue;
    nonBlank++;
    // A line that was not JSON is noted once the next one shows it was not
    // the last: a last line that starts a record and is not JSON is a record
    // cut short, and is said so once.
    if (lastLineNotJson !== undefined) {
      builder.invalid(lastLineNotJson.number, 'not JSON');
      lastLineNotJson = undefined;
    }
    if (text === null) {
      builder.invalid(number, 'too long to be a record');
      firstProblem ??= `line ${number} is too long to be a record`;
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      lastLineNotJson = { number, startsRecord: text.trimStart().startsWith('{') };
      firstProblem ??= `line ${number} is not JSON`;
      continue;
    }
    const result = parseRecord(value);
    if (result.status === 'record') builder.add(result.record);
    else if (result.status === 'skipped') builder.skipped(result.reason);
    else {
      builder.invalid(number, result.reason);
      firstProblem ??= `line ${number}: ${result.reason}`;
    }
  }
  if (nonBlank === 0) {
    throw new ReportInputError(`${name} is empty`, { hint: `${INPUT_HINT}; a run writes JSON only with --json or -o FILE` });
  }
  if (builder.recordCount === 0) {
    throw new ReportInputError(`${name} holds no tsdenet or denet record (${nonBlank} line(s) read; ${firstProblem ?? 'none is a record'})`, {
      hint: INPUT_HINT,
    });
  }
  if (lastLineNotJson !== undefined) {
    builder.invalid(lastLineNotJson.number, lastLineNotJson.startsRecord ? 'the last line is cut short: was the run or the copy interrupted?' : 'not JSON');
  }
  return builder.build();
}

function describeOpenError(name: string, error: unknown): ReportInputError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  const reasons: Record<string, string> = { ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'it is a directory' };
  return new ReportInputError(`cannot read ${name}: ${reasons[code] ?? code}`, { hint: INPUT_HINT, cause: error });
}

/** Reads a file ("-" is stdin) into a model. */
export async function readModelFromFile(path: string, options: Omit<ModelOptions, 'fileLabel'> = {}): Promise<ReportModel> {
  const name = path === '-' ? 'standard input' : path;
  let input: NodeJS.ReadableStream;
  if (path === '-') {
    input = process.stdin;
  } else {
    try {
      if ((await stat(path)).isDirectory()) throw Object.assign(new Error(`${path} is a directory`), { code: 'EISDIR' });
    } catch (error) {
      throw describeOpenError(name, error);
    }
    input = createReadStream(path);
  }
  // Lines of bounded length: readline keeps any line whole, and a large file
  // without newlines threw RangeError (Invalid string length). A read error
  // mid-file (EIO) ends the iterator with that error.
  async function* texts(): AsyncGenerator<string | null> {
    for await (const line of readLinesFrom(input as AsyncIterable<Buffer>, MAX_LINE_BYTES)) yield line.overlong ? null : line.text;
  }
  try {
    return await readModel(texts(), name, { ...options, fileLabel: name });
  } catch (error) {
    if (error instanceof ReportInputError) throw error;
    if ((error as NodeJS.ErrnoException).code) throw describeOpenError(name, error);
    throw error;
  }
}
