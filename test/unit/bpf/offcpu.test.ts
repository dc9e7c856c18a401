/** --offcpu's user space: struct offcpu_thread both ways, the interval in progress, and readings that never go down. */
import { describe, expect, it } from 'vitest';
import { decodeOffCpuThreads, encodeOffCpuStart, OFFCPU_THREAD_SIZE, type OffCpuThread } from '../../../src/bpf/layout.js';
import { figuresAt, OffCpuReader } from '../../../src/bpf/offcpu.js';

function raw(t: Partial<OffCpuThread> & { tid: number }): OffCpuThread {
  return { tgid: t.tid, sleepingNs: 0, runnableNs: 0, events: 0, maxNs: 0, sinceNs: 0n, sinceRunnable: false, ...t };
}

describe('struct offcpu_thread', () => {
  it('decodes what the kernel writes and encodes attach\'s start of an interval', () => {
    const buf = Buffer.alloc(2 * OFFCPU_THREAD_SIZE);
    buf.writeBigUInt64LE(0n, 0);
    buf.writeUInt32LE(7, 12);
    buf.writeUInt32LE(5, 16);
    buf.writeBigUInt64LE(300n, 24);
    buf.writeBigUInt64LE(20n, 32);
    buf.writeBigUInt64LE(4n, 40);
    buf.writeBigUInt64LE(250n, 48);
    encodeOffCpuStart({ tid: 8, tgid: 5, sinceNs: 123n, runnable: true }).copy(buf, OFFCPU_THREAD_SIZE);
    expect(decodeOffCpuThreads(buf)).toEqual([
      { tid: 7, tgid: 5, sleepingNs: 300, runnableNs: 20, events: 4, maxNs: 250, sinceNs: 0n, sinceRunnable: false },
      { tid: 8, tgid: 5, sleepingNs: 0, runnableNs: 0, events: 0, maxNs: 0, sinceNs: 123n, sinceRunnable: true },
    ]);
  });
});

describe('figuresAt', () => {
  it('adds the interval in progress to its reason, and counts it in the longest', () => {
    expect(figuresAt(raw({ tid: 1, sleepingNs: 10, maxNs: 10, events: 1, sinceNs: 1000n }), 1500n)).toEqual({ tid: 1, pid: 1, sleeping_ns: 510, runnable_ns: 0, events: 1, max_ns: 500 });
    expect(figuresAt(raw({ tid: 1, runnableNs: 10, sinceNs: 1000n, sinceRunnable: true }), 1005n)).toMatchObject({ sleeping_ns: 0, runnable_ns: 15, max_ns: 5 });
    expect(figuresAt(raw({ tid: 1, sleepingNs: 10 }), 1500n)).toMatchObject({ sleeping_ns: 10, runnable_ns: 0 });
  });
});

describe('OffCpuReader', () => {
  it('never goes down: a thread missed by one reading keeps what the previous one gave it', () => {
    const readings: OffCpuThread[][] = [
      [raw({ tid: 2, sleepingNs: 100, events: 1, maxNs: 100 }), raw({ tid: 3, runnableNs: 5, events: 1, maxNs: 5 })],
      // tid 3 ended between the two reads of this reading: in neither.
      [raw({ tid: 2, sleepingNs: 100, events: 1, maxNs: 100, sinceNs: 900n })],
      [raw({ tid: 2, sleepingNs: 250, events: 2, maxNs: 150 }), raw({ tid: 3, runnableNs: 7, events: 2, maxNs: 5 })],
    ];
    let i = 0;
    const reader = new OffCpuReader({ read: () => readings[i++]!, seed: () => undefined }, () => 1000n);
    expect(reader.read()).toEqual([
      { tid: 2, pid: 2, sleeping_ns: 100, runnable_ns: 0, events: 1, max_ns: 100 },
      { tid: 3, pid: 3, sleeping_ns: 0, runnable_ns: 5, events: 1, max_ns: 5 },
    ]);
    expect(reader.read()).toEqual([
      { tid: 2, pid: 2, sleeping_ns: 200, runnable_ns: 0, events: 1, max_ns: 100 },
      { tid: 3, pid: 3, sleeping_ns: 0, runnable_ns: 5, events: 1, max_ns: 5 },
    ]);
    expect(reader.read()).toEqual([
      { tid: 2, pid: 2, sleeping_ns: 250, runnable_ns: 0, events: 2, max_ns: 150 },
      { tid: 3, pid: 3, sleeping_ns: 0, runnable_ns: 7, events: 2, max_ns: 5 },
    ]);
  });
});
