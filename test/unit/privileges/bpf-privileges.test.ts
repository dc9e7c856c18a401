import { describe, expect, it } from 'vitest';
import { capabilityMask } from '../../../src/privileges/capabilities.js';
import { isInitialUserNamespace, missingBpfCapabilities } from '../../../src/privileges/bpf-privileges.js';
import { kernelAtLeast, parseKernelRelease } from '../../../src/privileges/kernel-version.js';

const k618 = parseKernelRelease('6.18.44-fc-v595');
const k54 = parseKernelRelease('5.4.0-150-generic');

describe('missingBpfCapabilities', () => {
  it('needs CAP_BPF and CAP_PERFMON on Linux >= 5.8', () => {
    expect(missingBpfCapabilities({ effective: 0n, kernel: k618 })).toEqual(['CAP_BPF', 'CAP_PERFMON']);
    expect(missingBpfCapabilities({ effective: capabilityMask(['CAP_BPF']), kernel: k618 })).toEqual(['CAP_PERFMON']);
    expect(missingBpfCapabilities({ effective: capabilityMask(['CAP_BPF', 'CAP_PERFMON']), kernel: k618 })).toEqual([]);
  });

  it('accepts CAP_SYS_ADMIN for both, and needs it before 5.8', () => {
    expect(missingBpfCapabilities({ effective: capabilityMask(['CAP_SYS_ADMIN']), kernel: k618 })).toEqual([]);
    expect(missingBpfCapabilities({ effective: capabilityMask(['CAP_BPF', 'CAP_PERFMON']), kernel: k54 })).toEqual(['CAP_SYS_ADMIN']);
  });

  it('assumes the current rules when the kernel version is unknown', () => {
    expect(missingBpfCapabilities({ effective: 0n, kernel: undefined })).toEqual(['CAP_BPF', 'CAP_PERFMON']);
  });
});

describe('kernel versions and user namespaces', () => {
  it('parses releases and compares them', () => {
    expect(k618).toEqual({ major: 6, minor: 18, patch: 44 });
    expect(parseKernelRelease('5.17')).toEqual({ major: 5, minor: 17, patch: 0 });
    expect(parseKernelRelease('garbage')).toBeUndefined();
    expect(kernelAtLeast(k618!, { major: 5, minor: 17, patch: 0 })).toBe(true);
    expect(kernelAtLeast(k54!, { major: 5, minor: 8, patch: 0 })).toBe(false);
    expect(kernelAtLeast({ major: 5, minor: 8, patch: 0 }, { major: 5, minor: 8, patch: 0 })).toBe(true);
  });

  it('recognises the initial user namespace map only', () => {
    expect(isInitialUserNamespace('         0          0 4294967295\n')).toBe(true);
    expect(isInitialUserNamespace('         0     100000      65536\n')).toBe(false);
  });
});
