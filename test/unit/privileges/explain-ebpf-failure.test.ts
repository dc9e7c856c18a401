import { describe, expect, it } from 'vitest';
import { BpfError, LibbpfMissingError } from '../../../src/errors.js';
import { capabilityMask } from '../../../src/privileges/capabilities.js';
import { explainEbpfFailure, type ExplainContext } from '../../../src/privileges/explain-ebpf-failure.js';

const eperm = new BpfError('load BPF programs', 1, 'EPERM', 'load BPF programs: permission denied (EPERM)');
const base: ExplainContext = {
  euid: 1000,
  effective: 0n,
  kernel: { major: 6, minor: 18, patch: 0 },
  inInitialUserNamespace: true,
  userName: 'alice',
  setupScript: '/opt/tsdenet/setup/tracefs.sh',
};

describe('explainEbpfFailure', () => {
  it('names the missing capabilities and the fix instead of EPERM', () => {
    const e = explainEbpfFailure(eperm, base);
    expect(e.code).toBe('PRIVILEGE');
    expect(e.message).toBe('missing CAP_BPF, CAP_PERFMON (tsdenet runs as alice (uid 1000) with no capabilities)');
    expect(e.hint).toContain('sudo /opt/tsdenet/setup/tracefs.sh --user alice');
    expect(e.hint).toContain('tsdenet doctor');
    expect(e.cause).toBe(eperm);
  });

  it('says which one is missing when one is held', () => {
    const e = explainEbpfFailure(eperm, { ...base, effective: capabilityMask(['CAP_BPF']) });
    expect(e.message).toBe('missing CAP_PERFMON (tsdenet runs as alice (uid 1000) with CAP_BPF only)');
  });

  it('points a non-root user whose classic tracepoint attach got EACCES at the tracefs setup', () => {
    const attach = new BpfError('attach time_sys_exit_tp', 13, 'EACCES', 'attach time_sys_exit_tp: permission denied (EACCES)');
    const error = new BpfError('start', 13, 'EACCES', 'eBPF syscall counting unavailable (tracepoint: attach time_sys_exit_tp: permission denied (EACCES))');
    Object.assign(error, { attempts: [{ mode: 'tracepoint', error: attach }] });
    const e = explainEbpfFailure(error, { ...base, effective: capabilityMask(['CAP_BPF', 'CAP_PERFMON']) });
    expect(e.message).toBe(error.message);
    expect(e.hint).toMatch(/tracefs event files .*sys_exit.*: sudo \/opt\/tsdenet\/setup\/tracefs.sh --user alice/);
  });

  it('keeps the original error when the capabilities are all there', () => {
    const error = new BpfError('read tracefs', 13, 'EACCES', 'cannot read tracefs');
    expect(explainEbpfFailure(error, { ...base, effective: capabilityMask(['CAP_BPF', 'CAP_PERFMON']) })).toBe(error);
  });

  it('blames the container for root without the capabilities or in a user namespace', () => {
    expect(explainEbpfFailure(eperm, { ...base, euid: 0 }).hint).toMatch(/--cap-add BPF --cap-add PERFMON/);
    expect(explainEbpfFailure(eperm, { ...base, euid: 0, effective: 0x1ffffffffffn, inInitialUserNamespace: false }).message).toMatch(/user namespace/);
  });

  it('leaves a missing libbpf alone: installing it comes first', () => {
    const missing = new LibbpfMissingError('libbpf.so.1');
    expect(explainEbpfFailure(missing, base)).toBe(missing);
  });

  it('does not send doctor users to doctor', () => {
    expect(explainEbpfFailure(eperm, { ...base, inDoctor: true }).hint).not.toContain('doctor');
  });
});
