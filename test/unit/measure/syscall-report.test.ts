import { describe, expect, it } from 'vitest';
import { buildSyscallReport } from '../../../src/measure/syscall-report.js';
import { analyze } from '../../../src/records/definitions.js';
import { emptyCategoryCounts } from '../../../src/syscalls/categories.js';

const stats = { droppedCalls: 0, lostTasks: 0, lostTaskInfo: 0, lostErrors: 0 };

describe('buildSyscallReport', () => {
  const report = buildSyscallReport({
    counts: [
      { tgid: 100, tid: 100, nr: 0, count: 50 }, // read
      { tgid: 100, tid: 101, nr: 0, count: 25 }, // read, second thread
      { tgid: 100, tid: 100, nr: 9, count: 10 }, // mmap
      { tgid: 200, tid: 200, nr: 59, count: 1 }, // execve
      { tgid: 200, tid: 200, nr: 41, count: 4 }, // socket
      { tgid: 200, tid: 200, nr: 2000, count: 2 }, // unknown
    ],
    tasks: [
      { tid: 100, tgid: 100, ppid: 1, comm: 'root' },
      { tid: 101, tgid: 100, ppid: 100, comm: 'worker' },
      { tid: 200, tgid: 200, ppid: 100, comm: 'child' },
    ],
    stats: { droppedCalls: 3, lostTasks: 1, lostTaskInfo: 0, lostErrors: 0 },
    arch: 'x86_64',
    elapsedSecs: 2,
    top: 3,
    rootPid: 100,
    argvByPid: new Map([[100, ['root', '-x']]]),
  });

  it('sums every syscall over threads and processes, and names unknown numbers', () => {
    expect(report.total).toBe(92);
    expect(report.by_syscall).toEqual({ read: 75, mmap: 10, socket: 4, syscall_2000: 2, execve: 1 });
    expect(report.top_syscalls).toEqual([
      { name: 'read', count: 75 },
      { name: 'mmap', count: 10 },
      { name: 'socket', count: 4 },
    ]);
  });

  it('fills all ten categories', () => {
    expect(report.by_category).toEqual({ ...emptyCategoryCounts(), file_io: 75, memory: 10, network: 4, process: 1, other: 2 });
    expect(Object.keys(report.by_category)).toHaveLength(10);
  });

  it('lists processes root first, with threads, names, parents and argv where known', () => {
    expect(report.processes).toEqual([
      { pid: 100, ppid: 1, comm: 'root', argv: ['root', '-x'], threads: 2, total: 85, by_syscall: { read: 75, mmap: 10 } },
      { pid: 200, ppid: 100, comm: 'child', argv: null, threads: 1, total: 7, by_syscall: { socket: 4, syscall_2000: 2, execve: 1 } },
    ]);
  });

  it('passes the loss counters through', () => {
    expect(report.dropped).toBe(3);
    expect(report.untracked_threads).toBe(1);
  });

  it('computes denet\'s analysis', () => {
    expect(report.analysis).toEqual({
      syscall_rate_per_sec: 46,
      io_intensity: 75 / 92,
      memory_intensity: 10 / 92,
      cpu_intensity: 1 / 92,
      network_intensity: 4 / 92,
    });
  });
});

describe('analyze', () => {
  it('gives no analysis without a call or without time, and a rate for a short run (denet writes zeros under 0.1 s)', () => {
    expect(analyze(0, emptyCategoryCounts(), 5)).toBeUndefined();
    expect(analyze(100, { ...emptyCategoryCounts(), file_io: 100 }, 0)).toBeUndefined();
    expect(analyze(100, { ...emptyCategoryCounts(), file_io: 100 }, 0.05)).toEqual({ syscall_rate_per_sec: 2000, io_intensity: 1, memory_intensity: 0, cpu_intensity: 0, network_intensity: 0 });
    const empty = buildSyscallReport({ counts: [], tasks: [], stats, arch: 'arm64', elapsedSecs: 1, top: 10, rootPid: 1, argvByPid: new Map() });
    expect(empty.total).toBe(0);
    expect(empty).not.toHaveProperty('analysis');
  });
});

describe('errors, latency and per-thread sections', () => {
  const base = {
    counts: [
      { tgid: 10, tid: 10, nr: 3, count: 5 }, // close
      { tgid: 10, tid: 11, nr: 3, count: 2 },
      { tgid: 10, tid: 10, nr: 512 + 3, count: 4 }, // ia32 read
    ],
    tasks: [
      { tid: 10, tgid: 10, ppid: 1, comm: 'main' },
      { tid: 11, tgid: 10, ppid: 10, comm: 'worker' },
    ],
    stats: { droppedCalls: 0, lostTasks: 0, lostTaskInfo: 0, lostErrors: 1 },
    arch: 'x86_64' as const,
    elapsedSecs: 1,
    top: 10,
    rootPid: 10,
    argvByPid: new Map<number, string[]>(),
  };

  it('names ia32 slots with the i386 table, apart from 64-bit calls of the same name', () => {
    const report = buildSyscallReport({
      ...base,
      counts: [...base.counts, { tgid: 10, tid: 10, nr: 0, count: 6 }, { tgid: 10, tid: 10, nr: 512 + 20, count: 10 }], // read, ia32 getpid
      errors: [{ tgid: 10, nr: 512 + 3, errno: 9, count: 1 }],
    });
    // i386 20 is getpid (x86_64 20 would be writev); i386 3 is read, kept apart from x86_64's read.
    expect(report.by_syscall).toEqual({ 'i386:getpid': 10, close: 7, read: 6, 'i386:read': 4 });
    expect(report.total).toBe(27);
    expect(report.by_category).toMatchObject({ file_io: 17, process: 10 });
    expect(report.processes[0]!.by_syscall).toEqual(report.by_syscall);
    expect(report.errors!.by_syscall).toEqual({ 'i386:read': { total: 1, by_errno: { EBADF: 1 } } });
  });

  it('counts errors per errno and per syscall, with errno names', () => {
    const report = buildSyscallReport({
      ...base,
      errors: [
        { tgid: 10, nr: 3, errno: 9, count: 5 },
        { tgid: 10, nr: 257, errno: 2, count: 3 },
        { tgid: 10, nr: 257, errno: 13, count: 1 },
      ],
    });
    expect(report.errors).toEqual({
      total: 9,
      by_errno: { EBADF: 5, ENOENT: 3, EACCES: 1 },
      by_syscall: { close: { total: 5, by_errno: { EBADF: 5 } }, openat: { total: 4, by_errno: { ENOENT: 3, EACCES: 1 } } },
      lost: 1,
    });
  });

  it('sums latency, keeps the max and trims the histogram', () => {
    const hist = new Array<number>(32).fill(0);
    hist[10] = 2;
    const report = buildSyscallReport({ ...base, latency: [{ nr: 3, count: 2, totalNs: 3000, maxNs: 2000, hist }] });
    expect(report.latency).toEqual({
      total_secs: 3e-6,
      by_syscall: { close: { calls: 2, total_secs: 3e-6, usecs_per_call: 1.5, max_usecs: 2, histogram_log2_ns: hist.slice(0, 11) } },
    });
  });

  it('lists threads with names when asked, summing to the process', () => {
    const [proc] = buildSyscallReport({ ...base, perThread: true }).processes;
    expect(proc!.thread_list).toEqual([
      { tid: 10, comm: 'main', total: 9, by_syscall: { close: 5, 'i386:read': 4 } },
      { tid: 11, comm: 'worker', total: 2, by_syscall: { close: 2 } },
    ]);
    expect(proc!.thread_list!.reduce((a, t) => a + t.total, 0)).toBe(proc!.total);
    expect(buildSyscallReport(base).processes[0]!.thread_list).toBeUndefined();
  });
});

describe('buildSyscallReport with counts folded per process (no --per-thread)', () => {
  const base = { stats, arch: 'x86_64' as const, elapsedSecs: 1, top: 3, rootPid: 100, argvByPid: new Map<number, string[]>() };

  it('counts ended threads, live threads by their tid and an ended leader by its task entry', () => {
    const report = buildSyscallReport({
      ...base,
      counts: [
        { tgid: 100, tid: 0, nr: 0, count: 7 }, // the ended threads' calls, folded
        { tgid: 100, tid: 103, nr: 0, count: 2 }, // a live thread's own
        { tgid: 200, tid: 0, nr: 0, count: 1 }, // a single-threaded process that ended
      ],
      tasks: [
        { tid: 100, tgid: 100, ppid: 1, comm: 'root' },
        { tid: 200, tgid: 200, ppid: 100, comm: 'child' },
        { tid: 103, tgid: 100, ppid: 100, comm: 'worker', live: true },
      ],
      exitedThreads: new Map([[100, 2]]),
    });
    expect(report.processes.map((p) => [p.pid, p.threads, p.total])).toEqual([[100, 4, 9], [200, 1, 1]]);
    expect(report.processes[0]!.thread_list).toBeUndefined();
  });

  it('a live leader is one of the live threads, not counted twice', () => {
    const report = buildSyscallReport({
      ...base,
      counts: [{ tgid: 100, tid: 0, nr: 0, count: 3 }, { tgid: 100, tid: 100, nr: 0, count: 1 }],
      tasks: [{ tid: 100, tgid: 100, ppid: 1, comm: 'root', live: true }],
      exitedThreads: new Map([[100, 1]]),
    });
    expect(report.processes[0]!.threads).toBe(2);
  });
});
