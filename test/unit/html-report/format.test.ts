import { describe, expect, it } from 'vitest';
import { formatBytes, formatClock, formatCount, formatDuration, formatNanos, formatPercent, formatTime, shellJoin } from '../../../src/html-report/format.js';
import { formatShare } from '../../../src/html-report/render-syscalls.js';
import { bucketLabel, histogramBuckets } from '../../../src/html-report/syscall-detail.js';

describe('format', () => {
  it('prints bytes 1024-based with three significant digits', () => {
    expect([0, 1023, 1024, 1536, 10 * 1024 * 1024 + 1, 123.4 * 1024 ** 3].map(formatBytes)).toEqual(['0 B', '1023 B', '1.00 KiB', '1.50 KiB', '10.0 MiB', '123 GiB']);
  });

  it('prints durations from milliseconds to hours', () => {
    expect([0.0374, 12.34, 125, 3723].map(formatDuration)).toEqual(['0.037 s', '12.3 s', '2 min 05 s', '1 h 02 min 03 s']);
  });

  it('prints counts, percentages and UTC times', () => {
    expect(formatCount(1234567.4)).toBe('1,234,567');
    expect(formatPercent(12.345)).toBe('12.3 %');
    expect(formatPercent(0.5, true)).toBe('50.0 %');
    expect(formatClock(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toBe('2026-01-02 03:04:05 UTC');
  });

  it('quotes a command line as a shell reads it back', () => {
    expect(shellJoin(['sh', '-c', "echo 'a b'", '', 'x=1', '/usr/bin/ls'])).toBe(`sh -c 'echo '\\''a b'\\''' '' x=1 /usr/bin/ls`);
  });

  it('prints times in three significant digits with the unit that fits', () => {
    // The unrounded values: 9.52e-7 s and 1180.8775469924813 µs.
    expect([9.52e-7, 1180.8775469924813e-6, 0.0000296, 7.1161, 0.9995, 0.0009996, 125, 0].map(formatTime)).toEqual([
      '952 ns', '1.18 ms', '29.6 µs', '7.12 s', '1.00 s', '1.00 ms', '2 min 05 s', '0 s',
    ]);
    expect([512, 1024, 4096, 33_554_432, 2 ** 30].map(formatNanos)).toEqual(['512 ns', '1.0 µs', '4.1 µs', '34 ms', '1.1 s']);
    expect(formatNanos(0)).toBe('0');
    expect([0.5, 0.0004, 0].map(formatShare)).toEqual(['50.0 %', '< 0.1 %', '0.0 %']);
  });

  it('labels log2 latency buckets with their ranges and merges long runs of empty ones', () => {
    expect(bucketLabel(16_384, 32_768)).toBe('16–33 µs');
    expect(bucketLabel(524_288, 1_048_576)).toBe('524 µs–1.0 ms');
    expect(histogramBuckets([0, 0, 0])).toBeNull();
    // Buckets 2–9: two empty ones stay, a run of four becomes one row of 0.
    const rows = histogramBuckets([0, 0, 5, 0, 0, 7, 0, 0, 0, 0, 1, 0]);
    expect(rows?.map((b) => [b.label, b.count])).toEqual([
      ['4.0–8.0 ns', 5], ['8.0–16 ns', 0], ['16–32 ns', 0], ['32–64 ns', 7], ['64 ns–1.0 µs', 0], ['1.0–2.0 µs', 1],
    ]);
  });
});
