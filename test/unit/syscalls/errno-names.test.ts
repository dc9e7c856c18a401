import { getSystemErrorName } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ARM64_ERRNO_NAMES } from '../../../src/syscalls/errno-arm64.js';
import { errnoName } from '../../../src/syscalls/errno-names.js';
import { X86_64_ERRNO_NAMES } from '../../../src/syscalls/errno-x86_64.js';

describe('errnoName', () => {
  it('names every errno 1-133 on both architectures (asm-generic numbering; 41 and 58 are unassigned)', () => {
    for (const arch of ['x86_64', 'arm64'] as const) {
      for (let n = 1; n <= 133; n++) expect(errnoName(n, arch), `${arch} ${n}`).toMatch(n === 41 || n === 58 ? /^errno_\d+$/ : /^E[A-Z0-9]+$/);
    }
    expect(X86_64_ERRNO_NAMES).toEqual(ARM64_ERRNO_NAMES);
  });

  it('names what libuv does not: EINPROGRESS, ECHILD, and the rest Node printed as "Unknown system error"', () => {
    expect(errnoName(115, 'x86_64')).toBe('EINPROGRESS');
    expect(errnoName(10, 'arm64')).toBe('ECHILD');
    expect(errnoName(11, 'x86_64')).toBe('EAGAIN'); // not its alias EWOULDBLOCK
    expect(errnoName(35, 'x86_64')).toBe('EDEADLK'); // not EDEADLOCK
    // Where libuv knows a name, it is the same one, but for 95: the kernel's
    // (and strace's) EOPNOTSUPP, which glibc also calls ENOTSUP.
    expect(getSystemErrorName(-95)).toBe('ENOTSUP');
    expect(errnoName(95, 'x86_64')).toBe('EOPNOTSUPP');
    let unknownToNode = 0;
    for (let n = 1; n <= 133; n++) {
      const node = getSystemErrorName(-n);
      if (node.startsWith('Unknown')) unknownToNode++;
      else if (n !== 95) expect(errnoName(n, 'x86_64'), String(n)).toBe(node);
    }
    expect(unknownToNode).toBeGreaterThan(50);
  });

  it("names the kernel's internal restart codes a tracer sees at sys_exit; unnamed numbers are errno_<n>", () => {
    expect(errnoName(512, 'x86_64')).toBe('ERESTARTSYS');
    expect(errnoName(516, 'arm64')).toBe('ERESTART_RESTARTBLOCK');
    expect(errnoName(520, 'x86_64')).toBe('errno_520');
    expect(errnoName(4000, 'x86_64')).toBe('errno_4000');
  });
});
