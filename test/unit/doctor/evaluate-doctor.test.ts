/**
 * The doctor's rules on given facts: the error paths a test machine cannot
 * reach (no kernel config, old kernel, tp_btf only, user namespace) and the
 * "never a false failure" guarantees.
 */
import { describe, expect, it } from 'vitest';
import { TsdenetError } from '../../../src/errors.js';
import type { DoctorInput } from '../../../src/doctor/context.js';
import type { SystemFacts } from '../../../src/doctor/facts.js';
import { evaluateDoctor, type DoctorReport } from '../../../src/doctor/run-doctor.js';
import { renderDoctorTable } from '../../../src/doctor/render.js';

const ok = (value: string) => ({ ok: true as const, value });
const readable = (path: string) => ({
  path,
  mounted: true,
  events: 'ok',
  files: ['events/raw_syscalls/sys_enter/id'].map((file) => ({ file, access: 'ok' })),
});

function facts(over: Partial<SystemFacts> = {}): SystemFacts {
  return {
    userName: 'alice',
    creds: {
      uid: { real: 1000, effective: 1000, saved: 1000, filesystem: 1000 },
      gid: { real: 1000, effective: 1000, saved: 1000, filesystem: 1000 },
      groups: [1000],
      caps: { inheritable: 0n, permitted: 0xc000000000n, effective: 0xc000000000n, bounding: 0x1ffffffffffn, ambient: 0n },
      noNewPrivs: false,
    },
    inInitialUserNamespace: true,
    release: '6.18.44',
    kernel: { major: 6, minor: 18, patch: 44 },
    config: { source: '/proc/config.gz', options: new Map(['CONFIG_BPF_SYSCALL', 'CONFIG_BPF_EVENTS', 'CONFIG_HAVE_SYSCALL_TRACEPOINTS', 'CONFIG_DEBUG_INFO_BTF'].map((k) => [k, 'y'])) },
    btf: { state: 'readable', bytes: 5 << 20 },
    jit: ok('1'),
    unprivilegedBpfDisabled: ok('2'),
    perfEventParanoid: ok('2'),
    kptrRestrict: ok('2'),
    tracefs: [readable('/sys/kernel/tracing'), { path: '/sys/kernel/debug/tracing', mounted: false, events: 'ENOENT', files: [] }],
    memlock: { softBytes: 8 << 20 },
    ...over,
  };
}

const eperm = new TsdenetError('BPF_EPERM', 'load BPF programs: permission denied (EPERM)', 1);
const eacces = new TsdenetError('BPF_EACCES', 'cannot read tracefs', 1);

function input(over: Partial<DoctorInput> = {}): DoctorInput {
  return {
    facts: facts(),
    libbpf: { ok: true, version: 'v1.1', path: '/usr/lib/x86_64-linux-gnu/libbpf.so.1.1.2' },
    loads: { tp_btf: { mode: 'tp_btf', ok: true, ms: 40 }, tracepoint: { mode: 'tracepoint', ok: true, ms: 200 } },
    wanted: 'auto',
    setupScript: '/opt/tsdenet/setup/tracefs.sh',
    ...over,
  };
}

const row = (report: DoctorReport, id: string) => {
  const found = report.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
};

describe('evaluateDoctor', () => {
  it('is all ok for a capability-holding user when both modes load', () => {
    const report = evaluateDoctor(input());
    expect(report.ok).toBe(true);
    expect(report.attach_mode).toBe('tp_btf');
    expect(report.checks.filter((c) => c.status !== 'ok')).toEqual([]);
  });

  it('says unknown, never fail, without /proc/config.gz or /boot/config-*', () => {
    const report = evaluateDoctor(input({ facts: facts({ config: undefined }) }));
    expect(row(report, 'kernel_config').status).toBe('unknown');
    expect(report.ok).toBe(true);
  });

  it('fails a kernel without BPF syscall support, names the option', () => {
    const config = { source: '/boot/config-5.10', options: new Map([['CONFIG_BPF_EVENTS', 'y']]) };
    const c = row(evaluateDoctor(input({ facts: facts({ config }) })), 'kernel_config');
    expect(c.status).toBe('fail');
    expect(c.fix).toContain('CONFIG_BPF_SYSCALL');
  });

  it('only warns about tracefs, perf_event_paranoid and the fallback when tp_btf works', () => {
    const report = evaluateDoctor(
      input({
        facts: facts({ perfEventParanoid: ok('3'), tracefs: [{ path: '/sys/kernel/tracing', mounted: true, events: 'EACCES', files: [] }, { path: '/sys/kernel/debug/tracing', mounted: false, events: 'ENOENT', files: [] }] }),
        loads: { tp_btf: { mode: 'tp_btf', ok: true, ms: 40 }, tracepoint: { mode: 'tracepoint', ok: false, ms: 3, error: eacces } },
      }),
    );
    expect(report.ok).toBe(true);
    expect(report.checks.some((c) => c.status === 'fail')).toBe(false);
    expect(row(report, 'tracefs').status).toBe('warn');
    expect(row(report, 'load_tracepoint').status).toBe('warn');
    expect(row(report, 'perf_event_paranoid').status).toBe('ok');
  });

  it('fails and names the missing capabilities when nothing loads for lack of them', () => {
    const creds = { ...facts().creds, caps: { ...facts().creds.caps, effective: 0n, permitted: 0n } };
    const report = evaluateDoctor(
      input({
        facts: facts({ creds }),
        loads: { tp_btf: { mode: 'tp_btf', ok: false, ms: 5, error: eperm }, tracepoint: { mode: 'tracepoint', ok: false, ms: 5, error: eperm } },
      }),
    );
    expect(report.ok).toBe(false);
    expect(row(report, 'identity').status).toBe('fail');
    expect(row(report, 'cap_bpf').status).toBe('fail');
    expect(row(report, 'cap_sys_admin').status).toBe('ok');
    const verdict = row(report, 'ebpf');
    expect(verdict.found).toContain('missing CAP_BPF, CAP_PERFMON');
    expect(verdict.fix).toContain('sudo /opt/tsdenet/setup/tracefs.sh --user alice');
    expect(verdict.fix).not.toContain('tsdenet doctor');
  });

  it('needs CAP_SYS_ADMIN before Linux 5.8 and does not ask for CAP_BPF there', () => {
    const report = evaluateDoctor(input({ facts: facts({ release: '5.4.0', kernel: { major: 5, minor: 4, patch: 0 } }) }));
    expect(row(report, 'cap_sys_admin').status).toBe('fail');
    expect(row(report, 'kernel').status).toBe('warn');
    expect(row(report, 'memlock').found).toContain('8192 KiB');
  });

  it('follows --attach-mode: only the asked mode decides', () => {
    const loads = { tp_btf: { mode: 'tp_btf' as const, ok: true, ms: 1 }, tracepoint: { mode: 'tracepoint' as const, ok: false, ms: 1, error: eacces } };
    expect(evaluateDoctor(input({ loads, wanted: 'tracepoint' })).ok).toBe(false);
    expect(evaluateDoctor(input({ loads, wanted: 'tp_btf' })).ok).toBe(true);
  });

  it('reports sysctls it cannot read as unknown', () => {
    const report = evaluateDoctor(input({ facts: facts({ jit: { ok: false, reason: 'missing', detail: 'ENOENT' } }) }));
    expect(row(report, 'bpf_jit').status).toBe('unknown');
  });

  it('renders a table with every check and the verdict', () => {
    const text = renderDoctorTable(evaluateDoctor(input()), 120);
    expect(text).toContain('kernel.kptr_restrict');
    expect(text).toContain('eBPF profiling works here (attach mode tp_btf).');
  });
});
