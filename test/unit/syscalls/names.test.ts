import { describe, it, expect } from 'vitest';

import {
  currentArch,
  i386SyscallName,
  syscallName,
  syscallNames,
  syscallNumber,
  type Arch,
} from '../../../src/syscalls/names.js';
import { ARM64_SYSCALL_MAX, ARM64_SYSCALL_NAMES } from '../../../src/syscalls/table-arm64.js';
import { I386_SYSCALL_MAX, I386_SYSCALL_NAMES } from '../../../src/syscalls/table-i386.js';
import { X86_64_SYSCALL_MAX, X86_64_SYSCALL_NAMES } from '../../../src/syscalls/table-x86_64.js';

const ARCHES: readonly Arch[] = ['x86_64', 'arm64'];

describe('syscallName / syscallNumber: x86_64', () => {
  const known: [string, number][] = [
    ['read', 0],
    ['write', 1],
    ['open', 2],
    ['close', 3],
    ['mmap', 9],
    ['clone', 56],
    ['fork', 57],
    ['execve', 59],
    ['openat', 257],
    ['execveat', 322],
    ['rseq', 334],
    ['uretprobe', 335],
    ['pidfd_send_signal', 424],
    ['clone3', 435],
    ['futex_waitv', 449],
    ['cachestat', 451],
    ['mseal', 462],
    ['file_setattr', 469],
  ];
  it.each(known)('%s is %i', (name, nr) => {
    expect(syscallName(nr, 'x86_64')).toBe(name);
    expect(syscallNumber(name, 'x86_64')).toBe(nr);
  });
});

describe('syscallName / syscallNumber: arm64', () => {
  const known: [string, number][] = [
    ['io_setup', 0],
    ['fcntl', 25],
    ['renameat', 38],
    ['openat', 56],
    ['close', 57],
    ['read', 63],
    ['write', 64],
    ['newfstatat', 79],
    ['fstat', 80],
    ['clone', 220],
    ['execve', 221],
    ['mmap', 222],
    ['execveat', 281],
    ['clone3', 435],
    ['memfd_secret', 447],
    ['cachestat', 451],
    ['file_setattr', 469],
  ];
  it.each(known)('%s is %i', (name, nr) => {
    expect(syscallName(nr, 'arm64')).toBe(name);
    expect(syscallNumber(name, 'arm64')).toBe(nr);
  });

  it.each(['open', 'fork', 'vfork', 'stat', 'pipe', 'poll', 'select', 'dup2', 'epoll_wait', 'time'])(
    'has no legacy %s',
    (name) => {
      expect(syscallNumber(name, 'arm64')).toBeUndefined();
    },
  );

  it('leaves the arch-specific block 244..259 unnamed', () => {
    expect(ARM64_SYSCALL_NAMES[243]).toBe('recvmmsg');
    for (let nr = 244; nr < 260; nr++) expect(ARM64_SYSCALL_NAMES[nr]).toBeUndefined();
    expect(ARM64_SYSCALL_NAMES[260]).toBe('wait4');
  });
});

describe('i386SyscallName', () => {
  it.each([
    [0, 'restart_syscall'],
    [1, 'exit'],
    [2, 'fork'],
    [3, 'read'],
    [4, 'write'],
    [5, 'open'],
    [6, 'close'],
    [11, 'execve'],
    [102, 'socketcall'],
    [117, 'ipc'],
    [120, 'clone'],
    [192, 'mmap2'],
    [240, 'futex'],
    [403, 'clock_gettime64'],
    [435, 'clone3'],
    [451, 'cachestat'],
    [469, 'file_setattr'],
  ])('%i is %s', (nr, name) => {
    expect(i386SyscallName(nr)).toBe(name);
  });

  it('gives syscall_<nr> for unknown numbers', () => {
    expect(i386SyscallName(I386_SYSCALL_MAX + 1)).toBe(`syscall_${I386_SYSCALL_MAX + 1}`);
    expect(i386SyscallName(-1)).toBe('syscall_-1');
  });
});

describe('unknown numbers', () => {
  it.each(ARCHES)('%s: gives syscall_<nr>', (arch) => {
    expect(syscallName(9999, arch)).toBe('syscall_9999');
    expect(syscallName(-1, arch)).toBe('syscall_-1');
    expect(syscallName(1.5, arch)).toBe('syscall_1.5');
    expect(syscallName(400, arch)).toBe('syscall_400'); // unassigned gap below 424
  });

  it('x86_64: the x32 range is not named', () => {
    expect(syscallName(512, 'x86_64')).toBe('syscall_512');
  });

  it.each(ARCHES)('%s: unknown names give undefined', (arch) => {
    expect(syscallNumber('no_such_syscall', arch)).toBeUndefined();
    expect(syscallNumber('', arch)).toBeUndefined();
    expect(syscallNumber('syscall_', arch)).toBeUndefined();
    expect(syscallNumber('syscall_01', arch)).toBeUndefined();
    expect(syscallNumber('syscall_-1', arch)).toBeUndefined();
    expect(syscallNumber('toString', arch)).toBeUndefined();
  });

  it.each(ARCHES)('%s: syscall_<nr> maps back to <nr>', (arch) => {
    expect(syscallNumber('syscall_9999', arch)).toBe(9999);
    expect(syscallNumber(syscallName(400, arch), arch)).toBe(400);
  });
});

describe('round trip', () => {
  const maxOf: Record<Arch, number> = { x86_64: X86_64_SYSCALL_MAX, arm64: ARM64_SYSCALL_MAX };

  it.each(ARCHES)('%s: name -> number -> name for every name', (arch) => {
    const names = syscallNames(arch);
    expect(names.length).toBeGreaterThan(300);
    for (const name of names) {
      const nr = syscallNumber(name, arch);
      expect(nr, name).toBeTypeOf('number');
      expect(syscallName(nr as number, arch)).toBe(name);
    }
  });

  it.each(ARCHES)('%s: number -> name -> number for 0..max+10', (arch) => {
    for (let nr = 0; nr <= maxOf[arch] + 10; nr++) {
      expect(syscallNumber(syscallName(nr, arch), arch)).toBe(nr);
    }
  });
});

describe('tables', () => {
  const tables = {
    x86_64: { names: X86_64_SYSCALL_NAMES, max: X86_64_SYSCALL_MAX },
    arm64: { names: ARM64_SYSCALL_NAMES, max: ARM64_SYSCALL_MAX },
    i386: { names: I386_SYSCALL_NAMES, max: I386_SYSCALL_MAX },
  };

  it.each(Object.entries(tables))('%s: max matches the table and names are unique', (_, t) => {
    expect(t.names.length).toBe(t.max + 1);
    expect(t.names[t.max]).toBeTypeOf('string');
    const defined = t.names.filter((n): n is string => n !== undefined);
    expect(new Set(defined).size).toBe(defined.length);
    for (const name of defined) expect(name).toMatch(/^[a-z_][a-z0-9_]*$/);
  });

  it.each(Object.entries(tables))('%s: is frozen', (_, t) => {
    expect(Object.isFrozen(t.names)).toBe(true);
  });

  it('shares every number >= 424 across the three tables', () => {
    const max = Math.max(X86_64_SYSCALL_MAX, ARM64_SYSCALL_MAX, I386_SYSCALL_MAX);
    for (let nr = 424; nr <= max; nr++) {
      const x = X86_64_SYSCALL_NAMES[nr];
      expect(I386_SYSCALL_NAMES[nr], `i386 ${nr}`).toBe(x);
      expect(ARM64_SYSCALL_NAMES[nr], `arm64 ${nr}`).toBe(x);
    }
  });

  it('syscallNames returns names in number order', () => {
    const names = syscallNames('x86_64');
    expect(names.slice(0, 4)).toEqual(['read', 'write', 'open', 'close']);
    expect(names.at(-1)).toBe('file_setattr');
  });
});

describe('currentArch', () => {
  it('maps process.arch', () => {
    const expected: Partial<Record<string, Arch>> = { x64: 'x86_64', arm64: 'arm64' };
    expect(currentArch()).toBe(expected[process.arch]);
  });
});
