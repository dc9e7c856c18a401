/**
 * Errno number → name over the generated tables (src/syscalls/errno-*.ts,
 * see scripts/gen-syscall-tables.mjs). Node's util.getSystemErrorName
 * knows only libuv's codes: EINPROGRESS (115) came out as "Unknown system
 * error -115", ECHILD (10) as "Unknown system error -10".
 */
import { ARM64_ERRNO_NAMES } from './errno-arm64.js';
import { X86_64_ERRNO_NAMES } from './errno-x86_64.js';
import { currentArch, type Arch } from './names.js';

const TABLES: Readonly<Record<Arch, Readonly<Record<number, string>>>> = {
  x86_64: X86_64_ERRNO_NAMES,
  arm64: ARM64_ERRNO_NAMES,
};

/**
 * Name of errno `errno` (positive, as errno holds it) on `arch`, by default
 * this process's; a number the kernel does not name gives `errno_<n>`.
 */
export function errnoName(errno: number, arch: Arch | undefined = currentArch()): string {
  const name = arch === undefined ? undefined : TABLES[arch][errno];
  return name ?? `errno_${errno}`;
}
