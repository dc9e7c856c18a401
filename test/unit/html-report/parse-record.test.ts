import { describe, expect, it } from 'vitest';
import { parseRecord, type ParseResult } from '../../../src/html-report/parse-record.js';
import type { ReportRecord } from '../../../src/html-report/records.js';

function record(result: ParseResult): ReportRecord {
  if (result.status !== 'record') throw new Error(`expected a record, got ${result.status}: ${result.reason}`);
  return result.record;
}

const metrics = { ts_ms: 1000, cpu_usage: 12.5, mem_rss_kb: 2048, disk_read_bytes: 10, disk_write_bytes: 20, sys_net_rx_bytes: 30, sys_net_tx_bytes: 40, thread_count: 3, uptime_secs: 0, cpu_core: null };

describe('parseRecord', () => {
  it('reads a tagged tree record from its aggregated metrics and running syscall counts', () => {
    const r = record(
      parseRecord({
        kind: 'tree',
        ts_ms: 1000,
        parent: metrics,
        children: [],
        aggregated: { ...metrics, process_count: 4, ebpf: { syscalls: { total: 9, by_category: { file_io: 7, memory: 2 }, top_syscalls: [{ name: 'read', count: 7 }] } } },
      }),
    );
    expect(r).toEqual({
      type: 'sample',
      source: 'tree',
      point: {
        tsMs: 1000,
        cpuPercent: 12.5,
        rssKb: 2048,
        diskReadBytes: 10,
        diskWriteBytes: 20,
        netRxBytes: 30,
        netTxBytes: 40,
        threads: 3,
        processes: 4,
        syscalls: { total: 9, byCategory: { file_io: 7, memory: 2 }, topSyscalls: [{ name: 'read', count: 7 }] },
        ebpfError: null,
      },
    });
  });

  it('keeps the eBPF error of a sample', () => {
    const r = record(parseRecord({ kind: 'tree', ts_ms: 1, aggregated: { ...metrics, process_count: 1, ebpf: { error: 'eBPF not initialized' } } }));
    expect(r.type === 'sample' && r.point).toMatchObject({ syscalls: null, ebpfError: 'eBPF not initialized' });
  });

  it('counts a tree whose root was unreadable (aggregated: null) as no sample, as denet does', () => {
    expect(record(parseRecord({ kind: 'tree', ts_ms: 1, parent: null, children: [], aggregated: null }))).toEqual({
      type: 'empty-sample',
      reason: 'tree record without aggregated metrics',
    });
  });

  it('reads a sample record as one process: no process count', () => {
    const r = record(parseRecord({ kind: 'sample', ...metrics }));
    expect(r).toMatchObject({ type: 'sample', source: 'sample', point: { processes: null, cpuPercent: 12.5 } });
  });

  it("reads denet's legacy untagged lines in denet's order, with the old net_* names", () => {
    const legacy = { ...metrics, sys_net_rx_bytes: undefined, sys_net_tx_bytes: undefined, net_rx_bytes: 5, net_tx_bytes: 6 };
    expect(record(parseRecord({ ts_ms: 1, parent: null, children: [], aggregated: { ...legacy, process_count: 2 } }))).toMatchObject({
      source: 'legacy-tree',
      point: { netRxBytes: 5, netTxBytes: 6, processes: 2 },
    });
    expect(record(parseRecord({ ...legacy, process_count: 2 }))).toMatchObject({ source: 'legacy-aggregated', point: { processes: 2 } });
    expect(record(parseRecord(legacy))).toMatchObject({ source: 'legacy-metrics', point: { processes: null, netRxBytes: 5 } });
    expect(record(parseRecord({ pid: 7, cmd: ['make'], executable: '/usr/bin/make', t0_ms: 5 }))).toEqual({
      type: 'metadata',
      metadata: { pid: 7, cmd: ['make'], executable: '/usr/bin/make', t0Ms: 5 },
    });
  });

  it('reads a summary with its eBPF section, per-process counts, future sections and stats fields', () => {
    const r = record(
      parseRecord({
        kind: 'summary',
        tsdenet_version: '0.1.0',
        command: ['ls'],
        exit_code: null,
        signal: 'SIGKILL',
        exit_status: 137,
        interrupted: false,
        wall_time_secs: 1.5,
        ebpf: {
          attach_mode: 'tp_btf',
          syscalls: {
            total: 3,
            by_category: { file_io: 3 },
            by_syscall: { read: 3 },
            processes: [{ pid: 1, ppid: null, comm: 'ls', argv: ['ls'], threads: 1, total: 3, by_syscall: { read: 3 } }],
            errors: { total: 1 },
          },
        },
        peak_mem_rss_kb: 900,
        total_sys_net_rx_bytes: 12,
      }),
    );
    expect(r.type).toBe('summary');
    if (r.type !== 'summary') return;
    expect(r.summary).toMatchObject({ command: ['ls'], exitCode: null, signal: 'SIGKILL', exitStatus: 137, wallTimeSecs: 1.5, peakRssKb: 900, totalNetRxBytes: 12 });
    expect(r.summary.ebpf).toMatchObject({ attachMode: 'tp_btf', total: 3, bySyscall: { read: 3 }, errors: { total: 1 }, latency: null });
    expect(r.summary.ebpf?.processes).toEqual([{ pid: 1, ppid: null, comm: 'ls', argv: ['ls'], threads: 1, total: 3, bySyscall: { read: 3 } }]);
  });

  it('names the field when a known field has the wrong type', () => {
    expect(parseRecord({ kind: 'tree', ts_ms: 1, aggregated: { ...metrics, cpu_usage: 'high' } })).toEqual({
      status: 'invalid',
      reason: 'tree record: aggregated.cpu_usage is a string, not a number',
    });
    expect(parseRecord({ kind: 'summary', ebpf: { syscalls: { total: 1, processes: [{ pid: '1', total: 1 }] } } })).toEqual({
      status: 'invalid',
      reason: 'summary record: ebpf.syscalls.processes[0].pid is a string, not a number',
    });
    expect(parseRecord({ kind: 'sample', cpu_usage: 1 })).toEqual({ status: 'invalid', reason: 'sample record: ts_ms is missing' });
    expect(parseRecord({ kind: 'tree', ts_ms: 1, aggregated: { ...metrics, ebpf: { syscalls: { total: 1, by_category: { file_io: null } } } } })).toEqual({
      status: 'invalid',
      reason: 'tree record: aggregated.ebpf.syscalls.by_category.file_io is null, not a number',
    });
  });

  it('rejects what is no record, and skips kinds it does not know', () => {
    expect(parseRecord([1, 2])).toEqual({ status: 'invalid', reason: 'an array instead of a JSON object' });
    expect(parseRecord(42)).toEqual({ status: 'invalid', reason: '42 instead of a JSON object' });
    expect(parseRecord({ kind: 3 })).toEqual({ status: 'invalid', reason: '"kind" is 3, not a string' });
    expect(parseRecord({ hello: 'world' })).toEqual({ status: 'invalid', reason: 'a JSON object with no "kind" that is no denet record' });
    expect(parseRecord({ kind: 'gpu_sample', ts_ms: 1 })).toEqual({ status: 'skipped', reason: 'record kind "gpu_sample" is not one the report reads' });
  });
});
