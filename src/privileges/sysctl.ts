/**
 * Reads sysctls through /proc/sys. A missing file (feature not built in)
 * and an unreadable one are told apart, so callers can say "unknown"
 * rather than guess.
 */
import { readFileSync } from 'node:fs';

export type SysctlRead = { ok: true; value: string } | { ok: false; reason: 'missing' | 'unreadable'; detail: string };

/** `kernel.perf_event_paranoid` → /proc/sys/kernel/perf_event_paranoid. */
export function sysctlPath(key: string, procRoot = '/proc'): string {
  return `${procRoot}/sys/${key.replaceAll('.', '/')}`;
}

export function readSysctl(key: string, procRoot = '/proc'): SysctlRead {
  try {
    return { ok: true, value: readFileSync(sysctlPath(key, procRoot), 'utf8').trim() };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? 'missing' : 'unreadable', detail: code ?? String(error) };
  }
}

/** The sysctl as an integer, or undefined when it cannot be read or is not one. */
export function readSysctlInt(key: string, procRoot = '/proc'): number | undefined {
  const read = readSysctl(key, procRoot);
  if (!read.ok || !/^-?\d+$/.test(read.value)) return undefined;
  return Number(read.value);
}
