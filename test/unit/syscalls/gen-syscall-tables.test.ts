import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPT = 'scripts/gen-syscall-tables.mjs';

// The generator reads Debian's kernel headers; without them (e.g. on a non-Debian
// machine) there is nothing to compare against.
const SOURCES = [
  '/usr/include/x86_64-linux-gnu/asm/unistd_64.h',
  '/usr/include/x86_64-linux-gnu/asm/unistd_32.h',
  '/usr/aarch64-linux-gnu/include/asm/unistd.h',
];
const hasTool = (cmd: string, args: string[]): boolean => spawnSync(cmd, args).status === 0;
const missing = [
  ...SOURCES.filter((p) => !existsSync(p)),
  ...(hasTool('cpp', ['--version']) ? [] : ['cpp']),
  ...(hasTool('dpkg-query', ['--version']) ? [] : ['dpkg-query']),
];
if (missing.length > 0) {
  console.warn(`skipping generator check, missing: ${missing.join(', ')}`);
}

describe('gen-syscall-tables.mjs', () => {
  it.skipIf(missing.length > 0)(
    '--check: the committed tables are byte-identical to a fresh run',
    () => {
      const r = spawnSync(process.execPath, [SCRIPT, '--check'], { cwd: ROOT, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('up to date');
    },
    30_000,
  );

  it('rejects unknown arguments', () => {
    const r = spawnSync(process.execPath, [SCRIPT, '--bogus'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('--bogus');
  });
});
