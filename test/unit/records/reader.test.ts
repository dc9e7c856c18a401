/** The one reader (src/records/reader.ts) in both modes, on every kind of line. */
import { describe, expect, it } from 'vitest';
import { readRecord, sampleOf, type ReadRecord, type ReadResult } from '../../../src/records/reader.js';

function record(result: ReadResult): ReadRecord {
  if (result.status !== 'record') throw new Error(`expected a record, got ${result.status}: ${result.reason}`);
  return result.record;
}

const metrics = { ts_ms: 1000, cpu_usage: 12.5, mem_rss_kb: 2048, mem_vms_kb: 4096, disk_read_bytes: 10, disk_write_bytes: 20, sys_net_rx_bytes: 30, sys_net_tx_bytes: 40, thread_count: 3, uptime_secs: 0, cpu_core: null };

describe('readRecord', () => {
  it('reads a tagged tree record: its aggregate is the sample, with the running syscall counts', () => {
    const tree = {
      kind: 'tree',
      ts_ms: 1000,
      parent: metrics,
      children: [{ pid: 7, command: 'sh', metrics }],
      aggregated: { ...metrics, cpu_core: undefined, process_count: 4, ebpf: { syscalls: { total: 9, by_category: { file_io: 7, memory: 2 }, top_syscalls: [{ name: 'read', count: 7 }] } } },
    };
    for (const mode of ['strict', 'lenient'] as const) {
      const r = record(readRecord(JSON.parse(JSON.stringify(tree)), mode));
      expect(r.kind).toBe('tree');
      expect(sampleOf(r)).toEqual({
        tree: true,
        point: {
          ts_ms: 1000, cpu_usage: 12.5, mem_rss_kb: 2048, mem_vms_kb: 4096, disk_read_bytes: 10, disk_write_bytes: 20, sys_net_rx_bytes: 30, sys_net_tx_bytes: 40, thread_count: 3, uptime_secs: 0,
          process_count: 4,
          ebpf: { syscalls: { total: 9, by_category: { file_io: 7, memory: 2 }, top_syscalls: [{ name: 'read', count: 7 }] } },
        },
      });
      expect(r.kind === 'tree' && r.children).toEqual([{ pid: 7, command: 'sh', metrics: { ...metrics, cpu_core: undefined } }]);
    }
  });

  it('reads a record tsdenet writes back to the same object (no fields lost, none made up)', () => {
    const sample = { kind: 'sample', ...metrics, cpu_core: 2, syscall_read_bytes: 5, page_faults_cached: 6 };
    expect(record(readRecord(sample, 'strict'))).toEqual(sample);
    const metadata = { kind: 'metadata', pid: 7, cmd: ['make'], executable: '/usr/bin/make', t0_ms: 5, capabilities: { ebpf: { available: true, attach_mode: 'tp_btf' } } };
    expect(record(readRecord(metadata, 'strict'))).toEqual(metadata);
  });

  it('keeps the eBPF error of a sample', () => {
    const r = record(readRecord({ kind: 'tree', ts_ms: 1, aggregated: { ...metrics, process_count: 1, ebpf: { error: 'eBPF not initialized' } } }, 'strict'));
    expect(sampleOf(r)?.point.ebpf).toEqual({ error: 'eBPF not initialized' });
  });

  it('reads a tree whose root was unreadable (aggregated: null) as no sample, as denet does', () => {
    const r = record(readRecord({ kind: 'tree', ts_ms: 1, parent: null, children: [], aggregated: null }, 'strict'));
    expect(r).toMatchObject({ kind: 'tree', aggregated: null });
    expect(sampleOf(r)).toBeUndefined();
  });

  it("reads denet's legacy untagged lines in denet's order, with the old net_* names", () => {
    const legacy = { ...metrics, sys_net_rx_bytes: undefined, sys_net_tx_bytes: undefined, net_rx_bytes: 5, net_tx_bytes: 6 };
    expect(record(readRecord({ ts_ms: 1, parent: null, children: [], aggregated: { ...legacy, process_count: 2 } }, 'strict'))).toMatchObject({
      kind: 'tree',
      legacy: true,
      aggregated: { sys_net_rx_bytes: 5, sys_net_tx_bytes: 6, process_count: 2 },
    });
    expect(record(readRecord({ ...legacy, process_count: 2 }, 'strict'))).toMatchObject({ kind: 'aggregated', legacy: true, process_count: 2 });
    expect(record(readRecord(legacy, 'strict'))).toMatchObject({ kind: 'sample', legacy: true, sys_net_rx_bytes: 5 });
    expect(record(readRecord({ pid: 7, cmd: ['make'], executable: '/usr/bin/make', t0_ms: 5 }, 'strict'))).toEqual({ kind: 'metadata', legacy: true, pid: 7, cmd: ['make'], executable: '/usr/bin/make', t0_ms: 5 });
  });

  it('reads a summary with its eBPF section, per-process counts, errors, latency and stats fields', () => {
    const r = record(
      readRecord(
        {
          kind: 'summary',
          tsdenet_version: '0.1.0',
          command: ['ls'],
          exit_code: null,
          signal: 'SIGKILL',
          exit_status: 137,
          mode: 'run',
          interrupted: false,
          wall_time_secs: 1.5,
          ebpf: {
            attach_mode: 'tp_btf',
            syscalls: {
              total: 3,
              by_category: { file_io: 3 },
              by_syscall: { read: 3 },
              processes: [{ pid: 1, ppid: null, comm: 'ls', argv: ['ls'], threads: 1, total: 3, by_syscall: { read: 3 } }],
              errors: { total: 1, by_errno: { ENOENT: 1 }, by_syscall: { openat: { total: 1, by_errno: { ENOENT: 1 } } }, lost: 0 },
            },
          },
          peak_mem_rss_kb: 900,
          total_net_rx_bytes: 12,
          syscall_rate_per_sec: 2,
        },
        'strict',
      ),
    );
    expect(r).toMatchObject({ kind: 'summary', command: ['ls'], exit_code: null, signal: 'SIGKILL', exit_status: 137, mode: 'run', wall_time_secs: 1.5, peak_mem_rss_kb: 900, total_sys_net_rx_bytes: 12, syscall_rate_per_sec: 2 });
    if (r.kind !== 'summary') return;
    expect(r.ebpf).toMatchObject({ attach_mode: 'tp_btf', syscalls: { total: 3, by_syscall: { read: 3 }, errors: { total: 1, by_errno: { ENOENT: 1 } } } });
    expect(r.ebpf?.syscalls?.processes).toEqual([{ pid: 1, ppid: null, comm: 'ls', argv: ['ls'], threads: 1, total: 3, by_syscall: { read: 3 } }]);
    expect(r.ebpf?.syscalls).not.toHaveProperty('latency');
  });

  it('strict: names the field when a known field has the wrong type', () => {
    expect(readRecord({ kind: 'tree', ts_ms: 1, aggregated: { ...metrics, cpu_usage: 'high' } }, 'strict')).toEqual({
      status: 'invalid',
      reason: 'tree record: aggregated.cpu_usage is a string, not a number',
    });
    expect(readRecord({ kind: 'summary', ebpf: { syscalls: { total: 1, processes: [{ pid: '1', total: 1 }] } } }, 'strict')).toEqual({
      status: 'invalid',
      reason: 'summary record: ebpf.syscalls.processes[0].pid is a string, not a number',
    });
    expect(readRecord({ kind: 'sample', cpu_usage: 1 }, 'strict')).toEqual({ status: 'invalid', reason: 'sample record: ts_ms is missing' });
    expect(readRecord({ kind: 'tree', ts_ms: 1, aggregated: { ...metrics, ebpf: { syscalls: { total: 1, by_category: { file_io: null } } } } }, 'strict')).toEqual({
      status: 'invalid',
      reason: 'tree record: aggregated.ebpf.syscalls.by_category.file_io is null, not a number',
    });
  });

  it('lenient: takes a field of the wrong type as absent and keeps the rest, as denet reads', () => {
    const r = record(readRecord({ kind: 'tree', ts_ms: 1, aggregated: { ...metrics, cpu_usage: 'high', process_count: 2, ebpf: { syscalls: { by_category: {} } } } }, 'lenient'));
    const point = sampleOf(r)?.point;
    expect(point).not.toHaveProperty('cpu_usage');
    expect(point).toMatchObject({ mem_rss_kb: 2048, process_count: 2 });
    // Counts without a total are no counts.
    expect(point).not.toHaveProperty('ebpf.syscalls');
    // What identifies a record stays required.
    expect(readRecord({ kind: 'sample', cpu_usage: 1 }, 'lenient')).toEqual({ status: 'invalid', reason: 'sample record: ts_ms is missing' });
    expect(readRecord({ kind: 'metadata', pid: 'x', cmd: ['a'] }, 'lenient')).toEqual({ status: 'invalid', reason: 'metadata record: pid is a string' });
  });

  it('rejects what is no record, and skips kinds it does not know', () => {
    expect(readRecord([1, 2], 'strict')).toEqual({ status: 'invalid', reason: 'an array instead of a JSON object' });
    expect(readRecord(42, 'lenient')).toEqual({ status: 'invalid', reason: '42 instead of a JSON object' });
    expect(readRecord({ kind: 3 }, 'strict')).toEqual({ status: 'invalid', reason: '"kind" is 3, not a string' });
    expect(readRecord({ hello: 'world' }, 'lenient')).toEqual({ status: 'invalid', reason: 'a JSON object with no "kind" that is no denet record' });
    expect(readRecord({ kind: 'gpu_sample', ts_ms: 1 }, 'strict')).toEqual({ status: 'skipped', reason: 'record kind "gpu_sample" is not one tsdenet reads' });
  });
});
