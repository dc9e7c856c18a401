/** --offcpu's records: the one summary of per-thread figures, its reading back, and SummaryBuilder's choice. */
import { describe, expect, it } from 'vitest';
import { offcpuByProcess, summarizeOffcpu, type ThreadOffcpu } from '../../../src/records/offcpu.js';
import { readRecord, type ReadRecord } from '../../../src/records/reader.js';
import { SummaryBuilder } from '../../../src/records/summary.js';

const threads: ThreadOffcpu[] = [
  { tid: 10, pid: 10, sleeping_ns: 300_000_000, runnable_ns: 1_000_000, events: 3, max_ns: 299_000_000 },
  { tid: 11, pid: 10, sleeping_ns: 0, runnable_ns: 0, events: 0, max_ns: 0 },
  { tid: 12, pid: 12, sleeping_ns: 50_000_000, runnable_ns: 149_000_000, events: 40, max_ns: 9_000_000 },
];

describe('summarizeOffcpu', () => {
  it("gives denet's ebpf.offcpu, field for field and in denet's order, then the split by reason", () => {
    const o = summarizeOffcpu(threads);
    expect(Object.keys(o)).toEqual(['total_time_ns', 'total_events', 'avg_time_ns', 'max_time_ns', 'top_blocking_threads', 'sleeping_ns', 'runnable_ns']);
    expect(o).toEqual({
      total_time_ns: 500_000_000,
      total_events: 43,
      avg_time_ns: Math.floor(500_000_000 / 43),
      max_time_ns: 299_000_000,
      // By time, descending; a thread never off CPU is not a blocking thread; shares of the total, 2 decimals.
      top_blocking_threads: [
        { tid: 10, pid: 10, time_ms: 301, percentage: 60.2 },
        { tid: 12, pid: 12, time_ms: 199, percentage: 39.8 },
      ],
      sleeping_ns: 350_000_000,
      runnable_ns: 150_000_000,
    });
    expect(Object.keys(o.top_blocking_threads[0]!)).toEqual(['tid', 'pid', 'time_ms', 'percentage']);
  });

  it('keeps the top 10 threads and says 0 (not NaN) when nothing was off CPU', () => {
    const many = Array.from({ length: 15 }, (_, i) => ({ tid: 100 + i, pid: 100, sleeping_ns: (i + 1) * 1e6, runnable_ns: 0, events: 1, max_ns: (i + 1) * 1e6 }));
    const o = summarizeOffcpu(many);
    expect(o.top_blocking_threads.map((t) => t.tid)).toEqual([114, 113, 112, 111, 110, 109, 108, 107, 106, 105]);
    expect(summarizeOffcpu([])).toEqual({ total_time_ns: 0, total_events: 0, avg_time_ns: 0, max_time_ns: 0, top_blocking_threads: [], sleeping_ns: 0, runnable_ns: 0 });
  });

  it('sums threads into their process', () => {
    expect([...offcpuByProcess(threads)]).toEqual([
      [10, { sleeping_ns: 300_000_000, runnable_ns: 1_000_000, events: 3 }],
      [12, { sleeping_ns: 50_000_000, runnable_ns: 149_000_000, events: 40 }],
    ]);
  });
});

function read(value: unknown, mode: 'strict' | 'lenient' = 'strict'): ReadRecord {
  const r = readRecord(JSON.parse(JSON.stringify(value)), mode);
  if (r.status !== 'record') throw new Error(`${r.status}: ${r.reason}`);
  return r.record;
}

const tree = (ts: number, offcpu: unknown) => ({ kind: 'tree', ts_ms: ts, parent: null, children: [], aggregated: { ts_ms: ts, cpu_usage: 0, mem_rss_kb: 1, process_count: 1, ebpf: { offcpu } } });

describe('ebpf.offcpu read back', () => {
  it("reads tsdenet's records and denet's (no split), and SummaryBuilder gives the summary record's, else the last sample's", () => {
    const denetOffcpu = { total_time_ns: 5e6, total_events: 2, avg_time_ns: 2.5e6, max_time_ns: 4e6, min_time_ns: 1e6, top_blocking_threads: [{ pid: 1, tid: 2, time_ms: 5, percentage: 100 }] };
    const fromDenet = new SummaryBuilder();
    fromDenet.add(read(tree(1000, { ...denetOffcpu, total_time_ns: 1e6 })));
    fromDenet.add(read(tree(2000, denetOffcpu)));
    // Unknown fields (denet's min_time_ns) are not kept; the missing split stays missing.
    expect(fromDenet.offcpu()).toEqual({ total_time_ns: 5e6, total_events: 2, avg_time_ns: 2.5e6, max_time_ns: 4e6, top_blocking_threads: [{ tid: 2, pid: 1, time_ms: 5, percentage: 100 }] });

    const full = summarizeOffcpu(threads);
    const fromRun = new SummaryBuilder();
    fromRun.add(read(tree(1000, summarizeOffcpu(threads.slice(0, 1)))));
    fromRun.add(read({ kind: 'summary', ebpf: { offcpu: full, syscalls: { total: 1, processes: [{ pid: 10, total: 1, offcpu: { sleeping_ns: 1, runnable_ns: 2, events: 3 } }] } } }));
    expect(fromRun.offcpu()).toEqual(full);
    const summary = read({ kind: 'summary', ebpf: { syscalls: { total: 1, processes: [{ pid: 10, total: 1, offcpu: { sleeping_ns: 1, runnable_ns: 2, events: 3 } }] } } });
    expect(summary.kind === 'summary' && summary.ebpf?.syscalls?.processes?.[0]?.offcpu).toEqual({ sleeping_ns: 1, runnable_ns: 2, events: 3 });
  });

  it('strict: off-CPU figures without their total make the line invalid; lenient: they are left out', () => {
    const bad = tree(1000, { total_events: 3 });
    const strict = readRecord(bad, 'strict');
    expect(strict.status).toBe('invalid');
    expect(strict.status === 'invalid' && strict.reason).toMatch(/total_time_ns/);
    const lenient = read(bad, 'lenient');
    expect(lenient.kind === 'tree' && lenient.aggregated?.ebpf?.offcpu).toBeUndefined();
  });
});
