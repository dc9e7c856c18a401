/** The terminal's off-CPU section: split, per process, denet's top threads; names escaped. */
import { describe, expect, it } from 'vitest';
import { renderOffcpu } from '../../../src/report/offcpu-table.js';
import { summarizeOffcpu } from '../../../src/records/offcpu.js';
import type { ProcessSyscalls } from '../../../src/records/schema.js';

describe('renderOffcpu', () => {
  it('shows the same numbers as the record, per process most first, with names escaped', () => {
    const o = summarizeOffcpu([
      { tid: 10, pid: 10, sleeping_ns: 300e6, runnable_ns: 0, events: 1, max_ns: 300e6 },
      { tid: 12, pid: 12, sleeping_ns: 0, runnable_ns: 100e6, events: 10, max_ns: 20e6 },
    ]);
    const proc = (pid: number, comm: string, offcpu: ProcessSyscalls['offcpu']): ProcessSyscalls => ({ pid, ppid: 1, comm, argv: null, threads: 1, total: 1, by_syscall: {}, offcpu });
    const text = renderOffcpu(o, 10, [proc(12, 'spin\x1b[2J', { sleeping_ns: 0, runnable_ns: 100e6, events: 10 }), proc(10, 'sleep', { sleeping_ns: 300e6, runnable_ns: 0, events: 1 })]);
    expect(text).toContain('OFF-CPU TIME (eBPF, sched_switch): 0.400 s in 11 intervals');
    expect(text).toContain('sleeping or blocked: 0.300 s (75.00%); preempted while runnable (waiting for a CPU): 0.100 s (25.00%)');
    expect(text).toContain('mean interval 36.4 ms, longest 300.0 ms');
    expect(text).not.toContain('\x1b');
    expect(text).toContain("spin\\e[2J");
    const rows = text.split('\n').filter((l) => /^│\s+1[02] /.test(l));
    // Per process (sleep first: most off-CPU time), then the top threads.
    expect(rows[0]).toMatch(/│\s+10 │\s+0\.300 │\s+0\.000 │\s+1 │\s+75\.00% │ sleep/);
    expect(rows[1]).toMatch(/│\s+12 │\s+0\.000 │\s+0\.100 │\s+10 │\s+25\.00% │ spin/);
    expect(rows[2]).toMatch(/│\s+10 │\s+10 │\s+300\.0 │\s+75\.00% │/);
  });

  it("says so when a denet file has no split", () => {
    expect(renderOffcpu({ total_time_ns: 1e6, total_events: 1 }, 10)).toContain('no split into sleeping and runnable');
  });
});
