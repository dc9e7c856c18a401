import { describe, expect, it } from 'vitest';
import { formatBytes, formatClock, formatCount, formatDuration, formatPercent, shellJoin } from '../../../src/html-report/format.js';

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
});
