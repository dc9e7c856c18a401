/**
 * Non-root profiling for real: a user created for the test, a node copy
 * with only CAP_BPF and CAP_PERFMON as file capabilities (root:group 0750,
 * a test fixture; setup/tracefs.sh gives them through sudo instead, see
 * least-privilege.test.ts), exact counts of the workload, a command that
 * ends up with no capabilities, and clear errors without them.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { BIN, lastRecord } from '../helpers/cli.js';
import { bpfSkipReason } from '../helpers/privileges.js';
import {
  createTestUser,
  installLauncher,
  publicTempDir,
  publicWorkload,
  removeDir,
  requireTestUser,
  runAs,
  statusLines,
  type Launcher,
  type TestUser,
} from '../helpers/unprivileged-user.js';
import { WORKLOAD_COUNTS } from '../helpers/workload.js';

let user: TestUser | undefined;
let outsider: TestUser | undefined;
let dir = '';
let workload = '';
let launcher: Launcher;

function skipReason(): string | undefined {
  return bpfSkipReason() ?? (existsSync('/usr/sbin/setcap') || existsSync('/sbin/setcap') ? undefined : 'setcap missing (apt-get install libcap2-bin)');
}

function setup(ctx: TestContext): TestUser {
  return requireTestUser(ctx, skipReason(), user);
}

beforeAll(() => {
  if (skipReason() !== undefined) return;
  user = createTestUser('tsdnr');
  outsider = createTestUser('tsdno');
  dir = publicTempDir('nonroot');
  workload = publicWorkload(dir);
  launcher = installLauncher(dir, user.extraGroup, 'cap_bpf,cap_perfmon=ep');
});

afterAll(() => {
  user?.remove();
  outsider?.remove();
  if (dir) removeDir(dir);
});

function expectExactCounts(summary: Record<string, any>): void {
  const bySyscall = summary.ebpf.syscalls.by_syscall as Record<string, number>;
  for (const [name, count] of Object.entries(WORKLOAD_COUNTS)) expect(bySyscall[name], name).toBe(count);
  expect(summary.ebpf.syscalls.dropped).toBe(0);
}

describe('non-root profiling with CAP_BPF and CAP_PERFMON only', () => {
  it('counts the workload exactly as an unprivileged user', async (ctx) => {
    const u = setup(ctx);
    const r = await runAs(u.name, launcher.launcher, ['--enable-ebpf', '--require-ebpf', '--json', 'run', '--', workload]);
    expect(r.stderr).not.toMatch(/internal error|warning/);
    expect(r.code).toBe(0);
    const summary = lastRecord(r.stdout);
    expect(summary.ebpf.attach_mode).toBe('tp_btf');
    expectExactCounts(summary);
  });

  it('runs tsdenet with the capabilities and the command with none', async (ctx) => {
    const u = setup(ctx);
    // --json sends the command's stdout to stderr: the command prints its own status there.
    const r = await runAs(u.name, launcher.launcher, ['--enable-ebpf', '--require-ebpf', '--json', 'run', '--', 'cat', '/proc/self/status']);
    expect(r.code).toBe(0);
    const status = statusLines(r.stderr);
    expect(status.Uid).toBe(`${u.uid}\t${u.uid}\t${u.uid}\t${u.uid}`);
    expect(status.CapEff).toBe('0000000000000000');
    expect(status.CapPrm).toBe('0000000000000000');
    expect(status.CapAmb).toBe('0000000000000000');
    expect(lastRecord(r.stdout).ebpf.syscalls.total).toBeGreaterThan(0);
  });

  it('doctor as that user: the capabilities are held and eBPF profiling works', async (ctx) => {
    const u = setup(ctx);
    const r = await runAs(u.name, launcher.launcher, ['--json', 'doctor']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(true);
    const byId = Object.fromEntries(report.checks.map((c: any) => [c.id, c]));
    expect(byId.identity.status).toBe('ok');
    expect(byId.identity.found).toContain(`uid ${u.uid}`);
    expect(byId.identity.found).toContain('CAP_PERFMON, CAP_BPF');
    expect(byId.cap_bpf.found).toMatch(/^held/);
    expect(byId.load_tp_btf.status).toBe('ok');
    expect(byId.ebpf.status).toBe('ok');
  });

  it('still counts exactly with kptr_restrict=2: tsdenet does not need it lowered', async (ctx) => {
    const u = setup(ctx);
    const path = '/proc/sys/kernel/kptr_restrict';
    const before = readFileSync(path, 'utf8').trim();
    writeFileSync(path, '2');
    try {
      const r = await runAs(u.name, launcher.launcher, ['--enable-ebpf', '--require-ebpf', '--json', 'run', '--', workload]);
      expect(r.code).toBe(0);
      expectExactCounts(lastRecord(r.stdout));
    } finally {
      writeFileSync(path, before);
    }
    expect(readFileSync(path, 'utf8').trim()).toBe(before);
  });

  it('keeps the capability copy of node out of reach of users outside the group', async (ctx) => {
    setup(ctx);
    const r = await runAs(outsider!.name, launcher.node, ['-e', '0']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Permission denied/);
  });
});

describe('without the capabilities', () => {
  it('names what is missing and the fix, runs the command anyway, records ebpf.error', async (ctx) => {
    const u = setup(ctx);
    const r = await runAs(u.name, process.execPath, [BIN, '--enable-ebpf', '--json', 'run', '--', workload]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/internal error|    at /);
    expect(r.stderr).toMatch(/^tsdenet: warning: eBPF profiling disabled: missing CAP_BPF, CAP_PERFMON \(tsdenet runs as .*uid \d+.* with no capabilities\)$/m);
    expect(r.stderr).toMatch(/^tsdenet: fix: run with sudo, or set up non-root profiling once: sudo .*setup\/tracefs\.sh --user /m);
    const summary = lastRecord(r.stdout);
    expect(summary.ebpf.error).toMatch(/^missing CAP_BPF, CAP_PERFMON/);
    expect(summary.exit_code).toBe(0);
  });

  for (const how of ['--require-ebpf', 'TSDENET_REQUIRE_EBPF=1'] as const) {
    it(`${how} fails before starting the command, with the same message`, async (ctx) => {
      const u = setup(ctx);
      const marker = join(dir, `started-${how.length}`);
      const args = how === '--require-ebpf' ? ['--require-ebpf'] : [];
      const env = how === '--require-ebpf' ? process.env : { ...process.env, TSDENET_REQUIRE_EBPF: '1' };
      const r = await runAs(u.name, process.execPath, [BIN, ...args, 'run', '--', 'sh', '-c', `echo > ${marker}`], { env });
      expect(r.code).toBe(1);
      expect(existsSync(marker)).toBe(false);
      expect(r.stderr).toMatch(/^tsdenet: missing CAP_BPF, CAP_PERFMON/m);
      expect(r.stderr).toMatch(/^tsdenet: fix: /m);
      expect(r.stderr.trim().split('\n')).toHaveLength(2);
    });
  }
});
