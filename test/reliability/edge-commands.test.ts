/**
 * Commands that behave badly or oddly: killed by a signal, leaving a
 * zombie, closing stdout, taking a huge argv, or named in bytes that are
 * not UTF-8. The run goes to its end and the records parse. Real CLI, no
 * privileges.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, lastRecord, runCli, runProgram } from '../helpers/cli.js';
import { parseRecords, tempDir, type Rec } from './helpers.js';

describe('commands that end or behave oddly', () => {
  it('killed by a signal: 128 + N, and the report says which signal', async () => {
    const r = await runCli(['--json', 'run', '--', 'sh', '-c', 'kill -SEGV $$']);
    expect(r.code).toBe(139);
    expect(lastRecord(r.stdout)).toMatchObject({ exit_code: null, signal: 'SIGSEGV', exit_status: 139, interrupted: false });
  });

  it('leaving a zombie child (never reaped while it runs): sampled, no crash', async () => {
    // The shell's background child exits at once; the exec'd sleep never waits for it.
    const r = await runCli(['--json', 'run', '--', 'sh', '-c', 'sleep 0 & exec sleep 0.4']);
    expect(r.code, r.stderr).toBe(0);
    const records = parseRecords(r.stdout);
    expect(records.filter((rec) => rec.kind === 'tree').length).toBeGreaterThanOrEqual(3);
    expect(records.at(-1)).toMatchObject({ kind: 'summary', exit_status: 0 });
  });

  it('closing its stdout (with and without --json): nothing breaks', async () => {
    const closes = ['sh', '-c', 'exec >&-; sleep 0.2; echo still-here >&2; exit 3'];
    const plain = await runCli(['run', '--', ...closes]);
    expect(plain.code).toBe(3);
    expect(plain.stderr).toMatch(/still-here[\s\S]*exit code 3/);
    const json = await runCli(['--json', 'run', '--', ...closes]);
    expect(json.code).toBe(3);
    expect(lastRecord(json.stdout)).toMatchObject({ exit_status: 3 });
  });
});

describe('commands that cannot start', () => {
  it('a directory, a script whose interpreter is missing, an empty name: one clear error before anything runs', async () => {
    const dir = tempDir('cannot-start');
    const script = join(dir, 'script');
    writeFileSync(script, '#!/nonexistent/interpreter -x\necho ran\n');
    chmodSync(script, 0o755);
    const cases: [string, number, string][] = [
      [dir, 126, `tsdenet: ${dir}: is a directory\ntsdenet: fix: give the program to run, not a directory\n`],
      // Through setpriv this was setpriv's own message, after a report of a command that never ran.
      [script, 126, `tsdenet: ${script}: bad interpreter /nonexistent/interpreter: no such file\ntsdenet: fix: install /nonexistent/interpreter, or fix the script's first line (#!)\n`],
      ['', 127, 'tsdenet: empty command name\ntsdenet: fix: give the command after --, e.g. tsdenet run -- ls -l\n'],
    ];
    for (const [command, code, stderr] of cases) {
      const r = await runCli(['--json', 'run', '--', command]);
      expect(r.code, command).toBe(code);
      expect(r.stderr, command).toBe(stderr);
      expect(r.stdout, command).toBe('');
    }
  });
});

describe('a huge argv', () => {
  it('100,000 arguments reach the command unchanged, and the records carry them', async () => {
    const args = Array.from({ length: 100_000 }, (_, i) => String(i));
    const r = await runCli(['-o', join(tempDir('argv'), 'run.jsonl'), '--json', 'run', '--', 'sh', '-c', 'echo "$# ${100000}"', 'sh', ...args]);
    expect(r.code, r.stderr.slice(0, 500)).toBe(0);
    expect(r.stderr).toContain('100000 99999');
    const summary = lastRecord(r.stdout);
    expect(summary.command).toHaveLength(100_004);
  });

  it('at the kernel\'s limit: the command that cannot be executed is one clear error (E2BIG, exit 126)', async () => {
    // A long path for the command: tsdenet's own argv names it as "./x",
    // the command's exec by its full path, which no longer fits.
    let dir = tempDir('e2big');
    while (dir.length < 3500) dir = join(dir, 'd'.repeat(200));
    mkdirSync(dir, { recursive: true });
    copyFileSync('/bin/true', join(dir, 'x'));
    const head = [BIN, '-q', 'run', '--', './x'];
    const arg = 'y'.repeat(999);
    // Same argv as `node BIN …` (argv0 included), on a program that starts fast.
    const fits = (n: number): boolean =>
      spawnSync('/bin/true', [...head, ...Array<string>(n).fill(arg)], { argv0: process.execPath, stdio: 'ignore' }).error === undefined;
    // The most 1000-byte arguments tsdenet itself can be started with (bisection),
    // less one for the exec'd file names, which differ by a few bytes.
    let lo = 1;
    let hi = 8192;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (fits(mid)) lo = mid;
      else hi = mid;
    }
    const r = await runProgram(process.execPath, [...head, ...Array<string>(lo - 1).fill(arg)], { cwd: dir });
    expect(r.code, r.stderr.slice(0, 300)).toBe(126);
    expect(r.stderr).toBe(
      "tsdenet: ./x: argument list too long (E2BIG): the arguments and environment exceed the kernel's limit\n" +
        'tsdenet: fix: pass fewer or shorter arguments (e.g. through xargs or a file), or raise the limit with a larger stack: ulimit -s\n',
    );
  });
});

describe('bytes that are not UTF-8', () => {
  it('in an argument: refused (exit 2) before anything runs, since Node would pass U+FFFD instead', async () => {
    const dir = tempDir('latin1-arg');
    const marker = join(dir, 'ran');
    // Node cannot even spawn such an argument: a shell passes the raw bytes to tsdenet.
    const r = await runProgram('sh', ['-c', `exec "$@" "$(printf 'caf\\351')"`, 'sh', process.execPath, BIN, 'run', '--', 'touch', marker]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "tsdenet: argument 5 ($'caf\\xe9') is not valid UTF-8: Node.js, which tsdenet runs on, cannot pass it on unchanged\n" +
        "tsdenet: fix: let a shell inside the command produce it, e.g. tsdenet run -- sh -c 'exec cat ./*.txt', or rename the file\n",
    );
    expect(existsSync(marker)).toBe(false);
  });

  it("in a file name of tsdenet's own (stats FILE): refused, with a fix that fits", async () => {
    const r = await runProgram('sh', ['-c', `exec "$@" "$(printf '/tmp/caf\\351.jsonl')"`, 'sh', process.execPath, BIN, 'stats']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "tsdenet: argument 2 ($'/tmp/caf\\xe9.jsonl') is not valid UTF-8: Node.js, which tsdenet runs on, cannot pass it on unchanged\n" +
        'tsdenet: fix: rename the file, or give tsdenet a link to it with a UTF-8 name (ln -s)\n',
    );
  });

  it('in names the command makes: U+FFFD in the records (lossy), UTF-8 kept; stats and report read them', async () => {
    const dir = tempDir('latin1-name');
    const out = join(dir, 'run.jsonl');
    // Two sleeps, named in Latin-1 and in UTF-8, long enough to be sampled.
    const script = `for name in "$(printf 'caf\\351')" "$(printf 'caf\\303\\251')"; do cp /bin/sleep ${dir}/"$name"; ${dir}/"$name" 0.3 & done; wait`;
    const r = await runCli(['-q', '-o', out, 'run', '--', 'sh', '-c', script]);
    expect(r.code, r.stderr).toBe(0);
    const records: Rec[] = parseRecords(readFileSync(out, 'utf8'));
    const names = records.filter((rec) => rec.kind === 'tree').flatMap((t) => (t.children as Rec[]).map((c) => c.command as string));
    expect(names).toContain('caf\uFFFD');
    expect(names).toContain('café');
    expect((await runCli(['stats', out])).code).toBe(0);
    expect((await runCli(['report', out, '-o', join(dir, 'r.html')])).code).toBe(0);
  });
});
