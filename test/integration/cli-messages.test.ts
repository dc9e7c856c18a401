/** What the real CLI says about its own command line: mistakes, --version, the Usage: lines. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('usage errors of the real CLI', () => {
  it.each([
    // The camelCase twin yargs adds (enableEpbf) is not shown.
    [['--enable-epbf', 'run', '--', 'true'], 'tsdenet: unknown option --enable-epbf (did you mean --enable-ebpf?)\ntsdenet: see tsdenet --help\n'],
    [['rnu', '--', 'true'], 'tsdenet: unknown command rnu (did you mean run?)\ntsdenet: fix: give a subcommand: run, doctor, attach, stats, report, compare\ntsdenet: see tsdenet --help\n'],
    [
      ['--enable-ebpf', 'ls', '-la', 'dir'],
      'tsdenet: unknown command ls\ntsdenet: fix: to profile a command, put it after run --: tsdenet --enable-ebpf run -- ls -la dir (subcommands: run, doctor, attach, stats, report, compare)\ntsdenet: see tsdenet --help\n',
    ],
    [['report', 'run.jsonl', '--opne'], 'tsdenet: unknown option --opne (did you mean --open?)\ntsdenet: see tsdenet --help\n'],
    [['stats'], 'tsdenet: stats needs FILE|-\ntsdenet: fix: tsdenet [options] stats FILE|-\ntsdenet: see tsdenet --help\n'],
    // Like --interval-report: the record would go nowhere.
    [['--write-env', 'run', '--', 'true'], 'tsdenet: --write-env writes an `env` JSON record\ntsdenet: fix: add --json (stdout) or -o FILE\ntsdenet: see tsdenet --help\n'],
    [['--write-env', 'attach', '1'], 'tsdenet: --write-env writes an `env` JSON record\ntsdenet: fix: add --json (stdout) or -o FILE\ntsdenet: see tsdenet --help\n'],
  ])('%j: names the mistake and the fix, exit 2, nothing run', async (args, stderr) => {
    // LANG must not change yargs' words (and so what tsdenet recognises in them).
    const r = await runCli(args, { env: { ...process.env, LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' } });
    expect(r.stderr).toBe(stderr);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('run CMD without --: the options after the command\'s first word are the command\'s (sort -o is sort\'s)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdenet-boundary-'));
    try {
      writeFileSync(join(dir, 'in'), 'b\na\n');
      const r = await runCli(['-q', 'run', 'sort', '-o', join(dir, 'out'), join(dir, 'in')]);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(join(dir, 'out'), 'utf8')).toBe('a\nb\n');
      // ls -la dir: ls's options, not unknown ones of tsdenet.
      const ls = await runCli(['-q', 'run', 'ls', '-la', dir]);
      expect(ls.code, ls.stderr).toBe(0);
      expect(ls.stdout).toMatch(/^total \d+\n/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--write-env with --json writes the env record first', async () => {
    const r = await runCli(['--write-env', '--json', 'run', '--', 'true']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.split('\n')[0]!)).toMatchObject({ kind: 'env' });
  });
});

describe('--version and --help', () => {
  it('--version and -V print the name and the version', async () => {
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`tsdenet ${version}\n`);
    }
  });

  it.each([
    [[], 'Usage: tsdenet [options] <command>'],
    [['run'], 'Usage: tsdenet [options] run -- COMMAND [ARGS...]'],
    [['doctor'], 'Usage: tsdenet [options] doctor'],
    [['attach'], 'Usage: tsdenet [options] attach PID'],
    [['stats'], 'Usage: tsdenet [options] stats FILE|-'],
    [['report'], 'Usage: tsdenet [options] report FILE.jsonl|- [-o report.html] [--open]'],
  ])('%j --help starts with a Usage: line', async (command, usage) => {
    const r = await runCli([...command, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe(usage);
  });
});
