import { describe, expect, it } from 'vitest';
import {
  decodeCounts,
  decodeDump,
  decodeSeedGlobalTgid,
  decodeStats,
  decodeTasks,
  decodeTracked,
  encodeConfig,
  encodeSeed,
  encodeSpawn,
  encodeTrackedTask,
  DUMP_RECORD_SIZE,
  STRUCTS,
} from '../../../src/bpf/layout.js';
import { parseFieldOffset } from '../../../src/bpf/tracefs.js';

describe('BPF struct layouts (bpf/syscount.h)', () => {
  it('decodes count keys {tgid, tid, nr} with u64 values, pids up to pid_max 4194304', () => {
    const keys = Buffer.alloc(32);
    const values = Buffer.alloc(16);
    keys.writeUInt32LE(4194304, 0);
    keys.writeUInt32LE(4194303, 4);
    keys.writeUInt32LE(59, 8);
    values.writeBigUInt64LE(2n ** 40n, 0);
    keys.writeUInt32LE(70000, 16);
    keys.writeUInt32LE(70001, 20);
    keys.writeUInt32LE(0x40000000, 24);
    values.writeBigUInt64LE(1n, 8);
    expect(decodeCounts(2, keys, values)).toEqual([
      { tgid: 4194304, tid: 4194303, nr: 59, count: 2 ** 40 },
      { tgid: 70000, tid: 70001, nr: 0x40000000, count: 1 },
    ]);
  });

  it('decodes task records and the iterator dump', () => {
    const keys = Buffer.alloc(4);
    keys.writeUInt32LE(12, 0);
    const values = Buffer.alloc(24);
    values.writeUInt32LE(10, 0);
    values.writeUInt32LE(1, 4);
    values.write('worker', 8);
    expect(decodeTasks(1, keys, values)).toEqual([{ tid: 12, tgid: 10, ppid: 1, comm: 'worker' }]);

    const dump = Buffer.alloc(DUMP_RECORD_SIZE * 2 + 7); // a torn tail is ignored
    dump.writeUInt32LE(1, 0);
    dump.writeUInt32LE(10, 4);
    dump.writeUInt32LE(11, 8);
    dump.writeUInt32LE(1, 12);
    dump.write('sixteen-chars-xx', 24);
    dump.writeUInt32LE(2, 40);
    dump.writeUInt32LE(10, 44);
    dump.writeUInt32LE(11, 48);
    dump.writeUInt32LE(0, 52);
    dump.writeBigUInt64LE(5n, 56);
    expect(decodeDump(dump)).toEqual({
      tasks: [{ tid: 11, tgid: 10, ppid: 1, comm: 'sixteen-chars-xx', live: true }],
      counts: [{ tgid: 10, tid: 11, nr: 0, count: 5 }],
      usage: [],
    });
  });

  // Where each field lies comes from STRUCTS, which btf-layout.test.ts checks against the objects' BTF.
  const at = <S extends keyof typeof STRUCTS>(s: S, m: keyof (typeof STRUCTS)[S]['members']) =>
    (STRUCTS[s].members as Record<PropertyKey, readonly [number, number]>)[m]![0];

  it('encodes the config, spawn, seed and tracked entries and decodes the stats', () => {
    const config = encodeConfig({ nrExecve: 59, nrExecveat: 322, selfTgid: 99, features: 5, nsDev: 4, nsIno: 0xeffffffc, ia32StatusOffset: 16 });
    expect(config.length).toBe(STRUCTS.config.size);
    expect([config.readInt32LE(at('config', 'nr_execve')), config.readInt32LE(at('config', 'nr_execveat')), config.readUInt32LE(at('config', 'self_tgid'))]).toEqual([59, 322, 99]);
    expect([config.readUInt32LE(at('config', 'features')), config.readBigUInt64LE(at('config', 'ns_dev')), config.readUInt32LE(at('config', 'ns_ino'))]).toEqual([5, 4n, 0xeffffffc]);
    expect(config.readUInt32LE(at('config', 'ia32_status_off'))).toBe(16);
    const spawn = encodeSpawn({ spawnerTid: 1234, armed: true, skipExecs: 1 });
    expect([at('spawn', 'spawner_tid'), at('spawn', 'armed'), at('spawn', 'skip_execs')].map((o) => spawn.readUInt32LE(o))).toEqual([1234, 1, 1]);
    const seed = encodeSeed(77);
    expect(seed.readUInt32LE(at('seed', 'tgid'))).toBe(77);
    expect(decodeSeedGlobalTgid(seed)).toBe(0);
    const tracked = encodeTrackedTask({ tid: 5, tgid: 4, ppid: 3, features: 8 });
    expect(decodeTracked(1, Buffer.from([7, 0, 0, 0]), tracked)).toEqual([{ globalTid: 7, tid: 5, tgid: 4 }]);
    expect(tracked.readUInt32LE(at('tracked_task', 'ppid'))).toBe(3);
    const stats = Buffer.alloc(STRUCTS.stats.size);
    stats.writeBigUInt64LE(3n, at('stats', 'dropped_calls'));
    stats.writeBigUInt64LE(2n, at('stats', 'lost_tasks'));
    stats.writeBigUInt64LE(1n, at('stats', 'lost_task_info'));
    stats.writeBigUInt64LE(4n, at('stats', 'lost_errors'));
    stats.writeBigUInt64LE(9n, at('stats', 'count_entries'));
    expect(decodeStats(stats)).toEqual({ droppedCalls: 3, lostTasks: 2, lostTaskInfo: 1, lostErrors: 4, countEntries: 9 });
  });
});

describe('tracepoint format files', () => {
  const modern = [
    '\tfield:__data_loc char[] parent_comm;\toffset:8;\tsize:4;\tsigned:0;',
    '\tfield:pid_t parent_pid;\toffset:12;\tsize:4;\tsigned:1;',
    '\tfield:__data_loc char[] child_comm;\toffset:16;\tsize:4;\tsigned:0;',
    '\tfield:pid_t child_pid;\toffset:20;\tsize:4;\tsigned:1;',
  ].join('\n');
  const old = [
    '\tfield:char parent_comm[16];\toffset:8;\tsize:16;\tsigned:0;',
    '\tfield:pid_t parent_pid;\toffset:24;\tsize:4;\tsigned:1;',
    '\tfield:char child_comm[16];\toffset:28;\tsize:16;\tsigned:0;',
    '\tfield:pid_t child_pid;\toffset:44;\tsize:4;\tsigned:1;',
  ].join('\n');

  it('finds child_pid in both sched_process_fork layouts', () => {
    expect(parseFieldOffset(modern, 'child_pid')).toBe(20);
    expect(parseFieldOffset(old, 'child_pid')).toBe(44);
    expect(parseFieldOffset(old, 'parent_pid')).toBe(24);
    expect(parseFieldOffset(old, 'pid')).toBeUndefined();
  });
});

describe('findTracefs', () => {
  it('tells a missing tracefs from one we may not read', async () => {
    const { mkdtempSync, mkdirSync, chmodSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { findTracefs } = await import('../../../src/bpf/tracefs.js');
    const root = mkdtempSync(join(tmpdir(), 'tsdenet-tracefs-'));
    mkdirSync(join(root, 'ok', 'events'), { recursive: true });
    expect(findTracefs([join(root, 'missing'), join(root, 'ok')])).toEqual({ dir: join(root, 'ok') });
    expect(findTracefs([join(root, 'missing')])).toBeUndefined();
    if (process.getuid?.() !== 0) {
      mkdirSync(join(root, 'closed', 'events'), { recursive: true });
      chmodSync(join(root, 'closed'), 0);
      expect(findTracefs([join(root, 'closed')])).toEqual({ denied: join(root, 'closed') });
    }
  });
});
