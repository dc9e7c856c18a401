/** `tsdenet attach PID` on real processes (no eBPF: see test/privileged/monitor-ebpf.test.ts). */
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, runCli, runProgram } from '../helpers/cli.js';
import { buildProcFixture } from './helpers/proc-fixtures.js';
import { startCli } from './helpers/streaming-cli.js';

type Rec = Record<string, any>;

function records(stdout: string): Rec[] {
  return stdout.trim().split('\n').map((line) => JSON.parse(line) as Rec);
}

function exited(child: ChildProcess): Promise<unknown> {
  return new Promise((resolve) => child.once('exit', resolve));
}

describe('tsdenet attach', () => {
  it('monitors a running tree until its root exits; work done before attaching is not counted', async () => {
    const spin = buildProcFixture('spin');
    // 0.4 s of CPU before the attach; once tsdenet has attached, a child spins 0.6 s.
    const target = spawn('sh', ['-c', `${spin} 1 0.4 cpu; read go; ${spin} 1 0.6 cpu; sleep 0.3`], { stdio: ['pipe', 'pipe', 'inherit'] });
    const done = exited(target);
    let out = '';
    target.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    while (!out.includes('cpu=')) await new Promise((resolve) => setTimeout(resolve, 20));
    const cli = startCli(['--json', '-i', '100', '-m', '100', 'attach', String(target.pid)]);
    await cli.waitForRecord((rec) => rec.kind === 'tree');
    target.stdin!.end('go\n');
    await done;
    const r = await cli.done;
    expect(r.code, r.stderr).toBe(0);
    const recs = records(r.stdout);
    expect(recs[0]).toMatchObject({ kind: 'metadata', pid: target.pid, cmd: ['sh', '-c', expect.stringContaining('spin')] });
    expect(recs.filter((x) => x.kind === 'tree').some((x) => x.aggregated.process_count === 2)).toBe(true);
    const summary = recs.at(-1)!;
    // Not tsdenet's child: how it ended is not known, and the summary says so instead of a made-up exit 0.
    expect(summary).toMatchObject({ kind: 'summary', mode: 'attach', pid: target.pid, exit_code: null, signal: null, exit_status: 0, max_processes: 2 });
    // The first sample opens the run: its time is t0, so total_time_secs spans the whole monitoring.
    const trees = recs.filter((x) => x.kind === 'tree');
    expect(trees[0]!.ts_ms).toBe(recs[0]!.t0_ms);
    expect(summary.total_time_secs).toBeCloseTo((trees.at(-1)!.ts_ms - recs[0]!.t0_ms) / 1000, 9);
    const cpu = [...out.matchAll(/cpu=([\d.]+)/g)].map((m) => Number(m[1]));
    expect(cpu).toHaveLength(2);
    const treeCpu = (summary.time_weighted_cpu_usage / 100) * summary.total_time_secs;
    expect(treeCpu).toBeGreaterThan(cpu[1]! - 0.05);
    expect(treeCpu).toBeLessThan(cpu[1]! + 0.15);
  });

  it('--exclude-children: the attached process\'s own CPU until it ends, not zeros once it has gone', async () => {
    const spin = buildProcFixture('spin');
    // exec keeps the pid: the attached process itself spins 0.5 s of CPU, then exits.
    const target = spawn('sh', ['-c', `echo ready; read go; exec ${spin} 1 0.5 cpu`], { stdio: ['pipe', 'pipe', 'inherit'] });
    const done = exited(target);
    let out = '';
    target.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    while (!out.includes('ready')) await new Promise((resolve) => setTimeout(resolve, 20));
    const cli = startCli(['--json', '--exclude-children', '-i', '100', '-m', '100', 'attach', String(target.pid)]);
    await cli.waitForRecord((rec) => rec.kind === 'sample');
    target.stdin!.end('go\n');
    await done;
    const r = await cli.done;
    expect(r.code, r.stderr).toBe(0);
    const recs = records(r.stdout);
    const summary = recs.at(-1)!;
    // Its counters never go back to zero in the samples after it ended.
    const samples = recs.filter((x) => x.kind === 'sample');
    for (const key of ['syscall_read_bytes', 'page_faults_cached']) {
      const values = samples.map((x) => x[key] as number);
      expect(values.at(-1), key).toBeGreaterThan(0);
      expect(values, key).toEqual([...values].sort((a, b) => a - b));
    }
    const cpu = Number(/cpu=([\d.]+)/.exec(out)![1]);
    expect(summary).toMatchObject({ kind: 'summary', mode: 'attach', max_processes: 1 });
    const ownCpu = (summary.time_weighted_cpu_usage / 100) * summary.total_time_secs;
    // Without eBPF, what it did after its last reading is lost (attach reaps
    // nothing): up to one 100 ms interval, more when the sampler runs late.
    expect(ownCpu).toBeGreaterThan(cpu - 0.15);
    expect(ownCpu).toBeLessThan(cpu + 0.15);
    expect(summary.peak_mem_rss_kb as number).toBeGreaterThan(0);
  });

  it('stops at --duration and leaves the process running', async () => {
    const target = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const started = Date.now();
      const r = await runCli(['--json', '-d', '0.4', 'attach', String(target.pid)]);
      expect(r.code, r.stderr).toBe(0);
      expect(Date.now() - started).toBeLessThan(4000);
      expect(records(r.stdout).at(-1)).toMatchObject({ kind: 'summary', timed_out: true, max_processes: 1 });
      expect(target.exitCode).toBeNull();
      expect(target.signalCode).toBeNull();
    } finally {
      target.kill('SIGKILL');
    }
  });

  it('says in words how the attached process ended (its exit status is its parent\'s to know)', async () => {
    const target = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const stopped = await runCli(['-d', '0.3', 'attach', String(target.pid)]);
      expect(stopped.stderr).toMatch(new RegExp(`^command: sleep 30 {2}\\(pid ${target.pid}, still running\\)$`, 'm'));
      // Long enough for tsdenet to start on a loaded machine, before it ends.
      const short = spawn('sleep', ['2'], { stdio: 'ignore' });
      const ended = await runCli(['attach', String(short.pid)]);
      expect(ended.stderr).toMatch(new RegExp(`^command: sleep 2 {2}\\(pid ${short.pid}, ended, exit status unknown\\)$`, 'm'));
      expect(ended.stderr).not.toMatch(/null/);
    } finally {
      target.kill('SIGKILL');
    }
  });

  it('leaves itself out when started from inside the tree it attaches to (tsdenet attach $$)', async () => {
    const script = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --json -d 0.4 attach $$; true`;
    const r = await runProgram('sh', ['-c', script]);
    expect(r.code, r.stderr).toBe(0);
    const summary = records(r.stdout).at(-1)!;
    // The shell alone: not Node's ~60 MB.
    expect(summary).toMatchObject({ kind: 'summary', max_processes: 1 });
    expect(summary.peak_mem_rss_kb as number).toBeLessThan(20_000);
  });

  it('stops on SIGINT and still writes the summary', async () => {
    const target = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const cli = startCli(['--json', 'attach', String(target.pid)]);
      await cli.waitForRecord((rec) => rec.kind === 'metadata');
      cli.child.kill('SIGINT');
      const r = await cli.done;
      expect(r.code, r.stderr).toBe(0);
      expect(records(r.stdout).at(-1)).toMatchObject({ kind: 'summary', interrupted: true });
      expect(target.exitCode).toBeNull();
    } finally {
      target.kill('SIGKILL');
    }
  });

  it('fails with exit 1 and one clear line for a pid that does not exist', async () => {
    const gone = spawn('true');
    await exited(gone);
    const r = await runCli(['attach', String(gone.pid)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^tsdenet: no process with pid ${gone.pid} \\(ENOENT\\)\\ntsdenet: fix: check the pid`));
    expect(r.stdout).toBe('');
  });

  it('fails with exit 1 for a process the user may not observe', async () => {
    // As root, drop to nobody first (util-linux setpriv); pid 1 belongs to root either way.
    const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    const [file, ...args] = [...asNobody, process.execPath, BIN, 'attach', '1'];
    const r = await runProgram(file!, args);
    expect(r.code).toBe(1);
    // Each cause, made for real: test/privileged/attach-denied.test.ts.
    expect(r.stderr).toMatch(/^tsdenet: cannot read \/proc\/1\/io of process 1 \(.*\): EACCES: .*\ntsdenet: fix: .*\n$/);
  });
});
