/**
 * Exact counts on the real kernel: a workload whose calls are known by
 * construction (test/fixtures/workload.c), cross-checked with strace -f -c,
 * in both attach modes, with a pid above 65535, with noise outside the tree.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { lastRecord, runCli } from '../helpers/cli.js';
import { ensureTracefs, requireBpf, requireOrSkip, toolMissing } from '../helpers/privileges.js';
import { buildFixture, WORKLOAD_COUNTS } from '../helpers/workload.js';

type Summary = ReturnType<typeof lastRecord>;

async function profile(args: string[], command: string[]): Promise<Summary> {
  const result = await runCli(['--enable-ebpf', '--require-ebpf', '--json', ...args, 'run', '--', ...command]);
  expect(result.stderr).not.toMatch(/internal error|warning/);
  expect(result.code).toBe(0);
  return lastRecord(result.stdout);
}

function expectWorkloadCounts(summary: Summary): void {
  const bySyscall = summary.ebpf.syscalls.by_syscall as Record<string, number>;
  for (const [name, count] of Object.entries(WORKLOAD_COUNTS)) {
    expect(bySyscall[name], name).toBe(count);
  }
  expect(summary.ebpf.syscalls.dropped).toBe(0);
  expect(summary.ebpf.syscalls.untracked_threads).toBe(0);
}

/** strace -f -c's calls column by syscall name. */
function straceCounts(command: string[]): Record<string, number> {
  const out = join(tmpdir(), `tsdenet-strace-${process.pid}.txt`);
  execFileSync('strace', ['-f', '-c', '-o', out, ...command], { stdio: 'ignore' });
  const counts: Record<string, number> = {};
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    // % time  seconds  usecs/call  calls  [errors]  syscall
    const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?([a-z_0-9]+)\s*$/.exec(line);
    if (m && m[2] !== 'total') counts[m[2]!] = Number(m[1]);
  }
  return counts;
}


describe('run --enable-ebpf: exact counts', () => {
  it('counts the workload exactly: threads, fork, exec, a 1 ms grandchild', async (ctx) => {
    requireBpf(ctx);
    const workload = buildFixture('workload');
    const summary = await profile([], [workload]);
    expect(summary.ebpf.attach_mode).toBe('tp_btf');
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

  it('agrees with strace -f -c on every syscall the workload itself makes', async (ctx) => {
    requireBpf(ctx);
    requireOrSkip(ctx, toolMissing('strace', ['-V'], 'strace'));
    const workload = buildFixture('workload');
    const summary = await profile([], [workload]);
    const strace = straceCounts([workload]);
    const ours = summary.ebpf.syscalls.by_syscall as Record<string, number>;
    // exit and exit_group never return, and strace -c counts a call when it
    // returns: it omits them. Everything else deterministic must agree.
    const deterministic = [...Object.keys(WORKLOAD_COUNTS), 'clone', 'clone3', 'wait4', 'set_robust_list', 'rseq', 'openat', 'mmap', 'mprotect', 'access'];
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

  it('counts the same in the classic tracepoint fallback', async (ctx) => {
    requireBpf(ctx);
    ensureTracefs();
    const summary = await profile(['--attach-mode', 'tracepoint'], [buildFixture('workload')]);
    expect(summary.ebpf.attach_mode).toBe('tracepoint');
    expect(summary.ebpf.attach_point).toBe('tracepoint/raw_syscalls/sys_enter');
    expectWorkloadCounts(summary);
    expect(summary.ebpf.syscalls.processes).toHaveLength(3);
  });
});

function readSysctl(name: string): string {
  return readFileSync(`/proc/sys/kernel/${name}`, 'utf8').trim();
}

function writeSysctl(name: string, value: string): void {
  writeFileSync(`/proc/sys/kernel/${name}`, value);
}

describe('run --enable-ebpf: scope', () => {
  it('counts a process whose pid is above 65535 exactly (no pid << 16 collision)', async (ctx: TestContext) => {
    requireBpf(ctx);
    const pidMax = readSysctl('pid_max');
    writeSysctl('pid_max', '4194304');
    try {
      // The next pid handed out is ns_last_pid + 1; other processes may
      // take some first, so aim well above 65535 with room to spare.
      writeSysctl('ns_last_pid', '200000');
      const summary = await profile([], [buildFixture('workload')]);
      expect(summary.pid).toBeGreaterThan(65535);
      expectWorkloadCounts(summary);
      for (const p of summary.ebpf.syscalls.processes) expect(p.pid).toBeGreaterThan(65535);
    } finally {
      writeSysctl('pid_max', pidMax);
    }
  });

  it('does not count a busy process outside the tree, nor a second run at the same time', async (ctx) => {
    requireBpf(ctx);
    const workload = buildFixture('workload');
    // Noise: the same workload in a loop, outside any tsdenet tree.
    const noise = spawn('sh', ['-c', `while :; do ${workload} >/dev/null; done`], { stdio: 'ignore' });
    try {
      const [a, b] = await Promise.all([profile([], [workload]), profile([], [workload])]);
      expectWorkloadCounts(a);
      expectWorkloadCounts(b);
      expect(a.pid).not.toBe(b.pid);
    } finally {
      noise.kill('SIGKILL');
    }
  });

  it('never counts tsdenet itself: a command with no children makes only its own calls', async (ctx) => {
    requireBpf(ctx);
    const summary = await profile([], ['/bin/true']);
    const sc = summary.ebpf.syscalls;
    expect(sc.processes).toHaveLength(1);
    expect(sc.processes[0].comm).toBe('true');
    expect(sc.by_syscall.execve).toBe(1);
    // strace -c /bin/true makes about 30 calls; node makes thousands.
    expect(sc.total).toBeLessThan(100);
  });

  it('reports lost counts when the counts map is full, with a warning', async (ctx) => {
    requireBpf(ctx);
    const result = await runCli(['--enable-ebpf', '--json', '--max-entries', '8', 'run', '--', buildFixture('workload')]);
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
