/**
 * Exact counts on the real kernel: a workload whose calls are known by
 * construction (test/fixtures/workload.c), cross-checked with strace's
 * entry counts (test/helpers/strace.ts), with a pid above 65535, with noise
 * outside the tree: every test in both attach modes.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it, type TestContext } from 'vitest';
import { lastRecord, runCli } from '../helpers/cli.js';
import { ensureTracefs, requireBpf, requireOrSkip, toolMissing } from '../helpers/privileges.js';
import { straceEntryCounts } from '../helpers/strace.js';
import { buildFixture, WORKLOAD_COUNTS } from '../helpers/workload.js';

type Summary = ReturnType<typeof lastRecord>;

const MODES = ['tp_btf', 'tracepoint'] as const;
type Mode = (typeof MODES)[number];

function requireMode(ctx: TestContext, mode: Mode): void {
  requireBpf(ctx);
  if (mode === 'tracepoint') ensureTracefs();
}

async function profile(mode: Mode, args: string[], command: string[]): Promise<Summary> {
  const result = await runCli(['--enable-ebpf', '--require-ebpf', '--json', '--attach-mode', mode, ...args, 'run', '--', ...command]);
  expect(result.stderr).not.toMatch(/internal error|warning/);
  expect(result.code).toBe(0);
  const summary = lastRecord(result.stdout);
  expect(summary.ebpf.attach_mode).toBe(mode);
  return summary;
}

function expectWorkloadCounts(summary: Summary): void {
  const bySyscall = summary.ebpf.syscalls.by_syscall as Record<string, number>;
  for (const [name, count] of Object.entries(WORKLOAD_COUNTS)) {
    expect(bySyscall[name], name).toBe(count);
  }
  expect(summary.ebpf.syscalls.dropped).toBe(0);
  expect(summary.ebpf.syscalls.untracked_threads).toBe(0);
}

describe.each(MODES)('run --enable-ebpf: exact counts (%s)', (mode) => {
  it('counts the workload exactly: threads, fork, exec, a 1 ms grandchild', async (ctx) => {
    requireMode(ctx, mode);
    const workload = buildFixture('workload');
    const summary = await profile(mode, [], [workload]);
    expect(summary.ebpf.attach_point).toBe(mode === 'tp_btf' ? 'tp_btf/sys_enter' : 'tracepoint/raw_syscalls/sys_enter');
    expectWorkloadCounts(summary);
    const sc = summary.ebpf.syscalls;
    // The three processes: root (3 threads), forked child (re-execs), grandchild.
    expect(sc.processes).toHaveLength(3);
    const root = sc.processes[0];
    expect(root.pid).toBe(summary.pid);
    expect(root.threads).toBe(3);
    expect(root.argv).toEqual([workload]);
    expect(root.by_syscall.execve).toBe(1);
    expect(root.by_syscall.getppid).toBe(WORKLOAD_COUNTS.getppid);
    const child = sc.processes.find((p: any) => p.by_syscall.getsid === WORKLOAD_COUNTS.getsid);
    expect(child.ppid).toBe(root.pid);
    expect(child.by_syscall.execve).toBe(1);
    expect(child.by_syscall.umask).toBe(WORKLOAD_COUNTS.umask);
    const grandchild = sc.processes.find((p: any) => p.by_syscall.times === WORKLOAD_COUNTS.times);
    expect(grandchild.ppid).toBe(child.pid);
    // Totals are consistent.
    const sum = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);
    expect(sum(sc.by_syscall)).toBe(sc.total);
    expect(sum(sc.by_category)).toBe(sc.total);
    expect(sc.processes.reduce((a: number, p: any) => a + p.total, 0)).toBe(sc.total);
  });

  it("agrees with strace's entry counts on every syscall the workload itself makes", async (ctx) => {
    requireMode(ctx, mode);
    requireOrSkip(ctx, toolMissing('strace', ['-V'], 'strace'));
    const workload = buildFixture('workload');
    const summary = await profile(mode, [], [workload]);
    const strace = straceEntryCounts([workload]);
    const ours = summary.ebpf.syscalls.by_syscall as Record<string, number>;
    // Every call whose count does not depend on scheduling must agree.
    const deterministic = [...Object.keys(WORKLOAD_COUNTS), 'clone', 'clone3', 'wait4', 'set_robust_list', 'rseq', 'openat', 'mmap', 'mprotect', 'access', 'exit_group'];
    expect(ours.exit_group).toBe(3);
    for (const name of deterministic) {
      expect(ours[name] ?? 0, name).toBe(strace[name] ?? 0);
    }
    // Under ptrace the same program makes the same calls, bar scheduling
    // (futex waits in pthread_join, nanosleep restarts): the totals agree
    // within a few calls.
    const straceTotal = Object.values(strace).reduce((a, b) => a + b, 0);
    expect(Math.abs(summary.ebpf.syscalls.total - straceTotal)).toBeLessThanOrEqual(20);
  });
});

function readSysctl(name: string): string {
  return readFileSync(`/proc/sys/kernel/${name}`, 'utf8').trim();
}

function writeSysctl(name: string, value: string): void {
  writeFileSync(`/proc/sys/kernel/${name}`, value);
}

describe.each(MODES)('run --enable-ebpf: scope (%s)', (mode) => {
  it('counts a process whose pid is above 65535 exactly (no pid << 16 collision)', async (ctx: TestContext) => {
    requireMode(ctx, mode);
    const pidMax = readSysctl('pid_max');
    writeSysctl('pid_max', '4194304');
    try {
      // The next pid handed out is ns_last_pid + 1; other processes may
      // take some first, so aim well above 65535 with room to spare.
      writeSysctl('ns_last_pid', '200000');
      const summary = await profile(mode, [], [buildFixture('workload')]);
      expect(summary.pid).toBeGreaterThan(65535);
      expectWorkloadCounts(summary);
      for (const p of summary.ebpf.syscalls.processes) expect(p.pid).toBeGreaterThan(65535);
    } finally {
      writeSysctl('pid_max', pidMax);
    }
  });

  it('does not count a busy process outside the tree, nor a second run at the same time', async (ctx) => {
    requireMode(ctx, mode);
    const workload = buildFixture('workload');
    // Noise: the same workload in a loop, outside any tsdenet tree.
    const noise = spawn('sh', ['-c', `while :; do ${workload} >/dev/null; done`], { stdio: 'ignore' });
    try {
      const [a, b] = await Promise.all([profile(mode, [], [workload]), profile(mode, [], [workload])]);
      expectWorkloadCounts(a);
      expectWorkloadCounts(b);
      expect(a.pid).not.toBe(b.pid);
    } finally {
      noise.kill('SIGKILL');
    }
  });

  it('never counts tsdenet itself: a command with no children makes only its own calls', async (ctx) => {
    requireMode(ctx, mode);
    const summary = await profile(mode, [], ['/bin/true']);
    const sc = summary.ebpf.syscalls;
    expect(sc.processes).toHaveLength(1);
    expect(sc.processes[0].comm).toBe('true');
    expect(sc.by_syscall.execve).toBe(1);
    // strace -c /bin/true makes about 30 calls; node makes thousands.
    expect(sc.total).toBeLessThan(100);
  });

  it('reports lost counts when the counts map is full, with a warning', async (ctx) => {
    requireMode(ctx, mode);
    // One entry: the first thread to end (or, in classic mode, the first call) fills it; ended
    // processes' entries are drained between samples, but a single flush of two syscalls overflows.
    const result = await runCli(['--enable-ebpf', '--json', '--attach-mode', mode, '--max-entries', '1', 'run', '--', buildFixture('workload')]);
    expect(result.code).toBe(0);
    const sc = lastRecord(result.stdout).ebpf.syscalls;
    expect(sc.dropped).toBeGreaterThan(0);
    expect(result.stderr).toMatch(/calls are missing from the per-process breakdown \(the counts map was full; the totals are exact\): raise --max-entries/);
    // The totals stay exact; only the per-process breakdown lost calls, and
    // what it kept plus what it lost is the total.
    expectWorkloadCounts({ ebpf: { syscalls: { ...sc, dropped: 0 } } });
    const perProcess = sc.processes.reduce((a: number, p: any) => a + p.total, 0);
    expect(perProcess + sc.dropped).toBe(sc.total);
  });
});
