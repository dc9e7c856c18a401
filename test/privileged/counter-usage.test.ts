/**
 * Resource usage taken in the kernel (SyscallCounter.sample({ usage: true }),
 * tp_btf): each workload's usage is known by construction
 * (test/fixtures/usage.c), and its parent reports what the kernel's own
 * account says of its child (getrusage(RUSAGE_CHILDREN)).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startSyscallCounter, type ProcessUsage, type SyscallCounter, type TreeUsage } from '../../src/bpf/counter.js';
import { currentArch, syscallNumber } from '../../src/syscalls/names.js';
import { requireBpf } from '../helpers/privileges.js';
import { buildFixture } from '../helpers/workload.js';

const MS = 1e6;

interface UsageRun {
  /** What the workload's parent read with getrusage(RUSAGE_CHILDREN). */
  child: { pid: number; cpuNs: number; maxrssKb: number };
  rootPid: number;
  samples: TreeUsage[];
  /** Every ended process, in the order reported. */
  ended: ProcessUsage[];
  stdout: string;
}

function startCounter(extra: { usageEntries?: number; seed?: boolean } = {}): Promise<SyscallCounter> {
  const arch = currentArch()!;
  return startSyscallCounter({ mode: 'tp_btf', nrExecve: syscallNumber('execve', arch)!, nrExecveat: syscallNumber('execveat', arch)!, ...extra });
}

/**
 * Samples every 10 ms until the command has exited and the tree is empty,
 * then once more (which must report nothing).
 */
async function sampleUntilDone(counter: SyscallCounter, exited: () => boolean): Promise<TreeUsage[]> {
  const samples: TreeUsage[] = [];
  for (let i = 0; i < 3000; i++) {
    const done = exited();
    const usage = counter.sample({ usage: true }).usage!;
    samples.push(usage);
    // The command's last switch may come just after its parent saw it exit.
    if (done && usage.live.processes === 0 && usage.live.threads === 0) {
      const after = counter.sample({ usage: true }).usage!;
      expect(after.processes).toEqual([]);
      expect(after.total).toEqual(usage.total);
      return [...samples, after];
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the tree did not end');
}

/** Ended processes, each checked to be reported by one sample only, and never again after. */
function endedOnce(samples: TreeUsage[]): ProcessUsage[] {
  const seen = new Map<string, number>();
  const ended: ProcessUsage[] = [];
  samples.forEach((s, i) => {
    for (const p of s.processes) {
      const key = `${p.pid}:${p.startTicks}`;
      const endedAt = seen.get(key);
      expect(endedAt, `process ${key} reported again after it ended`).toBeUndefined();
      if (p.ended) {
        seen.set(key, i);
        ended.push(p);
      }
    }
  });
  return ended;
}

async function runUsage(args: string[], options: { usageEntries?: number; command?: string } = {}): Promise<UsageRun> {
  // Built before arming: the armed thread's next fork is the one tracked.
  const command = options.command ?? buildFixture('usage');
  const counter = await startCounter({ usageEntries: options.usageEntries });
  try {
    counter.armSpawn(process.pid);
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    counter.disarm();
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    let exited = false;
    child.on('close', () => (exited = true));
    const samples = await sampleUntilDone(counter, () => exited);
    const m = /child=(\d+) cpu_ns=(\d+) maxrss_kb=(\d+)/.exec(stdout);
    return {
      child: { pid: Number(m?.[1] ?? 0), cpuNs: Number(m?.[2] ?? 0), maxrssKb: Number(m?.[3] ?? 0) },
      rootPid: child.pid!,
      samples,
      ended: endedOnce(samples),
      stdout,
    };
  } finally {
    counter.close();
  }
}

function endedProcess(run: UsageRun, pid: number): ProcessUsage {
  const matches = run.ended.filter((p) => p.pid === pid);
  expect(matches, `process ${pid} reported ended once`).toHaveLength(1);
  return matches[0]!;
}

/** Every process ended and was reported: their sum is the tree's total, field by field. */
function expectTotalIsSum(run: UsageRun): void {
  const last = run.samples.at(-1)!;
  expect(last.lostProcesses).toBe(0);
  for (const field of Object.keys(last.total) as (keyof TreeUsage['total'])[]) {
    expect(run.ended.reduce((a, p) => a + p.usage[field], 0), field).toBe(last.total[field]);
  }
}

function maxPeak(run: UsageRun): { processes: number; threads: number } {
  return run.samples.reduce((a, s) => ({ processes: Math.max(a.processes, s.peak.processes), threads: Math.max(a.threads, s.peak.threads) }), { processes: 0, threads: 0 });
}

/** Our final value and the kernel's rusage of the child (µs resolution) agree within 2% + 0.2 ms. */
function expectCpuClose(ours: number, rusage: number): void {
  expect(Math.abs(ours - rusage)).toBeLessThanOrEqual(0.02 * rusage + 0.2 * MS);
}

describe('SyscallCounter usage (tp_btf): final values taken in the kernel', () => {
  it('a process that burns 200 ms of CPU: its CPU time as getrusage sees it', async (ctx) => {
    requireBpf(ctx);
    const run = await runUsage(['burn', '200']);
    const child = endedProcess(run, run.child.pid);
    expect(child.usage.cpuNs).toBeGreaterThanOrEqual(198 * MS);
    expectCpuClose(child.usage.cpuNs, run.child.cpuNs);
    expect(child.ppid).toBe(run.rootPid);
    expect(child.comm).toBe('usage');
    expect(child.threads).toBe(1);
    expect(child.ended).toBe(true);
    const root = endedProcess(run, run.rootPid);
    expect(root.usage.cpuNs).toBeGreaterThan(0);
    expectTotalIsSum(run);
  });

  it('a process of about 1 ms is never 0: CPU time, faults and peak RSS', async (ctx) => {
    requireBpf(ctx);
    const run = await runUsage(['short']);
    const child = endedProcess(run, run.child.pid);
    expect(child.usage.cpuNs).toBeGreaterThan(0);
    expectCpuClose(child.usage.cpuNs, run.child.cpuNs);
    expect(child.usage.minorFaults).toBeGreaterThan(0);
    expect(child.peakRssKb).toBeGreaterThan(0);
    expect(['vmhwm', 'maxrss']).toContain(child.peakRssSource);
  });

  it('a process that touches 64 MiB: peak RSS of at least 64 MiB, as its ru_maxrss', async (ctx) => {
    requireBpf(ctx);
    const run = await runUsage(['touch', '64']);
    const child = endedProcess(run, run.child.pid);
    expect(child.peakRssKb).toBeGreaterThanOrEqual(65536);
    expect(child.peakRssKb).toBeLessThan(65536 + 8192);
    // The forked child never execs: its ru_maxrss is its own peak too.
    expect(Math.abs(child.peakRssKb! - run.child.maxrssKb)).toBeLessThanOrEqual(256);
    expect(child.usage.minorFaults).toBeGreaterThanOrEqual(16384);
  });

  it('a process that writes 1 MiB with write(2): exactly 1 MiB written, nothing read', async (ctx) => {
    requireBpf(ctx);
    const run = await runUsage(['write', String(1 << 20)]);
    const child = endedProcess(run, run.child.pid);
    expect(child.usage.wcharBytes).toBe(1 << 20);
    expect(child.usage.rcharBytes).toBe(0);
    // The root printed one line through stdio; its usage counts from its
    // fork, so also the byte Node's forked child writes before its execve.
    const root = endedProcess(run, run.rootPid);
    expect(root.usage.wcharBytes - Buffer.byteLength(run.stdout)).toBeGreaterThanOrEqual(0);
    expect(root.usage.wcharBytes - Buffer.byteLength(run.stdout)).toBeLessThanOrEqual(8);
  });

  it('8 threads that burn 50 ms each and end before their process: the process holds their sum', async (ctx) => {
    requireBpf(ctx);
    const run = await runUsage(['threads', '8', '50']);
    const child = endedProcess(run, run.child.pid);
    expect(child.threads).toBe(9);
    expect(child.usage.cpuNs).toBeGreaterThanOrEqual(8 * 49 * MS);
    expectCpuClose(child.usage.cpuNs, run.child.cpuNs);
    expect(maxPeak(run).threads).toBeGreaterThanOrEqual(2);
    expectTotalIsSum(run);
  });

  it('counts processes alive at once: 5 children and their parent', async (ctx) => {
    requireBpf(ctx);
    const run = await runUsage(['children', '5']);
    expect(maxPeak(run).processes).toBeGreaterThanOrEqual(6);
    const children = run.ended.filter((p) => p.ppid === run.rootPid);
    expect(children).toHaveLength(5);
    for (const c of children) expect(c.usage.cpuNs).toBeGreaterThan(0);
    expect(run.samples.at(-1)!.live).toEqual({ processes: 0, threads: 0 });
    expectTotalIsSum(run);
  });

  it('counts threads alive at once: 20 threads, their main thread and the parent', async (ctx) => {
    requireBpf(ctx);
    const run = await runUsage(['alive', '20']);
    expect(maxPeak(run).threads).toBeGreaterThanOrEqual(22);
    expect(endedProcess(run, run.child.pid).threads).toBe(21);
    // Peaks restart from the current values at each sample: the last one, with nothing left, is 0.
    expect(run.samples.at(-1)!.peak).toEqual({ processes: 0, threads: 0 });
  });

  it('a short `true` as the command: CPU time and peak RSS', async (ctx) => {
    requireBpf(ctx);
    const run = await runUsage([], { command: '/bin/true' });
    const root = endedProcess(run, run.rootPid);
    expect(root.comm).toBe('true');
    expect(root.usage.cpuNs).toBeGreaterThan(0);
    expect(root.peakRssKb).toBeGreaterThan(0);
    expect(run.ended).toHaveLength(1);
  });

  it('a thread that execs: its process ends once, under its new name', async (ctx) => {
    requireBpf(ctx);
    const run = await runUsage(['thread-exec']);
    const child = endedProcess(run, run.child.pid);
    expect(child.comm).toBe('true');
    expect(child.threads).toBe(2);
    expectCpuClose(child.usage.cpuNs, run.child.cpuNs);
    expectTotalIsSum(run);
  });

  it('keeps the total exact when the per-process map is full, and says how many processes it lost', async (ctx) => {
    requireBpf(ctx);
    const run = await runUsage(['children', '5'], { usageEntries: 2 });
    const last = run.samples.at(-1)!;
    expect(last.lostProcesses).toBeGreaterThan(0);
    expect(run.ended.length + last.lostProcesses).toBe(6);
    const reported = run.ended.reduce((a, p) => a + p.usage.cpuNs, 0);
    expect(last.total.cpuNs).toBeGreaterThan(reported);
    expect(last.total.minorFaults).toBeGreaterThan(run.ended.reduce((a, p) => a + p.usage.minorFaults, 0));
  });
});

/** Resolves when the stream has printed "ready". */
function ready(stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve) => stream.on('data', (d: Buffer) => d.includes('ready') && resolve()));
}

describe('SyscallCounter usage after attach (seedTree)', () => {
  it('counts from the moment of attaching, not from the process start', async (ctx) => {
    requireBpf(ctx);
    const gated = spawn(buildFixture('usage'), ['gated', '300', '100'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const counter = await startCounter({ seed: true });
    try {
      await ready(gated.stdout!);
      counter.seedTree(gated.pid!);
      let exited = false;
      gated.on('close', () => (exited = true));
      gated.stdin!.end('x');
      const samples = await sampleUntilDone(counter, () => exited);
      const ended = endedOnce(samples).filter((p) => p.pid === gated.pid);
      expect(ended).toHaveLength(1);
      // 100 ms burnt after the attach; the 300 before are not counted.
      expect(ended[0]!.usage.cpuNs).toBeGreaterThanOrEqual(99 * MS);
      expect(ended[0]!.usage.cpuNs).toBeLessThan(150 * MS);
    } finally {
      counter.close();
      gated.kill('SIGKILL');
    }
  });

  it('attaches to a process whose group leader already ended: its live thread only', async (ctx) => {
    requireBpf(ctx);
    const zombie = spawn(buildFixture('usage'), ['zombie', '50'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const counter = await startCounter({ seed: true });
    try {
      await ready(zombie.stdout!);
      const pid = zombie.pid!;
      // The leader is a zombie once its do_exit is done.
      for (let i = 0; i < 200 && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8')); i++) await new Promise((r) => setTimeout(r, 10));
      counter.seedTree(pid);
      let exited = false;
      zombie.on('close', () => (exited = true));
      zombie.stdin!.end('x');
      const samples = await sampleUntilDone(counter, () => exited);
      const ended = endedOnce(samples).filter((p) => p.pid === pid);
      expect(ended).toHaveLength(1);
      expect(ended[0]!.threads).toBe(1);
      expect(ended[0]!.usage.cpuNs).toBeGreaterThanOrEqual(49 * MS);
      expect(ended[0]!.usage.cpuNs).toBeLessThan(80 * MS);
      expect(samples.at(-1)!.live).toEqual({ processes: 0, threads: 0 });
    } finally {
      counter.close();
      zombie.kill('SIGKILL');
    }
  });
});
