import { describe, expect, it } from 'vitest';
import {
  DUMP_RECORD_SIZE,
  DUMP_USAGE_SIZE,
  PROC_KEY_SIZE,
  PROC_USAGE_SIZE,
  TREE_COUNT_SIZE,
  USAGE_TOTAL_SIZE,
  decodeDump,
  decodeProcUsages,
  decodeTreeCount,
  decodeUsage,
  decodeUsageTotal,
  encodeProcKey,
  encodeTreeCount,
  type Usage,
} from '../../../src/bpf/layout.js';

/** struct usage with fields base + 0 .. base + 7. */
function writeUsage(buf: Buffer, off: number, base: number): void {
  for (let i = 0; i < 8; i++) buf.writeBigUInt64LE(BigInt(base + i), off + 8 * i);
}

/** A dump record's header: kind, tgid, tid, then ppid (usage, task) or syscall nr (count). */
function writeHeader(buf: Buffer, off: number, kind: number, tgid: number, tid: number, fourth: number): void {
  [kind, tgid, tid, fourth].forEach((v, i) => buf.writeUInt32LE(v, off + 4 * i));
}

function usageOf(base: number): Usage {
  return {
    cpuNs: base,
    rcharBytes: base + 1,
    wcharBytes: base + 2,
    readBytes: base + 3,
    writeBytes: base + 4,
    cancelledWriteBytes: base + 5,
    minorFaults: base + 6,
    majorFaults: base + 7,
  };
}

// Past 2^53 ns of boottime (104 days of uptime): start times stay exact as bigint.
const LATE_START = 2n ** 60n + 12345n;

describe('usage layouts (bpf/syscount.h)', () => {
  it('decodes struct usage in field order', () => {
    const buf = Buffer.alloc(64 + 8);
    writeUsage(buf, 8, 100);
    expect(decodeUsage(buf, 8)).toEqual(usageOf(100));
  });

  it('walks a dump of 40-byte counter records and 104-byte usage records', () => {
    const dump = Buffer.alloc(DUMP_USAGE_SIZE + 2 * DUMP_RECORD_SIZE + DUMP_USAGE_SIZE + 50); // torn tail
    let off = 0;
    // usage record of thread 11 of process 10
    writeHeader(dump, off, 3, 10, 11, 1);
    dump.writeBigUInt64LE(LATE_START, off + 16);
    writeUsage(dump, off + 24, 1000);
    dump.write('leader', off + 88);
    off += DUMP_USAGE_SIZE;
    writeHeader(dump, off, 1, 10, 11, 1);
    dump.write('worker', off + 24);
    off += DUMP_RECORD_SIZE;
    writeHeader(dump, off, 2, 10, 11, 39);
    dump.writeBigUInt64LE(7n, off + 16);
    off += DUMP_RECORD_SIZE;
    // an exiting thread: usage only
    writeHeader(dump, off, 3, 10, 12, 10);
    dump.writeBigUInt64LE(LATE_START, off + 16);
    writeUsage(dump, off + 24, 2000);
    dump.write('sixteen-chars-xx', off + 88);
    off += DUMP_USAGE_SIZE;
    dump.writeUInt32LE(3, off); // a usage record cut short
    expect(decodeDump(dump)).toEqual({
      tasks: [{ tid: 11, tgid: 10, ppid: 1, comm: 'worker', live: true }],
      counts: [{ tgid: 10, tid: 11, nr: 39, count: 7 }],
      usage: [
        { tgid: 10, tid: 11, ppid: 1, startNs: LATE_START, usage: usageOf(1000), comm: 'leader' },
        { tgid: 10, tid: 12, ppid: 10, startNs: LATE_START, usage: usageOf(2000), comm: 'sixteen-chars-xx' },
      ],
    });
  });

  it('stops at an unknown record kind rather than misreading what follows', () => {
    const dump = Buffer.alloc(2 * DUMP_RECORD_SIZE);
    dump.writeUInt32LE(9, 0);
    dump.writeUInt32LE(1, DUMP_RECORD_SIZE);
    expect(decodeDump(dump)).toEqual({ tasks: [], counts: [], usage: [] });
  });

  it('decodes proc_usage entries: key (tgid, start), running and ended', () => {
    const keys = Buffer.concat([encodeProcKey(4194304, LATE_START), encodeProcKey(77, 5n)]);
    expect(keys.length).toBe(2 * PROC_KEY_SIZE);
    const values = Buffer.alloc(2 * PROC_USAGE_SIZE);
    writeUsage(values, 0, 10);
    values.writeBigUInt64LE(3n, 64);
    values.writeBigUInt64LE(0n, 72);
    values.writeBigUInt64LE(16500n, 80);
    values.writeUInt32LE(1, 88);
    values.writeUInt32LE(4194000, 92);
    values.write('touch', 96);
    const v = PROC_USAGE_SIZE;
    writeUsage(values, v, 20);
    values.writeBigUInt64LE(2n, v + 64);
    values.writeBigUInt64LE(1n, v + 72);
    values.writeUInt32LE(0, v + 88);
    values.writeUInt32LE(1, v + 92);
    values.write('sixteen-chars-xx', v + 96);
    expect(decodeProcUsages(2, keys, values)).toEqual([
      { tgid: 4194304, startNs: LATE_START, usage: usageOf(10), threads: 3, liveThreads: 0, peakRssPages: 16500, rssSource: 'vmhwm', ppid: 4194000, comm: 'touch' },
      { tgid: 77, startNs: 5n, usage: usageOf(20), threads: 2, liveThreads: 1, peakRssPages: 0, ppid: 1, comm: 'sixteen-chars-xx' },
    ]);
    values.writeUInt32LE(2, 88);
    expect(decodeProcUsages(1, keys, values)[0]!.rssSource).toBe('maxrss');
  });

  it('sums the per-CPU usage_total slots', () => {
    const buf = Buffer.alloc(2 * USAGE_TOTAL_SIZE);
    writeUsage(buf, 0, 1);
    buf.writeBigUInt64LE(4n, 64);
    buf.writeBigUInt64LE(1n, 72);
    writeUsage(buf, USAGE_TOTAL_SIZE, 10);
    buf.writeBigUInt64LE(6n, USAGE_TOTAL_SIZE + 64);
    expect(decodeUsageTotal(buf)).toEqual({
      usage: { cpuNs: 11, rcharBytes: 13, wcharBytes: 15, readBytes: 17, writeBytes: 19, cancelledWriteBytes: 21, minorFaults: 23, majorFaults: 25 },
      threads: 10,
      lostProcesses: 1,
    });
    // A missing value (lookup failed) is all zero.
    expect(decodeUsageTotal(Buffer.alloc(0)).threads).toBe(0);
  });

  it('round-trips tree_live counts', () => {
    const buf = encodeTreeCount({ processes: 6, threads: 22 });
    expect(buf.length).toBe(TREE_COUNT_SIZE);
    expect(decodeTreeCount(buf)).toEqual({ processes: 6, threads: 22 });
  });
});
