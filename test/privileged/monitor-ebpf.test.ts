/**
 * Monitoring with eBPF on the real kernel: every tree record carries the
 * cumulative syscall counts (never decreasing), and `attach --enable-ebpf`
 * counts an existing tree from the moment of attaching.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { ensureTracefs, requireBpf } from '../helpers/privileges.js';
import { buildFixture, WORKLOAD_COUNTS } from '../helpers/workload.js';
import { buildProcFixture } from '../integration/helpers/proc-fixtures.js';

type Rec = Record<string, any>;

function records(stdout: string): Rec[] {
  return stdout.trim().split('\n').map((line) => JSON.parse(line) as Rec);
}

describe('monitoring with --enable-ebpf', () => {
  it('puts cumulative, never decreasing syscall counts in every tree record', async (ctx) => {
    requireBpf(ctx);
    const workload = buildFixture('workload');
    // A shell that forks the workload twice, with pauses so several samples see it.
    const r = await runCli(['--enable-ebpf', '--json', '-i', '20', '-m', '20', 'run', '--', 'sh', '-c', `${workload}; sleep 0.1; ${workload}; sleep 0.1`]);
    expect(r.code, r.stderr).toBe(0);
    const recs = records(r.stdout);
    expect(recs[0]).toMatchObject({ kind: 'metadata', capabilities: { ebpf: { available: true } } });
    const trees = recs.filter((x) => x.kind === 'tree');
    expect(trees.length).toBeGreaterThan(5);
    let previous = 0;
    // The opening record (before the fork) has no call yet, so no analysis: no rate is made up from nothing.
    expect(trees[0]!.aggregated.ebpf.syscalls).toEqual({ total: 0, by_category: expect.any(Object), top_syscalls: [] });
    for (const tree of trees.slice(1)) {
      const sc = tree.aggregated.ebpf.syscalls;
      expect(Object.keys(sc)).toEqual(['total', 'by_category', 'top_syscalls', 'analysis']);
      // The running rate's one definition: calls since t0 over the seconds since t0.
      expect(sc.analysis.syscall_rate_per_sec).toBeCloseTo(sc.total / ((tree.ts_ms - recs[0]!.t0_ms) / 1000), 6);
      expect(sc.total).toBeGreaterThanOrEqual(previous);
      previous = sc.total;
    }
    const last = trees.at(-1)!.aggregated.ebpf.syscalls;
    const summary = recs.at(-1)!;
    expect(last.total).toBe(summary.ebpf.syscalls.total);
    const byName = Object.fromEntries(last.top_syscalls.map((s: Rec) => [s.name, s.count]));
    expect(byName.getpgid).toBe(2 * WORKLOAD_COUNTS.getpgid);
    expect(summary.syscalls).toMatchObject({ avg_syscall_rate_per_sec: expect.any(Number) });
    expect(summary.syscalls.avg_syscall_rate_per_sec).toBeGreaterThan(0);
    // The summary's rate is the last record's running rate, and every call over total_time_secs.
    expect(summary.syscall_rate_per_sec).toBeCloseTo(last.analysis.syscall_rate_per_sec, 9);
    expect(summary.syscall_rate_per_sec).toBeCloseTo(summary.ebpf.syscalls.total / summary.total_time_secs, 6);
    expect(summary.ebpf.syscalls.analysis.syscall_rate_per_sec).toBeCloseTo(summary.syscall_rate_per_sec, 9);
  });


  it('finds a double-forked process that /proc cannot link to the tree (the counter followed the fork)', async (ctx) => {
    requireBpf(ctx);
    const spin = buildProcFixture('spin');
    // The subshell forks the spinner and exits at once: the spinner is reparented
    // to init before any listing of /proc can see its parent.
    const r = await runCli(['--enable-ebpf', '--attach-mode', 'tp_btf', '--json', '-i', '100', '-m', '100', 'run', '--', 'sh', '-c', `( ${spin} 1 0.4 cpu & ); sleep 1.2`]);
    expect(r.code, r.stderr).toBe(0);
    const recs = records(r.stdout);
    const trees = recs.filter((x) => x.kind === 'tree');
    expect(trees.some((x) => x.children.some((c: Rec) => c.command === 'spin'))).toBe(true);
    const summary = recs.at(-1)!;
    const treeCpu = (summary.time_weighted_cpu_usage / 100) * summary.total_time_secs;
    // What it did after its last sample is lost (init reaped it): at most one interval.
    expect(treeCpu).toBeGreaterThan(0.4 - 0.15);
  });

  it('attach --exclude-children: the attached process\'s own CPU to its end, from the kernel\'s final accounting', async (ctx) => {
    requireBpf(ctx);
    const spin = buildProcFixture('spin');
    // exec keeps the pid: the attached process itself spins, then exits between two samples.
    const target = spawn('sh', ['-c', `echo ready; read go; exec ${spin} 1 0.5 cpu`], { stdio: ['pipe', 'pipe', 'inherit'] });
    const done = new Promise((resolve) => target.once('exit', resolve));
    let out = '';
    target.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    while (!out.includes('ready')) await new Promise((resolve) => setTimeout(resolve, 20));
    const cli = spawn(process.execPath, [BIN, '--enable-ebpf', '--attach-mode', 'tp_btf', '--json', '--exclude-children', '-i', '100', '-m', '100', 'attach', String(target.pid)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    cli.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    cli.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = new Promise((resolve) => cli.once('exit', resolve));
    while (!stdout.includes('"kind":"sample"')) await new Promise((resolve) => setTimeout(resolve, 20));
    target.stdin!.end('go\n');
    await done;
    expect(await code, stderr).toBe(0);
    const summary = records(stdout).at(-1)!;
    const cpu = Number(/cpu=([\d.]+)/.exec(out)![1]);
    const ownCpu = (summary.time_weighted_cpu_usage / 100) * summary.total_time_secs;
    // The kernel accounts its last moments too: nothing is lost after the last sample.
    expect(ownCpu).toBeGreaterThan(cpu - 0.01);
    expect(ownCpu).toBeLessThan(cpu + 0.03);
  });
});

describe.each(['tp_btf', 'tracepoint'])('attach --enable-ebpf --attach-mode %s', (mode) => {
  it('counts an existing tree from the moment of attaching, children born later included', async (ctx) => {
    requireBpf(ctx);
    if (mode === 'tracepoint') ensureTracefs();
    const gated = spawn(buildFixture('gated'), [], { stdio: ['pipe', 'ignore', 'inherit'] });
    const exited = new Promise((resolve) => gated.once('exit', resolve));
    try {
      const pid = gated.pid!;
      // The process, its thread and its child are blocked on stdin.
      for (let i = 0; i < 200 && readdirSync(`/proc/${pid}/task`).length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      const cli = spawn(process.execPath, [BIN, '--enable-ebpf', '--attach-mode', mode, '--json', '-i', '50', '-m', '50', 'attach', String(pid)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      cli.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const closed = new Promise<number | null>((resolve) => cli.once('close', resolve));
      // metadata is written once the counter has marked the tree: then release it.
      await new Promise<void>((resolve) => {
        cli.stdout!.on('data', (d: Buffer) => {
          stdout += d.toString();
          if (stdout.includes('"kind":"metadata"')) resolve();
        });
      });
      gated.stdin!.end('xxx');
      await exited;
      expect(await closed, stderr).toBe(0);
      const recs = records(stdout);
      const summary = recs.at(-1)!;
      expect(summary).toMatchObject({ kind: 'summary', pid, ebpf: { attach_mode: mode } });
      const counts = summary.ebpf.syscalls.by_syscall;
      expect(counts.getppid).toBe(100);
      expect(counts.sched_yield).toBe(200);
      expect(counts.getsid).toBe(300);
      expect(counts.times).toBe(7);
      const trees = recs.filter((x) => x.kind === 'tree');
      expect(trees.at(-1)!.aggregated.ebpf.syscalls.total).toBe(summary.ebpf.syscalls.total);
    } finally {
      gated.kill('SIGKILL');
    }
  });
});
