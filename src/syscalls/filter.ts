/**
 * --syscalls and --category: which slots the kernel counts. Pure; unknown
 * names are a usage error that lists the closest known names.
 */
import { UsageError } from '../errors.js';
import { CATEGORIES, SYSCALL_CATEGORIES, isCategory } from './categories.js';
import { slotsForName, type Arch } from './names.js';

/** Edit distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/** Up to three known names closest to `name` (prefix matches first). */
export function closeMatches(name: string, known: readonly string[]): string[] {
  return known
    .map((k) => ({ k, d: k.startsWith(name) || name.startsWith(k) ? 0.5 : editDistance(name, k) }))
    .filter(({ d }) => d <= Math.max(2, Math.floor(name.length / 3)))
    .sort((x, y) => x.d - y.d || (x.k < y.k ? -1 : 1))
    .slice(0, 3)
    .map(({ k }) => k);
}

/** One error naming every unknown name at once, each with its close matches. */
function unknown(kind: 'syscall' | 'category', names: readonly string[], known: readonly string[]): UsageError {
  const described = names.map((name) => {
    const near = closeMatches(name, known);
    return `"${name}"` + (near.length ? ` (did you mean ${near.join(', ')}?)` : '');
  });
  const noun = kind === 'syscall' ? (names.length > 1 ? 'syscalls' : 'syscall') : names.length > 1 ? 'categories' : 'category';
  return new UsageError(`unknown ${noun} ${described.join(', ')}`, {
    hint: kind === 'category' ? `categories: ${CATEGORIES.join(', ')}` : 'syscall names as in strace or man 2 syscalls',
  });
}

/** The slots to count for the given syscall names and categories (union of both). */
export function filterSlots(syscalls: readonly string[], categories: readonly string[], arch: Arch): number[] {
  const slots = new Set<number>();
  const allNames = Object.keys(SYSCALL_CATEGORIES);
  const unknownNames = syscalls.filter((name) => slotsForName(name, arch).length === 0);
  if (unknownNames.length > 0) throw unknown('syscall', unknownNames, allNames.filter((n) => slotsForName(n, arch).length > 0));
  const unknownCategories = categories.filter((category) => !isCategory(category));
  if (unknownCategories.length > 0) throw unknown('category', unknownCategories, CATEGORIES);
  for (const name of syscalls) for (const s of slotsForName(name, arch)) slots.add(s);
  for (const category of categories) {
    for (const [name, c] of Object.entries(SYSCALL_CATEGORIES)) {
      if (c === category) for (const s of slotsForName(name, arch)) slots.add(s);
    }
  }
  return [...slots].sort((a, b) => a - b);
}
