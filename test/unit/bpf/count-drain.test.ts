import { describe, expect, it } from 'vitest';
import { DrainedCounts, isFinal, isFinalTask } from '../../../src/bpf/count-drain.js';

const live = { tids: new Set([10, 11]), tgids: new Set([10]) };

describe('draining the counts map (count-drain.ts)', () => {
  it('an entry is final once its thread (per-thread key) or its whole process (tid 0) has ended', () => {
    expect(isFinal({ tgid: 10, tid: 11 }, live)).toBe(false);
    expect(isFinal({ tgid: 10, tid: 12 }, live)).toBe(true);
    expect(isFinal({ tgid: 10, tid: 0 }, live)).toBe(false);
    expect(isFinal({ tgid: 20, tid: 0 }, live)).toBe(true);
    // A thread's name stays while its process lives (an execve reads the old leader's).
    expect(isFinalTask({ tgid: 10 }, live)).toBe(false);
    expect(isFinalTask({ tgid: 20 }, live)).toBe(true);
  });

  it('sums what is taken per (tgid, tid, nr), x32 and large pids included, and counts the entries taken', () => {
    const d = new DrainedCounts();
    d.add({ tgid: 4_194_303, tid: 4_194_302, nr: 0x40000000 + 1, count: 2 });
    d.add({ tgid: 4_194_303, tid: 4_194_302, nr: 0x40000000 + 1, count: 3 });
    d.add({ tgid: 7, tid: 0, nr: 39, count: 1 });
    expect(d.taken).toBe(3);
    expect(d.counts()).toEqual([
      { tgid: 4_194_303, tid: 4_194_302, nr: 0x40000000 + 1, count: 5 },
      { tgid: 7, tid: 0, nr: 39, count: 1 },
    ]);
    d.addTask({ tid: 7, tgid: 7, ppid: 1, comm: 'old' });
    d.addTask({ tid: 7, tgid: 7, ppid: 1, comm: 'new' });
    expect(d.tasks()).toEqual([{ tid: 7, tgid: 7, ppid: 1, comm: 'new' }]);
  });
});
