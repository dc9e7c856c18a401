import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireOrSkip } from '../../helpers/privileges.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = 'scripts/gen-syscall-tables.mjs';

// The generator reads Debian's kernel headers (.ci/run installs them).
const SOURCES = [
  '/usr/include/x86_64-linux-gnu/asm/unistd_64.h',
  '/usr/include/x86_64-linux-gnu/asm/unistd_32.h',
  '/usr/aarch64-linux-gnu/include/asm/unistd.h',
];
const hasTool = (cmd: string, args: string[]): boolean => spawnSync(cmd, args).status === 0;

function generatorSkipReason(): string | undefined {
  const missing = [
    ...SOURCES.filter((p) => !existsSync(p)),
    ...(hasTool('cpp', ['--version']) ? [] : ['cpp']),
    ...(hasTool('dpkg-query', ['--version']) ? [] : ['dpkg-query']),
  ];
  return missing.length > 0 ? `the generator's inputs are missing: ${missing.join(', ')} (apt-get install linux-libc-dev linux-libc-dev-arm64-cross gcc)` : undefined;
}

function check(env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, [SCRIPT, '--check'], { cwd: ROOT, encoding: 'utf8', env });
}

describe('gen-syscall-tables.mjs', () => {
  it('--check: the committed tables are what a fresh run generates', (ctx) => {
    requireOrSkip(ctx, generatorSkipReason());
    const r = check();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('up to date');
  }, 30_000);

  it('--check: a newer linux-libc-dev point release (same syscalls) does not make them stale', (ctx) => {
    requireOrSkip(ctx, generatorSkipReason());
    const shim = mkdtempSync(join(tmpdir(), 'tsdenet-dpkg-'));
    writeFileSync(join(shim, 'dpkg-query'), '#!/bin/sh\nprintf 6.1.999-1\n');
    chmodSync(join(shim, 'dpkg-query'), 0o755);
    const r = check({ ...process.env, PATH: `${shim}:${process.env.PATH}` });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 30_000);

  it('rejects unknown arguments', () => {
    const r = spawnSync(process.execPath, [SCRIPT, '--bogus'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('--bogus');
  });
});
