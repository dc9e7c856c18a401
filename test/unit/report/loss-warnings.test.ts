import { describe, expect, it } from 'vitest';
import { lossWarnings } from '../../../src/report/loss-warnings.js';

const none = { dropped: 0, untracked_threads: 0, lost_thread_info: 0 };

describe('lossWarnings', () => {
  it('says nothing when nothing was lost', () => {
    expect(lossWarnings(none)).toEqual([]);
    expect(lossWarnings({ ...none, errors: { lost: 0 } as never })).toEqual([]);
  });

  it('tells each loss apart: what is missing, whether totals hold, what to do', () => {
    const [dropped, untracked, info, errors] = lossWarnings({ dropped: 5, untracked_threads: 2, lost_thread_info: 3, errors: { lost: 4 } as never });
    expect(dropped).toMatch(/^5 calls are missing from the per-process breakdown .*the totals are exact.*raise --max-entries$/);
    // Untracked threads' calls are missing from the totals too: no "exact", no --max-entries.
    expect(untracked).toMatch(/^2 threads .*not followed .*missing from every count$/);
    expect(untracked).not.toMatch(/exact|max-entries/);
    expect(info).toMatch(/^3 exited threads have no name or parent/);
    expect(errors).toMatch(/^4 failed calls are missing from the errors breakdown/);
  });
});
