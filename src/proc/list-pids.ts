/** The processes (thread group leaders) /proc lists; threads are not listed. */
import { readdirSync } from 'node:fs';

/** Numeric entries of procRoot, as numbers. */
export function listPids(procRoot = '/proc'): number[] {
  const pids: number[] = [];
  for (const name of readdirSync(procRoot)) {
    const c = name.charCodeAt(0);
    if (c >= 48 && c <= 57) pids.push(Number(name));
  }
  return pids;
}
