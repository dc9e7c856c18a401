/** getrusage(RUSAGE_CHILDREN) through koffi: the decoding of struct rusage, and a real child's CPU. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { childrenUsage, decodeRusage, RUSAGE_SIZE } from '../../../src/ffi/libc.js';
import { buildProcFixture } from '../../integration/helpers/proc-fixtures.js';

describe('decodeRusage', () => {
  it('reads user + system time, ru_maxrss, ru_minflt and ru_majflt from their offsets', () => {
    const buf = Buffer.alloc(RUSAGE_SIZE);
    buf.writeBigInt64LE(2n, 0); // ru_utime.tv_sec
    buf.writeBigInt64LE(250_000n, 8); // ru_utime.tv_usec
    buf.writeBigInt64LE(1n, 16); // ru_stime.tv_sec
    buf.writeBigInt64LE(500n, 24); // ru_stime.tv_usec
    const long = (i: number, v: bigint) => buf.writeBigInt64LE(v, 32 + 8 * i);
    long(0, 5321n); // ru_maxrss
    long(1, 11n); // ru_ixrss .. ru_isrss: not read
    long(4, 777n); // ru_minflt
    long(5, 3n); // ru_majflt
    long(13, 99n); // ru_nivcsw, the last
    const usage = decodeRusage(buf);
    expect(usage.cpuSecs).toBeCloseTo(3.2505, 9);
    expect(usage).toMatchObject({ maxRssKb: 5321, minorFaults: 777, majorFaults: 3 });
  });
});

describe('childrenUsage', () => {
  it("counts a reaped child's CPU time as the child measured it itself", () => {
    const spin = buildProcFixture('spin');
    const before = childrenUsage();
    const r = spawnSync(spin, ['1', '0.2', 'cpu'], { encoding: 'utf8' });
    const after = childrenUsage();
    expect(r.status, r.stderr).toBe(0);
    const own = Number(/cpu=([\d.]+)/.exec(r.stdout)![1]);
    // The child's own reading is taken just before it exits: its last µs and exit are after it.
    expect(after.cpuSecs - before.cpuSecs).toBeGreaterThanOrEqual(own - 0.005);
    expect(after.cpuSecs - before.cpuSecs).toBeLessThan(own + 0.02);
    expect(after.minorFaults).toBeGreaterThan(before.minorFaults);
    expect(after.maxRssKb).toBeGreaterThan(0);
  });
});
