/**
 * The import boundaries of eslint.config.js hold: each rule refuses a
 * violation (an import that climbs back up, or a package out of its place),
 * and the source as it is passes (npm test runs `eslint src` first).
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../helpers/cli.js';

const eslint = new ESLint({ cwd: ROOT });

/** The messages eslint gives for `code` as if it were the file at `path`. */
async function problems(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${path}` });
  return (result?.messages ?? []).map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['src/records/reader.ts', "import { loadLibbpf } from '../bpf/libbpf.js';", /records\/ is the schema/],
    ['src/html-report/model.ts', "import { readText } from '../proc/proc-file.js';", /reads records only/],
    ['src/report/table.ts', "import { TreeSampler } from '../monitor/sampler.js';", /never reach the kernel/],
    ['src/stats/render.ts', "import { measureRun } from '../measure/run.js';", /never reach the kernel/],
    ['src/monitor/session.ts', "import { measureRun } from '../measure/run.js';", /never the other way/],
    ['src/measure/run.ts', "import { deliverSummary } from '../report/deliver.js';", /delivering it is report/],
    ['src/proc/stat.ts', "import type { Metrics } from '../records/schema.js';", /ground floor/],
    ['src/bpf/counter.ts', "import { TreeSampler } from '../monitor/sampler.js';", /for the pipeline above it/],
    ['src/measure/run.ts', "import koffi from 'koffi';", /koffi only in src\/bpf\/libbpf.ts/],
    ['src/monitor/live-line.ts', "import Table from 'cli-table3';", /cli-table3 only in/],
    ['src/measure/run.ts', "import yargs from 'yargs';", /yargs only in src\/cli/],
    ['src/compare/compare.ts', "import { measureRun } from '../measure/run.js';", /plain data in, text out/],
    ['src/prometheus/pushgateway.ts', "import { renderSummary } from '../report/table.js';", /plain data in, text out/],
  ])('%s may not: %s', async (path, code, message) => {
    expect(await problems(path, `${code}\nexport {};\n`)).toEqual([expect.stringMatching(message)]);
  });

  it('lets each package into its own place', async () => {
    expect(await problems('src/bpf/libbpf.ts', "import koffi from 'koffi';\nexport const k = koffi;\n")).toEqual([]);
    expect(await problems('src/cli/parser.ts', "import yargs from 'yargs';\nexport const y = yargs;\n")).toEqual([]);
    expect(await problems('src/report/table.ts', "import Table from 'cli-table3';\nexport const t = Table;\n")).toEqual([]);
  });

  it('finds nothing in the source as it is', async () => {
    const results = await eslint.lintFiles(['src']);
    expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.message}`))).toEqual([]);
  });
});
