import { describe, expect, it } from 'vitest';
import { parseKernelConfig } from '../../../src/doctor/kernel-config.js';
import { parseMemlock } from '../../../src/doctor/facts.js';
import { libbpfPathFromMaps } from '../../../src/doctor/real-checks.js';
import { mountPointsOf } from '../../../src/doctor/tracefs-facts.js';

describe('doctor parsers', () => {
  it('reads kconfig lines and ignores "is not set"', () => {
    const m = parseKernelConfig('CONFIG_BPF=y\n# CONFIG_KPROBES is not set\nCONFIG_LOCALVERSION="-fc"\n');
    expect(m.get('CONFIG_BPF')).toBe('y');
    expect(m.has('CONFIG_KPROBES')).toBe(false);
    expect(m.get('CONFIG_LOCALVERSION')).toBe('"-fc"');
  });

  it('finds tracefs mount points in mountinfo', () => {
    const mountinfo = [
      '22 28 0:21 / /sys rw,nosuid,nodev,noexec,relatime shared:7 - sysfs sysfs rw',
      '42 23 0:13 / /sys/kernel/tracing rw,relatime - tracefs nodev rw',
      '50 44 0:13 / /sys/kernel/debug/tracing rw,relatime shared:20 - tracefs tracefs rw',
    ].join('\n');
    expect(mountPointsOf(mountinfo, 'tracefs')).toEqual(['/sys/kernel/tracing', '/sys/kernel/debug/tracing']);
    expect(mountPointsOf(mountinfo, 'debugfs')).toEqual([]);
  });

  it('reads the memlock limit', () => {
    expect(parseMemlock('Max locked memory         8388608              8388608              bytes\n')).toEqual({ softBytes: 8388608 });
    expect(parseMemlock('Max locked memory         unlimited            unlimited            bytes\n')).toEqual({ softBytes: undefined });
    expect(parseMemlock('')).toBeUndefined();
  });

  it('finds the mapped libbpf file', () => {
    const maps = '7f18bc06b000-7f18bc075000 r--p 00000000 fe:00 339358                     /usr/lib/x86_64-linux-gnu/libbpf.so.1.1.2\n';
    expect(libbpfPathFromMaps(maps)).toBe('/usr/lib/x86_64-linux-gnu/libbpf.so.1.1.2');
    expect(libbpfPathFromMaps('7f0-7f1 r--p 0 00:00 0  [heap]\n')).toBeUndefined();
  });
});
