/**
 * Starts the command under another identity. Node's spawn({uid, gid})
 * cannot do it right: libuv calls setgroups(0, NULL) in the child, so the
 * user's supplementary groups are lost (checked on Node 20: `id` shows the
 * primary group only). setpriv (util-linux) sets uid, gid and the groups
 * from initgroups(3), clears the inheritable and ambient capability sets,
 * then execs the command. It is one extra execve, which the counter skips
 * (armSpawn's skipExecs), so the command's own execve is still the first
 * call counted and setpriv's calls are not counted at all.
 */
import { PrivilegeError } from './errors.js';
import type { CommandIdentity } from './command-identity.js';
import { SETPRIV_PATHS, firstExecutable } from './system-programs.js';

/** setpriv's absolute path; PATH is not searched (tsdenet may run as root). */
export function findSetpriv(paths: readonly string[] = SETPRIV_PATHS): string {
  const found = firstExecutable(paths);
  if (found !== undefined) return found;
  throw new PrivilegeError('cannot start the command as another user: setpriv (util-linux) is not installed', {
    hint: 'install util-linux (apt-get install util-linux), or keep root on purpose with --as-root',
  });
}

/** setpriv's argument list for running `file args…` as `identity`. Pure. */
export function setprivArgs(identity: CommandIdentity, file: string, args: readonly string[]): string[] {
  return [
    `--reuid=${identity.uid}`,
    `--regid=${identity.gid}`,
    // initgroups(3) needs the user's name; a uid unknown to the user
    // database gets no supplementary groups at all, never root's.
    identity.name === undefined ? '--clear-groups' : '--init-groups',
    '--inh-caps=-all',
    '--ambient-caps=-all',
    '--',
    file,
    ...args,
  ];
}

/** The command's environment: tsdenet's, with HOME/USER/LOGNAME of the user. */
export function commandEnv(identity: CommandIdentity, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  if (identity.home !== undefined) out.HOME = identity.home;
  if (identity.name !== undefined) {
    out.USER = identity.name;
    out.LOGNAME = identity.name;
  }
  return out;
}
