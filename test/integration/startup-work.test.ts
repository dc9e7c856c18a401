/**
 * What a short run does besides running its command, counted in system
 * calls (never timed: see docs/startup.md for the timings): the monitor
 * lists /proc only when the tree has a member to find children of.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, lastRecord, runProgram } from '../helpers/cli.js';
import { requireOrSkip, toolMissing } from '../helpers/privileges.js';

describe('a run whose command ends before its first sample', () => {
  it("reads no other process's /proc/PID/stat (no listing with no member), and the tree of a longer one is still found", async (ctx) => {
    requireOrSkip(ctx, toolMissing('strace', ['-V'], 'strace'));
    const dir = mkdtempSync(join(tmpdir(), 'tsdenet-startup-'));
    try {
      const log = join(dir, 'open.log');
      const result = await runProgram('strace', ['-f', '-qq', '-e', 'trace=openat', '-o', log, process.execPath, BIN, '--json', 'run', '--', 'true']);
      expect(result.code).toBe(0);
      const pid = lastRecord(result.stdout).pid as number;
      const statsRead = new Set([...readFileSync(log, 'utf8').matchAll(/openat\(AT_FDCWD, "\/proc\/(\d+)\/stat"/g)].map((m) => Number(m[1])));
      expect([...statsRead]).toEqual([pid]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const tree = await runProgram(process.execPath, [BIN, '--json', 'run', '--', 'sh', '-c', 'sleep 0.3 & sleep 0.2; wait']);
    expect(lastRecord(tree.stdout).max_processes).toBe(3);
  });
});
