/**
 * Exact counts at scale (issue 5): the benchmark's fork-heavy and
 * thread-heavy workloads, whose calls are known by construction
 * (scripts/bench/c/*.c), counted exactly with nothing dropped. The
 * benchmark times them; this only checks the numbers.
 */
import { describe, expect, it } from 'vitest';
import { lastRecord, runCli } from '../helpers/cli.js';
import { ensureTracefs, requireBpf } from '../helpers/privileges.js';
import { BENCH_WORKLOADS, buildFixture } from '../helpers/workload.js';

async function profile(mode: string, command: string[], options: string[] = []) {
  if (mode === 'tracepoint') ensureTracefs();
  const result = await runCli(['--enable-ebpf', '--require-ebpf', '--json', '--attach-mode', mode, ...options, 'run', '--', ...command]);
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).not.toMatch(/warning/);
  return lastRecord(result.stdout).ebpf.syscalls;
}

describe.each(['tp_btf', 'tracepoint'])('exact counts at scale (%s)', (mode) => {
  it('10,000 short-lived processes: every getsid, fork and exit, nothing dropped', async (ctx) => {
    requireBpf(ctx);
    const sc = await profile(mode, [buildFixture('forkmany', [], BENCH_WORKLOADS), '10000']);
    expect(sc.by_syscall).toMatchObject({ getsid: 10_000, wait4: 10_000, clone: 10_000, exit_group: 10_001 });
    expect(sc.processes).toHaveLength(10_001);
    expect(sc.processes.filter((p: { by_syscall: Record<string, number> }) => p.by_syscall.getsid === 1)).toHaveLength(10_000);
    expect(sc).toMatchObject({ dropped: 0, untracked_threads: 0, lost_thread_info: 0 });
  }, 60_000);

  it('1,000 threads alive at once, 100 calls each: per-thread exact, nothing dropped', async (ctx) => {
    requireBpf(ctx);
    const sc = await profile(mode, [buildFixture('threadmany', [], BENCH_WORKLOADS), '1000', '100'], ['--per-thread']);
    expect(sc.by_syscall).toMatchObject({ getppid: 100_000, exit: 1_000, clone3: 1_000, exit_group: 1 });
    const threads = sc.processes[0].thread_list as { tid: number; by_syscall: Record<string, number> }[];
    const workers = threads.filter((t) => t.by_syscall.getppid !== undefined);
    expect(workers).toHaveLength(1_000);
    expect(workers.every((t) => t.by_syscall.getppid === 100 && t.by_syscall.exit === 1)).toBe(true);
    expect(sc).toMatchObject({ dropped: 0, untracked_threads: 0, lost_thread_info: 0 });
  }, 60_000);
});
