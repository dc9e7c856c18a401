/**
 * The counter's parts against a fake libbpf (no kernel): the classic
 * driver's live tree and attach, the BTF driver's attach when the process
 * is not found, the reader's snapshot, and SyscallCounter put together.
 */
import { openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BtfDriver } from '../../../src/bpf/btf-driver.js';
import { counterFor } from '../../../src/bpf/counter.js';
import { BPF_DIR } from '../../../src/bpf/counter-loader.js';
import { CounterReader } from '../../../src/bpf/counter-reader.js';
import {
  decodeTracked,
  encodeCountKey,
  encodeTrackedTask,
  EXITED_THREADS_NR,
  INIT_PID_NS_INO,
  mapLayouts,
  mapSlotSize,
  STRUCTS,
  uint32,
  type CounterConfig,
} from '../../../src/bpf/layout.js';
import { MAPS, TRACEPOINT_OBJECT, BTF_OBJECT } from '../../../src/bpf/names.js';
import { BpfObject } from '../../../src/bpf/object.js';
import { TracepointDriver } from '../../../src/bpf/tracepoint-driver.js';
import { fakeLibbpf, fakeMaps } from '../../helpers/fake-libbpf.js';

function fakeObject(mode: 'btf' | 'tracepoint', extra: Parameters<typeof fakeLibbpf>[0] = {}) {
  const layouts = Object.fromEntries(
    Object.entries(mapLayouts(mode === 'btf' ? 'tp_btf' : 'tracepoint')).map(([name, l]) => [name, [mapSlotSize(l.key), mapSlotSize(l.value)] as [number, number]]),
  );
  const maps = fakeMaps(layouts);
  const lib = fakeLibbpf({ objectOpenFile: () => 7n, ...maps.lib, ...extra });
  const object = BpfObject.open(lib, BPF_DIR + (mode === 'btf' ? BTF_OBJECT : TRACEPOINT_OBJECT));
  return { lib, object, entries: maps.entries };
}

const config = (nsIno = INIT_PID_NS_INO): CounterConfig => ({ nrExecve: 59, nrExecveat: 322, selfTgid: 1, features: 8, nsDev: 4, nsIno, ia32StatusOffset: 16 });

describe('TracepointDriver', () => {
  it('lists the live tree from the tracked map; a child with no call yet gets its tgid from /proc', () => {
    const { object } = fakeObject('tracepoint');
    const tracked = object.map(MAPS.tracked);
    tracked.update(uint32(500), encodeTrackedTask({ tid: 500, tgid: 500, ppid: 1, features: 0 }));
    tracked.update(uint32(501), encodeTrackedTask({ tid: 501, tgid: 500, ppid: 500, features: 0 }));
    tracked.update(uint32(600), encodeTrackedTask({ tid: 600, tgid: 0, ppid: 500, features: 0 }));
    const asked: number[] = [];
    const driver = new TracepointDriver(tracked, config(), { tgidOfThread: (tid) => (asked.push(tid), tid) });
    expect(driver.liveTgids().sort()).toEqual([500, 600]);
    expect(asked).toEqual([600]);
    // In a pid namespace the key is no pid of ours: /proc is not asked.
    const inNs = new TracepointDriver(tracked, config(0xf0000001), { tgidOfThread: () => 999 });
    expect(inNs.liveTgids()).toEqual([500]);
  });

  it('attach marks every thread of the tree, twice over /proc, and names what is missing', () => {
    const { object } = fakeObject('tracepoint');
    const tracked = object.map(MAPS.tracked);
    let listings = 0;
    const tree = [{ tid: 10, tgid: 10, ppid: 1 }, { tid: 11, tgid: 10, ppid: 1 }];
    const driver = new TracepointDriver(tracked, config(), { listTreeTasks: () => (listings++ === 0 ? tree : [...tree, { tid: 12, tgid: 12, ppid: 10 }]) });
    driver.seedTree(10);
    const r = tracked.readAll();
    expect(decodeTracked(r.count, r.keys, r.values).map((e) => [e.globalTid, e.tgid]).sort()).toEqual([[10, 10], [11, 10], [12, 12]]);
    expect(() => new TracepointDriver(tracked, config(), { listTreeTasks: () => [] }).seedTree(99)).toThrowError(/no process 99/);
    expect(() => new TracepointDriver(tracked, config(0xf0000001)).seedTree(10)).toThrowError(/needs the BTF counter/);
  });
});

describe('BtfDriver', () => {
  it('attach: a process find_seed does not find is NO_SUCH_PROCESS, and the seed map is cleared', () => {
    const iterators: number[] = [];
    const { lib, object, entries } = fakeObject('btf', {
      findProgram: () => 9n,
      programAttachIter: () => 11n,
      linkFd: () => 12,
      // An iterator that writes nothing: /dev/null reads as empty.
      iterCreate: (fd) => (iterators.push(fd), openSync('/dev/null', 'r')),
    });
    const driver = new BtfDriver(lib, object, { iterLinkFd: 3, seedable: true, constants: () => ({ pageSize: 4096, clockTicks: 100 }) });
    expect(() => driver.seedTree(4242)).toThrowError(/no process 4242/);
    expect(iterators).toEqual([12]); // find_seed only: nothing to mark
    expect([...entries(MAPS.seed).values()].map((v) => v.readUInt32LE(0))).toEqual([0]);
    expect(driver.readLive()).toEqual({ tasks: [], counts: [], usage: [] });
  });
});

describe('CounterReader and SyscallCounter', () => {
  it('snapshot: slot totals, the counts map (x32 slots too) and the live threads, with the loss counters', () => {
    const { lib, object } = fakeObject('tracepoint');
    const totals = Buffer.alloc(STRUCTS.slot_totals.size);
    totals.writeBigUInt64LE(7n, 39 * 8); // getpid
    object.map(MAPS.slotTotals).update(uint32(0), totals);
    const key = Buffer.alloc(16);
    key.writeUInt32LE(5, 0);
    key.writeUInt32LE(5, 4);
    key.writeUInt32LE(0x40000000 + 39, 8);
    const one = Buffer.alloc(8);
    one.writeBigUInt64LE(2n);
    object.map(MAPS.counts).update(key, one);
    const stats = Buffer.alloc(STRUCTS.stats.size);
    stats.writeBigUInt64LE(3n, STRUCTS.stats.members.lost_tasks[0]);
    object.map(MAPS.stats).update(uint32(0), stats);
    const reader = new CounterReader(lib, object, { errors: false, latency: false }, { counts: 1 << 20, tasks: 1 << 18 });
    const snap = reader.snapshot(() => ({ tasks: [], counts: [{ tgid: 6, tid: 6, nr: 39, count: 1 }], usage: [] }));
    expect([...snap.totals]).toEqual([[39, 8], [0x40000000 + 39, 2]]);
    expect(snap.counts).toHaveLength(2);
    expect(snap.stats.lostTasks).toBe(3);
  });

  it('arms the one spawn, and samples the classic tree', () => {
    const { lib, object, entries } = fakeObject('tracepoint');
    const counter = counterFor(lib, { mode: 'tracepoint', object, config: config(), iterLinkFd: undefined, seedable: false, countsCapacity: 1 << 20, tasksCapacity: 1 << 14 });
    counter.armSpawn(321, 1);
    const spawn = [...entries(MAPS.spawn).values()][0]!;
    expect([0, 4, 8].map((o) => spawn.readUInt32LE(o))).toEqual([321, 1, 1]);
    counter.disarm();
    expect([...entries(MAPS.spawn).values()][0]!.readUInt32LE(STRUCTS.spawn.members.armed[0])).toBe(0);
    object.map(MAPS.tracked).update(uint32(77), encodeTrackedTask({ tid: 77, tgid: 77, ppid: 1, features: 0 }));
    expect(counter.sample()).toEqual({ bySlot: new Map(), liveTgids: [77] });
  });
});

describe('CounterReader: draining the counts map', () => {
  function filled(extra: Parameters<typeof fakeLibbpf>[0] = {}) {
    const { lib, object, entries } = fakeObject('tracepoint', extra);
    const put = (tgid: number, tid: number, nr: number, n: bigint) => {
      const v = Buffer.alloc(8);
      v.writeBigUInt64LE(n);
      object.map(MAPS.counts).update(encodeCountKey({ tgid, tid, nr }), v);
    };
    put(7, 0, 39, 5n); // an ended process
    put(7, 0, EXITED_THREADS_NR, 2n); // two of its threads other than the leader ended
    put(8, 0, 39, 1n); // a live one
    const task = Buffer.alloc(STRUCTS.task_info.size);
    task.writeUInt32LE(7, STRUCTS.task_info.members.tgid[0]);
    object.map(MAPS.tasks).update(uint32(7), task);
    const stats = Buffer.alloc(STRUCTS.stats.size);
    stats.writeBigUInt64LE(3n, STRUCTS.stats.members.count_entries[0]);
    object.map(MAPS.stats).update(uint32(0), stats);
    // Capacity 4: a quarter is 1 entry, so 3 entries call for a drain.
    return { reader: new CounterReader(lib, object, { errors: false, latency: false }, { counts: 4, tasks: 1 << 18 }), entries };
  }
  const noLive = () => ({ tasks: [], counts: [], usage: [] });

  it("takes the ended process's entries out of the maps and still reports them", () => {
    const { reader, entries } = filled();
    const read = reader.readForDrain()!;
    expect(read.counts).toHaveLength(3);
    reader.drain(read, { tids: new Set([8]), tgids: new Set([8]) });
    expect(entries(MAPS.counts).size).toBe(1); // the live process's entry stays
    expect(entries(MAPS.tasks).size).toBe(0);
    const snap = reader.snapshot(noLive);
    expect(snap.counts.map((c) => [c.tgid, c.tid, c.nr, c.count]).sort()).toEqual([[7, 0, 39, 5], [8, 0, 39, 1]]);
    expect(snap.exitedThreads).toEqual(new Map([[7, 2]]));
    expect(snap.tasks.map((t) => t.tid)).toEqual([7]);
  });

  it('takes nothing when the live owners are unknown', () => {
    const { reader, entries } = filled();
    reader.drain(reader.readForDrain()!, undefined);
    expect(entries(MAPS.counts).size).toBe(3);
  });

  it('stops draining, losing nothing, on a kernel without lookup_and_delete for hash maps', () => {
    const { reader, entries } = filled({ mapLookupAndDeleteElem: () => -22 });
    reader.drain(reader.readForDrain()!, { tids: new Set(), tgids: new Set() });
    expect(entries(MAPS.counts).size).toBe(3);
    expect(reader.readForDrain()).toBeUndefined();
    expect(reader.snapshot(noLive).counts).toHaveLength(2);
  });
});
