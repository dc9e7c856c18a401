/**
 * Property-based tests (fast-check) of everything that reads input tsdenet
 * does not control: the one JSON Lines reader (lenient for `stats`, strict
 * for `report`), the summary and the page built from what it reads, and the
 * /proc parsers. Any input either parses or ends in the reader's own clean
 * error (StatsInputError, ReportInputError, undefined), never in another
 * exception; sample points and /proc values that parse are finite numbers.
 * Inputs are arbitrary bytes and JSON, and real records (the fixtures)
 * with random parts replaced: the structure-aware cases reach the deep
 * field checks that random text never does.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadChartAssets } from '../../src/html-report/assets.js';
import { ReportInputError } from '../../src/html-report/errors.js';
import { readModel } from '../../src/html-report/read-model.js';
import { renderHtml } from '../../src/html-report/render-html.js';
import { parseAuxv } from '../../src/proc/auxv.js';
import { parseIo } from '../../src/proc/io.js';
import { parseNetDev } from '../../src/proc/net-dev.js';
import { parseStat } from '../../src/proc/stat.js';
import { ignoresSigchld, statusField } from '../../src/proc/status.js';
import { parseUptime } from '../../src/proc/uptime.js';
import { StatsInputError } from '../../src/stats/errors.js';
import { readLines, type Line } from '../../src/records/read-lines.js';
import { readRecord, sampleOf } from '../../src/records/reader.js';
import { summarizeFile } from '../../src/stats/summarize-file.js';
import { ROOT } from '../helpers/cli.js';
import { tempDir } from './helpers.js';

type Json = unknown;

const FIXTURES = join(ROOT, 'test', 'fixtures', 'report');
const RECORDS: Json[] = ['tsdenet-sampled.jsonl', 'denet-tree.jsonl', 'denet-legacy-tree.jsonl', 'denet-legacy-metrics.jsonl', 'denet-exclude-children.jsonl', 'tsdenet-future-fields.jsonl']
  .flatMap((name) => readFileSync(join(FIXTURES, name), 'utf8').split('\n'))
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Json)
  // Keep the huge records small enough to mutate fast.
  .filter((record) => JSON.stringify(record).length < 20_000);

/** Every path to a value inside `value` (the root is []). */
function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function replaceAt(value: Json, path: (string | number)[], replacement: Json): Json {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path;
  const copy = (Array.isArray(value) ? [...value] : { ...(value as object) }) as Record<string | number, Json>;
  copy[head!] = replaceAt(copy[head!], rest, replacement);
  return copy;
}

/** A real record with up to three of its parts (any depth) replaced by arbitrary JSON. */
const mutatedRecord = fc
  .tuple(fc.constantFrom(...RECORDS), fc.array(fc.tuple(fc.nat(), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, -1, 1e308, -1e308, '', '</script><b>', [], {}))), { maxLength: 3 }))
  .map(([record, edits]) => edits.reduce((r, [at, v]) => { const all = paths(r); return replaceAt(r, all[at % all.length]!, v); }, record));

/** A line of a metrics file: a mutated record, arbitrary JSON, text, or a record cut short. */
const line = fc.oneof(
  { weight: 4, arbitrary: mutatedRecord.map((r) => JSON.stringify(r)) },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }).map((s) => s.replace(/\n/g, ' ')) },
  { weight: 1, arbitrary: fc.tuple(mutatedRecord, fc.nat()).map(([r, n]) => { const t = JSON.stringify(r); return t.slice(0, n % t.length); }) },
);

/** Every number in value is finite (a NaN or Infinity would be `null` in JSON). */
function allFinite(value: Json): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (typeof value === 'object' && value !== null) return Object.values(value).every(allFinite);
  return true;
}

/** Lines as the file reader gives them. */
async function* linesOf(texts: readonly string[]): AsyncGenerator<Line> {
  let number = 0;
  for (const text of texts) yield { number: ++number, text };
}

describe('the one reader', () => {
  it('reads any JSON value in either mode into a record, a skip or an invalid line, never an exception; samples are finite', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedRecord, fc.jsonValue(), fc.anything()), fc.constantFrom('strict' as const, 'lenient' as const), (value, mode) => {
        const result = readRecord(value, mode);
        expect(['record', 'skipped', 'invalid']).toContain(result.status);
        if (result.status === 'record') {
          const sample = sampleOf(result.record);
          if (sample) expect(allFinite(sample.point)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('strict never keeps a line lenient refuses', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedRecord, fc.jsonValue()), (value) => {
        if (readRecord(value, 'strict').status === 'record') expect(readRecord(value, 'lenient').status).toBe('record');
      }),
      { numRuns: 500 },
    );
  });
});

describe('stats: reading and summarizing', () => {

  it('splits any bytes into the same lines, numbered, with overlong ones marked', async () => {
    const dir = tempDir('prop-lines');
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 1, max: 40 }), async (bytes, max) => {
        const file = join(dir, 'lines');
        writeFileSync(file, bytes);
        const got: { number: number; text: string; overlong?: boolean }[] = [];
        for await (const l of readLines(file, max)) got.push(l);
        const expected = Buffer.from(bytes).toString('latin1').split('\n');
        if (expected.at(-1) === '') expected.pop();
        expect(got.map((l) => l.number)).toEqual(expected.map((_, i) => i + 1));
        got.forEach((l, i) => {
          const raw = Buffer.from(expected[i]!, 'latin1');
          if (raw.length > max) expect(l.overlong).toBe(true);
          else expect(l.text).toBe(raw.toString('utf8'));
        });
      }),
      { numRuns: 150 },
    );
  });

  it('summarizes any file or fails with a StatsInputError', async () => {
    const dir = tempDir('prop-stats');
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 12 }), fc.boolean(), async (lines, newline) => {
        const file = join(dir, 'run.jsonl');
        writeFileSync(file, lines.join('\n') + (newline ? '\n' : ''));
        try {
          const summary = await summarizeFile(file);
          expect(summary.statistics.sample_count).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(StatsInputError);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('report: the JSON Lines reader and the page', () => {
  const assets = loadChartAssets();

  it('reads any lines into a model or a ReportInputError, and renders every model into one safe page', async () => {
    const scripts = (html: string): number => html.split('</script').length - 1;
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 10 }), async (lines) => {
        let model;
        try {
          model = await readModel(linesOf(lines), 'input.jsonl', { fileLabel: 'input.jsonl' });
        } catch (error) {
          expect(error).toBeInstanceOf(ReportInputError);
          return;
        }
        const html = renderHtml(model, assets, { source: 'input.jsonl', version: '0' });
        // Data never ends a script early: the page's own three scripts only.
        expect(scripts(html)).toBe(3);
      }),
      { numRuns: 150 },
    );
  });
});

describe('/proc parsers', () => {
  const text = fc.string({ unit: 'binary', maxLength: 400 });

  it('take any text without throwing', () => {
    fc.assert(
      fc.property(text, fc.string({ maxLength: 12 }), (t, name) => {
        const stat = parseStat(t);
        if (stat) expect(Number.isInteger(stat.pid) && Number.isInteger(stat.ppid)).toBe(true);
        const io = parseIo(t);
        if (io) expect(allFinite(io)).toBe(true);
        expect(allFinite(parseNetDev(t))).toBe(true);
        parseUptime(t);
        statusField(t, name);
        expect(typeof ignoresSigchld(t)).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });

  it('take any auxv bytes, either word size and byte order', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(4, 8), fc.boolean(), (bytes, word, little) => {
        for (const value of parseAuxv(Buffer.from(bytes), word, little).values()) expect(Number.isFinite(value)).toBe(true);
      }),
    );
  });

  it('read back what the kernel writes in stat, whatever bytes the process named itself', () => {
    const comm = fc.uint8Array({ minLength: 0, maxLength: 15 }).map((b) => Buffer.from(b.filter((x) => x !== 0)));
    const count = fc.nat({ max: 2 ** 40 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4194304 }), comm, fc.integer({ min: 0, max: 4194304 }), count, count, count, (pid, name, ppid, utime, stime, start) => {
        // proc(5): pid (comm) state ppid … 52 fields; read as latin1 like proc-file.ts.
        const fields = Array.from({ length: 50 }, (_, i) => String(i));
        fields[0] = 'S';
        fields[1] = String(ppid);
        fields[11] = String(utime);
        fields[12] = String(stime);
        fields[19] = String(start);
        const raw = Buffer.concat([Buffer.from(`${pid} (`), name, Buffer.from(`) ${fields.join(' ')}\n`)]);
        const stat = parseStat(raw.toString('latin1'));
        expect(stat).toMatchObject({ pid, ppid, state: 'S', utime, stime, starttime: start, comm: name.toString('utf8') });
      }),
      { numRuns: 500 },
    );
  });
});
