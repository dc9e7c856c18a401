/**
 * One summary (issue 11): the same records give the same numbers in the live
 * run's summary, in `tsdenet stats`, in the HTML report's model and on the
 * terminal. Real runs (with and without eBPF) and denet's files alike.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModelFromFile } from '../../src/html-report/read-model.js';
import { lastRecord, ROOT, runCli, runProgram } from '../helpers/cli.js';
import { bpfSkipReason, requireBpf } from '../helpers/privileges.js';
import { tempDir } from '../reliability/helpers.js';

type Rec = Record<string, any>;

const DENET_FILES = [
  'test/fixtures/proc/denet-tagged.jsonl',
  'test/fixtures/proc/denet-legacy.jsonl',
  'test/fixtures/proc/denet-legacy-tree.jsonl',
  'test/fixtures/proc/denet-exclude-children.jsonl',
  'test/fixtures/report/denet-tree.jsonl',
  'test/fixtures/report/tsdenet-sampled.jsonl',
];

async function statsOf(file: string): Promise<Rec> {
  const r = await runCli(['--json', 'stats', file]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Rec;
}

/** `stats --json` without the syscall counts it adds for an eBPF run (.ebpf.syscalls): the summary of the samples. */
function samplesSummary(stats: Rec): Rec {
  const { ebpf: _counts, ...rest } = stats;
  return rest;
}

/** The fields of `summary` that `stats --json` printed (the summary record carries them and more). */
function sameFields(summary: Rec, stats: Rec): Rec {
  return Object.fromEntries(Object.keys(stats).map((k) => [k, summary[k]]));
}

describe('one summary for the same records', () => {
  it.each(DENET_FILES)('%s: stats and the report agree', async (file) => {
    const path = join(ROOT, file);
    const stats = await statsOf(path);
    const model = await readModelFromFile(path);
    expect(model.statistics).toEqual(samplesSummary(stats));
  });

  for (const ebpf of [false, true]) {
    it(`a live run${ebpf ? ' with eBPF' : ''}: its summary, stats of its -o file, the report and the terminal agree`, async (ctx) => {
      if (ebpf) requireBpf(ctx);
      const dir = tempDir('one-summary');
      const file = join(dir, 'run.jsonl');
      const command = ['sh', '-c', 'for i in 1 2 3; do ls -R /usr/share/doc > /dev/null; sleep 0.1; done'];
      const flags = ebpf ? ['--enable-ebpf', '--require-ebpf'] : [];
      const run = await runCli([...flags, '--json', '-o', file, 'run', '--', ...command]);
      expect(run.code, run.stderr).toBe(0);
      const live = lastRecord(run.stdout);
      expect(live.kind).toBe('summary');
      const stats = await statsOf(file);
      expect(sameFields(live, samplesSummary(stats))).toEqual(samplesSummary(stats));
      // The syscall counts stats shows are the summary record's.
      if (ebpf) expect(stats.ebpf).toEqual({ syscalls: { total: live.ebpf.syscalls.total, by_category: live.ebpf.syscalls.by_category, top_syscalls: live.ebpf.syscalls.top_syscalls, by_syscall: live.ebpf.syscalls.by_syscall } });
      else expect(stats.ebpf).toBeUndefined();
      const sidecar = JSON.parse(readFileSync(join(dir, 'run.tsdenet.jsonl'), 'utf8').trim().split('\n').at(-1)!) as Rec;
      expect(sidecar).toEqual(live);
      const model = await readModelFromFile(file);
      expect(model.statistics).toEqual(samplesSummary(stats));
      // stdout (--json) read back through stdin: the same again.
      const piped = await runCli(['--json', 'stats', '-'], { input: run.stdout });
      expect(JSON.parse(piped.stdout)).toEqual(stats);
      if (ebpf) {
        // The one syscall rate: every call over total_time_secs, in the summary, its analysis and the last tree record.
        expect(stats.syscall_rate_per_sec).toBeCloseTo(live.ebpf.syscalls.total / stats.total_time_secs, 6);
        expect(live.ebpf.syscalls.analysis.syscall_rate_per_sec).toBeCloseTo(stats.syscall_rate_per_sec, 9);
        const trees = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Rec).filter((r) => r.kind === 'tree');
        expect(trees.at(-1)!.aggregated.ebpf.syscalls.analysis.syscall_rate_per_sec).toBeCloseTo(stats.syscall_rate_per_sec, 9);
        expect(model.stats.find((s) => s.label === 'Syscall rate')?.value).toBe(`${Math.round(stats.syscall_rate_per_sec).toLocaleString('en-US')} /s`);
      }
    });
  }

  it.for<[string, string[], string]>([
    ['tree records, eBPF interval records', ['--enable-ebpf', '--interval-report', '50'], 'tree'],
    ['sample records, with env', ['--exclude-children', '--write-env'], 'sample'],
  ])('-o FILE is what denet writes (%s): its Python helpers take every line after the first for a sample', async ([, flags, kind], ctx) => {
    if (flags.includes('--enable-ebpf')) requireBpf(ctx);
    const dir = tempDir('denet-file');
    const file = join(dir, 'run.jsonl');
    const r = await runCli([...flags, '-q', '-o', file, 'run', '--', 'sh', '-c', 'ls -R /usr/share/doc > /dev/null; sleep 0.3']);
    expect(r.code, r.stderr).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec);
    // denet.analysis.load_metrics drops the first line when it is the metadata
    // (or, after an env record, drops nothing: as for denet's own --write-env files).
    const [first, ...rest] = lines;
    if (flags.includes('--write-env')) {
      expect(first!.kind).toBe('env');
      expect(rest[0]!.kind).toBe('metadata');
      rest.shift();
    } else {
      expect(first!.kind).toBe('metadata');
    }
    expect(rest.length).toBeGreaterThan(2);
    expect(new Set(rest.map((l) => l.kind))).toEqual(new Set([kind]));
    // tsdenet's own records are in the sidecar.
    const sidecar = readFileSync(join(dir, 'run.tsdenet.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec);
    expect(sidecar.at(-1)!.kind).toBe('summary');
    expect(new Set(sidecar.slice(0, -1).map((l) => l.kind))).toEqual(new Set(flags.includes('--interval-report') ? ['syscalls'] : []));
  });

  it('the terminal shows the rate and the summary of the same run', async (ctx) => {
    if (bpfSkipReason() !== undefined) requireBpf(ctx);
    const dir = tempDir('one-summary-tty');
    const file = join(dir, 'run.jsonl');
    const r = await runCli(['--enable-ebpf', '--require-ebpf', '-o', file, 'run', '--', 'sh', '-c', 'ls -R /usr/share/doc > /dev/null; sleep 0.2']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'run.tsdenet.jsonl'), 'utf8').trim()) as Rec;
    const header = /^syscalls: (\d+) calls in (\d+) process(?:es)?, via /m.exec(r.stderr);
    expect(header, r.stderr).not.toBeNull();
    expect(Number(header![1])).toBe(summary.ebpf.syscalls.total);
    // The rate is printed once, in the EXECUTION SUMMARY (the header does not repeat it).
    expect(r.stderr.match(/\/s\b/g)).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`^Syscall Rate +${summary.syscall_rate_per_sec.toFixed(1)}/s$`, 'm'));
    expect(r.stderr).toMatch(new RegExp(`^Max Processes +${summary.max_processes}$`, 'm'));
    expect(r.stderr).toMatch(new RegExp(`^Duration +${summary.total_time_secs.toFixed(2)} seconds$`, 'm'));
  });
});

describe('the sidecar is read only with the run it closes', () => {
  it("another run's sidecar under the same name is named on stderr and left out, by stats and the report", async () => {
    const dir = tempDir('stale-sidecar');
    const file = join(dir, 'run.jsonl');
    const other = join(dir, 'other.jsonl');
    for (const out of [file, other]) {
      const r = await runCli(['-q', '-o', out, 'run', '--', 'sh', '-c', 'ls -R /usr/share/doc > /dev/null; sleep 0.2']);
      expect(r.code, r.stderr).toBe(0);
    }
    const own = await statsOf(file);
    // The file alone (no sidecar): what stats makes of its samples.
    renameSync(join(dir, 'run.tsdenet.jsonl'), join(dir, 'kept'));
    const alone = await statsOf(file);
    // A stale sidecar: the other run's summary under this file's sidecar name.
    copyFileSync(join(dir, 'other.tsdenet.jsonl'), join(dir, 'run.tsdenet.jsonl'));
    const r = await runCli(['--json', 'stats', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(`tsdenet: ${join(dir, 'run.tsdenet.jsonl')} is another run's summary (its pid and t0_ms are not this file's): not read\n`);
    expect(JSON.parse(r.stdout)).toEqual(alone);
    const otherStats = await statsOf(other);
    expect(alone).not.toEqual(otherStats);
    const model = await readModelFromFile(file);
    expect(model.statistics).toEqual(alone);
    expect(model.notes).toContainEqual({ level: 'warning', text: `${join(dir, 'run.tsdenet.jsonl')} is another run's summary (its pid and t0_ms are not this file's): not read` });
    // Its own sidecar back: read again, without a word.
    renameSync(join(dir, 'kept'), join(dir, 'run.tsdenet.jsonl'));
    const back = await runCli(['--json', 'stats', file]);
    expect(back.stderr).toBe('');
    expect(JSON.parse(back.stdout)).toEqual(own);
  });

  it('-o in /dev/shm is a file like any other: replaced by a rename, with its sidecar beside it', async () => {
    const dir = mkdtempSync('/dev/shm/tsdenet-test-');
    try {
      const file = join(dir, 'run.jsonl');
      const r = await runCli(['-q', '-o', file, 'run', '--', 'true']);
      expect(r.code, r.stderr).toBe(0);
      expect(readdirSync(dir).sort()).toEqual(['run.jsonl', 'run.tsdenet.jsonl']);
      expect(JSON.parse(readFileSync(join(dir, 'run.tsdenet.jsonl'), 'utf8').trim())).toMatchObject({ kind: 'summary', exit_code: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('-o to a FIFO is written in place and gets every record (no sidecar beside a pipe)', async () => {
    const dir = tempDir('fifo-out');
    const fifo = join(dir, 'pipe');
    const made = await runProgram('mkfifo', [fifo]);
    expect(made.code, made.stderr).toBe(0);
    const reader = runProgram('cat', [fifo]);
    const r = await runCli(['-q', '-o', fifo, 'run', '--', 'true']);
    expect(r.code, r.stderr).toBe(0);
    const read = await reader;
    const kinds = read.stdout.trim().split('\n').map((l) => (JSON.parse(l) as Rec).kind);
    expect(kinds[0]).toBe('metadata');
    expect(kinds.at(-1)).toBe('summary');
    expect(readdirSync(dir)).toEqual(['pipe']);
  });
});
