/**
 * `tsdenet doctor` on the real machine: as root it loads both attach modes
 * and exits 0; as a user without capabilities it exits 1 and says exactly
 * what is missing. (The capability-holding user is in nonroot-profile.)
 */
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { bpfSkipReason, ensureTracefs, requireOrSkip } from '../helpers/privileges.js';
import { createTestUser, runAs, type TestUser } from '../helpers/unprivileged-user.js';

let user: TestUser | undefined;
beforeAll(() => {
  if (bpfSkipReason() === undefined) user = createTestUser('tsdnd');
});
afterAll(() => user?.remove());

function setup(ctx: TestContext): void {
  requireOrSkip(ctx, bpfSkipReason());
}

describe('tsdenet doctor', () => {
  it('as root: every check passes or is unknown, both modes load, exit 0', async (ctx) => {
    setup(ctx);
    ensureTracefs();
    const r = await runCli(['--json', 'doctor']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ kind: 'doctor', ok: true, attach_mode: 'tp_btf' });
    const byId = Object.fromEntries(report.checks.map((c: any) => [c.id, c]));
    for (const id of ['identity', 'cap_bpf', 'cap_perfmon', 'cap_dac_read_search', 'cap_sys_admin', 'kernel', 'kernel_config', 'btf', 'bpf_jit', 'memlock', 'unprivileged_bpf_disabled', 'perf_event_paranoid', 'kptr_restrict', 'tracefs', 'libbpf', 'load_tp_btf', 'load_tracepoint', 'ebpf']) {
      expect(byId[id], id).toBeDefined();
    }
    expect(report.checks.filter((c: any) => c.status === 'fail')).toEqual([]);
    expect(byId.load_tp_btf.status).toBe('ok');
    expect(byId.load_tracepoint.status).toBe('ok');
    expect(byId.libbpf.found).toMatch(/^v?\d+\.\d+/);
    for (const c of report.checks) expect(['ok', 'warn', 'fail', 'unknown']).toContain(c.status);
  });

  it('prints the table (check, status, found) and the verdict line', async (ctx) => {
    setup(ctx);
    const r = await runCli(['doctor']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/│ check\s+│ status\s+│ found/);
    expect(r.stdout).toContain('load tp_btf/sys_enter');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('eBPF profiling works here (attach mode tp_btf).');
  });

  it('as a user without capabilities: exit 1, names the missing ones and the fix', async (ctx) => {
    setup(ctx);
    const r = await runAs(user!.name, process.execPath, [BIN, '--json', 'doctor']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(false);
    expect(report.attach_mode).toBeNull();
    const byId = Object.fromEntries(report.checks.map((c: any) => [c.id, c]));
    expect(byId.identity.status).toBe('fail');
    expect(byId.identity.found).toContain(`uid ${user!.uid}`);
    expect(byId.cap_bpf.status).toBe('fail');
    expect(byId.cap_perfmon.status).toBe('fail');
    expect(byId.load_tp_btf.status).toBe('fail');
    expect(byId.ebpf.found).toMatch(/^does not work: missing CAP_BPF, CAP_PERFMON/);
    expect(byId.ebpf.fix).toContain(`setup/tracefs.sh --user ${user!.name}`);
    // Nothing about the kernel is blamed for a missing privilege.
    for (const id of ['kernel', 'kernel_config', 'btf', 'kptr_restrict', 'unprivileged_bpf_disabled']) expect(byId[id].status, id).not.toBe('fail');
  });
});
