/**
 * Who the profiled command runs as. tsdenet may need root to load its BPF
 * programs; the command must not inherit that. Like `strace -u`, under
 * sudo (SUDO_UID/SUDO_GID/SUDO_USER) or doas (DOAS_USER) the command runs
 * as the invoking user with that user's groups; `--user NAME` picks a user
 * explicitly; `--as-root` keeps root on purpose. Pure given `lookup`.
 */
import { UsageError } from '../errors.js';
import { PrivilegeError } from './errors.js';
import { lookupUser, type UserEntry } from './users.js';

export interface CommandIdentity {
  uid: number;
  gid: number;
  /** Login name, when the user database knows the uid. */
  name: string | undefined;
  home: string | undefined;
  /** What chose this identity, for messages. */
  source: 'sudo' | 'doas' | '--user';
}

export interface IdentityRequest {
  euid: number;
  env: NodeJS.ProcessEnv;
  /** --user NAME (a name or a numeric uid). */
  user?: string;
  /** --as-root */
  asRoot: boolean;
  lookup?: (spec: string) => UserEntry | undefined;
}

function fromEntry(entry: UserEntry, source: CommandIdentity['source']): CommandIdentity {
  return { uid: entry.uid, gid: entry.gid, name: entry.name, home: entry.home, source };
}

function numericEnv(env: NodeJS.ProcessEnv, key: string): number | undefined {
  const text = env[key];
  if (text === undefined || text === '') return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`${key}=${text} is not a numeric id`, { hint: `unset ${key}, or use --user NAME` });
  return Number(text);
}

function fromSudo(env: NodeJS.ProcessEnv, lookup: (spec: string) => UserEntry | undefined): CommandIdentity | undefined {
  const uid = numericEnv(env, 'SUDO_UID');
  if (uid === undefined || uid === 0) return undefined;
  const entry = lookup(String(uid));
  const gid = numericEnv(env, 'SUDO_GID') ?? entry?.gid ?? uid;
  return { uid, gid, name: entry?.name ?? env.SUDO_USER, home: entry?.home, source: 'sudo' };
}

/**
 * The identity to switch the command to, or undefined to start it with
 * tsdenet's own credentials. Throws on contradictory or impossible asks.
 */
export function chooseCommandIdentity(request: IdentityRequest): CommandIdentity | undefined {
  const lookup = request.lookup ?? lookupUser;
  const { euid, user, asRoot, env } = request;
  if (user !== undefined && asRoot) throw new UsageError('--user and --as-root cannot be used together');
  const entry = user === undefined ? undefined : lookup(user);
  if (user !== undefined && !entry) {
    throw new UsageError(`--user ${user}: no such user`, { hint: 'give a login name or a numeric uid known to getent passwd' });
  }
  if (euid !== 0) {
    if (asRoot) {
      throw new PrivilegeError(`--as-root: tsdenet is not running as root (uid ${euid})`, { hint: 'run it with sudo: sudo tsdenet --as-root …' });
    }
    if (entry && entry.uid !== euid) {
      throw new PrivilegeError(`--user ${user} needs root: tsdenet runs as uid ${euid}`, { hint: `sudo tsdenet --user ${user} …` });
    }
    return undefined;
  }
  if (asRoot) return undefined;
  if (entry) return entry.uid === 0 ? undefined : fromEntry(entry, '--user');
  const sudo = fromSudo(env, lookup);
  if (sudo) return sudo;
  const doasUser = env.DOAS_USER;
  if (doasUser !== undefined && doasUser !== '' && doasUser !== 'root') {
    const doas = lookup(doasUser);
    if (!doas) throw new UsageError(`DOAS_USER=${doasUser}: no such user`, { hint: 'use --user NAME or --as-root' });
    return doas.uid === 0 ? undefined : fromEntry(doas, 'doas');
  }
  return undefined;
}

/** One line for stderr saying whom the command runs as and why. */
export function describeIdentity(identity: CommandIdentity): string {
  const who = identity.name === undefined ? `uid ${identity.uid}` : `${identity.name} (uid ${identity.uid})`;
  const why = identity.source === '--user' ? 'as --user asked' : `the user who ran ${identity.source}`;
  return `the command runs as ${who}, ${why}; --as-root keeps root`;
}
