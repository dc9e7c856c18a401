/**
 * JSON Lines output through json-stream-stringify: each record is streamed
 * into the destination, then a newline.
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

/** Writes one record as one line; rejects when the stream fails or is closed. */
export async function writeJsonLine(out: Writable, record: unknown): Promise<void> {
  // Loaded at the end of a run, not at start-up, where every millisecond counts.
  const { JsonStreamStringify } = await import('json-stream-stringify');
  for await (const chunk of new JsonStreamStringify(record)) await writeChunk(out, chunk as string);
  await writeChunk(out, '\n');
}
