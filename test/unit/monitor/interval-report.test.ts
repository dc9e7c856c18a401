import { describe, expect, it } from 'vitest';
import { IntervalReporter } from '../../../src/monitor/interval-report.js';

describe('IntervalReporter', () => {
  it('reports the growth per interval, never negative, adding up to the totals', () => {
    const r = new IntervalReporter('x86_64', 1000);
    const a = r.next(new Map([[0, 10], [1, 5]]), 1500, 1_700_000_000_500);
    expect(a).toMatchObject({ kind: 'syscalls', elapsed_secs: 0.5, interval_secs: 0.5, total: 15, rate_per_sec: 30, by_syscall: { read: 10, write: 5 } });
    expect(a.by_category.file_io).toBe(15);
    // A sample that missed an exiting thread (read went "down") gives no negative delta...
    const b = r.next(new Map([[0, 8], [1, 7]]), 2000, 1_700_000_001_000);
    expect(b.total).toBe(2);
    expect(b.by_syscall).toEqual({ write: 2 });
    // ...and the next one reports what it missed.
    const c = r.next(new Map([[0, 14], [1, 7], [512 + 20, 3]]), 3000, 1_700_000_002_000);
    expect(c.by_syscall).toEqual({ read: 4, 'i386:getpid': 3 });
    expect(a.total + b.total + c.total).toBe(14 + 7 + 3);
    expect(c.interval_secs).toBe(1);
  });
});
