import { describe, expect, it } from 'vitest';
import { capabilityMask, capabilityNames, hasCapability, parseCapabilityMask } from '../../../src/privileges/capabilities.js';
import { parseProcStatus } from '../../../src/privileges/proc-status.js';

// Captured from `grep -E '^(Uid|Gid|Groups|Cap|NoNewPrivs)' /proc/self/status`
// of a node copy with cap_bpf,cap_perfmon=ep run by uid 1001 (Linux 6.18).
const STATUS = `Name:\tnode-bpf
Uid:\t1001\t1001\t1001\t1001
Gid:\t1001\t1001\t1001\t1001
Groups:\t1001 1002 
NoNewPrivs:\t0
CapInh:\t0000000000000000
CapPrm:\t000000c000000000
CapEff:\t000000c000000000
CapBnd:\t000001fffeffffff
CapAmb:\t0000000000000000
`;

describe('capability masks', () => {
  it('decodes the masks capsh --decode decodes', () => {
    expect(capabilityNames(0xc000000000n)).toEqual(['CAP_PERFMON', 'CAP_BPF']);
    // root here lacks CAP_SYS_RESOURCE (bit 24): capsh --decode=0x1fffeffffff
    const root = capabilityNames(0x1fffeffffffn);
    expect(root).toHaveLength(40);
    expect(root).not.toContain('CAP_SYS_RESOURCE');
    expect(root).toContain('CAP_CHECKPOINT_RESTORE');
    expect(capabilityNames(0n)).toEqual([]);
    expect(capabilityNames(1n << 41n)).toEqual(['cap_41']);
  });

  it('tests and builds masks by name', () => {
    expect(hasCapability(0xc000000000n, 'CAP_BPF')).toBe(true);
    expect(hasCapability(0xc000000000n, 'CAP_SYS_ADMIN')).toBe(false);
    expect(capabilityMask(['CAP_BPF', 'CAP_PERFMON'])).toBe(0xc000000000n);
    expect(capabilityMask(['CAP_DAC_READ_SEARCH'])).toBe(4n);
  });

  it('rejects what is not a hex mask', () => {
    expect(parseCapabilityMask('000000c000000000')).toBe(0xc000000000n);
    expect(parseCapabilityMask('xyz')).toBeUndefined();
    expect(parseCapabilityMask('')).toBeUndefined();
  });
});

describe('parseProcStatus', () => {
  it('reads ids, groups and the five sets', () => {
    const c = parseProcStatus(STATUS)!;
    expect(c.uid).toEqual({ real: 1001, effective: 1001, saved: 1001, filesystem: 1001 });
    expect(c.groups).toEqual([1001, 1002]);
    expect(c.caps.effective).toBe(0xc000000000n);
    expect(c.caps.permitted).toBe(0xc000000000n);
    expect(c.caps.ambient).toBe(0n);
    expect(c.caps.bounding).toBe(0x1fffeffffffn);
    expect(c.noNewPrivs).toBe(false);
  });

  it('takes a kernel without CapAmb (before 4.3) and an empty group list', () => {
    const old = STATUS.replace(/CapAmb.*\n/, '').replace(/Groups:.*\n/, 'Groups:\t\n');
    const c = parseProcStatus(old)!;
    expect(c.caps.ambient).toBe(0n);
    expect(c.groups).toEqual([]);
  });

  it('returns undefined when a credential line is missing or broken', () => {
    expect(parseProcStatus(STATUS.replace(/Uid:.*\n/, ''))).toBeUndefined();
    expect(parseProcStatus(STATUS.replace('CapEff:\t000000c000000000', 'CapEff:\tnope'))).toBeUndefined();
    expect(parseProcStatus('')).toBeUndefined();
  });
});
