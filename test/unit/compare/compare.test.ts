import { describe, expect, it } from 'vitest';
import { compareRuns, deltaRow, median } from '../../../src/compare/compare.js';
import { CompareInputError } from '../../../src/compare/errors.js';
import { renderComparisonMarkdown } from '../../../src/compare/markdown.js';
import type { RunProfile } from '../../../src/compare/run-profile.js';

function run(source: string, bySyscall: Record<string, number>, extra: Partial<RunProfile> = {}): RunProfile {
  const total = Object.values(bySyscall).reduce((a, b) => a + b, 0);
  return {
    source,
    command: ['./build'],
    counts: { total, bySyscall, byCategory: { file_io: bySyscall.openat ?? 0 }, byCommand: { build: total }, processes: 1 },
    ...extra,
  };
}

describe('compareRuns', () => {
  it('gives absolute and relative deltas, biggest change first, a new name as "new"', () => {
    const c = compareRuns([run('a', { openat: 100, read: 10, futex: 5 })], [run('b', { openat: 110, read: 10, connect: 1 })], { anyCommand: false });
    expect(c.syscalls.map((r) => [r.name, r.delta, r.relative])).toEqual([
      ['openat', 10, 0.1],
      ['futex', -5, -1],
      ['connect', 1, null],
      ['read', 0, 0],
    ]);
    expect(c.total).toMatchObject({ delta: 6, varies: false });
    expect(renderComparisonMarkdown(c)).toContain('| connect | 0 | 1 | +1 | new |');
  });

  it('takes medians over several runs a side and marks what varies between them', () => {
    const c = compareRuns([run('a1', { openat: 10, futex: 7 }), run('a2', { openat: 10, futex: 9 }), run('a3', { openat: 10, futex: 30 })], [run('b1', { openat: 12, futex: 8 }), run('b2', { openat: 12, futex: 8 })], { anyCommand: false });
    const futex = c.syscalls.find((r) => r.name === 'futex')!;
    expect(futex).toMatchObject({ base: { median: 9, min: 7, max: 30 }, new: { median: 8 }, delta: -1, varies: true });
    expect(c.syscalls.find((r) => r.name === 'openat')).toMatchObject({ delta: 2, varies: false });
    expect(median([1, 2, 3, 10])).toBe(2.5);
  });

  it('refuses runs without counts, of other commands, or counting other syscalls', () => {
    const none: RunProfile = { source: 'x.jsonl', command: ['./build'], noCountsReason: 'it was made without --enable-ebpf' };
    expect(() => compareRuns([run('a', {})], [none], { anyCommand: false })).toThrow(/x\.jsonl has no syscall counts: it was made without --enable-ebpf/);
    const other = run('b', {}, { command: ['./other'] });
    expect(() => compareRuns([run('a', {})], [other], { anyCommand: false })).toThrow(/a ran \["\.\/build"\] but b ran \["\.\/other"\]/);
    expect(compareRuns([run('a', {})], [other], { anyCommand: true }).newCommand).toEqual(['./other']);
    const filtered = run('b', {});
    filtered.counts!.filter = ['openat'];
    const error = (() => {
      try {
        compareRuns([run('a', {})], [filtered], { anyCommand: false });
      } catch (e) {
        return e as CompareInputError;
      }
    })();
    expect(error).toBeInstanceOf(CompareInputError);
    expect(error?.message).toMatch(/a counted every syscall, b only openat/);
    expect(error?.exitCode).toBe(2);
  });

  it('a row of one side only: relative change from 0 is null, to 0 is -100%', () => {
    expect(deltaRow('x', [0], [0])).toMatchObject({ delta: 0, relative: 0 });
    expect(deltaRow('x', [4], [0])).toMatchObject({ delta: -4, relative: -1 });
  });

  it('escapes | in Markdown cells (a command name may hold one)', () => {
    const a = run('a', {});
    const b = run('b', {});
    a.counts!.byCommand = { 'a|b': 1 };
    b.counts!.byCommand = { 'a|b': 2 };
    expect(renderComparisonMarkdown(compareRuns([a], [b], { anyCommand: false }))).toContain('| a\\|b | 1 | 2 | +1 | +100.0% |');
  });

  it('shows names and the command from saved runs as text, not markup, in Markdown', () => {
    const a = run('a', {});
    const b = run('b', {});
    a.command = b.command = ['sh', '-c', 'echo `id` | cat'];
    a.counts!.byCommand = { '<img src=x>': 1 };
    b.counts!.byCommand = { '<img src=x>': 2 };
    const md = renderComparisonMarkdown(compareRuns([a], [b], { anyCommand: false }));
    expect(md).toContain('| \\<img src=x\\> | 1 | 2 | +1 | +100.0% |');
    expect(md).toContain("- command: ``sh -c 'echo `id` | cat'``");
    expect(md).not.toMatch(/(^|[^\\])<img/);
  });
});
