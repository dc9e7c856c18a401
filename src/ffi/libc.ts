/**
 * libc calls Node does not offer, bound with koffi, which is required only
 * when first used (importing it costs ~20 ms: `run` without eBPF needs it
 * only once the command has ended, often not at all). The decoding is pure
 * and tested.
 *
 * getrusage(RUSAGE_CHILDREN): what the kernel accounts for the children a
 * process has reaped, recursively (each child's own reaped children
 * included): CPU time in µs (/proc/self/stat's cutime has 10 ms ticks, and
 * a 1 ms command shows 0 there), faults, and ru_maxrss, the largest peak RSS
 * of any of them, which no /proc file gives.
 */
import { loadLibc } from './koffi.js';

const RUSAGE_CHILDREN = -1;
/** struct rusage on 64-bit Linux: two struct timeval (16 bytes each), then 14 longs. */
export const RUSAGE_SIZE = 144;

export interface ChildrenUsage {
  cpuSecs: number;
  minorFaults: number;
  majorFaults: number;
  /** ru_maxrss, in kB on Linux: the largest peak RSS of one reaped process. */
  maxRssKb: number;
}

/** Pure: struct rusage (little-endian, 64-bit) → the fields tsdenet uses. */
export function decodeRusage(buf: Buffer): ChildrenUsage {
  const long = (i: number): number => Number(buf.readBigInt64LE(32 + 8 * i));
  const timeval = (at: number): number => Number(buf.readBigInt64LE(at)) + Number(buf.readBigInt64LE(at + 8)) / 1e6;
  return { cpuSecs: timeval(0) + timeval(16), maxRssKb: long(0), minorFaults: long(4), majorFaults: long(5) };
}

let getrusage: ((who: number, usage: Buffer) => number) | undefined;

/** The kernel's accounting of this process's reaped children; throws when libc cannot be bound. */
export function childrenUsage(): ChildrenUsage {
  if (!getrusage) {
    getrusage = loadLibc().func('int getrusage(int who, _Out_ uint8_t *usage)') as (who: number, usage: Buffer) => number;
  }
  const buf = Buffer.alloc(RUSAGE_SIZE);
  if (getrusage(RUSAGE_CHILDREN, buf) !== 0) throw new Error('getrusage(RUSAGE_CHILDREN) failed');
  return decodeRusage(buf);
}
