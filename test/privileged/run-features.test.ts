/**
 * --errors, --latency, --format strace, --per-thread, --syscalls and
 * --category on the real kernel, with test/fixtures/errors.c's known numbers.
 */
import { describe, expect, it } from 'vitest';
import { lastRecord, runCli } from '../helpers/cli.js';
import { ensureTracefs, requireBpf } from '../helpers/privileges.js';
import { buildFixture } from '../helpers/workload.js';

async function profile(args: string[]) {
  const result = await runCli(['--enable-ebpf', '--require-ebpf', '--json', ...args, 'run', '--', buildFixture('errors')]);
  expect(result.stderr).not.toMatch(/internal error|warning/);
  expect(result.code).toBe(0);
  return lastRecord(result.stdout).ebpf.syscalls;
}

describe.each(['tp_btf', 'tracepoint'])('optional measurements (%s)', (mode) => {
  it('--errors counts failed calls per syscall and errno exactly', async (ctx) => {
    requireBpf(ctx);
    if (mode === 'tracepoint') ensureTracefs();
    const sc = await profile(['--attach-mode', mode, '--errors']);
    expect(sc.errors.by_syscall.close).toEqual({ total: 100, by_errno: { EBADF: 100 } });
    expect(sc.errors.by_syscall.openat.by_errno.ENOENT).toBe(50);
    expect(sc.errors.by_errno.EBADF).toBe(100);
    expect(sc.errors.lost).toBe(0);
    expect(sc.by_syscall.close).toBeGreaterThanOrEqual(100);
  });

  it('--latency measures the known sleeps', async (ctx) => {
    requireBpf(ctx);
    if (mode === 'tracepoint') ensureTracefs();
    const sc = await profile(['--attach-mode', mode, '--latency']);
    const sleep = sc.latency.by_syscall.nanosleep;
    expect(sleep.calls).toBe(10);
    // 10 x 20 ms: at least 200 ms; late wake-ups on a loaded 2-core
    // machine add some, never seconds.
    expect(sleep.total_secs).toBeGreaterThanOrEqual(0.2);
    expect(sleep.total_secs).toBeLessThan(1);
    expect(sleep.usecs_per_call).toBeGreaterThanOrEqual(20000);
    expect(sleep.max_usecs).toBeGreaterThanOrEqual(20000);
    // All ten in buckets of 2^24 ns (16.8 ms) and up, none below.
    const hist: number[] = sleep.histogram_log2_ns;
    expect(hist.slice(24).reduce((a, b) => a + b, 0)).toBe(10);
    expect(hist.slice(0, 24).reduce((a, b) => a + b, 0)).toBe(0);
    // exit_group never returns: it is counted but not timed, and nothing is left pending.
    expect(sc.by_syscall.exit_group).toBe(1);
    expect(sc.latency.by_syscall.exit_group).toBeUndefined();
  });

  it('--syscalls counts only what it names, in the kernel', async (ctx) => {
    requireBpf(ctx);
    if (mode === 'tracepoint') ensureTracefs();
    const sc = await profile(['--attach-mode', mode, '--syscalls', 'getppid,nanosleep']);
    expect(sc.by_syscall).toEqual({ getppid: 300, nanosleep: 10 });
    expect(sc.total).toBe(310);
    expect(sc.filter).toEqual(['getppid', 'nanosleep']);
  });
});

describe('per-thread counts and categories', () => {
  it('--per-thread lists threads with names; they sum to the process', async (ctx) => {
    requireBpf(ctx);
    const sc = await profile(['--per-thread']);
    const [proc] = sc.processes;
    expect(proc.thread_list).toHaveLength(2);
    const worker = proc.thread_list.find((t: any) => t.comm === 'worker');
    expect(worker.by_syscall.getppid).toBe(300);
    expect(proc.thread_list.reduce((a: number, t: any) => a + t.total, 0)).toBe(proc.total);
  });

  it('--category counts only that category', async (ctx) => {
    requireBpf(ctx);
    const sc = await profile(['--category', 'time']);
    expect(sc.by_syscall.nanosleep).toBe(10);
    expect(Object.entries(sc.by_category).filter(([c, n]) => c !== 'time' && n !== 0)).toEqual([]);
  });

  it('--format strace prints strace -c\'s table', async (ctx) => {
    requireBpf(ctx);
    const result = await runCli(['--enable-ebpf', '--format', 'strace', 'run', '--', buildFixture('errors')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/% time\s+seconds\s+usecs\/call\s+calls\s+errors syscall/);
    expect(result.stderr).toMatch(/\n\s*\d+\.\d\d\s+0\.2\d{5}\s+2\d{4}\s+10\s+nanosleep\n/);
    expect(result.stderr).toMatch(/\s\d+\s+100 close\n/);
  });

  it('rejects unknown names with suggestions (exit 2)', async () => {
    const result = await runCli(['--enable-ebpf', '--syscalls', 'opnat', 'run', '--', 'true']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown syscall "opnat" \(did you mean .*openat/);
  });
});

describe('--interval-report', () => {
  it('streams per-interval deltas that add up to the summary, exactly', async (ctx) => {
    requireBpf(ctx);
    const result = await runCli(['--enable-ebpf', '--json', '--interval-report', '50', 'run', '--', buildFixture('errors')]);
    expect(result.code).toBe(0);
    const records = result.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const intervals = records.filter((r) => r.kind === 'syscalls');
    const summary = records[records.length - 1];
    // The fixture sleeps 200 ms: several 50 ms intervals.
    expect(intervals.length).toBeGreaterThanOrEqual(3);
    const sum = (key: string) => intervals.reduce((a, r) => a + (r.by_syscall[key] ?? 0), 0);
    expect(intervals.reduce((a, r) => a + r.total, 0)).toBe(summary.ebpf.syscalls.total);
    expect(sum('getppid')).toBe(300);
    expect(sum('nanosleep')).toBe(10);
    for (const r of intervals) expect(r.total).toBeGreaterThanOrEqual(0);
  });

  it('is a usage error without eBPF or a JSON destination', async () => {
    expect((await runCli(['--interval-report', '100', 'run', '--', 'true'])).code).toBe(2);
    const noJson = await runCli(['--enable-ebpf', '--interval-report', '100', 'run', '--', 'true']);
    expect(noJson.code).toBe(2);
    expect(noJson.stderr).toMatch(/add --json \(stdout\) or -o FILE/);
  });
});
