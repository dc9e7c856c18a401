/**
 * What tsdenet does first, before it starts anything, so that only its own
 * process ever holds capabilities (docs/privileges.md, "Non-root profiling"):
 *
 * 1. It empties its inheritable and ambient capability sets. The setup's
 *    privileged launcher raises CAP_BPF and CAP_PERFMON as ambient
 *    capabilities, which every ordinary program would otherwise inherit:
 *    the command, setpriv, getent. The effective set stays.
 * 2. Under that launcher, whose environment is clean and fixed (so neither
 *    the dynamic loader nor node reads anything of the user's), it takes
 *    the user's environment as it was before sudo from the file descriptor
 *    TSDENET_USER_ENV_FD names (NUL-separated NAME=VALUE, as `env -0`
 *    writes it). process.env becomes a plain object holding it: the command
 *    gets it unchanged (glibc's secure mode and sudo's env_reset never saw
 *    it), while the C environment of this process, which the dynamic loader
 *    and libc read, stays the launcher's clean one.
 */
import { closeSync, fstatSync, readSync, type Stats } from 'node:fs';
import { clearInheritableCapabilities } from '../ffi/capset.js';
import { capabilityNames } from './capabilities.js';
import { PrivilegeError } from './errors.js';
import { secureExecution } from '../proc/system-constants.js';
import { readProcCredentials, type ProcCredentials } from './proc-status.js';

export const USER_ENV_FD_VARIABLE = 'TSDENET_USER_ENV_FD';
/** Far above what execve accepts for a whole environment (ARG_MAX is a quarter of the stack limit). */
const MAX_ENVIRONMENT_BYTES = 64 << 20;

/** Pure: `env -0` output → an environment; entries without '=' or with an empty name are skipped. */
export function parseEnvironmentBlock(block: Buffer): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const entry of block.toString('utf8').split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

function readAll(fd: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.alloc(1 << 16);
    const n = readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) return Buffer.concat(chunks, total);
    chunks.push(chunk.subarray(0, n));
    total += n;
    if (total > MAX_ENVIRONMENT_BYTES) throw new Error(`more than ${MAX_ENVIRONMENT_BYTES} bytes`);
  }
}

function noEnvironment(fd: number, why: string, cause: unknown): PrivilegeError {
  return new PrivilegeError(`cannot read the environment from file descriptor ${fd}: ${why}`, {
    hint: `run tsdenet through the launcher setup/tracefs.sh installed (PREFIX/bin/tsdenet), or unset ${USER_ENV_FD_VARIABLE}`,
    cause,
  });
}

/** The user's environment from `fdText` (a descriptor number); the descriptor is closed, so the command never inherits it. */
export function readUserEnvironment(fdText: string): NodeJS.ProcessEnv {
  const fd = /^\d{1,4}$/.test(fdText) ? Number(fdText) : NaN;
  if (!Number.isInteger(fd) || fd < 3) {
    throw new PrivilegeError(`${USER_ENV_FD_VARIABLE}=${fdText} is not a file descriptor above 2`, { hint: `unset ${USER_ENV_FD_VARIABLE}: only the setup's launcher sets it` });
  }
  // Not inherited, the number may be one of node's own (libuv's epoll
  // descriptor): read only a file or a pipe, and leave anything else alone.
  let kind: Stats;
  try {
    kind = fstatSync(fd);
  } catch (error) {
    throw noEnvironment(fd, (error as NodeJS.ErrnoException).code ?? String(error), error);
  }
  if (!kind.isFile() && !kind.isFIFO()) throw noEnvironment(fd, 'not a file or a pipe', undefined);
  try {
    return parseEnvironmentBlock(readAll(fd));
  } catch (error) {
    throw noEnvironment(fd, (error as NodeJS.ErrnoException).code ?? String(error), error);
  } finally {
    try {
      closeSync(fd);
    } catch {
      // not open: the error above says so
    }
  }
}

/** Empties the inheritable and ambient sets when they are not; throws when they stay non-empty. */
export function keepCapabilitiesToOurselves(
  read: () => ProcCredentials = () => readProcCredentials(),
  clear: () => void = clearInheritableCapabilities,
): void {
  const before = read().caps;
  if (before.inheritable === 0n && before.ambient === 0n) return;
  let failure: unknown;
  try {
    clear();
  } catch (error) {
    failure = error;
  }
  const after = read().caps;
  if (after.inheritable !== 0n || after.ambient !== 0n) {
    // Fail closed: the command would start with these capabilities.
    throw new PrivilegeError(
      `cannot drop the inheritable capabilities (${capabilityNames(after.inheritable | after.ambient).join(', ')}) the command would inherit${failure ? `: ${String(failure)}` : ''}`,
      { hint: 'start tsdenet without inheritable or ambient capabilities (setpriv --inh-caps=-all --ambient-caps=-all)', cause: failure },
    );
  }
}

/**
 * Step 1, then step 2 (see the top of this file). Called once, first thing
 * in main(), before any child process exists.
 */
export function prepareProcess(): void {
  keepCapabilitiesToOurselves();
  const fdText = process.env[USER_ENV_FD_VARIABLE];
  if (fdText !== undefined) process.env = readUserEnvironment(fdText);
}

/**
 * Whether this process holds capabilities without being root: then the
 * environment is the user's, and no setting in it may make tsdenet run
 * other code (TSDENET_LIBBPF) or programs found through PATH.
 */
export function holdsCapabilitiesAsUser(creds: Pick<ProcCredentials, 'uid' | 'caps'> = readProcCredentials()): boolean {
  return creds.uid.effective !== 0 && (creds.caps.effective !== 0n || creds.caps.permitted !== 0n);
}

/**
 * Why a library named in the environment (TSDENET_LIBBPF,
 * TSDENET_NVML_LIBRARY) must not be loaded by this process, or undefined
 * when it may. A library's constructor runs with the loading process's
 * privileges, so the environment may choose it only when it is the
 * environment of whoever holds those privileges: a plain user's, or
 * root's own. Not when it is a user's and the process holds more than
 * that user: capabilities from a launcher, setuid/setgid, or file
 * capabilities (the loader's secure mode). One rule for every such
 * library.
 */
export function libraryOverrideRefusal(creds: () => Pick<ProcCredentials, 'uid' | 'gid' | 'caps'> = readProcCredentials, secure: () => boolean = secureExecution): string | undefined {
  if (secure()) return 'tsdenet was started setuid, setgid or with file capabilities';
  let c: Pick<ProcCredentials, 'uid' | 'gid' | 'caps'>;
  try {
    c = creds();
  } catch {
    return 'its credentials could not be read';
  }
  if (c.uid.real !== c.uid.effective || c.gid.real !== c.gid.effective) return 'tsdenet runs setuid or setgid';
  if (holdsCapabilitiesAsUser(c)) return 'tsdenet holds capabilities as a user (a capability launcher): the environment is the user\'s';
  return undefined;
}
