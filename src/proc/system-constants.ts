/** Page size and clock ticks of this machine, read once from /proc/self/auxv. */
import { readFileSync } from 'node:fs';
import { endianness } from 'node:os';
import { parseAuxv, systemConstantsFrom, type SystemConstants } from './auxv.js';

let cached: SystemConstants | undefined;

export function systemConstants(): SystemConstants {
  if (!cached) {
    let auxv = new Map<number, number>();
    try {
      auxv = parseAuxv(readFileSync('/proc/self/auxv'), 8, endianness() === 'LE');
    } catch {
      // unreadable auxv: Linux's usual values below
    }
    cached = systemConstantsFrom(auxv);
  }
  return cached;
}
