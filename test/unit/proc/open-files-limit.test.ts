import { describe, expect, it } from 'vitest';
import { OPEN_FILES_NEEDED, openFilesProblem, parseOpenFilesLimit } from '../../../src/proc/open-files-limit.js';
import { cacheBudget, MAX_CACHED_FDS } from '../../../src/proc/proc-file.js';

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 524288               files
Max locked memory         8388608              8388608              bytes
`;

describe('open-file limit', () => {
  it('parses /proc/PID/limits, unlimited as Infinity', () => {
    expect(parseOpenFilesLimit(LIMITS)).toEqual({ soft: 1024, hard: 524288 });
    expect(parseOpenFilesLimit(LIMITS.replace('1024                 524288', 'unlimited            unlimited'))).toEqual({ soft: Infinity, hard: Infinity });
    expect(parseOpenFilesLimit('Max processes 10 10 processes\n')).toBeUndefined();
  });

  it('names the problem and the fix below what tsdenet needs, nothing at or above it', () => {
    expect(openFilesProblem({ soft: 64, hard: 64 })).toBeUndefined();
    expect(openFilesProblem({ soft: Infinity, hard: Infinity })).toBeUndefined();
    expect(openFilesProblem(undefined)).toBeUndefined();
    const p = openFilesProblem({ soft: 24, hard: 24 });
    expect(p?.message).toBe(`the open-file limit (24) is too low: tsdenet needs ${OPEN_FILES_NEEDED} open files`);
    expect(p?.hint).toMatch(/^allow at least 64: ulimit -n 64, or prlimit --nofile=64 tsdenet/);
  });

  it("keeps /proc files open only with what is left above tsdenet's own need", () => {
    expect(cacheBudget(undefined)).toBe(0);
    expect(cacheBudget(OPEN_FILES_NEEDED)).toBe(0);
    expect(cacheBudget(1024)).toBe(1024 - OPEN_FILES_NEEDED);
    expect(cacheBudget(1 << 20)).toBe(MAX_CACHED_FDS);
  });
});
