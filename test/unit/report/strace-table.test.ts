import { describe, expect, it } from 'vitest';
import { buildSyscallReport } from '../../../src/measure/syscall-report.js';
import { renderStraceTable } from '../../../src/report/strace-table.js';
import { categorize } from '../../../src/syscalls/categories.js';

const stats = { droppedCalls: 0, lostTasks: 0, lostTaskInfo: 0, lostErrors: 0 };

function report(counts: { nr: number; count: number }[]) {
  return buildSyscallReport({
    counts: counts.map((c) => ({ tgid: 1, tid: 1, ...c })),
    tasks: [{ tid: 1, tgid: 1, ppid: 0, comm: 'x' }],
    stats,
    arch: 'x86_64',
    elapsedSecs: 1,
    top: 10,
    rootPid: 1,
    argvByPid: new Map(),
  });
}

/** The calls column and the name of each row, table by table (split at strace's heading). */
function tables(text: string): { heading: string | undefined; rows: [string, number][] }[] {
  const out: { heading: string | undefined; rows: [string, number][] }[] = [{ heading: undefined, rows: [] }];
  for (const line of text.trimEnd().split('\n')) {
    if (line.startsWith('System call usage summary')) out.push({ heading: line, rows: [] });
    const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\S+)$/.exec(line);
    if (m) out[out.length - 1]!.rows.push([m[2]!, Number(m[1])]);
  }
  return out.filter((t) => t.heading !== undefined || t.rows.length > 0);
}

describe('--format strace with 32-bit calls', () => {
  it('puts ia32 calls in their own table under strace heading, each with its total', () => {
    // x86_64: getpid 39 x322; i386: getpid 20 x123, read 3 x5.
    const text = renderStraceTable(report([{ nr: 39, count: 322 }, { nr: 512 + 20, count: 123 }, { nr: 512 + 3, count: 5 }]));
    expect(tables(text)).toEqual([
      { heading: undefined, rows: [['getpid', 322], ['total', 322]] },
      { heading: 'System call usage summary for 32 bit mode:', rows: [['getpid', 123], ['read', 5], ['total', 128]] },
    ]);
  });

  it('a 32-bit program alone: only the 32-bit table, as strace prints it', () => {
    const text = renderStraceTable(report([{ nr: 512 + 20, count: 10 }]));
    expect(text.startsWith('System call usage summary for 32 bit mode:\n')).toBe(true);
    expect(tables(text)).toHaveLength(1);
  });

  it('a 64-bit program: one table, names unchanged', () => {
    const text = renderStraceTable(report([{ nr: 39, count: 3 }]));
    expect(text).not.toMatch(/32 bit|i386/);
    expect(tables(text)).toEqual([{ heading: undefined, rows: [['getpid', 3], ['total', 3]] }]);
  });

  it('categorizes an ia32 name as its syscall', () => {
    expect(categorize('i386:_llseek')).toBe(categorize('_llseek'));
    expect(categorize('i386:getpid')).toBe('process');
  });
});
