/**
 * No impossible number (issue 11): real commands, every record checked
 * against what was physically possible, and the figures of a command too
 * short for any sample to see it running.
 */
import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { lastRecord, runCli } from '../helpers/cli.js';
import { requireBpf } from '../helpers/privileges.js';
import { buildProcFixture } from './helpers/proc-fixtures.js';

type Rec = Record<string, any>;

function records(stdout: string): Rec[] {
  return stdout.trim().split('\n').map((line) => JSON.parse(line) as Rec);
}

/** A process's CPU over a window is at most 100 % per thread it has; 1 thread once it ended. */
function possibleForProcess(m: Rec): number {
  return 100 * Math.max(1, m.thread_count);
}

describe('every rate is possible', () => {
  it('no process above 100 % per thread, no tree above 100 % per online CPU, with 10 ms windows', async () => {
    const spin = buildProcFixture('spin');
    // Short windows are where tick-quantized CPU time gave 350 % for one thread.
    const r = await runCli(['--json', '-i', '10', '-m', '10', 'run', '--', 'sh', '-c', `${spin} 2 0.4 & ${spin} 1 0.3 & python3 -c "sum(range(10**7))"; wait`]);
    expect(r.code, r.stderr).toBe(0);
    const trees = records(r.stdout).filter((x) => x.kind === 'tree');
    expect(trees.length).toBeGreaterThan(20);
    const online = cpus().length;
    for (const tree of trees) {
      expect(tree.aggregated.cpu_usage, JSON.stringify(tree.aggregated)).toBeLessThanOrEqual(100 * online);
      for (const m of [tree.parent, ...tree.children.map((c: Rec) => c.metrics)].filter(Boolean)) {
        expect(m.cpu_usage, JSON.stringify(m)).toBeLessThanOrEqual(possibleForProcess(m));
      }
    }
    // Windows never closer than 10 ms (a shorter one has no rate to give).
    for (let i = 2; i < trees.length; i++) expect(trees[i]!.ts_ms - trees[i - 1]!.ts_ms).toBeGreaterThanOrEqual(9);
  });

  for (const ebpf of [false, true]) {
    it(`--exclude-children: the main process carries its own CPU, I/O and faults only${ebpf ? ' (eBPF: the kernel\'s own accounting)' : ''}`, async (ctx) => {
      if (ebpf) requireBpf(ctx);
      const flags = ebpf ? ['--enable-ebpf', '--require-ebpf'] : [];
      const workload = 'python3 -c "sum(range(3*10**7))"; true';
      const single = await runCli([...flags, '--json', '--exclude-children', 'run', '--', 'sh', '-c', workload]);
      expect(single.code, single.stderr).toBe(0);
      const samples = records(single.stdout).filter((x) => x.kind === 'sample');
      for (const s of samples) expect(s.cpu_usage, JSON.stringify(s)).toBeLessThanOrEqual(possibleForProcess(s));
      const own = lastRecord(single.stdout);
      // The same run followed as a tree: python's CPU, reads and faults are there, not in the shell's own.
      const tree = lastRecord((await runCli([...flags, '--json', 'run', '--', 'sh', '-c', workload])).stdout);
      const cpuSecs = (s: Rec): number => (s.time_weighted_cpu_usage / 100) * s.total_time_secs;
      expect(cpuSecs(tree)).toBeGreaterThan(0.5);
      // A shell that waits: a few ms of its own, never python's second and more.
      expect(cpuSecs(own)).toBeLessThan(0.1);
      expect(own.avg_cpu_usage).toBeLessThan(10);
      expect(own.total_syscall_read_bytes).toBeLessThan(tree.total_syscall_read_bytes / 10);
      expect(own.peak_page_faults_cached).toBeLessThan(tree.peak_page_faults_cached / 4);
    });
  }
});

describe('processes that run and end between two samples', () => {
  for (const ebpf of [false, true]) {
    it(`count with their peak memory${ebpf ? ', and at the most at once (eBPF)' : ''}`, async (ctx) => {
      if (ebpf) requireBpf(ctx);
      const touch = buildProcFixture('touch');
      // One sample every 2 s: none sees the 40 MB child, nor the five 8 MB ones that run together.
      const r = await runCli([...(ebpf ? ['--enable-ebpf', '--require-ebpf'] : []), '--json', '-i', '2000', '-m', '2000', 'run', '--', 'sh', '-c', `${touch} 40 0; for i in 1 2 3 4 5; do ${touch} 8 0.05 & done; wait`]);
      expect(r.code, r.stderr).toBe(0);
      const summary = lastRecord(r.stdout);
      expect(summary.sample_count).toBe(2);
      expect(summary.peak_mem_rss_kb).toBeGreaterThanOrEqual(40 * 1024);
      expect(summary.peak_mem_rss_kb).toBeLessThan(60 * 1024);
      // Touching 80 MB in all: 20,480 faults at least, and CPU time to do it.
      expect(summary.peak_page_faults_cached).toBeGreaterThan(20_480);
      expect(summary.time_weighted_cpu_usage * summary.total_time_secs).toBeGreaterThan(0);
      // The kernel's peak of processes alive at once: sh and its five children.
      // Without eBPF they are never seen; the shell, which ended unseen too, counts.
      expect(summary.max_processes).toBe(ebpf ? 6 : 1);
    });
  }
});

describe('a command too short for any sample to see it running', () => {
  for (const ebpf of [false, true]) {
    it(`ls / counts as 1 process with its peak memory and CPU time${ebpf ? ' (eBPF)' : ''}`, async (ctx) => {
      if (ebpf) requireBpf(ctx);
      const r = await runCli([...(ebpf ? ['--enable-ebpf', '--require-ebpf'] : []), '--json', 'run', '--', '/bin/ls', '/']);
      expect(r.code, r.stderr).toBe(0);
      const summary = lastRecord(r.stdout);
      expect(summary).toMatchObject({ max_processes: 1, max_threads: 1 });
      // ls maps its libraries: a megabyte at least, far from the 50+ MB of tsdenet's own Node.
      expect(summary.peak_mem_rss_kb).toBeGreaterThan(1024);
      expect(summary.peak_mem_rss_kb).toBeLessThan(30 * 1024);
      expect(summary.time_weighted_cpu_usage * summary.total_time_secs).toBeGreaterThan(0);
      if (ebpf) {
        expect(summary.ebpf.syscalls.total).toBeGreaterThan(50);
        expect(summary.syscall_rate_per_sec).toBeGreaterThan(0);
      }
    });
  }
});
