/**
 * The runner without eBPF: exit status, signals, stdout routing, start
 * failures. Real processes through the built CLI.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastRecord, runCli } from '../helpers/cli.js';
import { requireOrSkip } from '../helpers/privileges.js';
import { startCli } from './helpers/streaming-cli.js';

describe('tsdenet run', () => {
  it('passes the exit status through', async () => {
    const result = await runCli(['run', '--', 'sh', '-c', 'exit 7']);
    expect(result.code).toBe(7);
    expect(result.stderr).toMatch(/exit code 7/);
  });

  it('reports wall time and exit status without eBPF', async () => {
    const result = await runCli(['--json', 'run', '--', 'sleep', '0.2']);
    expect(result.code).toBe(0);
    const summary = lastRecord(result.stdout);
    expect(summary).toMatchObject({ kind: 'summary', command: ['sleep', '0.2'], exit_code: 0, signal: null, exit_status: 0, interrupted: false });
    expect(summary.wall_time_secs).toBeGreaterThanOrEqual(0.2);
    expect(summary.wall_time_secs).toBeLessThan(2);
    expect(summary.ebpf).toBeUndefined();
  });

  it('exits 128+N when the command is killed by signal N', async () => {
    const result = await runCli(['--json', 'run', '--', 'sh', '-c', 'kill -KILL $$']);
    expect(result.code).toBe(137);
    expect(lastRecord(result.stdout)).toMatchObject({ exit_code: null, signal: 'SIGKILL', exit_status: 137 });
  });

  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    it(`forwards ${signal} to the command and still writes the report`, async () => {
      // Signalled once its first record is out: its handlers are installed by then
      // (a fixed delay fails on a loaded machine, where Node may start slower).
      const cli = startCli(['--json', 'run', '--', 'sleep', '30']);
      await cli.waitForRecord((record) => record.kind === 'metadata');
      cli.child.kill(signal);
      const result = await cli.done;
      const summary = lastRecord(result.stdout);
      expect(summary.signal).toBe(signal);
      expect(summary.interrupted).toBe(true);
      expect(summary.wall_time_secs).toBeLessThan(10);
      expect(result.code).toBe(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const)[signal]);
    });
  }

  it('keeps stdout parseable with --json: the command\'s stdout goes to stderr', async () => {
    const chatty = 'for i in 1 2 3; do echo "{not json $i"; done; echo to-stderr >&2';
    const result = await runCli(['--json', 'run', '--', 'sh', '-c', chatty]);
    expect(result.code).toBe(0);
    // denet's records (metadata, one tree per sample), then the summary: every line is JSON.
    const kinds = result.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { kind: string }).kind);
    expect(kinds[0]).toBe('metadata');
    expect(kinds.at(-1)).toBe('summary');
    expect(new Set(kinds.slice(1, -1))).toEqual(new Set(['tree']));
    expect(result.stderr).toContain('{not json 3');
    expect(result.stderr).toContain('to-stderr');
    // And through jq, as a user would pipe it.
    const viaJq = execFileSync('sh', ['-c', `node bin/tsdenet.js --json run -- sh -c '${chatty}' 2>/dev/null | jq -r .kind`], {
      encoding: 'utf8',
    });
    expect(viaJq.trim().split('\n').at(-1)).toBe('summary');
  });

  it('passes stdin and stdout through without --json', async () => {
    const result = await runCli(['-q', 'run', '--', 'tr', 'a-z', 'A-Z'], { input: 'hello\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('HELLO\n');
    expect(result.stderr).toBe('');
  });

  it('says "command not found" and exits 127, with nothing on stdout', async () => {
    const result = await runCli(['--json', 'run', '--', 'no-such-command-tsdenet']);
    expect(result.code).toBe(127);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^tsdenet: no-such-command-tsdenet: command not found\n/);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('exits 126 for a file that is not executable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdenet-'));
    const file = join(dir, 'script.sh');
    writeFileSync(file, '#!/bin/sh\necho hi\n');
    chmodSync(file, 0o644);
    const result = await runCli(['run', '--', file]);
    expect(result.code).toBe(126);
    expect(result.stderr).toMatch(/permission denied/);
  });

  it('rejects unknown flags and a missing command with exit 2', async () => {
    expect((await runCli(['--no-such-flag', 'run', '--', 'true'])).code).toBe(2);
    const missing = await runCli(['run']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/run needs a command/);
    expect((await runCli(['--top', '0', 'run', '--', 'true'])).code).toBe(2);
  });

  it('writes -o FILE atomically and refuses a missing directory before running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdenet-'));
    const ok = await runCli(['-q', '-o', join(dir, 'out.jsonl'), 'run', '--', 'true']);
    expect(ok.code).toBe(0);
    const bad = await runCli(['-o', join(dir, 'missing', 'out.jsonl'), 'run', '--', 'sh', '-c', 'echo ran']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/cannot write .*ENOENT\ntsdenet: fix: create the directory first/);
  });
});

describe('tsdenet run without libbpf', () => {
  it('names the package to install; the command still runs unless eBPF is required', async () => {
    const env = { ...process.env, TSDENET_LIBBPF: '/nonexistent/libbpf.so.1' };
    const soft = await runCli(['--enable-ebpf', '--json', 'run', '--', 'true'], { env });
    expect(soft.code).toBe(0);
    expect(soft.stderr).toMatch(/warning: eBPF profiling disabled: cannot load \/nonexistent\/libbpf\.so\.1/);
    expect(soft.stderr).toMatch(/apt-get install libbpf1/);
    expect(lastRecord(soft.stdout).ebpf.error).toMatch(/cannot load/);

    const hard = await runCli(['--require-ebpf', 'run', '--', 'sh', '-c', 'echo ran'], { env });
    expect(hard.code).toBe(1);
    expect(hard.stdout).toBe('');
    expect(hard.stderr).toMatch(/^tsdenet: cannot load \/nonexistent\/libbpf\.so\.1\ntsdenet: fix: install libbpf/);
  });

  it('says nothing about eBPF when the run cannot start anyway (missing command, bad -o): that error alone', async () => {
    const env = { ...process.env, TSDENET_LIBBPF: '/nonexistent/libbpf.so.1' };
    const missing = await runCli(['--enable-ebpf', 'run', '--', 'no-such-command-tsdenet'], { env });
    expect(missing.code).toBe(127);
    expect(missing.stderr).not.toMatch(/eBPF|libbpf/);
    const badOut = await runCli(['--enable-ebpf', '-o', '/nonexistent/dir/x.jsonl', 'run', '--', 'true'], { env });
    expect(badOut.code).toBe(1);
    expect(badOut.stderr).toMatch(/^tsdenet: cannot write \/nonexistent\/dir\/x\.jsonl: ENOENT\n/);
    expect(badOut.stderr).not.toMatch(/eBPF|libbpf/);
  });

  it('says so when the library loads but is not libbpf (no stack trace, the command runs)', async (ctx) => {
    const libc = ['/lib/x86_64-linux-gnu/libc.so.6', '/lib/aarch64-linux-gnu/libc.so.6'].find((p) => existsSync(p));
    if (libc === undefined) return requireOrSkip(ctx, 'no libc.so.6 at the Debian paths to stand in for a wrong library');
    const env = { ...process.env, TSDENET_LIBBPF: libc };
    const soft = await runCli(['--enable-ebpf', 'run', '--', 'sh', '-c', 'echo ran'], { env });
    expect(soft.code).toBe(0);
    expect(soft.stdout).toBe('ran\n');
    expect(soft.stderr).toContain(`warning: eBPF profiling disabled: ${libc} is not libbpf >= 1.1: it has no libbpf_version_string()`);
    expect(soft.stderr).not.toMatch(/internal error|    at /);
  });
});
