import { describe, expect, it } from 'vitest';
import { SyscallTotals } from '../../../src/monitor/syscall-totals.js';

const READ = 0;
const WRITE = 1;
const GETPID = 39;

describe('SyscallTotals', () => {
  it("builds denet's ebpf.syscalls object from counter entries", () => {
    const totals = new SyscallTotals();
    totals.update([
      { tgid: 10, tid: 10, nr: READ, count: 6 },
      { tgid: 10, tid: 11, nr: READ, count: 2 },
      { tgid: 12, tid: 12, nr: WRITE, count: 4 },
      { tgid: 12, tid: 12, nr: GETPID, count: 8 },
    ]);
    const report = totals.report('x86_64', 2, 2);
    expect(report.total).toBe(20);
    expect(report.top_syscalls).toEqual([
      { name: 'getpid', count: 8 },
      { name: 'read', count: 8 },
    ]);
    expect(report.by_category.file_io).toBe(12);
    expect(Object.keys(report.by_category)).toHaveLength(10);
    expect(report.analysis.syscall_rate_per_sec).toBe(10);
    expect(report.analysis.io_intensity).toBeCloseTo(0.6, 9);
  });

  it('never decreases when a snapshot misses a thread that was exiting', () => {
    const totals = new SyscallTotals();
    totals.update([
      { tgid: 10, tid: 10, nr: READ, count: 5 },
      { tgid: 10, tid: 11, nr: READ, count: 7 },
    ]);
    // Thread 11 exited between the map read and the live-thread read: absent here.
    totals.update([{ tgid: 10, tid: 10, nr: READ, count: 6 }]);
    expect(totals.total).toBe(12);
    // Next snapshot finds it in the exited-threads map with its final count.
    totals.update([
      { tgid: 10, tid: 10, nr: READ, count: 6 },
      { tgid: 10, tid: 11, nr: READ, count: 9 },
    ]);
    expect(totals.total).toBe(15);
  });

  it('adds the entries of a snapshot (exited and live thread with a reused tid included)', () => {
    const totals = new SyscallTotals();
    totals.update([
      { tgid: 10, tid: 20, nr: READ, count: 3 },
      { tgid: 10, tid: 20, nr: READ, count: 4 },
    ]);
    expect(totals.total).toBe(7);
  });
});
