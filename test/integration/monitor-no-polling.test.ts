/**
 * --no-polling (denet's event-driven mode): no sample while the command
 * runs, one tree sample at its end, on stdout and in the -o file alike
 * (denet writes it to stdout only and loses it in the file).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startCli } from './helpers/streaming-cli.js';
import { requireBpf } from '../helpers/privileges.js';
import { buildFixture, WORKLOAD_COUNTS } from '../helpers/workload.js';

type Rec = Record<string, any>;
const dir = mkdtempSync(join(tmpdir(), 'tsdenet-nopoll-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function records(text: string): Rec[] {
  return text.trim().split('\n').map((line) => JSON.parse(line) as Rec);
}

const kinds = (recs: Rec[]): string[] => recs.map((r) => r.kind as string);

describe('--no-polling', () => {
  it('run: one tree sample, at the end, the same on stdout and in -o; polling takes several of the same command', async () => {
    const command = ['sh', '-c', 'sleep 0.4 & wait; sleep 0.2'];
    const out = join(dir, 'run.jsonl');
    const r = await runCli(['--no-polling', '--json', '-o', out, 'run', '--', ...command]);
    expect(r.code, r.stderr).toBe(0);
    const stdout = records(r.stdout);
    const file = records(readFileSync(out, 'utf8'));
    expect(kinds(stdout)).toEqual(['metadata', 'tree', 'summary']);
    expect(kinds(file)).toEqual(['metadata', 'tree']);
    expect(file[1]).toEqual(stdout[1]);
    const summary = stdout[2]!;
    expect(summary.sample_count).toBe(1);
    // The sample is the closing one: taken once the command had ended.
    expect(stdout[1]!.parent).toBeNull();
    expect(stdout[1]!.ts_ms).toBeGreaterThanOrEqual(summary.t0_ms + summary.wall_time_secs * 1000 - 1);
    // stats of the file says what the run said.
    const stats = await runCli(['--json', 'stats', out]);
    expect(stats.code, stats.stderr).toBe(0);
    const fromFile = JSON.parse(stats.stdout) as Rec;
    expect(fromFile.sample_count).toBe(1);
    expect(fromFile.peak_mem_rss_kb).toBe(summary.peak_mem_rss_kb);
    expect(fromFile.avg_cpu_usage).toBe(summary.avg_cpu_usage);

    const polling = await runCli(['--json', '-i', '50', '-m', '50', 'run', '--', ...command]);
    expect(kinds(records(polling.stdout)).filter((k) => k === 'tree').length).toBeGreaterThan(3);
  });

  it('--exclude-children: one sample record at the end', async () => {
    const r = await runCli(['--no-polling', '--exclude-children', '--json', 'run', '--', 'sh', '-c', 'sleep 0.3']);
    expect(r.code, r.stderr).toBe(0);
    expect(kinds(records(r.stdout))).toEqual(['metadata', 'sample', 'summary']);
  });

  it('attach: one tree sample, when the process has exited', async () => {
    const target = spawn('sh', ['-c', 'read go; sleep 0.3'], { stdio: ['pipe', 'ignore', 'inherit'] });
    const cli = startCli(['--no-polling', '--json', 'attach', String(target.pid)]);
    // Released once tsdenet has attached (its metadata is out); no sample comes before the end.
    await cli.waitForRecord((rec) => rec.kind === 'metadata');
    target.stdin!.end('go\n');
    const r = await cli.done;
    expect(r.code, r.stderr).toBe(0);
    const recs = records(r.stdout);
    expect(kinds(recs)).toEqual(['metadata', 'tree', 'summary']);
    expect(recs[2]).toMatchObject({ mode: 'attach', sample_count: 1 });
  });

  it('with eBPF: the one sample carries the exact counts of the whole run', async (ctx) => {
    requireBpf(ctx);
    const workload = buildFixture('workload');
    const out = join(dir, 'ebpf.jsonl');
    const r = await runCli(['--enable-ebpf', '--require-ebpf', '--no-polling', '--json', '-o', out, 'run', '--', workload]);
    expect(r.code, r.stderr).toBe(0);
    const recs = records(r.stdout);
    expect(kinds(recs)).toEqual(['metadata', 'tree', 'summary']);
    const summary = recs[2]!;
    for (const [name, count] of Object.entries(WORKLOAD_COUNTS)) expect(summary.ebpf.syscalls.by_syscall[name], name).toBe(count);
    expect(recs[1]!.aggregated.ebpf.syscalls.total).toBe(summary.ebpf.syscalls.total);
    expect(records(readFileSync(out, 'utf8'))[1]).toEqual(recs[1]);
  });
});
