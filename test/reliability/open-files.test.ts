/**
 * Low open-file limits (issue 15, point 7): below what tsdenet needs, one
 * clear error before the command starts, exit 1; never Node's abort or
 * crash (below ~20 it cannot start at all: bin/tsdenet checks first), a raw
 * EMFILE stack or an "internal error". A low soft limit under a hard limit
 * that allows enough is no problem (Node raises the soft limit to the hard
 * one). prlimit --nofile=N sets both limits; N:M sets soft N, hard M.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, runProgram } from '../helpers/cli.js';
import { requireBpf, requireOrSkip, toolMissing } from '../helpers/privileges.js';
import { OPEN_FILES_NEEDED } from '../../src/proc/open-files-limit.js';

const COMMAND = join(ROOT, 'bin', 'tsdenet');
const dir = mkdtempSync(join(tmpdir(), 'tsdenet-nofile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function noPrlimit(): string | undefined {
  return toolMissing('prlimit', ['--version'], 'util-linux');
}

/** `tsdenet ARGS` (the installed command) or `node bin/tsdenet.js ARGS` under prlimit --nofile=LIMITS. */
function limited(limits: string, args: string[], viaNode = false) {
  const program = viaNode ? [process.execPath, BIN] : [COMMAND];
  return runProgram('prlimit', [`--nofile=${limits}`, '--', ...program, ...args]);
}

function expectLimitError(r: { code: number | null; stderr: string }, limit: number): void {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).toBe(
    `tsdenet: the open-file limit (${limit}) is too low: tsdenet needs ${OPEN_FILES_NEEDED} open files\n` +
      `tsdenet: fix: allow at least ${OPEN_FILES_NEEDED}: ulimit -n ${OPEN_FILES_NEEDED}, or prlimit --nofile=${OPEN_FILES_NEEDED} tsdenet …; above the hard limit only root can raise it (nofile in /etc/security/limits.conf)\n`,
  );
}

describe('low open-file limits', () => {
  it.for([8, 16, 20, 24, 28, 32, 36, 40, 44, 48, OPEN_FILES_NEEDED - 1])('hard limit %i: one clear error, exit 1, the command never starts', async (n, ctx) => {
    requireOrSkip(ctx, noPrlimit());
    const marker = join(dir, `ran-${n}`);
    for (const args of [['--enable-ebpf', 'run', '--', 'touch', marker], ['run', '--', 'touch', marker], ['--version']]) {
      expectLimitError(await limited(String(n), args), n);
    }
    // Where Node can start, `node bin/tsdenet.js` says the same, before loading the rest.
    if (n >= 20) expectLimitError(await limited(String(n), ['--enable-ebpf', 'run', '--', 'touch', marker], true), n);
    expect(existsSync(marker)).toBe(false);
  });

  it('a low soft limit under a hard limit that allows enough: the run works', async (ctx) => {
    requireOrSkip(ctx, noPrlimit());
    for (const limits of ['8:64', `16:${OPEN_FILES_NEEDED * 4}`, '20:4096']) {
      const marker = join(dir, `ran-${limits.replace(':', '-')}`);
      const r = await limited(limits, ['-q', 'run', '--', 'touch', marker]);
      expect(r.code, `${limits}: ${r.stderr}`).toBe(0);
      expect(r.stderr).toBe('');
      expect(existsSync(marker)).toBe(true);
    }
  });

  it(`exactly ${OPEN_FILES_NEEDED}: an eBPF run with every output and a 42-process tree counts every process`, async (ctx) => {
    requireOrSkip(ctx, noPrlimit());
    requireBpf(ctx);
    const out = join(dir, 'tree.jsonl');
    const r = await limited(String(OPEN_FILES_NEEDED), [
      '--enable-ebpf', '--require-ebpf', '--errors', '--latency', '--json', '-o', out, '--stats', join(dir, 'tree.json'),
      'run', '--', 'sh', '-c', 'for i in $(seq 40); do sleep 1 & done; wait',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/EMFILE|internal error|warning/);
    const summary = r.stdout.trimEnd().split('\n').map((line) => JSON.parse(line)).find((rec) => rec.kind === 'summary');
    // sh, seq (in its subshell), 40 sleeps; each one's exec counted: the kernel saw every process.
    expect(summary.ebpf.syscalls.processes.length).toBe(42);
    expect(summary.ebpf.syscalls.by_syscall.execve).toBe(42);
  });
});
