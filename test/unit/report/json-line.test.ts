import { Writable } from 'node:stream';
import fc from 'fast-check';
import { JsonStreamStringify } from 'json-stream-stringify';
import { describe, expect, it } from 'vitest';
import { isSmallPlainValue, SMALL_RECORD_VALUES, writeJsonLine } from '../../../src/report/json.js';

async function written(record: unknown): Promise<string> {
  let text = '';
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  await writeJsonLine(out, record);
  return text;
}

async function streamed(record: unknown): Promise<string> {
  let text = '';
  for await (const chunk of new JsonStreamStringify(record)) text += chunk as string;
  return text + '\n';
}

describe('writeJsonLine', () => {
  it('writes a small record as json-stream-stringify streams it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), async (value) => {
        expect(isSmallPlainValue(value, 1 << 20)).toBe(true);
        expect(await written(value)).toBe(await streamed(value));
      }),
      { numRuns: 200 },
    );
  });

  it('streams what JSON.stringify would write otherwise or is large', async () => {
    expect(isSmallPlainValue({ n: 1n })).toBe(false);
    expect(await written({ n: 12345678901234567890n })).toBe('{"n":12345678901234567890}\n');
    expect(isSmallPlainValue({ at: new Date(0) })).toBe(false);
    expect(isSmallPlainValue([Number.NaN])).toBe(false);
    const large = { processes: Array.from({ length: SMALL_RECORD_VALUES }, (_, pid) => ({ pid })) };
    expect(isSmallPlainValue(large)).toBe(false);
    expect(await written(large)).toBe(JSON.stringify(large) + '\n');
  });
});
