import { describe, expect, it } from 'vitest';
import { zeroCounters, type Counters } from '../../../src/monitor/counters.js';
import { REAPER_KEY, TreeAccounting, type Observation } from '../../../src/monitor/tree-accounting.js';

/** Counters where only CPU ticks and read bytes matter (the rest follow the same code). */
function c(cpuTicks: number, readBytes = 0): Counters {
  return { ...zeroCounters(), cpuTicks, readBytes };
}

function obs(key: string, parentKey: string | undefined, inclusive: Counters, preexisting = false): Observation {
  return { key, parentKey, inclusive, preexisting };
}

describe('TreeAccounting', () => {
  it('counts new processes from their start and live growth', () => {
    const acc = new TreeAccounting();
    acc.update([obs('p', undefined, c(10, 100)), obs('c', 'p', c(5, 50))]);
    expect(acc.total).toMatchObject({ cpuTicks: 15, readBytes: 150 });
    acc.update([obs('p', undefined, c(12, 100)), obs('c', 'p', c(9, 80))]);
    expect(acc.total).toMatchObject({ cpuTicks: 21, readBytes: 180 });
  });

  it('keeps a reaped child: the parent absorbs it, nothing is counted twice', () => {
    const acc = new TreeAccounting();
    acc.update([obs('p', undefined, c(10)), obs('c', 'p', c(5))]);
    // c ran 2 more ticks, exited and was reaped: p's cutime grew by c's final 7; p itself ran 2.
    acc.update([obs('p', undefined, c(10 + 2 + 7))]);
    expect(acc.total.cpuTicks).toBe(12 + 7);
  });

  it('follows a chain: a grandchild reaped by a child that its living parent then reaped', () => {
    const acc = new TreeAccounting();
    acc.update([obs('p', undefined, c(1)), obs('c', 'p', c(2)), obs('g', 'c', c(3))]);
    // g: 3 -> 4 then reaped by c (c incl 2 + 1 own + 4); c reaped by p (p incl 1 + 7).
    acc.update([obs('p', undefined, c(1 + 7))]);
    expect(acc.total.cpuTicks).toBe(1 + 3 + 4);
  });

  it('keeps what an orphan had at its last sighting when the tree did not reap it', () => {
    const acc = new TreeAccounting();
    acc.update([obs('p', undefined, c(10)), obs('orphan', undefined, c(30))]);
    acc.update([obs('p', undefined, c(11))]);
    expect(acc.total.cpuTicks).toBe(41);
  });

  it('does not charge a parent that ignores SIGCHLD for children it never absorbed', () => {
    const ignoring = new Set(['p']);
    const acc = new TreeAccounting({ ignoresSigchld: (key) => ignoring.has(key) });
    acc.update([obs('p', undefined, c(10)), obs('c', 'p', c(5))]);
    acc.update([obs('p', undefined, c(13))]);
    expect(acc.total.cpuTicks).toBe(18);
  });

  it('takes what the reaper (tsdenet) absorbed when the root itself is gone', () => {
    let reaper = c(0, 0);
    const acc = new TreeAccounting({ readReaperChildren: () => reaper });
    acc.update([obs('root', REAPER_KEY, c(20, 1000)), obs('kid', 'root', c(4, 10))]);
    // kid ends (reaped by root: 6 ticks), root runs 3 more and is reaped by tsdenet.
    reaper = c(20 + 3 + 6, 1000 + 500 + 10);
    acc.update([]);
    expect(acc.total).toMatchObject({ cpuTicks: 29, readBytes: 1510 });
  });

  it('never counts what pre-existing processes did before monitoring, and never decreases', () => {
    const acc = new TreeAccounting();
    acc.update([obs('old', undefined, c(1000, 9999), true)]);
    expect(acc.total.cpuTicks).toBe(0);
    expect(acc.baseline).toMatchObject({ cpuTicks: 1000, readBytes: 9999 });
    acc.update([obs('old', undefined, c(1005, 9999)), obs('new', 'old', c(2))]);
    expect(acc.total.cpuTicks).toBe(7);
    // A counter read lower than before (a racing reader) does not pull the total back.
    acc.update([obs('old', undefined, c(1004, 9999)), obs('new', 'old', c(2))]);
    expect(acc.total.cpuTicks).toBe(7);
  });

  it('treats a reused pid as a new process (keys carry the start time)', () => {
    const acc = new TreeAccounting();
    acc.update([obs('p', undefined, c(10)), obs('42@100', 'p', c(50))]);
    acc.update([obs('p', undefined, c(10)), obs('42@900', 'p', c(3))]);
    // The old 42 vanished without p absorbing it (ignored: p's growth is 0, so nothing is
    // deducted below zero); the new 42 adds its own 3.
    expect(acc.total.cpuTicks).toBe(63);
  });
});
