import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommandStartError } from '../../../src/errors.js';
import { exitStatusOf } from '../../../src/measure/summary-record.js';
import { resolveCommand } from '../../../src/runner/resolve.js';

describe('resolveCommand', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsdenet-path-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'tool'), '#!/bin/sh\n');
  chmodSync(join(bin, 'tool'), 0o755);
  writeFileSync(join(bin, 'plain'), 'data');
  chmodSync(join(bin, 'plain'), 0o644);
  mkdirSync(join(bin, 'adir'));

  it('searches PATH like a shell', () => {
    expect(resolveCommand('tool', `/nonexistent:${bin}`)).toBe(join(bin, 'tool'));
    expect(resolveCommand('./bin/tool', '', dir)).toBe(join(bin, 'tool'));
  });

  it('gives 127 for a missing command and 126 for one that cannot be executed', () => {
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof CommandStartError ? e.exitCode : e;
      }
      return 'no error';
    };
    expect(codeOf(() => resolveCommand('missing', bin))).toBe(127);
    expect(codeOf(() => resolveCommand(join(bin, 'missing')))).toBe(127);
    expect(codeOf(() => resolveCommand('plain', bin))).toBe(126);
    expect(codeOf(() => resolveCommand(join(bin, 'adir')))).toBe(126);
    expect(codeOf(() => resolveCommand(''))).toBe(127);
  });
});

describe('exitStatusOf', () => {
  it('follows the shell: the code, or 128 + signal number', () => {
    expect(exitStatusOf({ kind: 'exited', code: 3 })).toBe(3);
    expect(exitStatusOf({ kind: 'killed', signal: 'SIGKILL' })).toBe(137);
    expect(exitStatusOf({ kind: 'killed', signal: 'SIGSEGV' })).toBe(139);
    expect(exitStatusOf({ kind: 'not-waited' })).toBe(0);
  });
});
