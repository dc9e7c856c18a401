/**
 * SyscallCounter.seedTree (the basis of `attach --enable-ebpf`): a tree that
 * already runs is marked, in both modes, and counted exactly from then on.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startSyscallCounter, type AttachMode } from '../../src/bpf/counter.js';
import { buildSyscallReport } from '../../src/measure/syscall-report.js';
import { ensureTracefs, requireBpf } from '../helpers/privileges.js';
import { buildFixture, WORKLOAD_COUNTS } from '../helpers/workload.js';

function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .filter((n) => {
      try {
        const stat = readFileSync(`/proc/${n}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

describe.each(['tp_btf', 'tracepoint'] as AttachMode[])('seedTree in %s mode', (mode) => {
  it('counts an existing process, its thread, its child and a grandchild born later', async (ctx) => {
    requireBpf(ctx);
    if (mode === 'tracepoint') ensureTracefs();
    const gated = spawn(buildFixture('gated'), [], { stdio: ['pipe', 'ignore', 'inherit'] });
    const counter = await startSyscallCounter({ mode, nrExecve: 59, nrExecveat: 322, seed: true });
    try {
      const pid = gated.pid!;
      await until(() => readdirSync(`/proc/${pid}/task`).length === 2 && childrenOf(pid).length === 1);
      counter.seedTree(pid);
      const exited = new Promise((resolve) => gated.on('exit', resolve));
      gated.stdin!.end('xxx');
      await exited;
      const snapshot = counter.snapshot();
      const report = buildSyscallReport({ ...snapshot, arch: 'x86_64', elapsedSecs: 1, top: 10, rootPid: pid, argvByPid: new Map() });
      expect(report.by_syscall.getppid).toBe(100);
      expect(report.by_syscall.sched_yield).toBe(200);
      expect(report.by_syscall.getsid).toBe(300);
      expect(report.by_syscall.times).toBe(7);
      expect(report.by_syscall.execve).toBeUndefined();
      expect(report.processes.map((p) => p.pid).sort()).toHaveLength(3);
      // Nothing from before the attach: the blocked reads were entered earlier.
      expect(report.by_syscall.read ?? 0).toBe(0);
    } finally {
      counter.close();
      gated.kill('SIGKILL');
    }
  });
});

describe.each(['tp_btf', 'tracepoint'] as AttachMode[])('armSpawn with a wrapper in %s mode', (mode) => {
  it('skips the wrapper: counting starts at the execve it makes', async (ctx) => {
    requireBpf(ctx);
    if (mode === 'tracepoint') ensureTracefs();
    // Built before arming: the armed thread's next fork is the one tracked.
    const workload = buildFixture('workload');
    const counter = await startSyscallCounter({ mode, nrExecve: 59, nrExecveat: 322 });
    try {
      counter.armSpawn(process.pid, 1);
      const child = spawn('/usr/bin/env', [workload], { stdio: 'ignore' });
      counter.disarm();
      await new Promise((resolve) => child.on('exit', resolve));
      const report = buildSyscallReport({ ...counter.snapshot(), arch: 'x86_64', elapsedSecs: 1, top: 10, rootPid: child.pid!, argvByPid: new Map() });
      for (const [name, count] of Object.entries(WORKLOAD_COUNTS)) expect(report.by_syscall[name], name).toBe(count);
      expect(report.processes[0]!.pid).toBe(child.pid);
      expect(report.processes[0]!.comm).toBe('workload');
    } finally {
      counter.close();
    }
  });
});
