/**
 * User lookup through NSS (`getent passwd`, so LDAP/sssd users resolve
 * like they do for sudo and login), with /etc/passwd as the fallback
 * where getent is missing. getent runs by absolute path, never through
 * PATH (tsdenet may be root or hold capabilities). parsePasswdLine is pure.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { GETENT_PATHS, firstExecutable } from './system-programs.js';

export interface UserEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

/** One passwd(5) line: name:password:uid:gid:gecos:home:shell. */
export function parsePasswdLine(line: string): UserEntry | undefined {
  const parts = line.trim().split(':');
  if (parts.length < 7) return undefined;
  const [name, , uid, gid, , home, shell] = parts as [string, string, string, string, string, string, string];
  if (name === '' || !/^\d+$/.test(uid) || !/^\d+$/.test(gid)) return undefined;
  return { name, uid: Number(uid), gid: Number(gid), home, shell };
}

/** The entry whose name (or, for digits, uid) is `spec`, from passwd(5) text. */
export function findInPasswd(text: string, spec: string): UserEntry | undefined {
  const byUid = /^\d+$/.test(spec);
  for (const line of text.split('\n')) {
    const entry = parsePasswdLine(line);
    if (entry && (byUid ? entry.uid === Number(spec) : entry.name === spec)) return entry;
  }
  return undefined;
}

/** Looks a user up by name or numeric uid; undefined when there is none. */
export function lookupUser(spec: string): UserEntry | undefined {
  if (spec === '' || spec.includes(':') || spec.includes('\n')) return undefined;
  const getent = firstExecutable(GETENT_PATHS);
  if (getent !== undefined) {
    try {
      const out = execFileSync(getent, ['passwd', spec], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      return findInPasswd(out, spec);
    } catch {
      // getent exits 2 when the key is not found; any other failure: no answer either
      return undefined;
    }
  }
  try {
    return findInPasswd(readFileSync('/etc/passwd', 'utf8'), spec);
  } catch {
    return undefined;
  }
}
