import { closeSync, fstatSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { libbpfPath } from '../../../src/bpf/libbpf.js';
import { withoutInheritable } from '../../../src/ffi/capset.js';
import { capabilityMask } from '../../../src/privileges/capabilities.js';
import {
  libraryOverrideRefusal,
  holdsCapabilitiesAsUser,
  keepCapabilitiesToOurselves,
  parseEnvironmentBlock,
  readUserEnvironment,
} from '../../../src/privileges/launch-environment.js';
import type { ProcCredentials } from '../../../src/privileges/proc-status.js';

const dir = mkdtempSync(join(tmpdir(), 'tsdenet-launchenv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BPF = capabilityMask(['CAP_BPF', 'CAP_PERFMON']);

function creds(uid: number, caps: Partial<ProcCredentials['caps']>): ProcCredentials {
  const ids = { real: uid, effective: uid, saved: uid, filesystem: uid };
  return {
    uid: ids,
    gid: ids,
    groups: [],
    caps: { inheritable: 0n, permitted: 0n, effective: 0n, bounding: 0n, ambient: 0n, ...caps },
    noNewPrivs: false,
  };
}

describe('parseEnvironmentBlock', () => {
  it('reads env -0 output: values with =, newlines or nothing; skips entries without a name', () => {
    const block = Buffer.from('A=1\0B=x=y\0MULTI=one\ntwo\n\0EMPTY=\0=nameless\0junk\0', 'utf8');
    expect(parseEnvironmentBlock(block)).toEqual({ A: '1', B: 'x=y', MULTI: 'one\ntwo\n', EMPTY: '' });
    expect(parseEnvironmentBlock(Buffer.alloc(0))).toEqual({});
  });
});

describe('readUserEnvironment', () => {
  it('reads the block from a file descriptor and closes it, so the command never inherits it', () => {
    const path = join(dir, 'env');
    writeFileSync(path, 'TMPDIR=/x\0LD_LIBRARY_PATH=/y\0');
    const fd = openSync(path, 'r');
    expect(readUserEnvironment(String(fd))).toEqual({ TMPDIR: '/x', LD_LIBRARY_PATH: '/y' });
    expect(() => fstatSync(fd)).toThrow(/EBADF/);
  });

  it('leaves alone a descriptor that is neither a file nor a pipe (one of node\'s own)', () => {
    const fd = openSync(dir, 'r');
    try {
      expect(() => readUserEnvironment(String(fd))).toThrow(`cannot read the environment from file descriptor ${fd}: not a file or a pipe`);
      expect(fstatSync(fd).isDirectory()).toBe(true);
    } finally {
      closeSync(fd);
    }
  });

  it('refuses what is not a descriptor above 2', () => {
    for (const text of ['0', '2', 'x', '-1', '99999']) expect(() => readUserEnvironment(text)).toThrow(/TSDENET_USER_ENV_FD=.* is not a file descriptor above 2/);
  });
});

describe('keepCapabilitiesToOurselves', () => {
  it('does nothing when no capability could be inherited', () => {
    let cleared = 0;
    keepCapabilitiesToOurselves(() => creds(1000, { effective: BPF, permitted: BPF }), () => cleared++);
    expect(cleared).toBe(0);
  });

  it('clears inheritable and ambient sets, and checks that they are empty afterwards', () => {
    let state = creds(1000, { effective: BPF, permitted: BPF, inheritable: BPF, ambient: BPF });
    keepCapabilitiesToOurselves(
      () => state,
      () => {
        state = creds(1000, { effective: BPF, permitted: BPF });
      },
    );
    expect(state.caps.ambient).toBe(0n);
  });

  it('fails closed when they stay', () => {
    const stuck = creds(1000, { ambient: BPF, inheritable: BPF });
    expect(() =>
      keepCapabilitiesToOurselves(
        () => stuck,
        () => {
          throw new Error('capset failed');
        },
      ),
    ).toThrow(/cannot drop the inheritable capabilities \(CAP_PERFMON, CAP_BPF\) the command would inherit: Error: capset failed/);
  });
});

describe('knobs while holding capabilities', () => {
  it('tells a user holding capabilities from root and from a plain user', () => {
    expect(holdsCapabilitiesAsUser(creds(1000, { effective: BPF, permitted: BPF }))).toBe(true);
    expect(holdsCapabilitiesAsUser(creds(1000, { permitted: BPF }))).toBe(true);
    expect(holdsCapabilitiesAsUser(creds(1000, {}))).toBe(false);
    expect(holdsCapabilitiesAsUser(creds(0, { effective: BPF }))).toBe(false);
  });

  it('ignores TSDENET_LIBBPF in a process holding capabilities as a user', () => {
    const env = { TSDENET_LIBBPF: '/home/u/evil.so' };
    expect(libbpfPath(env, () => false)).toBe('/home/u/evil.so');
    expect(libbpfPath(env, () => true)).toBe('libbpf.so.1');
    expect(libbpfPath({}, () => false)).toBe('libbpf.so.1');
  });

  it('one rule for every library the environment names: root and plain users may, a user holding more than their own may not', () => {
    const plain = (): boolean => false;
    expect(libraryOverrideRefusal(() => creds(0, { effective: BPF, permitted: BPF }), plain)).toBeUndefined();
    expect(libraryOverrideRefusal(() => creds(1000, {}), plain)).toBeUndefined();
    expect(libraryOverrideRefusal(() => creds(1000, { permitted: BPF }), plain)).toMatch(/holds capabilities as a user/);
    const setuid = creds(1000, {});
    setuid.uid = { ...setuid.uid, effective: 0 };
    expect(libraryOverrideRefusal(() => setuid, plain)).toBe('tsdenet runs setuid or setgid');
    expect(libraryOverrideRefusal(() => creds(0, {}), () => true)).toMatch(/started setuid, setgid or with file capabilities/);
    expect(libraryOverrideRefusal(() => { throw new Error('EACCES'); }, plain)).toBe('its credentials could not be read');
  });
});

describe('withoutInheritable', () => {
  it('zeroes both inheritable words of capset data and nothing else', () => {
    const data = Buffer.alloc(24, 0xff);
    const out = withoutInheritable(data);
    expect([...out.subarray(8, 12), ...out.subarray(20, 24)]).toEqual(Array(8).fill(0));
    expect([...out.subarray(0, 8), ...out.subarray(12, 20)]).toEqual(Array(16).fill(0xff));
    expect(data.readUInt32LE(8)).toBe(0xffffffff);
  });
});
