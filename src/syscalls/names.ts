// Syscall number <-> name lookups over the generated tables
// (src/syscalls/table-*.ts, see scripts/gen-syscall-tables.mjs).

import { ARM64_SYSCALL_NAMES } from './table-arm64.js';
import { I386_SYSCALL_NAMES } from './table-i386.js';
import { X32_SYSCALL_NAMES } from './table-x32.js';
import { X86_64_SYSCALL_NAMES } from './table-x86_64.js';

/** Architectures tsdenet traces natively. */
export type Arch = 'x86_64' | 'arm64';

const TABLES: Readonly<Record<Arch, readonly (string | undefined)[]>> = {
  x86_64: X86_64_SYSCALL_NAMES,
  arm64: ARM64_SYSCALL_NAMES,
};

const byName = new Map<Arch, ReadonlyMap<string, number>>();

function numbersByName(arch: Arch): ReadonlyMap<string, number> {
  let map = byName.get(arch);
  if (map === undefined) {
    const built = new Map<string, number>();
    TABLES[arch].forEach((name, nr) => {
      if (name !== undefined) built.set(name, nr);
    });
    map = built;
    byName.set(arch, map);
  }
  return map;
}

const UNKNOWN_NAME = /^syscall_(0|[1-9][0-9]{0,8})$/;

function lookup(table: readonly (string | undefined)[], nr: number): string {
  const name = Number.isInteger(nr) && nr >= 0 ? table[nr] : undefined;
  return name ?? `syscall_${nr}`;
}

/** Name of syscall `nr` on `arch`; numbers without a name give `syscall_<nr>`. */
export function syscallName(nr: number, arch: Arch): string {
  return lookup(TABLES[arch], nr);
}

/**
 * Number of the syscall called `name` on `arch`, or undefined if `arch` has no such
 * syscall. The placeholder form `syscall_<nr>` produced by {@link syscallName} maps
 * back to `<nr>`, so `syscallNumber(syscallName(n, arch), arch) === n` for every
 * integer 0 <= n < 1e9.
 */
export function syscallNumber(name: string, arch: Arch): number | undefined {
  const nr = numbersByName(arch).get(name);
  if (nr !== undefined) return nr;
  const m = UNKNOWN_NAME.exec(name);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/** All syscall names of `arch`, in syscall-number order. */
export function syscallNames(arch: Arch): string[] {
  return TABLES[arch].filter((name): name is string => name !== undefined);
}

/** The tsdenet architecture of this Node process, or undefined if unsupported. */
export function currentArch(): Arch | undefined {
  switch (process.arch) {
    case 'x64':
      return 'x86_64';
    case 'arm64':
      return 'arm64';
    default:
      return undefined;
  }
}

/**
 * Name of syscall `nr` in the 32-bit x86 (i386 / ia32 compat) numbering, used for
 * 32-bit processes running on x86_64; unknown numbers give `syscall_<nr>`.
 */
export function i386SyscallName(nr: number): string {
  return lookup(I386_SYSCALL_NAMES, nr);
}

/**
 * The counter's slots (bpf/syscount.h): a native call is counted at its
 * number; on x86_64 a 32-bit (ia32) call at COMPAT_SLOT_BASE + its i386
 * number, and an x32 call carries X32_SLOT_BIT.
 */
export const COMPAT_SLOT_BASE = 512;
export const X32_SLOT_BIT = 0x40000000;

/**
 * On x86_64 a 32-bit (ia32) call is reported apart from the 64-bit call of
 * the same name, as strace does: its name carries this prefix
 * (`i386:getpid`), so 64-bit names (`getpid`) keep meaning 64-bit calls.
 */
export const IA32_PREFIX = 'i386:';

/** A reported name split into its ABI and its syscall name. */
export function splitAbi(name: string): { ia32: boolean; name: string } {
  return name.startsWith(IA32_PREFIX) ? { ia32: true, name: name.slice(IA32_PREFIX.length) } : { ia32: false, name };
}

const i386ByName = new Map<string, number>();
for (const [nr, name] of I386_SYSCALL_NAMES.entries()) if (name !== undefined) i386ByName.set(name, nr);

/**
 * Name of the syscall counted in `slot`, with the table of the ABI that
 * made it; an ia32 call's name carries IA32_PREFIX.
 */
export function slotName(slot: number, arch: Arch): string {
  if (arch === 'x86_64') {
    if (slot >= X32_SLOT_BIT) return lookup(X32_SYSCALL_NAMES, slot - X32_SLOT_BIT);
    if (slot >= COMPAT_SLOT_BASE && slot < 2 * COMPAT_SLOT_BASE) return IA32_PREFIX + i386SyscallName(slot - COMPAT_SLOT_BASE);
  }
  return syscallName(slot, arch);
}

/**
 * Every slot a syscall name is counted in on `arch` (native, and ia32 on
 * x86_64); `i386:NAME` is the ia32 slot alone.
 */
export function slotsForName(name: string, arch: Arch): number[] {
  const abi = splitAbi(name);
  if (arch === 'x86_64' && abi.ia32) {
    const nr = i386ByName.get(abi.name);
    return nr === undefined ? [] : [COMPAT_SLOT_BASE + nr];
  }
  const slots: number[] = [];
  const native = numbersByName(arch).get(name);
  if (native !== undefined) slots.push(native);
  const compat = arch === 'x86_64' ? i386ByName.get(name) : undefined;
  if (compat !== undefined) slots.push(COMPAT_SLOT_BASE + compat);
  return slots;
}
