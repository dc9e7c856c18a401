/**
 * JSON Lines output: each record is written into the destination, then a
 * newline. A large record (a summary of thousands of processes) is
 * streamed through json-stream-stringify, never held as one string; a small
 * one is one JSON.stringify: streaming the five records of a short run
 * took 12 ms, most of its output time (docs/startup.md).
 */
import type { Writable } from 'node:stream';

/**
 * Resolves when `out` takes more, rejects once it has failed or closed: a
 * stream that fails (a full disk, a reader gone) never emits 'drain', and
 * waiting for it would hang tsdenet.
 */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error): void => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = (): void => settle();
    const onError = (error: Error): void => settle(error);
    const onClose = (): void => settle(out.errored ?? new Error('the output was closed'));
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}

function writeChunk(out: Writable, chunk: string): Promise<void> | undefined {
  if (out.destroyed || out.errored) return Promise.reject(out.errored ?? new Error('the output was closed'));
  return out.write(chunk) ? undefined : drained(out);
}

/** Values a record written whole may hold at most (objects, arrays and primitives, each one). */
export const SMALL_RECORD_VALUES = 5000;

/**
 * Whether `value` is plain data (objects, arrays, strings, finite numbers,
 * booleans, null, undefined) of at most `budget` values: what JSON.stringify
 * writes exactly as json-stream-stringify does. A bigint, a class instance
 * (toJSON, a promise or stream json-stream-stringify would wait for) or a
 * larger value goes to the stream.
 */
export function isSmallPlainValue(value: unknown, budget = SMALL_RECORD_VALUES): boolean {
  const pending: unknown[] = [value];
  let seen = 0;
  while (pending.length > 0) {
    const item = pending.pop();
    if (++seen > budget) return false;
    if (item === null || item === undefined || typeof item === 'string' || typeof item === 'boolean') continue;
    if (typeof item === 'number') {
      if (!Number.isFinite(item)) return false;
      continue;
    }
    if (typeof item !== 'object') return false;
    if (Array.isArray(item)) {
      for (const element of item) pending.push(element);
      continue;
    }
    if (Object.getPrototypeOf(item) !== Object.prototype) return false;
    for (const key in item) pending.push((item as Record<string, unknown>)[key]);
  }
  return true;
}

/** Writes one record as one line; rejects when the stream fails or is closed. */
export async function writeJsonLine(out: Writable, record: unknown): Promise<void> {
  if (isSmallPlainValue(record)) {
    await writeChunk(out, JSON.stringify(record) + '\n');
    return;
  }
  // Loaded when the first large record comes, not at start-up, where every millisecond counts.
  const { JsonStreamStringify } = await import('json-stream-stringify');
  for await (const chunk of new JsonStreamStringify(record)) await writeChunk(out, chunk as string);
  await writeChunk(out, '\n');
}
