/**
 * renderSummary on hand-made summaries: the cases a real run rarely shows
 * (a full counts map, more threads than --top, no EXECUTION SUMMARY).
 * test/privileged/terminal-tables.test.ts checks real runs.
 */
import { describe, expect, it } from 'vitest';
import type { ProcessSyscalls, SummaryRecord, SyscallReport } from '../../../src/records/schema.js';
import { renderSummary } from '../../../src/report/table.js';
import { emptyCategoryCounts } from '../../../src/syscalls/categories.js';

function proc(pid: number, total: number, extra: Partial<ProcessSyscalls> = {}): ProcessSyscalls {
  return { pid, ppid: 1, comm: 'worker', argv: null, threads: 1, total, by_syscall: { read: total }, ...extra };
}

function summaryOf(sc: Partial<SyscallReport>): SummaryRecord {
  const syscalls: SyscallReport = {
    total: 0,
    by_category: emptyCategoryCounts(),
    top_syscalls: [],
    by_syscall: {},
    processes: [],
    dropped: 0,
    untracked_threads: 0,
    lost_thread_info: 0,
    ...sc,
  };
  return {
    kind: 'summary',
    tsdenet_version: '0',
    ts_ms: 0,
    command: ['sh', '-c', 'echo hi; exit 3'],
    executable: '/bin/sh',
    pid: 10,
    exit_code: 3,
    signal: null,
    exit_status: 3,
    mode: 'run',
    interrupted: false,
    t0_ms: 0,
    wall_time_secs: 1.5,
    kernel: 'test',
    arch: 'x86_64',
    syscall_rate_per_sec: 70,
    ebpf: { attach_mode: 'tp_btf', attach_point: 'tp_btf/sys_enter', syscalls },
  };
}

const TABLES = { format: 'table', top: 2, withStatistics: true } as const;

describe('renderSummary', () => {
  it('without an EXECUTION SUMMARY the header gives the wall time and the rate itself; with one, neither', () => {
    const summary = summaryOf({ total: 105, processes: [proc(10, 105)] });
    expect(renderSummary(summary, { ...TABLES, withStatistics: false })).toMatch(
      /^command: sh -c 'echo hi; exit 3' {2}\(pid 10, exit code 3, wall time 1\.500 s\)\nsyscalls: 105 calls in 1 process, 70\/s, via tp_btf\/sys_enter\n/,
    );
    expect(renderSummary(summary, TABLES)).toMatch(/^command: sh -c 'echo hi; exit 3' {2}\(pid 10, exit code 3\)\nsyscalls: 105 calls in 1 process, via tp_btf\/sys_enter\n/);
  });

  it('the process column adds up to the total: the rest in one row, calls of no known process (a full map) in another', () => {
    const text = renderSummary(summaryOf({ total: 100, dropped: 7, processes: [proc(10, 50), proc(11, 30), proc(12, 8), proc(13, 5)] }), TABLES);
    expect(text).toMatch(/^processes: 4 in all; the command and the top 1 by calls; \[name\]: the process ended before a sample read its command line/m);
    expect(text).toMatch(/│ +… │ +│ +13 │ +13\.00% │ 2 more processes +│/);
    expect(text).toMatch(/│ +\? │ +│ +7 │ +7\.00% │ no process known \(counts map full\) +│/);
    expect(text).toMatch(/^WARNING: 7 calls are missing from the per-process breakdown/m);
  });

  it('threads beyond --top are summed in one row; a process with one thread gets no thread row', () => {
    const threads = [1, 2, 3, 4].map((i) => ({ tid: 20 + i, comm: `t${i}`, total: 10 * i, by_syscall: { futex: 10 * i } }));
    const text = renderSummary(
      summaryOf({ total: 110, processes: [proc(21, 100, { threads: 4, thread_list: threads }), proc(30, 10, { thread_list: [{ tid: 30, comm: 'x', total: 10, by_syscall: { read: 10 } }] })] }),
      TABLES,
    );
    expect(text).toMatch(/│ +tid 21 │ +│ +10 │ .* │ t1 +│ futex 10 +│/);
    expect(text).toMatch(/│ +tid 22 │ +│ +20 │/);
    expect(text).toMatch(/│ +tid … │ +│ +70 │ .* │ 2 more threads of 21 +│/);
    expect(text).not.toMatch(/tid 30/);
    // --per-thread where every process had one thread: said so, not silently the same output.
    const single = renderSummary(summaryOf({ total: 10, processes: [proc(30, 10, { argv: ['x'], thread_list: [{ tid: 30, comm: 'x', total: 10, by_syscall: { read: 10 } }] })] }), TABLES);
    expect(single).toMatch(/^processes: 1 in all; the command first, then by calls; per thread: each process had one thread$/m);
    expect(single).not.toMatch(/tid 30/);
  });

  it('--latency rows by total time, cut to --top; the count table has no time columns', () => {
    const lat = (calls: number, secs: number) => ({ calls, total_secs: secs, usecs_per_call: (secs * 1e6) / calls, max_usecs: 1, histogram_log2_ns: [] });
    const text = renderSummary(
      summaryOf({
        total: 1011,
        by_syscall: { read: 1000, write: 10, wait4: 1 },
        top_syscalls: [{ name: 'read', count: 1000 }, { name: 'write', count: 10 }],
        latency: { total_secs: 2.5, by_syscall: { read: lat(1000, 0.5), write: lat(10, 0.01), wait4: lat(1, 1.99) } },
      }),
      TABLES,
    );
    expect(text).toMatch(/^syscalls by calls: the top 2 of 3\n.*\n│ syscall │ calls │ % of total │ category │\n/m);
    expect(text).toMatch(/^syscalls by total time \(wall time from entry to exit; 2\.500000 s in all\): the top 2 of 3\n.*\n.*\n.*\n│ wait4 +│ +1 │ 1\.990000 │ 79\.60% │ +1990000\.0 │ +1 │\n│ read +│ +1000 │ 0\.500000 │/m);
  });

  it('names and command lines of processes are escaped, command lines quoted', () => {
    const text = renderSummary(
      summaryOf({ total: 2, processes: [proc(10, 1, { argv: ['printf', '\u001b[2J'] }), proc(11, 1, { comm: '\u001b]0;x\u0007' })] }),
      TABLES,
    );
    expect(text).toContain("│ printf $'\\e[2J' │");
    expect(text).toContain('│ [\\e]0;x\\a]');
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });
});
