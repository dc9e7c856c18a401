/**
 * A command that starts background processes and exits: by default the run
 * ends with the command (its leftovers run on); with --wait-tree it ends
 * when they have exited too. Without eBPF the tree is the one the /proc
 * monitor saw (test/reliability/privileged-wait-tree.test.ts: with eBPF).
 */
import { describe, expect, it } from 'vitest';
import { lastRecord, runCli } from '../helpers/cli.js';
import { startCli } from '../integration/helpers/streaming-cli.js';
import { childPids, isRunning, killOnFinish, waitUntilGone } from './helpers.js';

describe('a command that leaves a background process behind', () => {
  it('ends the run when the command exits (default): the leftover runs on', async () => {
    const result = await runCli(['--json', 'run', '--', 'sh', '-c', 'sleep 30 >/dev/null 2>&1 & echo $!; exit 0']);
    const leftover = Number(result.stderr.trim().split('\n')[0]);
    killOnFinish(() => [leftover]);
    expect(result.code).toBe(0);
    expect(lastRecord(result.stdout).wall_time_secs).toBeLessThan(5);
    expect(isRunning(leftover)).toBe(true);
  });

  it('--wait-tree waits for it, samples it, and times the whole tree', async () => {
    // Seen by the monitor as the shell's child (sampled every 20 ms here) before the shell exits.
    const result = await runCli(['--json', '-i', '20', '--wait-tree', 'run', '--', 'sh', '-c', 'sleep 0.9 >/dev/null & sleep 0.3; exit 3']);
    expect(result.code).toBe(3);
    const summary = lastRecord(result.stdout);
    expect(summary).toMatchObject({ exit_code: 3, exit_status: 3, interrupted: false });
    expect(summary.wall_time_secs).toBeGreaterThanOrEqual(0.85);
    const trees = result.stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((r) => r.kind === 'tree');
    // Samples go on after the shell is gone (parent null), while the sleep runs.
    expect(trees.some((t) => t.parent === null && t.children.length === 1)).toBe(true);
  });

  it('--wait-tree: a signal after the command exited goes to what remains of the tree', async () => {
    const cli = startCli(['--json', '-i', '20', '--wait-tree', 'run', '--', 'sh', '-c', 'sleep 30 >/dev/null & sleep 0.3; exit 0']);
    killOnFinish(() => [cli.child.pid ?? 0]);
    const orphaned = await cli.waitForRecord((r) => r.kind === 'tree' && r.parent === null && childPids(r).length === 1);
    const [sleeper] = childPids(orphaned);
    killOnFinish(() => [sleeper!]);
    cli.child.kill('SIGTERM');
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(lastRecord(result.stdout)).toMatchObject({ exit_status: 0, interrupted: true });
    expect(await waitUntilGone(sleeper!)).toBe(true);
  });
});
