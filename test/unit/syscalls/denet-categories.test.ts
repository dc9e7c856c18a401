import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { CATEGORIES, categorize, isCategory, type Category } from '../../../src/syscalls/categories.js';
import { X86_64_SYSCALL_NAMES } from '../../../src/syscalls/table-x86_64.js';

interface DenetFixture {
  numbering: string;
  default: string;
  /** denet's match arms as written: category -> "0-6, 8, ..." */
  ranges: Record<string, string>;
  /** every x86_64 number of our table -> denet's category */
  by_number: Record<string, string>;
}

const FIXTURE = JSON.parse(
  readFileSync(new URL('../../fixtures/denet-categories-x86_64.json', import.meta.url), 'utf8'),
) as DenetFixture;

/** "0-6, 8" -> [0, 1, 2, 3, 4, 5, 6, 8] (the docs write ranges with an en dash) */
function expandRanges(ranges: string): number[] {
  return ranges.split(',').flatMap((part) => {
    const [from, to = from] = part.trim().split(/[-\u2013]/).map(Number) as [number, number?];
    if (!Number.isInteger(from) || !Number.isInteger(to) || to < from) throw new Error(`bad range "${part}"`);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
}

/** denet's category of an x86_64 number, from the fixture. */
function denetCategory(nr: number): Category {
  const category = FIXTURE.by_number[String(nr)];
  if (category === undefined || !isCategory(category)) throw new Error(`fixture has no category for ${nr}`);
  return category;
}

describe('denet fixture (test/fixtures/denet-categories-x86_64.json)', () => {
  it('has a category for exactly the numbers of our x86_64 table', () => {
    const assigned = X86_64_SYSCALL_NAMES.flatMap((name, nr) => (name === undefined ? [] : [String(nr)]));
    expect(Object.keys(FIXTURE.by_number).sort()).toEqual(assigned.sort());
    expect(FIXTURE.numbering).toBe('x86_64');
  });

  it('uses only the ten categories, and "other" for what denet does not list', () => {
    expect(FIXTURE.default).toBe('other');
    expect(Object.values(FIXTURE.by_number).filter((c) => !isCategory(c))).toEqual([]);
    expect(Object.keys(FIXTURE.ranges).sort()).toEqual(CATEGORIES.filter((c) => c !== 'other').sort());
  });

  it('expands denet’s ranges to exactly its non-other numbers, each listed once', () => {
    const listed = new Map<number, string>();
    for (const [category, ranges] of Object.entries(FIXTURE.ranges)) {
      for (const nr of expandRanges(ranges)) {
        expect(listed.has(nr), `${nr} is listed twice`).toBe(false);
        listed.set(nr, category);
      }
    }
    for (const [nr, category] of Object.entries(FIXTURE.by_number)) {
      expect(category, `x86_64 ${nr}`).toBe(listed.get(Number(nr)) ?? 'other');
    }
    // every number denet lists is a real x86_64 syscall
    expect([...listed.keys()].filter((nr) => X86_64_SYSCALL_NAMES[nr] === undefined)).toEqual([]);
  });

  it('pins the numbers whose denet source comment names another call', () => {
    // denet matches numbers; the names are ours (from the kernel's table)
    expect([X86_64_SYSCALL_NAMES[246], denetCategory(246)]).toEqual(['kexec_load', 'ipc']);
    expect([X86_64_SYSCALL_NAMES[249], denetCategory(249)]).toEqual(['request_key', 'time']);
    expect(X86_64_SYSCALL_NAMES.slice(168, 176)).toEqual([
      'swapoff',
      'reboot',
      'sethostname',
      'setdomainname',
      'iopl',
      'ioperm',
      'create_module',
      'init_module',
    ]);
    for (let nr = 168; nr <= 175; nr++) expect(denetCategory(nr)).toBe('system');
  });
});

describe('choices shared with denet', () => {
  // The first four were moved to denet's group (time is its "time and scheduling");
  // the rest are families where denet and we agree, pinned so a later edit of the map
  // notices it is leaving denet.
  it.each([
    ['sched_yield', 'time'],
    ['sched_setaffinity', 'time'],
    ['sched_getaffinity', 'time'],
    ['getrusage', 'time'],
    ['clock_nanosleep', 'time'],
    ['pselect6', 'file_io'],
    ['ppoll', 'file_io'],
    ['stat', 'file_io'],
    ['sendfile', 'file_io'],
    ['fchmod', 'security'],
    ['umask', 'security'],
    ['capset', 'security'],
    ['remap_file_pages', 'memory'],
    ['memfd_create', 'memory'],
    ['futex', 'ipc'],
    ['pipe2', 'ipc'],
    ['socketpair', 'network'],
    ['tgkill', 'signal'],
    ['signalfd', 'signal'],
    ['exit_group', 'process'],
    ['pivot_root', 'system'],
    ['uname', 'system'],
  ] as const)('%s -> %s, as denet', (name, category) => {
    const nr = X86_64_SYSCALL_NAMES.indexOf(name);
    expect(nr, `${name} is in the x86_64 table`).toBeGreaterThanOrEqual(0);
    expect(denetCategory(nr)).toBe(category);
    expect(categorize(name)).toBe(category);
  });
});

interface DocRow {
  names: string[];
  numbers: number[];
  denet: string;
  tsdenet: string;
  reason: string;
}

const DOC = readFileSync(new URL('../../../docs/categories.md', import.meta.url), 'utf8');

/** The rows of the one table under "## Differences from denet" in docs/categories.md. */
function differenceRows(markdown: string): DocRow[] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Differences from denet'));
  if (section === undefined) throw new Error('docs/categories.md has no "## Differences from denet"');
  const lines = section.split('\n').filter((line) => line.startsWith('|'));
  expect(lines[0]).toBe('| syscalls | x86_64 | denet | tsdenet | reason |');
  return lines.slice(2).map((line) => {
    const cells = line.split('|').slice(1, -1).map((cell) => cell.trim());
    expect(cells, line).toHaveLength(5);
    const [names = '', numbers = '', denet = '', tsdenet = '', reason = ''] = cells;
    return {
      names: [...names.matchAll(/`([^`]+)`/g)].map((m) => m[1] ?? ''),
      numbers: expandRanges(numbers),
      denet,
      tsdenet,
      reason,
    };
  });
}

/** Every x86_64 syscall whose category differs from denet's, by our categorize(). */
function computedDifferences(): Map<string, { nr: number; denet: Category; tsdenet: Category }> {
  const differences = new Map<string, { nr: number; denet: Category; tsdenet: Category }>();
  X86_64_SYSCALL_NAMES.forEach((name, nr) => {
    if (name === undefined) return;
    const denet = denetCategory(nr);
    const tsdenet = categorize(name);
    if (denet !== tsdenet) differences.set(name, { nr, denet, tsdenet });
  });
  return differences;
}

describe('docs/categories.md lists exactly the differences from denet', () => {
  const rows = differenceRows(DOC);
  const computed = computedDifferences();

  it('names every differing syscall once, and no other', () => {
    const documented = rows.flatMap((row) => row.names);
    expect(documented.filter((name, i) => documented.indexOf(name) !== i), 'listed twice').toEqual([]);
    const undocumented = [...computed.keys()].filter((name) => !documented.includes(name));
    const notDifferent = documented.filter((name) => !computed.has(name));
    expect({ undocumented, notDifferent }).toEqual({ undocumented: [], notDifferent: [] });
  });

  it('gives each row its numbers, both categories as computed, and a reason', () => {
    for (const row of rows) {
      const label = row.names.join(', ');
      expect(row.numbers, `${label}: one number per name`).toHaveLength(row.names.length);
      row.names.forEach((name, i) => {
        const nr = row.numbers[i] ?? -1;
        expect(X86_64_SYSCALL_NAMES[nr], `${label}: number of ${name}`).toBe(name);
        expect(row.denet, `${name}: denet's category`).toBe(computed.get(name)?.denet);
        expect(row.tsdenet, `${name}: tsdenet's category`).toBe(computed.get(name)?.tsdenet);
      });
      expect(row.reason.length, `${label}: reason`).toBeGreaterThan(10);
    }
  });

  it('states the count that the table has', () => {
    const assigned = X86_64_SYSCALL_NAMES.filter((name) => name !== undefined).length;
    expect(DOC).toContain(`**${computed.size} of the ${assigned}** x86_64 syscalls`);
  });
});
