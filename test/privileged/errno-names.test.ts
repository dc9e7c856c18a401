/**
 * Errno names of --errors from the kernel's own table, not Node's (which
 * knows only libuv's codes): test/fixtures/errno-names.c fails wait4 with
 * ECHILD 20 times and a non-blocking connect with EINPROGRESS 10 times, by
 * construction; strace sees the same failures. The names reach by_errno in
 * the JSON, the terminal summary and the -o file's summary alike.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastRecord, runCli, runProgram } from '../helpers/cli.js';
import { ensureTracefs, requireBpf, requireOrSkip, toolMissing } from '../helpers/privileges.js';
import { buildFixture } from '../helpers/workload.js';

const EXPECTED = {
  wait4: { total: 20, by_errno: { ECHILD: 20 } },
  connect: { total: 10, by_errno: { EINPROGRESS: 10 } },
};

describe('errno names under --errors', () => {
  it('strace sees the fixture fail as constructed', async (ctx) => {
    requireOrSkip(ctx, toolMissing('strace', ['-V'], 'strace'));
    const r = await runProgram('strace', ['-f', '-e', 'trace=wait4,connect', buildFixture('errno-names')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.match(/^wait4\(.*= -1 ECHILD /gm)).toHaveLength(20);
    expect(r.stderr.match(/^connect\(.*= -1 EINPROGRESS /gm)).toHaveLength(10);
  });

  it.for(['tp_btf', 'tracepoint'])('by_errno keys and the terminal summary name ECHILD and EINPROGRESS (%s)', async (mode, ctx) => {
    requireBpf(ctx);
    if (mode === 'tracepoint') ensureTracefs();
    const dir = mkdtempSync(join(tmpdir(), 'tsdenet-errno-'));
    try {
      const out = join(dir, 'run.jsonl');
      const r = await runCli(['--enable-ebpf', '--require-ebpf', '--attach-mode', mode, '--json', '--errors', '-o', out, 'run', '--', buildFixture('errno-names')]);
      expect(r.code, r.stderr).toBe(0);
      const errors = lastRecord(r.stdout).ebpf.syscalls.errors;
      expect(errors.by_syscall.wait4).toEqual(EXPECTED.wait4);
      expect(errors.by_syscall.connect).toEqual(EXPECTED.connect);
      expect(errors.by_errno).toMatchObject({ ECHILD: 20, EINPROGRESS: 10 });
      expect(Object.keys(errors.by_errno).every((name) => /^E[A-Z0-9_]+$/.test(name)), Object.keys(errors.by_errno).join()).toBe(true);

      const human = await runCli(['--enable-ebpf', '--require-ebpf', '--attach-mode', mode, '--errors', 'run', '--', buildFixture('errno-names')]);
      expect(human.code, human.stderr).toBe(0);
      expect(human.stderr).toMatch(/failed calls: \d+ \(.*ECHILD 20.*\)/);
      expect(human.stderr).toMatch(/EINPROGRESS 10/);
      expect(human.stderr).not.toMatch(/Unknown system error/);

      // The report file's summary (in the sidecar) holds the same names and numbers.
      const summary = readFileSync(join(dir, 'run.tsdenet.jsonl'), 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line)).find((rec) => rec.kind === 'summary');
      expect(summary.ebpf.syscalls.errors).toEqual(errors);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
