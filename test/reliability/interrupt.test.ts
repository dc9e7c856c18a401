/**
 * Interrupted runs: a second Ctrl-C (or second signal) kills the command's
 * whole tree and the report is still written; SIGKILL of tsdenet kills the
 * command (parent-death signal through setpriv) and never leaves a
 * half-written file under the -o name. Real processes, no privileges.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BIN, lastRecord, runCli } from '../helpers/cli.js';
import { requireOrSkip, toolMissing } from '../helpers/privileges.js';
import { startCli } from '../integration/helpers/streaming-cli.js';
import { childPids, isRunning, killOnFinish, parseRecords, tempDir, waitUntilGone, type Rec } from './helpers.js';

// A command that survives one SIGINT (and whose background child never sees it).
const STUBBORN = ['sh', '-c', 'trap "" INT; sleep 60 & wait; sleep 60'];

function setprivMissing(): string | undefined {
  try {
    return execFileSync('setpriv', ['--help'], { encoding: 'utf8' }).includes('--pdeathsig') ? undefined : 'setpriv has no --pdeathsig (util-linux < 2.33)';
  } catch {
    return 'setpriv is not installed (apt-get install util-linux)';
  }
}


describe('a second signal', () => {
  it('kills the command and its whole tree with SIGKILL, and the report is still written', async () => {
    const cli = startCli(['--json', 'run', '--', ...STUBBORN]);
    killOnFinish(() => [cli.child.pid ?? 0]);
    const metadata = await cli.waitForRecord((r) => r.kind === 'metadata');
    const tree = await cli.waitForRecord((r) => r.kind === 'tree' && childPids(r).length === 1);
    const [sleeper] = childPids(tree);
    killOnFinish(() => [metadata.pid, sleeper!]);
    cli.child.kill('SIGINT');
    // Two signals sent at once can merge into one pending signal.
    await sleep(300);
    expect(isRunning(metadata.pid), 'the command ignores one SIGINT').toBe(true);
    cli.child.kill('SIGINT');
    const result = await cli.done;
    expect(result.stderr).not.toMatch(/internal error/);
    expect(result.code).toBe(137);
    expect(lastRecord(result.stdout)).toMatchObject({ kind: 'summary', signal: 'SIGKILL', exit_status: 137, interrupted: true });
    expect(await waitUntilGone(sleeper!), 'the background child is killed too').toBe(true);
  });

  it('typed at a terminal (Ctrl-C twice) kills the tree too', async (ctx) => {
    requireOrSkip(ctx, toolMissing('script', ['--version'], 'bsdutils'));
    const out = join(tempDir('ctrlc'), 'run.jsonl');
    const quoted = [process.execPath, BIN, '-o', out, 'run', '--', ...STUBBORN].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    // script runs `$SHELL -c`, /bin/sh when SHELL is unset (as in CI): dash
    // does not exec a lone command, stays the terminal's session leader and
    // dies of the first Ctrl-C itself. `exec` makes tsdenet the process the
    // terminal started, as at an interactive prompt.
    const script = spawn('script', ['-qfec', `exec ${quoted}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    killOnFinish(() => [script.pid ?? 0]);
    let screen = '';
    const closed = new Promise<number | null>((resolve) => script.once('close', resolve));
    // The live line shows two processes once the tree is sampled: the terminal
    // then sends SIGINT to the whole foreground group (tsdenet and the command).
    await new Promise<void>((resolve) => {
      script.stdout.setEncoding('utf8').on('data', (d: string) => {
        screen += d;
        if (/Tree\(2\)/.test(screen)) resolve();
      });
    });
    script.stdin.write('\x03');
    await sleep(300);
    script.stdin.write('\x03');
    expect(await closed, screen).toBe(137);
    expect(screen).toMatch(/killed by SIGKILL/);
    const records = parseRecords(readFileSync(out, 'utf8'));
    const sleeper = records.filter((r) => r.kind === 'tree').flatMap(childPids)[0];
    expect(sleeper).toBeGreaterThan(0);
    killOnFinish(() => [sleeper!]);
    expect(await waitUntilGone(sleeper!)).toBe(true);
    // The -o file holds denet's records; the summary is in its sidecar.
    expect(records.at(-1)?.kind).toBe('tree');
    expect(parseRecords(readFileSync(out.replace(/\.jsonl$/, '.tsdenet.jsonl'), 'utf8')).at(-1)).toMatchObject({ kind: 'summary', interrupted: true, signal: 'SIGKILL' });
  });
});

describe('SIGKILL of tsdenet', () => {
  it('kills the command (parent-death signal), and -o never names a half-written file', async (ctx) => {
    requireOrSkip(ctx, setprivMissing());
    const dir = tempDir('sigkill');
    const out = join(dir, 'run.jsonl');
    writeFileSync(out, 'the previous report\n');
    const cli = startCli(['--json', '-o', out, 'run', '--', 'sleep', '60']);
    const metadata = await cli.waitForRecord((r) => r.kind === 'metadata');
    // The file is written asynchronously: by the second sample the first is in it.
    let trees = 0;
    await cli.waitForRecord((r) => r.kind === 'tree' && ++trees === 2);
    killOnFinish(() => [metadata.pid]);
    cli.child.kill('SIGKILL');
    await cli.done;
    expect(await waitUntilGone(metadata.pid), 'the command dies with tsdenet').toBe(true);
    // The user's file is the previous one, whole; what was measured so far
    // is kept in the hidden temporary file beside it, readable by stats.
    expect(readFileSync(out, 'utf8')).toBe('the previous report\n');
    const temps = readdirSync(dir).filter((name) => name !== 'run.jsonl');
    // Both the -o file's and its sidecar's temporary files: what was measured until the kill.
    // Named by the pid and an unpredictable part (O_EXCL|O_NOFOLLOW: nothing planted under a guessed name is used).
    temps.sort();
    expect(temps).toHaveLength(2);
    expect(temps[0]).toMatch(new RegExp(`^\\.run\\.jsonl\\.${cli.child.pid}\\.[0-9a-f]{12}\\.tmp$`));
    expect(temps[1]).toMatch(new RegExp(`^\\.run\\.tsdenet\\.jsonl\\.${cli.child.pid}\\.[0-9a-f]{12}\\.tmp$`));
    const text = readFileSync(join(dir, temps[0]!), 'utf8');
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    const records: Rec[] = parseRecords(complete);
    expect(records[0]).toMatchObject({ kind: 'metadata', pid: metadata.pid });
    const stats = await runCli(['--json', 'stats', join(dir, temps[0]!)]);
    expect(stats.code, stats.stderr).toBe(0);
    expect(JSON.parse(stats.stdout)).toHaveProperty('sample_count');
    // The next complete run to the same file removes the dead run's leftover;
    // one it cannot remove (here a directory) is left, and the run still succeeds.
    mkdirSync(join(dir, '.run.jsonl.999999999.0123456789ab.tmp', 'inside'), { recursive: true });
    const next = await runCli(['-q', '-o', out, 'run', '--', 'true']);
    expect(next.code, next.stderr).toBe(0);
    expect(next.stderr).toBe('');
    expect(readdirSync(dir).sort()).toEqual(['.run.jsonl.999999999.0123456789ab.tmp', 'run.jsonl', 'run.tsdenet.jsonl']);
  });

});
