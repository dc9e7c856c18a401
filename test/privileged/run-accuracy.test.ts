/**
 * Workloads that once lost calls in the classic-tracepoint fallback
 * (issue 13), in both attach modes: each call count must equal strace's
 * ENTRY count for that call (test/helpers/strace.ts: one per call strace -f
 * shows starting, returning or not), the whole by_syscall map compared, and
 * every loss counter must stay 0.
 */
import { describe, expect, it, type TestContext } from 'vitest';
import { lastRecord, runCli } from '../helpers/cli.js';
import { ensureTracefs, requireBpf, requireOrSkip, toolMissing } from '../helpers/privileges.js';
import { straceEntryCounts } from '../helpers/strace.js';
import { buildFixture } from '../helpers/workload.js';

type Summary = ReturnType<typeof lastRecord>;

function prepare(ctx: TestContext, mode: string): void {
  requireBpf(ctx);
  requireOrSkip(ctx, toolMissing('strace', ['-V'], 'strace'));
  if (mode === 'tracepoint') ensureTracefs();
}

async function profile(mode: string, args: string[], command: string[]): Promise<{ summary: Summary; tsdenetPid: number }> {
  const result = await runCli(['--enable-ebpf', '--require-ebpf', '--json', '--attach-mode', mode, ...args, 'run', '--', ...command]);
  expect(result.stderr).not.toMatch(/internal error|warning/i);
  expect(result.code, result.stderr).toBe(0);
  const summary = lastRecord(result.stdout);
  expect(summary.ebpf.attach_mode).toBe(mode);
  return { summary, tsdenetPid: result.pid };
}

/** Every call strace saw start, and nothing else; nothing lost. */
function expectStraceEntries(summary: Summary, command: string[]): void {
  const sc = summary.ebpf.syscalls;
  expect(sc.by_syscall).toEqual(straceEntryCounts(command));
  expect(sc).toMatchObject({ dropped: 0, untracked_threads: 0, lost_thread_info: 0 });
}

describe.each(['tp_btf', 'tracepoint'])('exact where the fallback once lost calls (%s)', (mode) => {
  it('execve from a thread other than the leader: every call after it, filed under the right thread', async (ctx) => {
    prepare(ctx, mode);
    const program = buildFixture('thread-exec');
    const { summary, tsdenetPid } = await profile(mode, ['--per-thread'], [program]);
    expectStraceEntries(summary, [program]);
    const sc = summary.ebpf.syscalls;
    // By construction (test/fixtures/thread-exec.c).
    expect(sc.by_syscall).toMatchObject({ getppid: 100, getsid: 200, umask: 300, execve: 2, exit_group: 1 });
    expect(sc.processes).toHaveLength(1);
    const [proc] = sc.processes;
    expect(proc).toMatchObject({ pid: summary.pid, ppid: tsdenetPid, comm: 'thread-exec' });
    // The leader's id: its own calls and, after the exec, the new program's.
    const [leader, thread] = proc.thread_list;
    expect(leader).toMatchObject({ tid: summary.pid, comm: 'thread-exec' });
    expect(leader.by_syscall).toMatchObject({ getppid: 100, umask: 300, exit_group: 1, execve: 1 });
    // The thread's calls before its execve, under its own id, with its name.
    expect(thread.tid).not.toBe(summary.pid);
    expect(thread.comm).toBe('thread-exec');
    expect(thread.by_syscall).toMatchObject({ getsid: 200, execve: 1 });
    expect(thread.by_syscall.umask).toBeUndefined();
  });

  it('forks inside a pid namespace the command makes: every child, with real pids', async (ctx) => {
    prepare(ctx, mode);
    const command = ['unshare', '--fork', '--pid', '--mount-proc', 'sh', '-c', '/bin/true; /bin/true'];
    const { summary } = await profile(mode, [], command);
    expectStraceEntries(summary, command);
    const processes = summary.ebpf.syscalls.processes as { pid: number; ppid: number; comm: string }[];
    expect(processes.map((p) => p.comm).sort()).toEqual(['sh', 'true', 'true', 'unshare']);
    expect(processes.every((p) => p.pid > 0 && p.ppid > 0)).toBe(true);
    const [unshare, sh] = [processes.find((p) => p.comm === 'unshare')!, processes.find((p) => p.comm === 'sh')!];
    expect(unshare.pid).toBe(summary.pid);
    expect(sh.ppid).toBe(unshare.pid);
    for (const t of processes.filter((p) => p.comm === 'true')) expect(t.ppid).toBe(sh.pid);
  });

  it('--wait-tree follows a double-forked daemon to its end', async (ctx) => {
    prepare(ctx, mode);
    const program = buildFixture('daemon');
    const { summary } = await profile(mode, ['--wait-tree'], [program]);
    // strace -f, too, ends when the last traced process (the daemon) has.
    expectStraceEntries(summary, [program]);
    const sc = summary.ebpf.syscalls;
    expect(sc.by_syscall.getpgid).toBe(500);
    expect(sc.processes).toHaveLength(3);
    const daemon = sc.processes.find((p: any) => p.by_syscall.getpgid === 500);
    expect(daemon.by_syscall.exit_group).toBe(1);
  });
});
