/**
 * The live view on stderr. A terminal is needed for the in-place line:
 * util-linux `script` gives the CLI a pseudo-terminal and records it.
 */
import { describe, expect, it } from 'vitest';
import { BIN, runCli, runProgram } from '../helpers/cli.js';
import { requireOrSkip, toolMissing } from '../helpers/privileges.js';

const ESC = '\x1b[';


/** Runs the CLI on a pseudo-terminal; resolves to everything the terminal received. */
async function onTerminal(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = await runProgram('script', ['-qfec', quoted, '/dev/null'], { env: { ...process.env, ...env } });
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

const COMMAND = ['run', '--', 'sh', '-c', 'echo one; sleep 0.35; printf two; sleep 0.25; echo; echo three'];

describe('live view', () => {
  it('updates one line in place on a terminal and clears it before the command writes', async (ctx) => {
    requireOrSkip(ctx, toolMissing('script', ['--version'], 'bsdutils'));
    const screen = await onTerminal(COMMAND);
    expect(screen).toContain(`\r${ESC}K`);
    expect(screen).toMatch(/Tree\(\d\): CPU /);
    // Each line of the command starts a line of the terminal: never after the status text.
    for (const line of ['one', 'two', 'three']) {
      const at = screen.indexOf(line);
      expect(at, line).toBeGreaterThanOrEqual(0);
      expect(at === 0 || screen.slice(0, at).endsWith('\n') || screen.slice(0, at).endsWith(`\r${ESC}K`), line).toBe(true);
    }
    // A partial line of the command ("two") is not overwritten by a redraw.
    expect(screen).toMatch(/two\r?\nthree/);
    expect(screen).toContain(`${ESC}32m`);
    expect(screen).toMatch(/EXECUTION SUMMARY\r?\nDuration +0\.\d\d seconds/);
  });

  it('has no colours with NO_COLOR', async (ctx) => {
    requireOrSkip(ctx, toolMissing('script', ['--version'], 'bsdutils'));
    const screen = await onTerminal(COMMAND, { NO_COLOR: '1' });
    expect(screen).toMatch(/Tree\(\d\): CPU /);
    expect(screen).not.toMatch(/\x1b\[\d+m/);
  });

  it('prints one plain line per sample with -n, and nothing but the tables when stderr is no terminal', async () => {
    const lines = await runCli(['-n', '-i', '50', '-m', '50', 'run', '--', 'sleep', '0.3']);
    expect(lines.code).toBe(0);
    const samples = lines.stderr.split('\n').filter((l) => /^\[\d+\.\ds\] Tree \(\d procs\): CPU: /.test(l));
    expect(samples.length).toBeGreaterThanOrEqual(4);
    expect(lines.stderr).not.toContain('\x1b');
    expect(lines.stdout).toBe('');
    const plain = await runCli(['run', '--', 'sleep', '0.2']);
    expect(plain.stderr).not.toMatch(/Tree|\x1b|\r/);
    expect(plain.stderr).toMatch(/EXECUTION SUMMARY/);
    const quiet = await runCli(['-q', 'run', '--', 'sleep', '0.2']);
    expect(quiet.stderr).toBe('');
  });

  it('--exclude-children: the line shows the main process alone, never the tree (a waiting shell, not its busy child)', async () => {
    const r = await runCli(['-n', '-i', '50', '-m', '50', '--exclude-children', 'run', '--', 'sh', '-c', 'python3 -c "sum(range(2*10**7))"']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => /^\[\d+\.\ds\] CPU: /.test(l));
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) {
      expect(line).not.toContain('Tree');
      // One thread: never above 100 %; a shell waiting for python: far below.
      expect(Number(/CPU: ([\d.]+)%/.exec(line)![1]), line).toBeLessThan(50);
      expect(line).toMatch(/Threads: [01] /);
    }
  });
});
