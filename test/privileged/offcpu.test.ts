/**
 * --offcpu on the real kernel, in both attach modes, with off-CPU time
 * known by construction (test/fixtures/offcpu.c): a thread that sleeps,
 * a child blocked on a pipe its parent fills later, and two spinners
 * sharing one CPU (preempted while runnable, never sleeping). Margins are
 * generous: the machine is shared and loaded; what is measured is the
 * programs' time off CPU, never tsdenet's own speed.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { lastRecord, runCli } from '../helpers/cli.js';
import { ensureTracefs, requireBpf, requireOrSkip, toolMissing } from '../helpers/privileges.js';
import { buildFixture } from '../helpers/workload.js';

const MS = 1e6;
/** Late wake-ups and waiting for a CPU on a loaded 2-core machine add time, never half a second. */
const LATE_MS = 500;

interface Offcpu {
  total_time_ns: number;
  total_events: number;
  avg_time_ns: number;
  max_time_ns: number;
  top_blocking_threads: { tid: number; pid: number; time_ms: number; percentage: number }[];
  sleeping_ns: number;
  runnable_ns: number;
}

interface ProcessEntry {
  pid: number;
  offcpu?: { sleeping_ns: number; runnable_ns: number; events: number };
}

async function profile(mode: string, args: string[]) {
  const result = await runCli(['--enable-ebpf', '--require-ebpf', '--attach-mode', mode, '--offcpu', '--json', 'run', '--', buildFixture('offcpu'), ...args]);
  expect(result.stderr).not.toMatch(/internal error|warning/);
  expect(result.code).toBe(0);
  const records = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
  const summary = lastRecord(result.stdout);
  const offcpu = summary.ebpf.offcpu as Offcpu;
  const processes = summary.ebpf.syscalls.processes as ProcessEntry[];
  const ids = (label: string): number[] => [...result.stderr.matchAll(new RegExp(`${label} (\\d+)`, 'g'))].map((m) => Number(m[1]));
  const trees = records.filter((r) => r.kind === 'tree' && r.aggregated).map((r) => r.aggregated.ebpf?.offcpu as Offcpu | undefined);
  return { offcpu, processes, ids, trees, rootPid: summary.pid as number };
}

/** The figures agree with each other, in the summary and the tree records alike. */
function expectConsistent(o: Offcpu, processes: ProcessEntry[], trees: (Offcpu | undefined)[]): void {
  expect(o.total_time_ns).toBe(o.sleeping_ns + o.runnable_ns);
  expect(o.avg_time_ns).toBe(Math.floor(o.total_time_ns / o.total_events));
  const perProcess = processes.filter((p) => p.offcpu).map((p) => p.offcpu!);
  expect(perProcess.reduce((a, p) => a + p.sleeping_ns, 0)).toBe(o.sleeping_ns);
  expect(perProcess.reduce((a, p) => a + p.runnable_ns, 0)).toBe(o.runnable_ns);
  expect(perProcess.reduce((a, p) => a + p.events, 0)).toBe(o.total_events);
  const shares = o.top_blocking_threads.reduce((a, t) => a + t.percentage, 0);
  if (o.top_blocking_threads.length < 10) expect(Math.abs(shares - 100)).toBeLessThan(0.1);
  for (let i = 1; i < o.top_blocking_threads.length; i++) expect(o.top_blocking_threads[i - 1]!.time_ms).toBeGreaterThanOrEqual(o.top_blocking_threads[i]!.time_ms);
  // Cumulative in the tree records, never going down; the closing sample (every thread ended) is the summary's.
  const totals = trees.filter((t) => t !== undefined).map((t) => t.total_time_ns);
  expect(totals.length).toBeGreaterThan(0);
  for (let i = 1; i < totals.length; i++) expect(totals[i]!).toBeGreaterThanOrEqual(totals[i - 1]!);
  expect(trees.at(-1)).toEqual(o);
}

describe.each(['tp_btf', 'tracepoint'])('--offcpu (%s)', (mode) => {
  it('a thread that sleeps 300 ms is off CPU, sleeping, for 300 ms', async (ctx) => {
    requireBpf(ctx);
    if (mode === 'tracepoint') ensureTracefs();
    const { offcpu, processes, ids, trees, rootPid } = await profile(mode, ['sleep', '300']);
    const [sleeper] = ids('sleeper tid');
    const thread = offcpu.top_blocking_threads.find((t) => t.tid === sleeper);
    expect(thread, `sleeper tid ${sleeper} in ${JSON.stringify(offcpu.top_blocking_threads)}`).toBeDefined();
    expect(thread!.pid).toBe(rootPid);
    expect(thread!.time_ms).toBeGreaterThanOrEqual(300);
    expect(thread!.time_ms).toBeLessThan(300 + LATE_MS);
    // The sleeper and main (joining it) sleep; neither spins.
    const root = processes.find((p) => p.pid === rootPid)!.offcpu!;
    expect(root.sleeping_ns).toBeGreaterThanOrEqual(300 * MS);
    expect(root.sleeping_ns).toBeLessThan(2 * (300 + LATE_MS) * MS);
    expect(offcpu.max_time_ns).toBeGreaterThanOrEqual(300 * MS);
    expectConsistent(offcpu, processes, trees);
  });

  it('a read blocked on a pipe filled 400 ms later is off CPU, sleeping, for about 400 ms', async (ctx) => {
    requireBpf(ctx);
    if (mode === 'tracepoint') ensureTracefs();
    const { offcpu, processes, ids, trees } = await profile(mode, ['pipe', '400']);
    const [reader] = ids('reader pid');
    const blocked = processes.find((p) => p.pid === reader)?.offcpu;
    expect(blocked, `reader ${reader}`).toBeDefined();
    // From its read (a few ms after the fork) to the parent's write 400 ms after the fork.
    expect(blocked!.sleeping_ns).toBeGreaterThanOrEqual(300 * MS);
    expect(blocked!.sleeping_ns).toBeLessThan((400 + LATE_MS) * MS);
    expect(blocked!.runnable_ns).toBeLessThan(100 * MS);
    expectConsistent(offcpu, processes, trees);
  });

  it('two spinners sharing CPU 0 are preempted while runnable and never sleep', async (ctx) => {
    requireBpf(ctx);
    if (mode === 'tracepoint') ensureTracefs();
    const { offcpu, processes, ids, trees } = await profile(mode, ['spin', '600']);
    const spinners = ids('spinner pid');
    expect(spinners).toHaveLength(2);
    for (const pid of spinners) {
      const o = processes.find((p) => p.pid === pid)?.offcpu;
      expect(o, `spinner ${pid}`).toBeDefined();
      // Each waits for the CPU while the other runs: about half of 600 ms.
      expect(o!.runnable_ns).toBeGreaterThan(100 * MS);
      expect(o!.sleeping_ns).toBeLessThan(50 * MS);
      expect(o!.events).toBeGreaterThan(1);
    }
    expect(offcpu.runnable_ns).toBeGreaterThan(200 * MS);
    expectConsistent(offcpu, processes, trees);
  });

  it('attach counts a thread asleep since before it attached, from the attach on', async (ctx) => {
    requireBpf(ctx);
    if (mode === 'tracepoint') ensureTracefs();
    const { spawn } = await import('node:child_process');
    const target = spawn(buildFixture('offcpu'), ['sleep', '4000'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 200));
      const result = await runCli(['--enable-ebpf', '--require-ebpf', '--attach-mode', mode, '--offcpu', '--json', '--duration', '1', 'attach', String(target.pid)]);
      expect(result.code).toBe(0);
      const offcpu = lastRecord(result.stdout).ebpf.offcpu as Offcpu;
      // main (joining) and the sleeper: each off CPU for the whole second of the attach, sleeping.
      expect(offcpu.top_blocking_threads).toHaveLength(2);
      for (const t of offcpu.top_blocking_threads) {
        expect(t.pid).toBe(target.pid);
        expect(t.time_ms).toBeGreaterThanOrEqual(900);
        expect(t.time_ms).toBeLessThan(1000 + 2 * LATE_MS);
      }
      expect(offcpu.runnable_ns).toBe(0);
    } finally {
      target.kill('SIGKILL');
    }
  });
});

describe.each(['tp_btf', 'tracepoint'])('--offcpu costs nothing when not asked for (%s)', (mode) => {
  it('without --offcpu its programs are not loaded and no record has off-CPU figures', async (ctx) => {
    requireBpf(ctx);
    requireOrSkip(ctx, toolMissing('bpftool', ['version'], 'bpftool'));
    if (mode === 'tracepoint') ensureTracefs();
    const bpftool = execFileSync('which', ['bpftool'], { encoding: 'utf8' }).trim();
    // The command lists the loaded programs while the counter is loaded (its stdout goes to stderr under --json).
    const listing = [bpftool, 'prog', 'show'];
    const without = await runCli(['--enable-ebpf', '--require-ebpf', '--attach-mode', mode, '--json', 'run', '--', ...listing]);
    expect(without.code).toBe(0);
    expect(without.stderr).toMatch(/sys_enter/);
    expect(without.stderr).not.toMatch(/offcpu/);
    expect(without.stdout).not.toMatch(/offcpu/);
    const metadata = (stdout: string) => stdout.split('\n').map((l) => (l ? JSON.parse(l) : {})).find((r) => r.kind === 'metadata');
    const withIt = await runCli(['--enable-ebpf', '--require-ebpf', '--attach-mode', mode, '--offcpu', '--json', 'run', '--', ...listing]);
    expect(withIt.code).toBe(0);
    expect(withIt.stderr).toMatch(/offcpu_switch/);
    expect(lastRecord(withIt.stdout).ebpf.offcpu).toBeDefined();
    // The file says whether off-CPU time was measured.
    expect(metadata(withIt.stdout).capabilities.ebpf).toEqual({ available: true, attach_mode: mode, offcpu: true });
    expect(metadata(without.stdout).capabilities.ebpf).toEqual({ available: true, attach_mode: mode });
  });
});
