/**
 * Every error a user can cause: one or two lines on stderr, the problem
 * then the fix, the right exit status, never a stack trace; and output
 * that cannot go where it was asked (a full disk, a reader gone) never
 * hangs or crashes tsdenet. The real CLI, no privileges.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, cpSync, existsSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli, runProgram, type CliResult } from '../helpers/cli.js';
import { killOnFinish, tempDir } from './helpers.js';

/** The contract: exactly `tsdenet: <problem>` then `tsdenet: fix: <fix>`, and `code`. */
function expectCleanError(r: { code: number | null; stderr: string }, code: number, problem: RegExp): void {
  const lines = r.stderr.trimEnd().split('\n');
  expect(r.code, r.stderr).toBe(code);
  expect(lines, r.stderr).toHaveLength(2);
  expect(lines[0]).toMatch(problem);
  expect(lines[0]).toMatch(/^tsdenet: /);
  expect(lines[1]).toMatch(/^tsdenet: fix: \S/);
}

const SAMPLE_RUN = join(ROOT, 'test', 'fixtures', 'report', 'tsdenet-sampled.jsonl');

/** Runs the CLI with stdout on a file descriptor of our choice (e.g. /dev/full). */
function runWithStdout(args: string[], stdout: number): { code: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { stdio: ['ignore', stdout, 'pipe'], encoding: 'utf8' });
  return { code: r.status, stderr: r.stderr };
}

/** Runs the CLI with the read end of its stdout (or stderr) closed before it writes anything. */
function runWithClosedPipe(args: string[], which: 'stdout' | 'stderr'): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child[which].destroy();
  if (which === 'stderr') child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  else child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('output that cannot be written', () => {
  it('-o and --stats on a full disk (/dev/full): the tables first, then the error, exit 1', async () => {
    const r = await runCli(['-o', '/dev/full', 'run', '--', 'sh', '-c', 'exit 0']);
    expect(r.stderr).toMatch(/EXECUTION SUMMARY/);
    const tail = { ...r, stderr: r.stderr.slice(r.stderr.indexOf('tsdenet: cannot write')) };
    expectCleanError(tail, 1, /^tsdenet: cannot write \/dev\/full: ENOSPC$/);
    const others = await Promise.all([
      runCli(['-q', '--stats', '/dev/full', 'run', '--', 'true']),
      runCli(['-o', '/dev/full', 'stats', SAMPLE_RUN]),
      runCli(['report', SAMPLE_RUN, '-o', '/dev/full']),
    ]);
    for (const other of others) expectCleanError(other, 1, /cannot write \/dev\/full: ENOSPC/);
  });

  it('stdout on a full disk is an error (exit 1), not silence', () => {
    const full = openSync('/dev/full', 'w');
    expectCleanError(runWithStdout(['--json', 'run', '--', 'true'], full), 1, /^tsdenet: cannot write standard output: ENOSPC$/);
    expectCleanError(runWithStdout(['--json', 'stats', SAMPLE_RUN], full), 1, /cannot write standard output: ENOSPC/);
  });

  it('a reader that is gone (| head) ends the output quietly; the command\'s status still passes through', async () => {
    const cases = [
      ['--json', 'run', '--', 'sh', '-c', 'exit 5'],
      ['--json', 'stats', SAMPLE_RUN],
      ['stats', SAMPLE_RUN],
      ['report', SAMPLE_RUN, '-o', join(tempDir('epipe'), 'r.html'), '--open'],
    ];
    const [results, noStderr] = await Promise.all([
      Promise.all(cases.map((args) => runWithClosedPipe(args, 'stdout'))),
      // tsdenet's tables go to the closed stderr; the command writes nothing there.
      runWithClosedPipe(['run', '--', 'sh', '-c', 'exit 6'], 'stderr'),
    ]);
    results.forEach((r, i) => {
      expect(r.stderr, cases[i]!.join(' ')).not.toMatch(/EPIPE|internal error|\n {4}at /);
      expect(r.code, cases[i]!.join(' ')).toBe(cases[i]!.includes('run') ? 5 : 0);
    });
    expect(noStderr.code).toBe(6);
  });

  it('| head -1 on --json run: the first record, and no error on the summary', () => {
    // The summary is written after the reader left: it was an internal error.
    const err = join(tempDir('head'), 'stderr');
    const r = spawnSync('sh', ['-c', `'${process.execPath}' '${BIN}' --json run -- ls -R /usr/share/doc 2>'${err}' | head -1`], { encoding: 'utf8' });
    expect(JSON.parse(r.stdout.split('\n')[0]!)).toMatchObject({ kind: 'metadata' });
    expect(readFileSync(err, 'utf8')).not.toMatch(/internal error|EPIPE|\n {4}at /);
  });

  it('a missing or unwritable directory, or a directory, for -o is found before the command runs', async () => {
    const dir = tempDir('outdir');
    const marker = join(dir, 'ran');
    const run = (...args: string[]): Promise<CliResult> => runCli([...args, 'run', '--', 'touch', marker]);
    const [missing, isDir, slash, statsMissing, emptyOut, emptyStats, same] = await Promise.all([
      run('-o', join(dir, 'missing', 'x.jsonl')),
      // A directory was found only at the final rename, the records lost.
      run('-o', dir),
      run('-o', `${dir}/`),
      // -o's temporary file was left behind when --stats could not be opened.
      run('-o', join(dir, 'a.jsonl'), '--stats', join(dir, 'missing', 's.json')),
      run('-o', ''),
      run('--stats', ''),
      run('-o', join(dir, 'a.jsonl'), '--stats', join(dir, '.', 'a.jsonl')),
    ]);
    expectCleanError(missing, 1, /cannot write .*ENOENT$/);
    expectCleanError(isDir, 1, /cannot write .*: EISDIR$/);
    expectCleanError(slash, 1, /cannot write .*: EISDIR$/);
    expectCleanError(statsMissing, 1, /cannot write .*s\.json: ENOENT$/);
    expect(readdirSync(dir)).toEqual([]);
    for (const empty of [emptyOut, emptyStats]) {
      expect(empty.code).toBe(2);
      expect(empty.stderr).toMatch(/^tsdenet: (-o\/--out|--stats) needs a file name\n/);
    }
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/^tsdenet: --stats \S+a\.jsonl is the same file as -o\ntsdenet: fix: give --stats another file name\n/);
    const sidecar = await run('-o', join(dir, 'a.jsonl'), '--stats', join(dir, 'a.tsdenet.jsonl'));
    expect(sidecar.code).toBe(2);
    expect(sidecar.stderr).toMatch(/^tsdenet: --stats \S+a\.tsdenet\.jsonl is the same file as the sidecar of -o \S+a\.jsonl\n/);
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o555);
    chmodSync(dir, 0o777);
    // Root may write anywhere: then the CLI runs as nobody.
    const asNobody = process.getuid?.() === 0 ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
    const [file, ...args] = [...asNobody, process.execPath, BIN, '-o', join(locked, 'x.jsonl'), 'run', '--', 'touch', marker];
    expectCleanError(await runProgram(file!, args), 1, /cannot write .*locked\/x\.jsonl: EACCES$/);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('inputs of stats and report', () => {
  it('missing, a directory, empty, binary: exit 1 with the fix', async () => {
    const dir = tempDir('inputs');
    writeFileSync(join(dir, 'empty.jsonl'), '');
    writeFileSync(join(dir, 'binary.jsonl'), readFileSync(process.execPath).subarray(0, 64 * 1024));
    const cases: [string, RegExp, RegExp][] = [
      [join(dir, 'missing.jsonl'), /cannot read .*missing\.jsonl: ENOENT$/, /cannot read .*missing\.jsonl: no such file$/],
      [dir, /cannot read .*: EISDIR$/, /cannot read .*: it is a directory$/],
      [join(dir, 'empty.jsonl'), /empty\.jsonl is empty$/, /empty\.jsonl is empty$/],
      [join(dir, 'binary.jsonl'), /no samples in .*binary\.jsonl/, /binary\.jsonl holds no tsdenet or denet record/],
    ];
    const results = await Promise.all(cases.map(([input]) => Promise.all([runCli(['stats', input]), runCli(['report', input, '-o', join(dir, 'r.html')])])));
    results.forEach(([stats, report], i) => {
      expectCleanError(stats, 1, cases[i]![1]);
      expectCleanError(report, 1, cases[i]![2]);
    });
  });

  it('a large file without newlines (an image, a core dump): a clean error, bounded memory', async () => {
    // 257 MiB of zeros (sparse): longer than any record. readline kept it whole,
    // and from 512 MiB on `report` died of RangeError: Invalid string length.
    const big = join(tempDir('big'), 'core');
    const fd = openSync(big, 'w');
    ftruncateSync(fd, 257 * 1024 * 1024);
    closeSync(fd);
    expectCleanError(await runCli(['report', big, '-o', `${big}.html`]), 1, /core holds no tsdenet or denet record \(1 line\(s\) read; line 1: too long to be a record\)$/);
    expectCleanError(await runCli(['stats', big]), 1, /no samples in .*core/);
  });

  it('truncated (a run or copy cut short): what was read is kept, and the cut is named', async () => {
    const text = readFileSync(SAMPLE_RUN, 'utf8');
    const cut = join(tempDir('cut'), 'cut.jsonl');
    const lines = text.split('\n');
    writeFileSync(cut, `${lines.slice(0, 10).join('\n')}\n${lines[10]!.slice(0, 40)}`);
    const stats = await runCli(['--json', 'stats', cut]);
    expect(stats.code).toBe(0);
    expect(stats.stderr).toBe(`tsdenet: the last line (11) of ${cut} is cut short (was the run or the copy interrupted?); what comes before it is summarized\n`);
    expect(JSON.parse(stats.stdout).sample_count).toBe(9);
    const report = await runCli(['report', cut, '-o', join(tempDir('cut-report'), 'r.html')]);
    expect(report.code).toBe(0);
    expect(report.stderr).toMatch(/the last line is cut short/);
  });
});

describe('a record with a time no clock can show (found by the property tests)', () => {
  it('is ignored with a warning naming the field, not an internal error', async () => {
    const file = join(tempDir('bad-time'), 'run.jsonl');
    const trees = readFileSync(SAMPLE_RUN, 'utf8').split('\n').slice(1, 4);
    writeFileSync(file, [JSON.stringify({ kind: 'metadata', pid: 1, cmd: ['x'], executable: '/x', t0_ms: 1e300 }), ...trees].join('\n') + '\n');
    const r = await runCli(['report', file, '-o', join(tempDir('bad-time-out'), 'r.html')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('line 1: metadata record: t0_ms is 1e+300, not a time in ms since 1970 (ignored)');
  });
});

describe('attach to what cannot be attached to', () => {
  it('a pid that has exited, or a zombie: exit 1 with the fix', async () => {
    const gone = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' });
    expectCleanError(await runCli(['attach', gone.stdout.trim()]), 1, /no process with pid \d+ \(ENOENT\)$/);
    // The shell's first child exits at once; the exec'd sleep never reaps it.
    const parent = spawn('sh', ['-c', 'sleep 0 & exec sleep 30'], { stdio: 'ignore' });
    killOnFinish(() => [parent.pid ?? 0]);
    let zombie: number | undefined;
    for (let i = 0; i < 100 && zombie === undefined; i++) {
      const children = readFileSync(`/proc/${parent.pid}/task/${parent.pid}/children`, 'utf8').trim();
      if (children && readFileSync(`/proc/${children}/stat`, 'utf8').includes(') Z ')) zombie = Number(children);
      else await new Promise((r) => setTimeout(r, 20));
    }
    expect(zombie).toBeDefined();
    expectCleanError(await runCli(['attach', String(zombie)]), 1, /process \d+ has already exited \(a zombie waiting for its parent\)$/);
  });

  it('without libbpf under --require-ebpf', async () => {
    const env = { ...process.env, TSDENET_LIBBPF: '/nonexistent/libbpf.so.1' };
    const target = spawn('sleep', ['30'], { stdio: 'ignore' });
    killOnFinish(() => [target.pid ?? 0]);
    expectCleanError(await runCli(['--require-ebpf', 'attach', String(target.pid)], { env }), 1, /cannot load \/nonexistent\/libbpf\.so\.1$/);
  });
});

describe('a bug in tsdenet', () => {
  it('is an "internal error" with the stack and a request to report it, exit 70', async () => {
    // The installed package with one module broken, as a bug would break it.
    const dir = tempDir('bug');
    for (const part of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    // The CLI runs from the bundle (dist/cli-bundle/): the stats command breaks there.
    const bundle = join(dir, 'dist', 'cli-bundle');
    const declaration = 'async function statsSubcommand(options, path) {';
    const chunks = readdirSync(bundle).filter((name) => readFileSync(join(bundle, name), 'utf8').includes(declaration));
    expect(chunks).toHaveLength(1);
    const chunk = join(bundle, chunks[0]!);
    writeFileSync(chunk, readFileSync(chunk, 'utf8').replace(declaration, `${declaration} return null.samples;`));
    const r = await runProgram(process.execPath, [join(dir, 'bin', 'tsdenet.js'), 'stats', SAMPLE_RUN]);
    expect(r.code).toBe(70);
    expect(r.stderr).toMatch(/^tsdenet: internal error: TypeError: Cannot read properties of null/);
    expect(r.stderr).toMatch(/\n {4}at statsSubcommand \(file:\/\/.*\/cli-bundle\/chunk-\w+\.js:\d+:/);
    expect(r.stderr).toMatch(/\ntsdenet: this is a bug in tsdenet; please report it with the command line you used\n$/);
  });
});
