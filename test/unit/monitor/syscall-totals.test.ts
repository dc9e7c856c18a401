import { describe, expect, it } from 'vitest';
import { SyscallTotals } from '../../../src/monitor/syscall-totals.js';

const READ = 0;
const WRITE = 1;
const GETPID = 39;

describe('SyscallTotals', () => {
  it("builds denet's ebpf.syscalls object from calls per slot", () => {
    const totals = new SyscallTotals();
    totals.update(
      new Map([
        [READ, 8],
        [WRITE, 4],
        [GETPID, 8],
      ]),
    );
    const report = totals.report('x86_64', 2, 2);
    expect(report.total).toBe(20);
    expect(report.top_syscalls).toEqual([
      { name: 'getpid', count: 8 },
      { name: 'read', count: 8 },
    ]);
    expect(report.by_category.file_io).toBe(12);
    expect(Object.keys(report.by_category)).toHaveLength(10);
    expect(report.analysis?.syscall_rate_per_sec).toBe(10);
    expect(report.analysis?.io_intensity).toBeCloseTo(0.6, 9);
  });

  it('never decreases when a sample misses a thread that was exiting', () => {
    const totals = new SyscallTotals();
    totals.update(new Map([[READ, 12]]));
    // A thread exited between the exited-totals read and the live-thread read: absent here.
    totals.update(new Map([[READ, 6]]));
    expect(totals.total).toBe(12);
    // The next sample finds it among the exited threads with its final count.
    totals.update(new Map([[READ, 15]]));
    expect(totals.total).toBe(15);
  });

  it('names ia32 slots with the i386 table, apart from the 64-bit calls of that name', () => {
    const totals = new SyscallTotals();
    totals.update(
      new Map([
        [READ, 2],
        [512 + 3, 5], // i386 read
      ]),
    );
    expect(totals.report('x86_64', 5, 1).top_syscalls).toEqual([{ name: 'i386:read', count: 5 }, { name: 'read', count: 2 }]);
  });
});
