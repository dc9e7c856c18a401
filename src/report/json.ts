/**
 * JSON Lines output through json-stream-stringify: each record is streamed
 * into the destination, then a newline.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { JsonStreamStringify } from 'json-stream-stringify';

/** Writes one record as one line and resolves when it is handed to the stream. */
export async function writeJsonLine(out: Writable, record: unknown): Promise<void> {
  for await (const chunk of new JsonStreamStringify(record)) {
    if (!out.write(chunk as string)) await once(out, 'drain');
  }
  if (!out.write('\n')) await once(out, 'drain');
}
