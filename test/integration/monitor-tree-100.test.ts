/**
 * A 100-process tree, sampled as the monitor does (issue 4). What a sample
 * costs is measured by the benchmark (`npm run bench`, the sampler's own
 * CPU with a 100-process tree), never timed here: this checks that every
 * member is found and each record carries them all.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TreeSampler } from '../../src/monitor/sampler.js';

describe('a tree of 101 processes', () => {
  it('is sampled whole: every member in the aggregate and in the record', async () => {
    const tree = spawn('sh', ['-c', 'for i in $(seq 100); do sleep 20 & done; wait'], { stdio: 'ignore', detached: true });
    try {
      const sampler = new TreeSampler({ rootPid: tree.pid!, mode: 'run', excludeChildren: false, sinceProcessStart: false });
      let sample = sampler.sample();
      for (let i = 0; i < 100 && sample.aggregated.process_count < 101; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        sample = sampler.sample();
      }
      expect(sample.aggregated.process_count).toBe(101);
      const record = JSON.parse(JSON.stringify(sample.record)) as { kind: string; parent: object | null; children: { pid: number }[] };
      expect(record.kind).toBe('tree');
      expect(record.parent).not.toBeNull();
      expect(new Set(record.children.map((c) => c.pid)).size).toBe(100);
      sampler.close();
    } finally {
      process.kill(-tree.pid!, 'SIGKILL');
    }
  });
});
