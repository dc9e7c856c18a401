/**
 * perf_event_open(2) through libc's syscall(), bound with koffi (required
 * only when first used). Counters are read with read(2) on the returned
 * file descriptor (Node's fs.readSync takes a raw fd). The attribute
 * encoding is pure and tested.
 */
import { closeSync, readSync } from 'node:fs';
import { loadKoffi, loadLibc } from './koffi.js';
import { errnoName } from '../syscalls/errno-names.js';
import { currentArch, syscallNumber } from '../syscalls/names.js';

const PERF_FLAG_FD_CLOEXEC = 8;
/** PERF_ATTR_SIZE_VER7: every field used here is in the first 48 bytes. */
export const PERF_ATTR_SIZE = 128;
const READ_FORMAT_TIMES = 1n | 2n; // PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING
const FLAG_INHERIT = 1n << 1n;
const FLAG_EXCLUDE_KERNEL = 1n << 5n;
const FLAG_EXCLUDE_HV = 1n << 6n;

export const PERF_TYPE_HARDWARE = 0;
export const PERF_TYPE_SOFTWARE = 1;

export interface PerfEventSpec {
  type: number;
  config: number;
  /** Count the task's children created after opening too (and their threads). */
  inherit: boolean;
  /** User space only (denet's hardware counters). Software events such as context switches happen in the kernel: false. */
  userOnly: boolean;
}

/** Pure: struct perf_event_attr for `spec`, read format value + time enabled + time running. */
export function encodePerfAttr(spec: PerfEventSpec): Buffer {
  const buf = Buffer.alloc(PERF_ATTR_SIZE);
  buf.writeUInt32LE(spec.type, 0);
  buf.writeUInt32LE(PERF_ATTR_SIZE, 4);
  buf.writeBigUInt64LE(BigInt(spec.config), 8);
  buf.writeBigUInt64LE(READ_FORMAT_TIMES, 32);
  let flags = 0n;
  if (spec.inherit) flags |= FLAG_INHERIT;
  if (spec.userOnly) flags |= FLAG_EXCLUDE_KERNEL | FLAG_EXCLUDE_HV;
  buf.writeBigUInt64LE(flags, 40);
  return buf;
}

/** Pure: the count, scaled by enabled/running time when the kernel multiplexed the counter. */
export function decodePerfRead(buf: Buffer): number {
  const value = Number(buf.readBigUInt64LE(0));
  const enabled = Number(buf.readBigUInt64LE(8));
  const running = Number(buf.readBigUInt64LE(16));
  if (running === 0) return 0;
  return running < enabled ? Math.round(value * (enabled / running)) : value;
}

export class PerfOpenError extends Error {
  constructor(
    readonly errno: number,
    readonly errnoName: string,
  ) {
    super(`perf_event_open failed: ${errnoName}`);
  }
}

let bound: { call: (...args: unknown[]) => number | bigint; errno: () => number } | undefined;

/** Opens one counter on `pid` (any CPU); returns its file descriptor. Throws PerfOpenError. */
export function perfEventOpen(spec: PerfEventSpec, pid: number): number {
  const here = currentArch();
  const nr = here && syscallNumber('perf_event_open', here);
  if (nr === undefined) throw new PerfOpenError(38, 'ENOSYS');
  if (!bound) {
    const koffi = loadKoffi();
    const call = loadLibc().func('long syscall(long number, ...)') as (...args: unknown[]) => number | bigint;
    bound = { call, errno: () => koffi.errno() };
  }
  const fd = Number(bound.call(nr, 'void *', encodePerfAttr(spec), 'int', pid, 'int', -1, 'int', -1, 'unsigned long', PERF_FLAG_FD_CLOEXEC));
  if (fd < 0) {
    const errno = bound.errno();
    throw new PerfOpenError(errno, errnoName(errno));
  }
  return fd;
}

/** The counter's value now (scaled if it was multiplexed). */
export function readPerfCounter(fd: number): number {
  const buf = Buffer.alloc(24);
  readSync(fd, buf, 0, 24, null);
  return decodePerfRead(buf);
}

export function closePerfCounter(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}
