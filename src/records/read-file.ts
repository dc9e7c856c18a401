/**
 * A JSON Lines file (or any byte stream) → records, one line at a time:
 * memory stays bounded whatever the file's size. What is no record is
 * said too, line by line, so `stats` and `report` can tell the user the
 * same things about the same file: a line that is not JSON, one too long
 * to be a record, a record of the wrong shape, a kind nobody reads here, and
 * a last line cut short (a run or a copy interrupted mid-record).
 */
import type { Line } from './read-lines.js';
import { readRecord, type ReadMode, type ReadRecord } from './reader.js';

export type Problem =
  | { kind: 'not-json'; line: number }
  /** The last line, not JSON, starting like a record: the run or the copy was interrupted. */
  | { kind: 'cut-short'; line: number }
  | { kind: 'too-long'; line: number }
  | { kind: 'invalid'; line: number; reason: string }
  /** Valid JSON of a kind not read here (an unknown `kind`). */
  | { kind: 'skipped'; line: number; reason: string };

export type FileItem = { type: 'record'; line: number; record: ReadRecord } | { type: 'problem'; problem: Problem };

/**
 * Reads `lines` as records. A line that is not JSON is reported once the
 * next non-blank line shows it was not the last (the last one is then
 * `cut-short` when it starts a record). Blank lines are skipped.
 */
export async function* readRecords(lines: AsyncIterable<Line>, mode: ReadMode): AsyncGenerator<FileItem> {
  let pendingNotJson: { line: number; startsRecord: boolean } | undefined;
  for await (const line of lines) {
    if (!line.overlong && line.text.trim() === '') continue;
    if (pendingNotJson) {
      yield { type: 'problem', problem: { kind: 'not-json', line: pendingNotJson.line } };
      pendingNotJson = undefined;
    }
    if (line.overlong) {
      yield { type: 'problem', problem: { kind: 'too-long', line: line.number } };
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch {
      pendingNotJson = { line: line.number, startsRecord: line.text.trimStart().startsWith('{') };
      continue;
    }
    const result = readRecord(value, mode);
    if (result.status === 'record') yield { type: 'record', line: line.number, record: result.record };
    else yield { type: 'problem', problem: { kind: result.status, line: line.number, reason: result.reason } };
  }
  if (pendingNotJson) {
    yield { type: 'problem', problem: { kind: pendingNotJson.startsRecord ? 'cut-short' : 'not-json', line: pendingNotJson.line } };
  }
}

/** One problem in words ("line 5: not JSON"). */
export function describeProblem(p: Problem): string {
  switch (p.kind) {
    case 'not-json':
      return `line ${p.line}: not JSON`;
    case 'cut-short':
      return `line ${p.line}: the last line is cut short: was the run or the copy interrupted?`;
    case 'too-long':
      return `line ${p.line}: too long to be a record`;
    case 'invalid':
    case 'skipped':
      return `line ${p.line}: ${p.reason}`;
  }
}
