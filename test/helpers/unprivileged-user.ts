/**
 * Real unprivileged users for the least-privilege tests: created with
 * useradd, removed (with their group) afterwards; a capability-enabled
 * launcher in a temporary prefix; commands run as the user via runuser.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { TestContext } from 'vitest';
import { BIN, runProgram, type CliOptions, type CliResult } from './cli.js';
import { requireOrSkip } from './privileges.js';
import { buildFixture } from './workload.js';

export interface TestUser {
  name: string;
  uid: number;
  gid: number;
  /** An extra supplementary group the user is in (to check groups survive). */
  extraGroup: string;
  extraGid: number;
  remove(): void;
}

function sh(file: string, args: string[]): string {
  return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A fresh user with its own group and one extra group; no home, no password. */
export function createTestUser(prefix: string): TestUser {
  const name = `${prefix}${process.pid % 100000}${Math.floor(Math.random() * 1000)}`.slice(0, 31);
  const extraGroup = `${name}x`.slice(0, 31);
  sh('groupadd', [extraGroup]);
  sh('useradd', ['--no-create-home', '--shell', '/bin/sh', '--user-group', '--groups', extraGroup, name]);
  const uid = Number(sh('id', ['-u', name]));
  const gid = Number(sh('id', ['-g', name]));
  const extraGid = Number(sh('getent', ['group', extraGroup]).split(':')[2]);
  return {
    name,
    uid,
    gid,
    extraGroup,
    extraGid,
    remove() {
      execFileSync('userdel', [name], { stdio: 'ignore' });
      try {
        execFileSync('groupdel', [extraGroup], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    },
  };
}

/** Runs file args as `user` (runuser: no PAM session, environment kept). */
export function runAs(user: string, file: string, args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return runProgram('runuser', ['-u', user, '--', file, ...args], options);
}

/** A world-readable temporary directory (mkdtemp makes 0700 ones). */
export function publicTempDir(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tsdenet-${tag}-`));
  chmodSync(dir, 0o755);
  return dir;
}

/** The workload fixture copied where another user can execute it. */
export function publicWorkload(dir: string): string {
  const path = join(dir, 'workload');
  copyFileSync(buildFixture('workload'), path);
  chmodSync(path, 0o755);
  return path;
}

export interface Launcher {
  /** The node copy holding file capabilities. */
  node: string;
  /** PREFIX/bin/tsdenet */
  launcher: string;
}

/**
 * A process holding exactly `caps`, for tests of tsdenet itself: a node
 * copy, root:GROUP 0750, with `caps` as file capabilities, and a launcher
 * script running tsdenet with it. (setup/tracefs.sh no longer installs
 * such a copy: anyone who may run it runs any code with the capabilities;
 * see test/privileged/least-privilege.test.ts for the installed design.)
 */
export function installLauncher(prefix: string, group: string, caps: string): Launcher {
  const node = join(prefix, 'node');
  copyFileSync(process.execPath, node);
  sh('chown', [`root:${group}`, node]);
  chmodSync(node, 0o750);
  sh('setcap', [caps, node]); // after chown: chown clears file capabilities
  const launcher = join(prefix, 'tsdenet');
  writeFileSync(launcher, `#!/bin/sh\nexec '${node}' '${BIN}' "$@"\n`, { mode: 0o755 });
  return { node, launcher };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The credential lines of a /proc/<pid>/status text printed by the command. */
export function statusLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^(Uid|Gid|Groups|CapInh|CapPrm|CapEff|CapAmb):\s*(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!.trim();
  }
  return out;
}

/** The test user a file's beforeAll made, or a skip (a failure under CI) for `reason`. */
export function requireTestUser(ctx: TestContext, reason: string | undefined, user: TestUser | undefined): TestUser {
  requireOrSkip(ctx, reason);
  if (!user) throw new Error('beforeAll did not create the test user');
  return user;
}
