import { describe, it, expect } from 'vitest';

import {
  CATEGORIES,
  SYSCALL_CATEGORIES,
  categorize,
  emptyCategoryCounts,
  isCategory,
} from '../../../src/syscalls/categories.js';
import { syscallName } from '../../../src/syscalls/names.js';
import { ARM64_SYSCALL_NAMES } from '../../../src/syscalls/table-arm64.js';
import { I386_SYSCALL_NAMES } from '../../../src/syscalls/table-i386.js';
import { X32_SYSCALL_NAMES } from '../../../src/syscalls/table-x32.js';
import { X86_64_SYSCALL_NAMES } from '../../../src/syscalls/table-x86_64.js';

const TABLES = {
  x86_64: X86_64_SYSCALL_NAMES,
  arm64: ARM64_SYSCALL_NAMES,
  i386: I386_SYSCALL_NAMES,
  x32: X32_SYSCALL_NAMES,
} as const;

function tableNames(): Set<string> {
  const all = new Set<string>();
  for (const table of Object.values(TABLES)) {
    for (const name of table) if (name !== undefined) all.add(name);
  }
  return all;
}

/**
 * Names that may be in the category map although no generated table has them.
 * Keep empty unless there is a documented reason (e.g. a name kept for a table
 * that is not generated yet).
 */
const STALE_ALLOW_LIST: readonly string[] = [];

describe('CATEGORIES', () => {
  it('are denet’s ten groups', () => {
    expect(CATEGORIES).toEqual([
      'file_io',
      'memory',
      'process',
      'network',
      'time',
      'ipc',
      'security',
      'signal',
      'system',
      'other',
    ]);
  });

  it('isCategory', () => {
    for (const c of CATEGORIES) expect(isCategory(c)).toBe(true);
    expect(isCategory('files')).toBe(false);
    expect(isCategory('toString')).toBe(false);
  });

  it('emptyCategoryCounts has all ten at 0 and is fresh each call', () => {
    const counts = emptyCategoryCounts();
    expect(Object.keys(counts).sort()).toEqual([...CATEGORIES].sort());
    expect(Object.values(counts).every((v) => v === 0)).toBe(true);
    counts.file_io++;
    expect(emptyCategoryCounts().file_io).toBe(0);
  });
});

describe('category map coverage', () => {
  it('has an explicit decision for every name in every table', () => {
    const missing: string[] = [];
    for (const [arch, table] of Object.entries(TABLES)) {
      table.forEach((name, nr) => {
        if (name !== undefined && !Object.hasOwn(SYSCALL_CATEGORIES, name)) {
          missing.push(`${name} (${arch} ${nr})`);
        }
      });
    }
    expect(
      missing,
      `syscalls without a category in src/syscalls/categories.ts: ${missing.join(', ')}`,
    ).toEqual([]);
  });

  it('has no stale names (in no table and not allow-listed)', () => {
    const known = tableNames();
    const stale = Object.keys(SYSCALL_CATEGORIES).filter(
      (name) => !known.has(name) && !STALE_ALLOW_LIST.includes(name),
    );
    expect(stale, `names in the category map but in no table: ${stale.join(', ')}`).toEqual([]);
  });

  it('maps only to valid categories', () => {
    for (const [name, category] of Object.entries(SYSCALL_CATEGORIES)) {
      expect(isCategory(category), name).toBe(true);
    }
  });

  it('uses every category', () => {
    const used = new Set<string>(Object.values(SYSCALL_CATEGORIES));
    expect([...used].sort()).toEqual([...CATEGORIES].sort());
  });
});

describe('categorize', () => {
  // spot checks matching denet's unit tests
  it.each([
    ['read', 'file_io'],
    ['write', 'file_io'],
    ['close', 'file_io'],
    ['openat', 'file_io'],
    ['fcntl', 'file_io'],
    ['flock', 'file_io'],
    ['fsync', 'file_io'],
    ['getdents', 'file_io'],
    ['getdents64', 'file_io'],
    ['chdir', 'file_io'],
    ['futex', 'ipc'],
    ['uname', 'system'],
    ['mmap', 'memory'],
    ['execve', 'process'],
    ['socket', 'network'],
    ['clock_gettime', 'time'],
    ['kill', 'signal'],
    ['syscall_9999', 'other'],
  ])('%s -> %s', (name, category) => {
    expect(categorize(name)).toBe(category);
  });

  // deliberate decisions that differ from denet or are borderline
  it.each([
    ['epoll_wait', 'file_io'],
    ['epoll_pwait', 'file_io'],
    ['poll', 'file_io'],
    ['ioctl', 'file_io'],
    ['getrandom', 'system'],
    ['prctl', 'process'],
    ['getuid', 'security'],
    ['setuid', 'security'],
    ['chmod', 'security'],
    ['access', 'file_io'],
    ['timerfd_create', 'time'],
    ['signalfd4', 'signal'],
    ['eventfd2', 'ipc'],
    ['pipe2', 'ipc'],
    ['socketpair', 'network'],
    ['memfd_create', 'memory'],
    ['set_robust_list', 'ipc'],
    ['rseq', 'process'],
    ['pidfd_send_signal', 'signal'],
    ['clone3', 'process'],
    ['landlock_create_ruleset', 'security'],
    ['mount', 'system'],
    ['afs_syscall', 'other'],
  ])('%s -> %s', (name, category) => {
    expect(categorize(name)).toBe(category);
  });

  it('sends unknown names, prototype keys and placeholders to other', () => {
    expect(categorize('')).toBe('other');
    expect(categorize('no_such_syscall')).toBe('other');
    expect(categorize('toString')).toBe('other');
    expect(categorize('__proto__')).toBe('other');
    expect(categorize('constructor')).toBe('other');
    expect(categorize(syscallName(9999, 'x86_64'))).toBe('other');
  });
});
