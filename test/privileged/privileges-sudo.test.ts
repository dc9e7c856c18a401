/**
 * The profiled command never gains privileges: under real sudo it runs as
 * the invoking user with that user's groups and no capabilities, and the
 * counts stay exact (setpriv's own execve is not counted); --as-root keeps
 * root; --user NAME picks the user. Checked in /proc/self/status of the
 * command itself.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { BIN, lastRecord, runCli } from '../helpers/cli.js';
import { bpfSkipReason } from '../helpers/privileges.js';
import { createTestUser, publicTempDir, publicWorkload, removeDir, requireTestUser, runAs, statusLines, type TestUser } from '../helpers/unprivileged-user.js';
import { WORKLOAD_COUNTS } from '../helpers/workload.js';

const SUDOERS = `/etc/sudoers.d/tsdenet-test-${process.pid}`;
let user: TestUser | undefined;
let dir = '';
let workload = '';

function skipReason(): string | undefined {
  return bpfSkipReason() ?? (existsSync('/usr/bin/sudo') ? undefined : 'sudo is not installed (apt-get install sudo)');
}

function setup(ctx: TestContext): TestUser {
  return requireTestUser(ctx, skipReason(), user);
}

beforeAll(() => {
  if (skipReason() !== undefined) return;
  user = createTestUser('tsdns');
  dir = publicTempDir('sudo');
  workload = publicWorkload(dir);
  // The test user may run this node as root without a password, nothing else.
  writeFileSync(SUDOERS, `${user.name} ALL=(root) NOPASSWD: ${process.execPath}\n`, { mode: 0o440 });
});

afterAll(() => {
  rmSync(SUDOERS, { force: true });
  user?.remove();
  if (dir) removeDir(dir);
});

function sudoTsdenet(u: TestUser, args: string[]) {
  return runAs(u.name, 'sudo', ['-n', process.execPath, BIN, ...args]);
}

describe('the profiled command under sudo', () => {
  it('runs as the invoking user, with their groups and no capabilities', async (ctx) => {
    const u = setup(ctx);
    const r = await sudoTsdenet(u, ['--enable-ebpf', '--require-ebpf', '--json', 'run', '--', 'cat', '/proc/self/status']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`tsdenet: the command runs as ${u.name} (uid ${u.uid}), the user who ran sudo; --as-root keeps root`);
    const status = statusLines(r.stderr);
    expect(status.Uid).toBe(`${u.uid}\t${u.uid}\t${u.uid}\t${u.uid}`);
    expect(status.Gid).toBe(`${u.gid}\t${u.gid}\t${u.gid}\t${u.gid}`);
    expect(status.Groups?.split(' ').map(Number).sort()).toEqual([u.gid, u.extraGid].sort());
    for (const set of ['CapInh', 'CapPrm', 'CapEff', 'CapAmb'] as const) expect(status[set], set).toBe('0000000000000000');
    const summary = lastRecord(r.stdout);
    expect(summary.ebpf.attach_mode).toBe('tp_btf');
  });

  it('counts exactly: setpriv switches users before the command, and is not counted', async (ctx) => {
    const u = setup(ctx);
    const r = await sudoTsdenet(u, ['--enable-ebpf', '--require-ebpf', '--json', 'run', '--', workload]);
    expect(r.code).toBe(0);
    const sc = lastRecord(r.stdout).ebpf.syscalls;
    for (const [name, count] of Object.entries(WORKLOAD_COUNTS)) expect(sc.by_syscall[name], name).toBe(count);
    expect(sc.processes).toHaveLength(3);
  });

  it('--as-root keeps root on purpose', async (ctx) => {
    const u = setup(ctx);
    const r = await sudoTsdenet(u, ['--as-root', '--json', 'run', '--', 'cat', '/proc/self/status']);
    expect(r.code).toBe(0);
    expect(statusLines(r.stderr).Uid).toBe('0\t0\t0\t0');
    expect(r.stderr).not.toContain('the command runs as');
  });

  it('passes the command exit status through setpriv', async (ctx) => {
    const u = setup(ctx);
    const r = await sudoTsdenet(u, ['--quiet', 'run', '--', 'sh', '-c', 'exit 7']);
    expect(r.code).toBe(7);
    const notPermitted = await sudoTsdenet(u, ['--quiet', 'run', '--', 'cat', '/etc/shadow']);
    expect(notPermitted.code).toBe(1);
    expect(notPermitted.stderr).toMatch(/Permission denied/);
  });
});

describe('--user as root', () => {
  it('runs the command as the named user, with their groups', async (ctx) => {
    const u = setup(ctx);
    const r = await runCli(['--user', u.name, '--json', 'run', '--', 'cat', '/proc/self/status']);
    expect(r.code).toBe(0);
    const status = statusLines(r.stderr);
    expect(status.Uid).toBe(`${u.uid}\t${u.uid}\t${u.uid}\t${u.uid}`);
    expect(status.Groups?.split(' ').map(Number)).toContain(u.extraGid);
    expect(status.CapEff).toBe('0000000000000000');
  });

  it('refuses an unknown user and contradictory flags before starting anything', async (ctx) => {
    setup(ctx);
    const unknown = await runCli(['--user', 'no-such-user-tsdenet', 'run', '--', 'true']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^tsdenet: --user no-such-user-tsdenet: no such user$/m);
    const both = await runCli(['--user', 'root', '--as-root', 'run', '--', 'true']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/cannot be used together/);
  });

  it('refuses --user without root, naming the fix', async (ctx) => {
    const u = setup(ctx);
    const r = await runAs(u.name, process.execPath, [BIN, '--user', 'root', 'run', '--', 'true']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tsdenet: --user root needs root: tsdenet runs as uid \d+$/m);
    expect(r.stderr).toMatch(/^tsdenet: fix: sudo tsdenet --user root/m);
  });
});
