/**
 * The lines of a file, streamed: memory stays bounded by the chunk size
 * and the longest line kept. A line longer than maxLineBytes is not kept;
 * it is reported as `overlong` (its text would be no record anyway).
 */
import { createReadStream } from 'node:fs';

export type Line = { number: number; text: string; overlong?: false } | { number: number; text: ''; overlong: true };

/**
 * Longer lines are no record: far above any real one (the summary of a run
 * with --per-thread and a million threads), below V8's longest string. One
 * bound for `stats` and `report`, so that both read the same records.
 */
export const DEFAULT_MAX_LINE_BYTES = 256 * 1024 * 1024;

/** Yields each line of the file (without its newline), numbered from 1. */
export function readLines(path: string, maxLineBytes = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<Line> {
  return readLinesFrom(createReadStream(path, { highWaterMark: 1024 * 1024 }), maxLineBytes);
}

/** The same for any byte stream (stdin for `report -`). */
export async function* readLinesFrom(input: AsyncIterable<Buffer>, maxLineBytes = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<Line> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let overlong = false;
  let number = 0;
  const finish = (tail: Buffer): Line => {
    number++;
    const line: Line = overlong || pendingBytes + tail.length > maxLineBytes
      ? { number, text: '', overlong: true }
      : { number, text: Buffer.concat([...pending, tail]).toString('utf8') };
    pending = [];
    pendingBytes = 0;
    overlong = false;
    return line;
  };
  for await (const chunk of input) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      yield finish(chunk.subarray(start, nl));
      start = nl + 1;
    }
    const rest = chunk.subarray(start);
    if (overlong || pendingBytes + rest.length > maxLineBytes) {
      overlong = true;
      pending = [];
      pendingBytes = 0;
    } else if (rest.length > 0) {
      // Copy: the stream may reuse nothing, but a subarray would pin the whole chunk.
      pending.push(Buffer.from(rest));
      pendingBytes += rest.length;
    }
  }
  if (overlong || pendingBytes > 0) yield finish(Buffer.alloc(0));
}
