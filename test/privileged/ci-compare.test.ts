/**
 * `compare` and syscall budgets on real runs: test/fixtures/scaled.c makes
 * the counts its environment asks for (the command line stays the same),
 * so two runs differ by exactly what the test chose; its NOISE threads
 * contend for a mutex, whose futex counts vary from run to run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { bpfSkipReason, requireBpf } from '../helpers/privileges.js';
import { buildFixture } from '../helpers/workload.js';

let dir: string;
let scaled: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsdenet-compare-'));
  if (bpfSkipReason() === undefined) scaled = buildFixture('scaled');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Counts {
  getppid?: number;
  openat?: number;
  noise?: number;
  exit?: number;
}

function env(c: Counts): NodeJS.ProcessEnv {
  return { ...process.env, SCALED_GETPPID: String(c.getppid ?? 0), SCALED_OPENAT: String(c.openat ?? 0), SCALED_NOISE: String(c.noise ?? 0), SCALED_EXIT: String(c.exit ?? 0) };
}

/** One real run saved with -o; returns the -o file. */
async function save(name: string, c: Counts, flags: string[] = ['--enable-ebpf', '--require-ebpf', '--errors']): Promise<string> {
  const out = join(dir, `${name}.jsonl`);
  const r = await runCli([...flags, '-q', '-o', out, 'run', '--', scaled], { env: env(c) });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(c.exit ?? 0);
  return out;
}

function sidecarSummary(out: string): any {
  const lines = readFileSync(out.replace(/\.jsonl$/, '.tsdenet.jsonl'), 'utf8').trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!);
}

function compareJson(r: CliResult): any {
  return JSON.parse(r.stdout);
}

describe('tsdenet compare (real runs)', () => {
  let base1: string, base2: string, new1: string, new2: string;

  beforeAll(async () => {
    if (bpfSkipReason() !== undefined) return;
    base1 = await save('base1', { getppid: 100, openat: 10, noise: 4 });
    base2 = await save('base2', { getppid: 100, openat: 10, noise: 4 });
    new1 = await save('new1', { getppid: 100, openat: 25, noise: 4 });
    new2 = await save('new2', { getppid: 100, openat: 25, noise: 4 });
  });

  it('gives exact deltas per syscall, category, command and errno', async (ctx) => {
    requireBpf(ctx);
    const r = await runCli(['--json', 'compare', base1, new1]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const c = compareJson(r);
    const row = (list: any[], name: string) => list.find((x) => x.name === name);
    expect(row(c.syscalls, 'openat')).toMatchObject({ delta: 15 });
    expect(row(c.syscalls, 'getppid')).toMatchObject({ delta: 0, base: { median: 100 }, new: { median: 100 } });
    expect(row(c.errors, 'openat ENOENT')).toMatchObject({ base: { median: 10 }, new: { median: 25 }, delta: 15, relative: 1.5 });
    // The same numbers as the runs' own summaries.
    const b = sidecarSummary(base1).ebpf.syscalls;
    const n = sidecarSummary(new1).ebpf.syscalls;
    expect(c.total).toMatchObject({ base: { median: b.total }, new: { median: n.total }, delta: n.total - b.total });
    expect(row(c.categories, 'file_io')).toMatchObject({ delta: n.by_category.file_io - b.by_category.file_io });
    expect(row(c.commands, 'scaled')).toMatchObject({ base: { median: b.total }, new: { median: n.total } });
    // Sorted by change, biggest first.
    const deltas = c.syscalls.map((x: any) => Math.abs(x.delta));
    expect(deltas).toEqual([...deltas].sort((x: number, y: number) => y - x));
  });

  it('with several runs a side: medians, and what varies between runs of a side is marked', async (ctx) => {
    requireBpf(ctx);
    const r = await runCli(['--json', 'compare', base1, base2, '--', new1, new2]);
    expect(r.code).toBe(0);
    const c = compareJson(r);
    expect(c.base).toEqual([base1, base2]);
    const runs = [base1, base2, new1, new2].map((f) => sidecarSummary(f).ebpf.syscalls.by_syscall);
    for (const row of c.syscalls) {
      // Marked exactly when one side's runs disagree, by the runs' own counts.
      const values = runs.map((bySyscall) => bySyscall[row.name] ?? 0);
      expect(row.varies, row.name).toBe(values[0] !== values[1] || values[2] !== values[3]);
    }
    expect(c.syscalls.find((x: any) => x.name === 'openat')).toMatchObject({ delta: 15, varies: false });
    expect(c.syscalls.find((x: any) => x.name === 'getppid')).toMatchObject({ varies: false });
    // Four threads contending for a mutex: futex is called, and the table marks whatever varied.
    expect(runs.every((bySyscall) => (bySyscall.futex ?? 0) > 0)).toBe(true);
    const table = await runCli(['compare', base1, base2, '--', new1, new2]);
    expect(table.code).toBe(0);
    for (const row of c.syscalls.filter((x: any) => x.varies)) expect(table.stdout).toMatch(new RegExp(`${row.name} ~`));
    expect(table.stdout).toMatch(/openat +│ +12 │ +27 │ +\+15 │/);
    expect(table.stdout).toContain('(2 runs: medians)');
  });

  it('--format markdown writes tables for a CI job summary, to -o FILE too', async (ctx) => {
    requireBpf(ctx);
    const md = join(dir, 'summary.md');
    const r = await runCli(['-o', md, 'compare', '--format', 'markdown', '--budget', 'openat=+10', base1, new1]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('tsdenet: 1 of 1 syscall budgets exceeded\n');
    const text = readFileSync(md, 'utf8');
    expect(text).toContain('## tsdenet: syscalls compared');
    expect(text).toContain('| openat=+10 | 12 | 27 | 22 | EXCEEDED |');
    expect(text).toContain('| openat ENOENT | 10 | 25 | +15 | +150.0% |');
  });

  it('budgets: exit 1 with a table when one is exceeded, 0 when all are met', async (ctx) => {
    requireBpf(ctx);
    const over = await runCli(['compare', '--budget', 'openat=+10%,getppid=0,category:network<=0', base1, new1]);
    expect(over.code).toBe(1);
    expect(over.stdout).toMatch(/openat=\+10% +│ +12 │ +27 │ +13 │ +EXCEEDED/);
    expect(over.stdout).toMatch(/getppid=0 +│ +100 │ +100 │ +100 │ +ok/);
    expect(over.stdout).toContain('1 of 3 syscall budgets exceeded');
    const file = join(dir, 'budgets.txt');
    writeFileSync(file, '# what the change may cost\nopenat=+15\ngetppid=0, command:scaled=+100%\n');
    const met = await runCli(['compare', '--budget-file', file, base1, new1]);
    expect(met.stderr).toBe('');
    expect(met.stdout).toContain('all 3 syscall budgets met');
    expect(met.code).toBe(0);
  });

  it('a malformed budget: exit 2, naming the item, before any file is read', async (ctx) => {
    requireBpf(ctx);
    const r = await runCli(['compare', '--budget', 'openat=+10%,futx=+1', join(dir, 'missing.jsonl'), new1]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--budget item 2 \("futx=\+1"\): unknown syscall "futx" \(did you mean futex/);
    const file = join(dir, 'bad-budgets.txt');
    writeFileSync(file, 'openat=+1\ntotal=lots\n');
    const f = await runCli(['compare', '--budget-file', file, base1, new1]);
    expect(f.code).toBe(2);
    expect(f.stderr).toContain(`${file}:2: "lots" is no limit`);
  });

  it('mismatched runs: another command, a run without eBPF, a file without summary: exit 2 and why', async (ctx) => {
    requireBpf(ctx);
    const other = join(dir, 'other.jsonl');
    const o = await runCli(['--enable-ebpf', '-q', '-o', other, 'run', '--', buildFixture('workload')]);
    expect(o.code).toBe(0);
    const differ = await runCli(['compare', base1, other]);
    expect(differ.code).toBe(2);
    expect(differ.stderr).toContain(`${base1} ran ["${scaled}"] but ${other} ran ["${buildFixture('workload')}"]`);
    expect(differ.stderr).toContain('--any-command');
    expect((await runCli(['compare', '--any-command', base1, other])).code).toBe(0);

    const plain = await save('plain', { openat: 10 }, []);
    const noEbpf = await runCli(['compare', base1, plain]);
    expect(noEbpf.code).toBe(2);
    expect(noEbpf.stderr).toContain(`${plain} has no syscall counts: it was made without --enable-ebpf`);
    expect(noEbpf.stderr).toContain('fix: compare runs made with tsdenet --enable-ebpf');

    const bare = join(dir, 'bare.jsonl');
    writeFileSync(bare, readFileSync(base1));
    const noSummary = await runCli(['compare', bare, new1]);
    expect(noSummary.code).toBe(2);
    expect(noSummary.stderr).toContain(`${bare} holds no tsdenet summary record, and no sidecar beside it does`);

    const missing = await runCli(['compare', join(dir, 'nope.jsonl'), new1]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.jsonl: ENOENT/);
  });

  it('reads a sidecar given directly and --json run output alike', async (ctx) => {
    requireBpf(ctx);
    const json = join(dir, 'stdout.jsonl');
    const r = await runCli(['--enable-ebpf', '--require-ebpf', '--errors', '--json', 'run', '--', scaled], { env: env({ getppid: 100, openat: 25 }) });
    expect(r.code).toBe(0);
    writeFileSync(json, r.stdout);
    const c = await runCli(['--json', 'compare', base1.replace(/\.jsonl$/, '.tsdenet.jsonl'), json]);
    expect(c.code).toBe(0);
    expect(compareJson(c).syscalls.find((x: any) => x.name === 'openat')).toMatchObject({ delta: 15 });
  });
});

describe('run --budget (real runs)', () => {
  let base: string;
  beforeAll(async () => {
    if (bpfSkipReason() !== undefined) return;
    base = await save('run-base', { getppid: 100, openat: 10 });
  });

  const run = (c: Counts, flags: string[]) => runCli(['--enable-ebpf', 'run', ...flags, '--', scaled], { env: env(c) });

  it('checks the run against a saved one: exit 1 when the command exits 0 and a budget is exceeded', async (ctx) => {
    requireBpf(ctx);
    const over = await run({ getppid: 100, openat: 20 }, ['--budget-against', base, '--budget', 'openat=+5,getppid=0']);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain(`syscall budgets against ${base}:`);
    expect(over.stderr).toMatch(/openat=\+5 +│ +12 │ +22 │ +17 │ +EXCEEDED/);
    expect(over.stderr).toContain('1 of 2 syscall budgets exceeded');
    const met = await run({ getppid: 100, openat: 12 }, ['--budget-against', base, '--budget', 'openat=+5,getppid=0']);
    expect(met.stderr).toContain('all 2 syscall budgets met');
    expect(met.code).toBe(0);
  });

  it("keeps the command's own failure as the exit status (the table is still shown)", async (ctx) => {
    requireBpf(ctx);
    const r = await run({ getppid: 100, openat: 20, exit: 3 }, ['--budget-against', base, '--budget', 'openat=+5']);
    expect(r.stderr).toMatch(/EXCEEDED/);
    expect(r.code).toBe(3);
  });

  it('absolute budgets need no base run', async (ctx) => {
    requireBpf(ctx);
    const ok = await run({ openat: 3 }, ['-q', '--budget', 'category:network<=0,getppid<=0']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const over = await run({ getppid: 5 }, ['-q', '--budget', 'getppid<=4']);
    expect(over.stderr).toBe('tsdenet: 1 of 1 syscall budgets exceeded\n');
    expect(over.code).toBe(1);
  });

  it('bad budgets and bases are found before the command runs (exit 2)', async (ctx) => {
    requireBpf(ctx);
    const marker = join(dir, 'ran');
    const touch = ['--', 'sh', '-c', `touch ${marker}`];
    const cases: [string[], RegExp][] = [
      [['--enable-ebpf', 'run', '--budget', 'openat=+10%', ...touch], /openat=\+10% compares with a base run, and there is none/],
      [['--enable-ebpf', 'run', '--budget', 'openat=x', ...touch], /"x" is no limit/],
      [['run', '--budget', 'openat<=1', ...touch], /--budget and --budget-file check syscall counts[\s\S]*add --enable-ebpf/],
      [['--enable-ebpf', 'run', '--budget-against', base, ...touch], /--budget-against checks budgets, and none is given/],
      [['--enable-ebpf', 'run', '--budget-against', base, '--budget', 'openat=+1', ...touch], /is a run of \[".*scaled"\], not of \["sh","-c",/],
      [['--enable-ebpf', 'run', '--budget-against', join(dir, 'nope.jsonl'), '--budget', 'openat=+1', ...touch], /cannot read .*nope\.jsonl: ENOENT/],

      [['--enable-ebpf', '--syscalls', 'openat', 'run', '--budget-against', base, '--budget', 'openat=+1', '--', scaled], /^tsdenet: .*run-base\.jsonl counted every syscall, this run would count only openat/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.code, args.join(' ')).toBe(2);
      expect(existsSync(marker), args.join(' ')).toBe(false);
    }
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
