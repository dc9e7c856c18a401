import { describe, expect, it } from 'vitest';
import { adaptiveIntervalMs } from '../../../src/monitor/interval.js';

describe('adaptiveIntervalMs (denet: base for 1 s, linear to max at 10 s)', () => {
  it.each([
    [0, 100],
    [999, 100],
    [1000, 100],
    [5500, 550],
    [10_000, 1000],
    [60_000, 1000],
  ])('at %i ms: %i ms', (elapsed, expected) => {
    expect(adaptiveIntervalMs(elapsed, 100, 1000)).toBeCloseTo(expected, 6);
  });

  it('stays flat when base and max are equal', () => {
    expect(adaptiveIntervalMs(5000, 250, 250)).toBe(250);
  });
});
