/**
 * `tsdenet run` sampling the command's process tree from /proc, with the
 * built CLI and real processes. Tolerances compare with what the processes
 * really got (the spin fixture reports its own CPU time), so a busy CI
 * machine does not fail them and a wrong reading still does.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runCli, runProgram } from '../helpers/cli.js';
import { buildProcFixture } from './helpers/proc-fixtures.js';
import { startCli } from './helpers/streaming-cli.js';

type Rec = Record<string, any>;

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsdenet-run-'));
  dirs.push(dir);
  return dir;
}

function records(stdout: string): Rec[] {
  return stdout.trim().split('\n').map((line) => JSON.parse(line) as Rec);
}

/** CPU seconds and wall seconds the spin fixture reports for itself. */
function spinTruth(text: string): { cpu: number; wall: number } {
  const m = /cpu=([\d.]+) wall=([\d.]+)/.exec(text);
  if (!m) throw new Error(`no spin report in: ${text}`);
  return { cpu: Number(m[1]), wall: Number(m[2]) };
}

/** CPU seconds of the whole tree according to the summary (time-weighted average × duration). */
function treeCpuSecs(summary: Rec): number {
  return (summary.time_weighted_cpu_usage / 100) * summary.total_time_secs;
}

describe('tsdenet run: samples of the process tree', () => {
  it('reads two spinning threads at the CPU they really got (about 200% on an idle machine)', async () => {
    const spin = buildProcFixture('spin');
    const r = await runCli(['--json', '-i', '100', '-m', '100', 'run', '--', spin, '2', '1.5']);
    expect(r.code, r.stderr).toBe(0);
    const recs = records(r.stdout);
    expect(recs.map((x) => x.kind).slice(0, 2)).toEqual(['metadata', 'tree']);
    const truth = spinTruth(r.stderr);
    const t0 = recs[0]!.t0_ms as number;
    const steady = recs.filter((x) => x.kind === 'tree' && x.parent && x.ts_ms > t0 + 300 && x.ts_ms < t0 + 1300);
    expect(steady.length).toBeGreaterThanOrEqual(5);
    const mean = steady.reduce((s, x) => s + x.aggregated.cpu_usage, 0) / steady.length;
    expect(mean).toBeGreaterThan((truth.cpu / truth.wall) * 100 - 25);
    expect(mean).toBeLessThan((truth.cpu / truth.wall) * 100 + 25);
    if (truth.cpu / truth.wall > 1.8) expect(mean).toBeGreaterThan(160);
    // Threads are threads, not children.
    expect(steady.every((x) => x.children.length === 0 && x.parent.thread_count === 2)).toBe(true);
    const summary = recs.at(-1)!;
    expect(summary.kind).toBe('summary');
    // The rates add up to the CPU time measured: the kernel's own accounting
    // of the reaped command (µs) at the end, less at most what the closing
    // window cannot hold (2 threads × its 10 ms or more) and the rounding of
    // the records' millisecond timestamps. (It was off by 0.27 s under load
    // when a short closing window gave an impossible rate that was then cut.)
    expect(Math.abs(treeCpuSecs(summary) - truth.cpu)).toBeLessThan(0.03 + 0.01 * truth.cpu);
  });

  it('shows 200 MB that a process allocated and touched in its RSS', async () => {
    const touch = buildProcFixture('touch');
    const r = await runCli(['--json', 'run', '--', touch, '200', '0.6']);
    expect(r.code, r.stderr).toBe(0);
    const summary = records(r.stdout).at(-1)!;
    expect(summary.peak_mem_rss_kb).toBeGreaterThan(200 * 1024);
    expect(summary.peak_mem_rss_kb).toBeLessThan(230 * 1024);
    expect(summary.peak_page_faults_cached).toBeGreaterThan((200 * 1024) / 4 - 100);
  });

  it('follows a shell with background children at two depths', async () => {
    const r = await runCli(['--json', '-i', '50', '-m', '50', 'run', '--', 'sh', '-c', 'sleep 1 & sleep 1 & sh -c "sleep 1; true" & wait']);
    expect(r.code, r.stderr).toBe(0);
    const recs = records(r.stdout);
    const full = recs.filter((x) => x.kind === 'tree' && x.aggregated.process_count === 5);
    expect(full.length).toBeGreaterThan(3);
    const tree = full[1]!;
    expect(tree.children.map((c: Rec) => c.command).sort()).toEqual(['sh', 'sleep', 'sleep', 'sleep']);
    expect(tree.aggregated.thread_count).toBe(5);
    expect(tree.aggregated.mem_rss_kb).toBe(tree.parent.mem_rss_kb + tree.children.reduce((s: number, c: Rec) => s + c.metrics.mem_rss_kb, 0));
    expect(recs.at(-1)).toMatchObject({ kind: 'summary', max_processes: 5, max_threads: 5, exit_code: 0 });
  });

  it('keeps the CPU time of a child that exited before any sample saw it', async () => {
    const spin = buildProcFixture('spin');
    // Samples every 1.5 s. Right after the first one, the shell is released:
    // the spinner uses 0.3 s of CPU and is reaped by sh well before the second.
    const cli = startCli(['--json', '-i', '1500', '-m', '1500', 'run', '--', 'sh', '-c', `read go; ${spin} 1 0.3 cpu; sleep 1.6`]);
    await cli.waitForRecord((r) => r.kind === 'tree');
    cli.child.stdin!.end('go\n');
    const r = await cli.done;
    expect(r.code, r.stderr).toBe(0);
    const recs = records(r.stdout);
    const trees = recs.filter((x) => x.kind === 'tree');
    expect(trees.flatMap((x) => x.children.map((c: Rec) => c.command))).not.toContain('spin');
    const truth = spinTruth(r.stderr);
    expect(truth.cpu).toBeGreaterThan(0.29);
    const summary = recs.at(-1)!;
    expect(treeCpuSecs(summary)).toBeGreaterThan(truth.cpu - 0.05);
    expect(treeCpuSecs(summary)).toBeLessThan(truth.cpu + 0.15);
    const cpuSecsAfterRelease = trees.slice(1).reduce((s, x, i) => s + (x.aggregated.cpu_usage / 100) * ((x.ts_ms - trees[i]!.ts_ms) / 1000), 0);
    expect(cpuSecsAfterRelease).toBeGreaterThan(truth.cpu - 0.05);
  });

  it('round trip: -o FILE holds denet\'s records, its sidecar the summary, and stats --json FILE gives the summary of the run', async () => {
    const dir = tempDir();
    const file = join(dir, 'run.jsonl');
    const run = await runCli(['-q', '-o', file, 'run', '--', 'sh', '-c', 'sleep 0.3 & cat /usr/bin/sh > /dev/null; wait']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    const saved = records(readFileSync(file, 'utf8'));
    // What denet's Python helpers need: the metadata first, then only samples.
    expect(saved.map((x) => x.kind)[0]).toBe('metadata');
    expect(new Set(saved.slice(1).map((x) => x.kind))).toEqual(new Set(['tree']));
    const sidecar = records(readFileSync(join(dir, 'run.tsdenet.jsonl'), 'utf8'));
    expect(sidecar.map((x) => x.kind)).toEqual(['summary']);
    const stats = await runCli(['--json', 'stats', file]);
    expect(stats.code, stats.stderr).toBe(0);
    expect(stats.stderr).toBe('');
    const fromFile = JSON.parse(stats.stdout) as Rec;
    const summary = sidecar[0]!;
    for (const [key, value] of Object.entries(fromFile)) expect(summary[key], key).toEqual(value);
    expect(fromFile.sample_count).toBe(saved.filter((x) => x.kind === 'tree').length);
    expect(fromFile.total_syscall_read_bytes).toBeGreaterThan(100_000);
    const table = await runCli(['stats', file]);
    expect(table.stdout).toMatch(/^FILE STATISTICS\nDuration +0\.\d\d seconds\nSamples +\d+\nMax Processes +2\n/);
  });
});

describe('tsdenet run: records and flags', () => {
  it('writes env first with --write-env, and sample records with --exclude-children', async () => {
    const r = await runCli(['--json', '--write-env', '--exclude-children', 'run', '--', 'sh', '-c', 'sleep 0.25 & wait']);
    expect(r.code, r.stderr).toBe(0);
    const recs = records(r.stdout);
    const kinds = recs.map((x) => x.kind);
    expect(kinds.slice(0, 2)).toEqual(['env', 'metadata']);
    expect(kinds.at(-1)).toBe('summary');
    expect(new Set(kinds.slice(2, -1))).toEqual(new Set(['sample']));
    expect(recs[0]).toMatchObject({ host: expect.any(String), kernel: expect.stringMatching(/^\d+\./), lscpu: { sockets: expect.any(Number) } });
    expect(Object.keys(recs[2]!)).toEqual([
      'kind', 'ts_ms', 'cpu_usage', 'mem_rss_kb', 'mem_vms_kb', 'disk_read_bytes', 'disk_write_bytes',
      'syscall_read_bytes', 'syscall_write_bytes', 'page_faults_cached', 'page_faults_disk',
      'sys_net_rx_bytes', 'sys_net_tx_bytes', 'thread_count', 'uptime_secs', 'cpu_core',
    ]);
    expect(recs.at(-1)).toMatchObject({ max_processes: 1 });
  });

  it('always writes metadata and a closing sample, even for a command that exits at once', async () => {
    // -i 5000: no interval sample comes between the opening and the closing one, even on a loaded machine.
    const r = await runCli(['--json', '-i', '5000', '-m', '5000', 'run', '--', 'true']);
    expect(r.code).toBe(0);
    const recs = records(r.stdout);
    // The opening sample (before the fork: nothing runs yet), the closing one after the exit.
    expect(recs.map((x) => x.kind)).toEqual(['metadata', 'tree', 'tree', 'summary']);
    expect(recs[0]).toMatchObject({ cmd: ['true'], executable: expect.stringMatching(/\/true$/) });
    expect(recs[1]).toMatchObject({ ts_ms: recs[0]!.t0_ms, parent: null, aggregated: { process_count: 0, cpu_usage: 0 } });
    // The command ended before any sample read it: it still counts, with the memory the kernel kept of it.
    expect(recs[2]).toMatchObject({ parent: null, aggregated: { process_count: 1, thread_count: 1 } });
    expect(recs[2]!.aggregated.mem_rss_kb).toBeGreaterThan(0);
    expect(recs[3]).toMatchObject({ sample_count: 2, max_processes: 1, max_threads: 1 });
  });

  it('keeps the CPU time of a command that ends before the first interval', async () => {
    // ~0.3 s of shell arithmetic, all of it between the first sample and the closing one.
    // -i 5000: no interval sample comes between the first and the closing one, even on a loaded machine.
    const r = await runCli(['--json', '-i', '5000', '-m', '5000', 'run', '--', 'sh', '-c', 'i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done']);
    expect(r.code).toBe(0);
    const summary = records(r.stdout).at(-1)!;
    expect(summary).toMatchObject({ kind: 'summary', sample_count: 2, max_processes: 1 });
    // All CPU-bound: ~100% when the machine is idle; it was 0 when the CPU time was dropped.
    expect(summary.time_weighted_cpu_usage as number).toBeGreaterThan(10);
  });

  it('--json --quiet still writes JSON; --stats FILE gets the summary', async () => {
    const stats = join(tempDir(), 'stats.json');
    const r = await runCli(['--json', '-q', '--stats', stats, 'run', '--', 'sleep', '0.2']);
    expect(r.code).toBe(0);
    const summary = records(r.stdout).at(-1)!;
    const written = JSON.parse(readFileSync(stats, 'utf8')) as Rec;
    expect(Object.keys(written)).toContain('avg_cpu_usage');
    for (const [key, value] of Object.entries(written)) expect(summary[key], key).toEqual(value);
  });

  it('--duration stops the command (SIGTERM) and passes its status through', async () => {
    const started = Date.now();
    const r = await runCli(['--json', '-d', '0.5', 'run', '--', 'sleep', '30']);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.code).toBe(143);
    expect(records(r.stdout).at(-1)).toMatchObject({ kind: 'summary', signal: 'SIGTERM', timed_out: true, exit_status: 143 });
  });

  it('--duration: a command that ignores SIGTERM gets SIGKILL after the grace period', async () => {
    const r = await runCli(['--json', '-d', '0.3', 'run', '--', 'sh', '-c', 'trap "" TERM; while :; do sleep 0.05; done']);
    expect(r.code).toBe(137);
    const summary = records(r.stdout).at(-1)!;
    expect(summary).toMatchObject({ kind: 'summary', signal: 'SIGKILL', timed_out: true, exit_status: 137 });
    // SIGTERM at 0.3 s, SIGKILL DURATION_GRACE_MS (2 s) later.
    expect(summary.wall_time_secs as number).toBeGreaterThanOrEqual(2.3);
  });

  it('keeps running when stdout is closed early (| head): no stack trace, the status passes through', async () => {
    const script = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --json -i 20 -m 20 run -- sh -c 'sleep 0.4; exit 3' | head -1; echo "status=\${PIPESTATUS[0]}" >&2`;
    const r = await runProgram('bash', ['-c', script]);
    expect(JSON.parse(r.stdout).kind).toBe('metadata');
    expect(r.stderr).toBe('status=3\n');
  });

  it('passes the exit status through', async () => {
    const r = await runCli(['-q', 'run', '--', 'sh', '-c', 'exit 7']);
    expect(r.code).toBe(7);
  });

  it.each([
    [['-i', '0', 'run', '--', 'true'], /--interval must be a whole number from 1/],
    [['-i', 'abc', 'run', '--', 'true'], /--interval must be a whole number/],
    [['-i', '500', '-m', '100', 'run', '--', 'true'], /--interval \(500 ms\) cannot be above --max-interval \(100 ms\)/],
    [['-m', '0', 'run', '--', 'true'], /--max-interval must be a whole number from 1/],
    [['-d', '-1', 'run', '--', 'true'], /--duration must be a number of seconds from 0 to 2147483/],
    // Longer than a Node timer can wait: it would fire at once.
    [['-d', '3000000', 'run', '--', 'true'], /--duration must be a number of seconds from 0 to 2147483 \(got 3000000\)/],
    [['-i', 'abc', 'run', '--', 'true'], /--interval must be a whole number from 1 to 3600000 \(got something that is not a number\)/],
    [['--duration', 'soon', 'run', '--', 'true'], /--duration must be a number of seconds/],
    [['--no-such-flag', 'run', '--', 'true'], /unknown option --no-such-flag/],
    [['attach', 'abc'], /attach needs a process id/],
    [['attach'], /attach needs PID/],
  ])('rejects %j with exit 2 and no stack trace', async (args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toBe('');
  });
});
