/**
 * Exact counts at scale (issue 5): the benchmark's fork-heavy and
 * thread-heavy workloads, whose calls are known by construction
 * (scripts/bench/c/*.c), counted exactly with nothing dropped. The
 * benchmark times them; this only checks the numbers.
 *
 * Past the counts map's capacity (issue 14): a map of 1,000 entries holds
 * the calls of a few hundred processes, so a run of thousands stays exact
 * only if user space drains the entries of ended threads and processes
 * while it runs (sampling every 5 ms drains it well before it fills).
 */
import { describe, expect, it } from 'vitest';
import { lastRecord, runCli } from '../helpers/cli.js';
import { ensureTracefs, requireBpf } from '../helpers/privileges.js';
import { BENCH_WORKLOADS, buildFixture } from '../helpers/workload.js';

/** A counts map far smaller than the runs below need, drained at every 5 ms sample. */
const SMALL_MAP = ['--max-entries', '1000', '--interval', '5', '--max-interval', '5'];

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
    // 10,000 forks may wrap pid_max (32768 here) when the suite's other files fork in parallel:
    // children that got one pid share its entry (the breakdown is per pid, and the entry says
    // threads: 1). Every child's calls are still there, each with its getsid and exit_group.
    type Proc = { by_syscall: Record<string, number> };
    const children = (sc.processes as Proc[]).filter((p) => (p.by_syscall.getsid ?? 0) > 0);
    expect(children.length + 1).toBe(sc.processes.length);
    expect(children.reduce((n, p) => n + p.by_syscall.getsid!, 0)).toBe(10_000);
    expect(children.every((p) => p.by_syscall.getsid === p.by_syscall.exit_group)).toBe(true);
    expect(sc).toMatchObject({ dropped: 0, untracked_threads: 0, lost_thread_info: 0 });
  }, 60_000);

  // Each child makes set_robust_list (glibc's fork), getsid and exit_group: three entries, 6,000 in all.
  for (const extra of [[], ['--per-thread']]) {
  it(`2,000 processes through a counts map of 1,000 entries ${extra.join(' ')}: every call, every process, nothing dropped`, async (ctx) => {
    requireBpf(ctx);
    const sc = await profile(mode, [buildFixture('forkmany', [], BENCH_WORKLOADS), '2000'], [...SMALL_MAP, ...extra]);
    expect(sc.by_syscall).toMatchObject({ getsid: 2_000, wait4: 2_000, clone: 2_000, exit_group: 2_001 });
    expect(sc.processes).toHaveLength(2_001);
    type Proc = { threads: number; comm: string | null; by_syscall: Record<string, number> };
    const children = sc.processes.filter((p: Proc) => p.by_syscall.getsid === 1);
    expect(children).toHaveLength(2_000);
    expect(children.every((p: Proc) => p.threads === 1 && p.comm !== null && p.by_syscall.exit_group === 1)).toBe(true);
    expect(sc.processes.reduce((n: number, p: { total: number }) => n + p.total, 0)).toBe(sc.total);
    expect(sc).toMatchObject({ dropped: 0, untracked_threads: 0, lost_thread_info: 0 });
  }, 60_000);
  }

  // Folded, the live process's few entries are shared by all its threads: the small map is enough without draining.
  it('threads folded into their process (no --per-thread): exact counts, the right thread count', async (ctx) => {
    requireBpf(ctx);
    const sc = await profile(mode, [buildFixture('threadmany', [], BENCH_WORKLOADS), '2000', '20', '64'], SMALL_MAP);
    expect(sc.by_syscall).toMatchObject({ getppid: 40_000, exit: 2_000, clone3: 2_000, exit_group: 1 });
    expect(sc.processes).toHaveLength(1);
    expect(sc.processes[0]).toMatchObject({ threads: 2_001, total: sc.total });
    expect(sc.processes[0].thread_list).toBeUndefined();
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
