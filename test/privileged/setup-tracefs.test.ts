/**
 * setup/tracefs.sh: staged under --root (files, modes, unit, dry run,
 * idempotence, uninstall), shellcheck, and a real run on this machine
 * followed by non-root profiling in both attach modes and --uninstall,
 * which must leave groups, tracefs modes and sysctls as they were.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { ROOT, lastRecord, runProgram } from '../helpers/cli.js';
import { bpfSkipReason, ensureTracefs, requireOrSkip } from '../helpers/privileges.js';
import { createTestUser, publicTempDir, publicWorkload, removeDir, runAs, type TestUser } from '../helpers/unprivileged-user.js';
import { lockTracefs } from '../helpers/tracefs-lock.js';
import { WORKLOAD_COUNTS } from '../helpers/workload.js';

const SCRIPT = join(ROOT, 'setup/tracefs.sh');
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const f of cleanups.reverse()) f();
});

function setupScript(args: string[]) {
  return runProgram('bash', [SCRIPT, ...args]);
}

function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const st = lstatSync(p);
      out.push(`${(st.mode & 0o7777).toString(8)} ${p.slice(dir.length)}${st.isSymbolicLink() ? ' -> link' : ''}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out.sort();
}

function rootOnly(ctx: TestContext): void {
  requireOrSkip(ctx, process.getuid?.() === 0 ? undefined : 'needs root (installs files owned by root, setcap)');
}

describe('setup/tracefs.sh staged with --root', () => {
  it('is shellcheck clean', (ctx) => {
    let reason: string | undefined;
    try {
      execFileSync('shellcheck', ['--version'], { stdio: 'ignore' });
    } catch {
      reason = 'shellcheck is not installed (apt-get install shellcheck)';
    }
    requireOrSkip(ctx, reason);
    execFileSync('shellcheck', [SCRIPT, join(ROOT, 'setup/tracefs-permissions.sh')]);
    // And the scripts it writes: the launcher and the privileged entry point.
    if (process.getuid?.() !== 0) return;
    const stage = publicTempDir('stage-sc');
    cleanups.push(() => removeDir(stage));
    execFileSync('bash', [SCRIPT, '--root', stage, '--group', 'root'], { stdio: 'ignore' });
    execFileSync('shellcheck', [join(stage, 'usr/local/bin/tsdenet'), join(stage, 'usr/local/lib/tsdenet/tsdenet-privileged')]);
  });

  it('stages files and modes; dry run first changes nothing; twice is idempotent; uninstall removes all', async (ctx) => {
    rootOnly(ctx);
    const stage = publicTempDir('stage');
    cleanups.push(() => removeDir(stage));
    const group = 'root';

    const dry = await setupScript(['--root', stage, '--group', group, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/would: install .*\/usr\/local\/lib\/tsdenet\/tsdenet-privileged \(0755 root:root\)/);
    expect(dry.stdout).toMatch(/would: install .*\/etc\/sudoers.d\/tsdenet-root \(0440 root:root\)/);
    expect(dry.stdout).not.toMatch(/setcap|grant|copy/);
    expect(dry.stdout).toMatch(/dry run: \d+ changes would be made, none was/);
    expect(readdirSync(stage)).toEqual([]);

    const first = await setupScript(['--root', stage, '--group', group]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const lib = join(stage, 'usr/local/lib/tsdenet');
    const privileged = join(lib, 'tsdenet-privileged');
    // No file holds capabilities: only the sudoers rule leads to them.
    expect(execFileSync('getcap', ['-r', stage], { encoding: 'utf8' })).toBe('');
    const node = realpathSync(process.execPath);
    const launcher = readFileSync(join(stage, 'usr/local/bin/tsdenet'), 'utf8');
    expect(launcher).toContain('exec /usr/bin/sudo -n -- /usr/local/lib/tsdenet/tsdenet-privileged "$@"');
    expect(launcher).toContain(`exec ${node} ${join(ROOT, 'bin/tsdenet.js')} "$@"`);
    const entry = readFileSync(privileged, 'utf8');
    expect(entry).toContain('exec /usr/bin/env -i PATH=/usr/bin:/bin TSDENET_USER_ENV_FD=3');
    expect(entry).toContain('--inh-caps=-all,+bpf,+perfmon --ambient-caps=-all,+bpf,+perfmon');
    expect(entry).toContain(`-- ${node} -- ${join(ROOT, 'bin/tsdenet.js')} "$@"`);
    const sudoers = join(stage, 'etc/sudoers.d/tsdenet-root');
    expect(readFileSync(sudoers, 'utf8')).toContain('%root ALL=(root) NOPASSWD: /usr/local/lib/tsdenet/tsdenet-privileged\n');
    execFileSync('visudo', ['-c', '-q', '-f', sudoers]);
    const unit = readFileSync(join(stage, 'etc/systemd/system/tsdenet-tracefs.service'), 'utf8');
    expect(unit).toContain('ExecStart=/usr/local/lib/tsdenet/tracefs-permissions.sh apply root');
    expect(unit).toContain('After=sys-kernel-tracing.mount sys-kernel-debug.mount');
    expect(unit).toContain('WantedBy=multi-user.target');
    expect(lstatSync(join(stage, 'etc/systemd/system/multi-user.target.wants/tsdenet-tracefs.service')).isSymbolicLink()).toBe(true);
    expect(tree(stage)).toEqual([
      '644 /etc/systemd/system/tsdenet-tracefs.service',
      '755 /etc',
      '755 /etc/sudoers.d',
      '440 /etc/sudoers.d/tsdenet-root',
      '755 /etc/systemd',
      '755 /etc/systemd/system',
      '755 /etc/systemd/system/multi-user.target.wants',
      '755 /usr',
      '755 /usr/local',
      '755 /usr/local/bin',
      '755 /usr/local/bin/tsdenet',
      '755 /usr/local/lib',
      '755 /usr/local/lib/tsdenet',
      '755 /usr/local/lib/tsdenet/tracefs-permissions.sh',
      '600 /usr/local/lib/tsdenet/setup.state',
      '755 /usr/local/lib/tsdenet/tsdenet-privileged',
      '777 /etc/systemd/system/multi-user.target.wants/tsdenet-tracefs.service -> link',
    ].sort());

    const before = tree(stage).map((line) => `${line} ${lstatSync(join(stage, line.split(" ")[1]!)).mtimeMs}`);
    const second = await setupScript(['--root', stage, '--group', group]);
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).toBe('tracefs.sh: nothing to change: the setup is complete');
    expect(tree(stage).map((line) => `${line} ${lstatSync(join(stage, line.split(" ")[1]!)).mtimeMs}`)).toEqual(before);

    const undoDry = await setupScript(['--root', stage, '--uninstall', '--dry-run']);
    expect(undoDry.code).toBe(0);
    expect(existsSync(privileged)).toBe(true);
    const undo = await setupScript(['--root', stage, '--uninstall']);
    expect(undo.code).toBe(0);
    expect(readdirSync(stage)).toEqual([]);
    const again = await setupScript(['--root', stage, '--uninstall']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/nothing to uninstall/);
  });

  it('removes the capability-holding node copy an earlier version installed', async (ctx) => {
    rootOnly(ctx);
    const stage = publicTempDir('stage-old');
    cleanups.push(() => removeDir(stage));
    const lib = join(stage, 'usr/local/lib/tsdenet');
    execFileSync('mkdir', ['-p', lib]);
    const oldCopy = join(lib, 'node');
    execFileSync('cp', [process.execPath, oldCopy]);
    execFileSync('setcap', ['cap_bpf,cap_perfmon=ep', oldCopy]);
    writeFileSync(join(lib, 'setup.state'), 'dirs=/usr /usr/local /usr/local/lib /usr/local/lib/tsdenet\nfiles=/usr/local/lib/tsdenet/node\ngroup=root\nprefix=/usr/local\n', { mode: 0o600 });
    const upgrade = await setupScript(['--root', stage, '--group', 'root']);
    expect(upgrade.code).toBe(0);
    expect(upgrade.stdout).toContain(`remove ${oldCopy}, the capability-holding node copy of an earlier setup`);
    expect(existsSync(oldCopy)).toBe(false);
    expect(readFileSync(join(lib, 'setup.state'), 'utf8')).not.toContain('tsdenet/node');
    expect(execFileSync('getcap', ['-r', stage], { encoding: 'utf8' })).toBe('');
    const undo = await setupScript(['--root', stage, '--uninstall']);
    expect(undo.code).toBe(0);
    expect(readdirSync(stage)).toEqual([]);
  });

  it('refuses bad use with one clear line', async (ctx) => {
    rootOnly(ctx);
    const bad = await setupScript(['--frobnicate']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/tracefs.sh: error: unknown argument: --frobnicate/);
    const relative = await setupScript(['--prefix', 'relative/dir']);
    expect(relative.stderr).toMatch(/--prefix must be an absolute path/);
    const nobody = await setupScript(['--user', 'no-such-user-tsdenet', '--prefix', '/tmp/tsdenet-never']);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toMatch(/no such user: no-such-user-tsdenet/);
  });
});

function sysctl(name: string): string {
  return readFileSync(`/proc/sys/kernel/${name}`, 'utf8').trim();
}

function tracefsModes(): string {
  return execFileSync('bash', [join(ROOT, 'setup/tracefs-permissions.sh'), 'list'], { encoding: 'utf8' });
}

describe('setup/tracefs.sh on this machine', () => {
  it('installs, lets a new user profile in both attach modes, and uninstalls without a trace', async (ctx) => {
    requireOrSkip(ctx, bpfSkipReason());
    let groupExisted = true;
    try {
      execFileSync('getent', ['group', 'tracing'], { stdio: 'ignore' });
    } catch {
      groupExisted = false;
    }
    requireOrSkip(ctx, groupExisted ? 'group tracing exists already (a real setup here): not touching it' : undefined);
    cleanups.push(await lockTracefs());
    ensureTracefs();
    const user: TestUser = createTestUser('tsdnt');
    cleanups.push(() => user.remove());
    const dir = publicTempDir('setup');
    cleanups.push(() => removeDir(dir));
    const workload = publicWorkload(dir);
    const prefix = join(dir, 'prefix');
    const modesBefore = tracefsModes();
    const paranoidBefore = sysctl('perf_event_paranoid');
    // A Debian-like level, so the script's sysctl step runs for real.
    writeFileSync('/proc/sys/kernel/perf_event_paranoid', '3');
    cleanups.push(() => writeFileSync('/proc/sys/kernel/perf_event_paranoid', paranoidBefore));

    const install = await setupScript(['--user', user.name, '--prefix', prefix]);
    // A failure below must not leave the setup installed (the group, the sudoers rule, tracefs opened):
    // the next run would refuse to touch a group that exists.
    cleanups.push(() => {
      if (existsSync(join(prefix, 'lib/tsdenet/setup.state'))) execFileSync('bash', [SCRIPT, '--uninstall', '--prefix', prefix], { stdio: 'ignore' });
    });
    expect(install.stderr).toBe('');
    expect(install.code).toBe(0);
    expect(install.stdout).toContain('create group tracing');
    expect(install.stdout).toContain(`add ${user.name} to group tracing`);
    expect(sysctl('perf_event_paranoid')).toBe('2');
    expect(readFileSync('/etc/sysctl.d/60-tsdenet.conf', 'utf8')).toContain('kernel.perf_event_paranoid = 2');
    expect(tracefsModes()).toMatch(/^710 tracing \/sys\/kernel\/tracing$/m);
    expect(tracefsModes()).toMatch(/^440 tracing \/sys\/kernel\/tracing\/events\/raw_syscalls\/sys_enter\/id$/m);

    const twice = await setupScript(['--user', user.name, '--prefix', prefix]);
    expect(twice.stdout).toContain('nothing to change');

    // --errors and --latency attach sys_exit too: its tracefs files are opened as well.
    for (const [mode, extra] of [['tp_btf', []], ['tracepoint', []], ['tracepoint', ['--errors', '--latency']]] as const) {
      const r = await runAs(user.name, join(prefix, 'bin/tsdenet'), ['--enable-ebpf', '--require-ebpf', '--attach-mode', mode, ...extra, '--json', 'run', '--', workload]);
      expect(r.stderr, mode).not.toMatch(/internal error|warning/);
      expect(r.code, mode).toBe(0);
      const summary = lastRecord(r.stdout);
      expect(summary.ebpf.attach_mode).toBe(mode);
      for (const [name, count] of Object.entries(WORKLOAD_COUNTS)) expect(summary.ebpf.syscalls.by_syscall[name], `${mode} ${name}`).toBe(count);
    }

    const uninstall = await setupScript(['--uninstall', '--prefix', prefix]);
    expect(uninstall.code).toBe(0);
    expect(uninstall.stdout).toContain(`remove ${user.name} from group tracing`);
    expect(uninstall.stdout).toContain('delete group tracing');
    expect(() => execFileSync('getent', ['group', 'tracing'], { stdio: 'ignore' })).toThrow();
    expect(existsSync('/etc/sysctl.d/60-tsdenet.conf')).toBe(false);
    expect(sysctl('perf_event_paranoid')).toBe('3');
    expect(tracefsModes()).toBe(modesBefore);
    expect(existsSync(prefix)).toBe(false);
  }, 900_000);
});
