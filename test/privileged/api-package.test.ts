/**
 * The Node API as a user gets it: the package packed (npm pack), installed
 * from the tarball into a project in another directory (npm install), and
 * imported there by name, `import { profile } from 'tsdenet'`. The profile
 * is real: eBPF counts of a workload whose calls are known by construction.
 * A TypeScript project typechecks against the shipped .d.ts files, and a
 * wrong call does not.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runProgram } from '../helpers/cli.js';
import { requireBpf, requireOrSkip } from '../helpers/privileges.js';
import { buildFixture, WORKLOAD_COUNTS } from '../helpers/workload.js';

let dir: string;
let app: string;
let installError: string | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsdenet-api-'));
  app = join(dir, 'app');
  mkdirSync(app);
  try {
    // dist/ is built by `npm test` (pretest); --ignore-scripts: no second build.
    execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: ROOT, stdio: 'pipe' });
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'api-user', private: true, type: 'module' }));
    execFileSync('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(dir, tarball!)], { cwd: app, stdio: 'pipe' });
  } catch (error) {
    installError = `npm pack/install failed: ${(error as { stderr?: Buffer }).stderr?.toString() ?? String(error)}`;
  }
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a module of the installed project; its stdout is one JSON value. */
async function runModule(name: string, source: string): Promise<any> {
  writeFileSync(join(app, name), source);
  const result = await runProgram(process.execPath, [name], { cwd: app });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout.trim().split('\n').pop()!);
}

describe('the package, installed elsewhere and imported by name', () => {
  it('profile() counts a known workload exactly with eBPF; its records, summary and files agree', async (ctx) => {
    requireBpf(ctx);
    requireOrSkip(ctx, installError);
    const workload = buildFixture('workload');
    const out = join(dir, 'run.jsonl');
    const result = await runModule(
      'profile.mjs',
      `import { profile, summarize, readRecords } from 'tsdenet';
const kinds = [];
// The workload's own output would mix with ours: it writes nothing to stdout.
const r = await profile([${JSON.stringify(workload)}], { ebpf: true, requireEbpf: true, interval: 100, out: ${JSON.stringify(out)}, onRecord: (rec) => kinds.push(rec.kind) });
const fromFile = [];
for await (const rec of readRecords(${JSON.stringify(out)})) fromFile.push(rec.kind);
console.log(JSON.stringify({
  exitStatus: r.exitStatus, exitCode: r.exitCode, signal: r.signal, kinds, recordKinds: r.records.map((x) => x.kind),
  summary: r.summary, statistics: r.statistics,
  fromRecords: await summarize(r.records), fromFile: await summarize(${JSON.stringify(out)}), fileKinds: fromFile,
}));
`,
    );
    expect(result.exitStatus).toBe(0);
    expect(result.exitCode).toBe(0);
    expect(result.signal).toBeNull();
    const bySyscall = result.summary.ebpf.syscalls.by_syscall as Record<string, number>;
    for (const [name, count] of Object.entries(WORKLOAD_COUNTS)) expect(bySyscall[name], name).toBe(count);
    expect(result.summary.ebpf.attach_mode).toBe('tp_btf');
    // onRecord saw every record, in order, the summary last; the result keeps the same.
    expect(result.kinds).toEqual(result.recordKinds);
    expect(result.kinds[0]).toBe('metadata');
    expect(result.kinds.at(-1)).toBe('summary');
    expect(result.kinds.filter((k: string) => k === 'tree').length).toBe(result.statistics.sample_count);
    // One summary of the samples, whichever way it is asked for.
    expect(result.fromRecords).toEqual(result.statistics);
    expect(result.fromFile).toEqual(result.statistics);
    expect(result.summary.sample_count).toBe(result.statistics.sample_count);
    // The -o file holds denet's records, as the CLI writes it.
    expect(result.fileKinds).toEqual(result.kinds.filter((k: string) => k !== 'summary'));
  }, 60_000);

  it('errors are typed and exported: a missing command, a bad option; the exit status of a failing command', async (ctx) => {
    requireOrSkip(ctx, installError);
    const result = await runModule(
      'errors.mjs',
      `import { profile, CommandStartError, UsageError, TsdenetError } from 'tsdenet';
const caught = async (p) => p.then(() => 'resolved', (e) => ({ name: e.name, code: e.code, exitCode: e.exitCode, message: e.message, hint: e.hint,
  tsdenet: e instanceof TsdenetError, start: e instanceof CommandStartError, usage: e instanceof UsageError }));
console.log(JSON.stringify({
  missing: await caught(profile(['tsdenet-no-such-command'])),
  interval: await caught(profile(['true'], { interval: 0 })),
  needsEbpf: await caught(profile(['true'], { latency: true })),
  failing: (await profile(['sh', '-c', 'exit 3'])).exitStatus,
  killed: await profile(['sh', '-c', 'kill -TERM $$']).then((r) => [r.exitStatus, r.exitCode, r.signal]),
}));
`,
    );
    expect(result.missing).toMatchObject({ name: 'CommandStartError', code: 'COMMAND_NOT_FOUND', exitCode: 127, tsdenet: true, start: true });
    expect(result.interval).toMatchObject({ name: 'UsageError', exitCode: 2, usage: true, message: 'option interval must be a whole number from 1 to 3600000 (got 0)' });
    expect(result.needsEbpf).toMatchObject({ name: 'UsageError', hint: 'add ebpf: true' });
    expect(result.failing).toBe(3);
    expect(result.killed).toEqual([143, null, 'SIGTERM']);
  }, 60_000);

  it('attach() watches a running process until the caller aborts; the process is left running', async (ctx) => {
    requireOrSkip(ctx, installError);
    const result = await runModule(
      'attach.mjs',
      `import { attach } from 'tsdenet';
import { spawn } from 'node:child_process';
const child = spawn('sleep', ['30'], { stdio: 'ignore' });
const ac = new AbortController();
let trees = 0;
const r = await attach(child.pid, { signal: ac.signal, interval: 50, onRecord: (rec) => { if (rec.kind === 'tree' && ++trees === 3) ac.abort(); } });
const alive = child.exitCode === null && child.signalCode === null;
child.kill();
console.log(JSON.stringify({ pid: child.pid, summary: r.summary, exitStatus: r.exitStatus, kinds: r.records.map((x) => x.kind), alive }));
`,
    );
    expect(result.summary).toMatchObject({ mode: 'attach', pid: result.pid, exit_code: null, exit_status: 0 });
    expect(result.alive).toBe(true);
    expect(result.kinds[0]).toBe('metadata');
    // Three samples, then the closing one once aborted.
    expect(result.kinds.filter((k: string) => k === 'tree')).toHaveLength(4);
  }, 60_000);

  it('is typed: a TypeScript project typechecks against the shipped .d.ts, and a wrong call does not', async (ctx) => {
    requireOrSkip(ctx, installError);
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const config = { compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'ES2022', noEmit: true, skipLibCheck: true, typeRoots: [join(ROOT, 'node_modules/@types')], types: ['node'] } };
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ ...config, files: ['good.ts'] }));
    writeFileSync(
      join(app, 'good.ts'),
      `import { profile, summarize, type ProfileResult, type TreeRecord } from 'tsdenet';
const r: ProfileResult = await profile(['true'], { ebpf: true, interval: 100, onRecord: (rec) => { if (rec.kind === 'tree') { const t: TreeRecord = rec; void t.aggregated?.cpu_usage; } } });
const code: number = r.exitStatus;
const total: number | undefined = r.summary.ebpf?.syscalls?.total;
const peak: number = (await summarize(r.records)).peak_mem_rss_kb;
export { code, total, peak };
`,
    );
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, stdio: 'pipe' });
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ ...config, files: ['bad.ts'] }));
    writeFileSync(join(app, 'bad.ts'), `import { profile } from 'tsdenet';\nawait profile('ls -l', { interval: '100' });\nexport {};\n`);
    let output = '';
    try {
      execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: app, stdio: 'pipe' });
    } catch (error) {
      output = (error as { stdout: Buffer }).stdout.toString();
    }
    expect(output).toMatch(/bad\.ts\(2,\d+\): error TS2345: Argument of type 'string' is not assignable to parameter of type 'readonly string\[\]'/);
  }, 60_000);
});
