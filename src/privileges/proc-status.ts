/**
 * The credential lines of /proc/<pid>/status: user and group ids, the
 * supplementary groups and the five capability sets. Pure parser; the
 * reader is readProcCredentials.
 */
import { readFileSync } from 'node:fs';
import { parseCapabilityMask, type CapabilitySets } from './capabilities.js';

export interface IdSet {
  real: number;
  effective: number;
  saved: number;
  filesystem: number;
}

export interface ProcCredentials {
  uid: IdSet;
  gid: IdSet;
  groups: number[];
  caps: CapabilitySets;
  /** NoNewPrivs (Linux 4.10+ prints it); false when absent. */
  noNewPrivs: boolean;
}

function fields(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) map.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  return map;
}

function idSet(value: string | undefined): IdSet | undefined {
  const ids = (value ?? '').split(/\s+/).map(Number);
  if (ids.length !== 4 || ids.some((n) => !Number.isInteger(n) || n < 0)) return undefined;
  const [real, effective, saved, filesystem] = ids as [number, number, number, number];
  return { real, effective, saved, filesystem };
}

/** Credentials from the text of /proc/<pid>/status; undefined when a line is missing or malformed. */
export function parseProcStatus(text: string): ProcCredentials | undefined {
  const f = fields(text);
  const uid = idSet(f.get('Uid'));
  const gid = idSet(f.get('Gid'));
  const masks = ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb'].map((k) => parseCapabilityMask(f.get(k) ?? ''));
  const [inheritable, permitted, effective, bounding, ambient] = masks;
  if (!uid || !gid || inheritable === undefined || permitted === undefined || effective === undefined || bounding === undefined) {
    return undefined;
  }
  const groupsText = f.get('Groups') ?? '';
  return {
    uid,
    gid,
    groups: groupsText === '' ? [] : groupsText.split(/\s+/).map(Number),
    // CapAmb appeared in Linux 4.3; older kernels have no ambient set.
    caps: { inheritable, permitted, effective, bounding, ambient: ambient ?? 0n },
    noNewPrivs: f.get('NoNewPrivs') === '1',
  };
}

/** Reads and parses /proc/<pid>/status (default: this process). */
export function readProcCredentials(pid: number | 'self' = 'self', procRoot = '/proc'): ProcCredentials {
  const path = `${procRoot}/${pid}/status`;
  const parsed = parseProcStatus(readFileSync(path, 'utf8'));
  if (!parsed) throw new Error(`unexpected format of ${path}`);
  return parsed;
}
