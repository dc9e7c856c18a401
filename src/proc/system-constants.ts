/**
 * What the kernel told this process at exec (/proc/self/auxv), read once:
 * the page size and clock ticks, and whether the loader runs in secure mode.
 */
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { parseAuxv, systemConstantsFrom, type SystemConstants } from './auxv.js';

/** AT_SECURE (include/uapi/linux/auxvec.h). */
const AT_SECURE = 23;

/** undefined: not read yet; null: unreadable. */
let auxv: Map<number, number> | null | undefined;
let cached: SystemConstants | undefined;

function ownAuxv(): Map<number, number> | null {
  if (auxv === undefined) {
    try {
      auxv = parseAuxv(readFileSync('/proc/self/auxv'), 8, endianness() === 'LE');
    } catch {
      auxv = null;
    }
  }
  return auxv;
}

export function systemConstants(): SystemConstants {
  // An unreadable auxv: Linux's usual values.
  cached ??= systemConstantsFrom(ownAuxv() ?? new Map());
  return cached;
}

/**
 * AT_SECURE: the loader's secure mode (started setuid, setgid or with file
 * capabilities). An unreadable auxv counts as secure: fail closed.
 */
export function secureExecution(): boolean {
  const entries = ownAuxv();
  return entries === null || (entries.get(AT_SECURE) ?? 0) !== 0;
}
