/**
 * What an -o/--stats/report path names, decided on what was opened, never
 * on the path's text (a `/dev/` prefix says nothing: /dev/shm is a shared,
 * world-writable directory and /dev/../etc/x is /etc/x).
 *
 * - a character device or a FIFO (/dev/null, /dev/full, a named pipe) is
 *   written in place: it is reopened for writing through the descriptor
 *   that was inspected, so what is written to is what was checked;
 * - a regular file, or a name that does not exist yet, is replaced by a
 *   rename (output-file.ts), keeping the replaced file's mode (and owner,
 *   where root may set it), but not another user's file's in a directory
 *   others may write to (keptOwnership);
 * - a final symlink is followed only when nobody but this user (or root)
 *   could have made it or could swap it: owned by this user or root, in a
 *   directory owned by this user or root that others cannot write to, or
 *   that is sticky (others cannot rename or remove entries there). That is
 *   how /dev/stdout, /dev/fd/N and a user's own links keep working, while
 *   another user's link planted in /tmp or /dev/shm is refused: root
 *   following it could overwrite any file (`fs.protected_symlinks` is not
 *   on everywhere). Every link of a chain is checked so, and every
 *   symlink among the directories on the way. A followed link
 *   to a regular file replaces that file; the link stays.
 * - anything else (a directory, a block device, a socket) is refused.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, realpathSync, Stats, statfsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/** open(2)'s O_PATH (the same value on x86_64 and arm64; Node does not export it): an fd to inspect, no access, no side effect. */
const O_PATH = 0o10000000;
const S_ISVTX = 0o1000;

export type OutputTarget =
  /** Written in place through `fd`, already open for writing; `borrowed`: one of this process's own (/dev/stdout), never closed. */
  | { kind: 'in-place'; fd: number; borrowed?: boolean }
  /** A file put in place by a rename over `path`; `replaces` is the regular file there now, if any. */
  | { kind: 'replace'; path: string; replaces?: { mode: number; uid: number; gid: number } };

/** A directory as an errno error: output-file.ts names it like the kernel's EISDIR. */
function isDirectory(): NodeJS.ErrnoException {
  return Object.assign(new Error('is a directory'), { code: 'EISDIR' });
}

/** Refused targets; output-file.ts turns these into OutputErrors with the path. */
export class TargetRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

function euid(): number {
  return process.geteuid?.() ?? -1;
}

/**
 * Pure: why a symlink may not be followed (undefined: it may): somebody
 * but this user or root made it, or can swap it for another.
 */
export function untrustedSymlink(link: Pick<Stats, 'uid'>, dir: Pick<Stats, 'uid' | 'mode'>, uid: number): string | undefined {
  const ours = (owner: number): boolean => owner === uid || owner === 0;
  if (!ours(link.uid)) return `another user's symlink (uid ${link.uid})`;
  if (!ours(dir.uid)) return `a symlink in another user's directory (uid ${dir.uid})`;
  const othersMayReplace = (dir.mode & 0o022) !== 0 && (dir.mode & S_ISVTX) === 0;
  if (othersMayReplace) return 'a symlink in a directory that others may write to';
  return undefined;
}

function openPath(path: string, follow: boolean): number {
  return openSync(path, O_PATH | (follow ? 0 : constants.O_NOFOLLOW));
}

/** Reopens what an O_PATH descriptor names for writing: the same inode, whatever the path names by now. */
function reopenForWriting(pathFd: number): number {
  return openSync(`/proc/self/fd/${pathFd}`, constants.O_WRONLY | constants.O_NOCTTY);
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

/**
 * Pure: the mode and owner a report takes from the file it replaces. In a
 * directory others may write to (/tmp, /dev/shm), the file may be another
 * user's bait: a 0666 file planted under the report's name would otherwise
 * make root's report theirs, or writable by all. There the owner is not
 * kept and nobody else gets write access; anywhere else (a home directory,
 * a directory only root writes to) the file's mode and owner are the
 * owner's choice and are kept (a 0600 report stays 0600).
 */
export function keptOwnership(file: Pick<Stats, 'mode' | 'uid' | 'gid'>, dir: Pick<Stats, 'mode' | 'uid'>): { mode: number; uid: number; gid: number } {
  const mode = file.mode & 0o777;
  const shared = (dir.mode & 0o022) !== 0 && dir.uid !== file.uid;
  if (!shared) return { mode, uid: file.uid, gid: file.gid };
  return { mode: mode & ~0o022, uid: euid(), gid: process.getegid?.() ?? file.gid };
}

/**
 * What `st` (of the descriptor `fd`, opened O_PATH) is as a destination.
 * `magic`: reached through a /proc magic link (/proc/self/fd/1), whose
 * file has no path of its own to read: its real path is asked of the fd.
 */
function classify(path: string, fd: number, st: Stats, magic: boolean): OutputTarget {
  if (st.isCharacterDevice() || st.isFIFO()) return { kind: 'in-place', fd: reopenForWriting(fd) };
  if (st.isFile()) {
    const target = magic ? realpathSync.native(`/proc/self/fd/${fd}`) : path;
    return { kind: 'replace', path: target, replaces: keptOwnership(st, statSync(dirname(target))) };
  }
  if (st.isDirectory()) throw isDirectory();
  throw new TargetRefused('EINVAL', `is ${kindOf(st)}`, 'give a file name, a character device or a FIFO');
}

/** Opens `path` O_PATH, runs `use` on it; `undefined` when there is no such name. */
function withPathFd<T>(path: string, follow: boolean, use: (fd: number, st: Stats) => T): T | undefined {
  let fd: number;
  try {
    fd = openPath(path, follow);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return use(fd, fstatSync(fd));
  } finally {
    closeSync(fd);
  }
}

/** N when `path` is /proc/self/fd/N (or /proc/PID/fd/N of this process): one of its own descriptors. */
function ownDescriptor(path: string): number | undefined {
  const n = basename(path);
  if (!/^\d+$/.test(n)) return undefined;
  try {
    return realpathSync(dirname(path)) === `/proc/${process.pid}/fd` ? Number(n) : undefined;
  } catch {
    return undefined;
  }
}

function refuseLink(path: string, link: string, why: string): TargetRefused {
  return new TargetRefused('ELOOP', `${link === path ? 'is' : `leads through ${link}, which is`} ${why}: not followed`, 'remove the link, or write to a directory that only you can write to');
}

/**
 * The directories on the way: the kernel follows a symlink among them
 * without asking (another user's /dev/shm/dir → /root made -o
 * /dev/shm/dir/secret replace /root/secret), so each one is checked like a
 * final link. The path is walked as written, `..` included, as the kernel
 * walks it.
 */
function checkDirectories(path: string): void {
  const parts = path.split('/');
  let prefix = path.startsWith('/') ? '' : '.';
  for (const part of parts.slice(0, -1)) {
    if (part === '' || part === '.') continue;
    const parent = prefix === '' ? '/' : prefix;
    prefix = `${prefix}/${part}`;
    let st: Stats;
    try {
      st = lstatSync(prefix);
    } catch {
      return; // missing: creating the file fails with the kernel's error
    }
    if (!st.isSymbolicLink()) continue;
    const untrusted = untrustedSymlink(st, statSync(parent), euid());
    if (untrusted !== undefined) throw refuseLink(path, prefix, untrusted);
  }
}

/** The kernel's bound on symlinks followed in one lookup. */
const MAX_LINKS = 40;
const PROC_SUPER_MAGIC = 0x9fa0;

/**
 * Inspects `path`. A final symlink is followed one hop at a time, each hop
 * checked (a trusted link of root's to another user's link is not
 * trusted further); throws TargetRefused or the errno error.
 */
export function inspectTarget(path: string): OutputTarget {
  if (path.endsWith('/')) throw isDirectory();
  checkDirectories(path);
  let current = path;
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    const found = withPathFd(current, false, (fd, st) => (st.isSymbolicLink() ? st : classify(current, fd, st, false)));
    // No such name: a new file (a dangling trusted link: its target is made, as a shell redirection would).
    if (found === undefined) return { kind: 'replace', path: current };
    if (!(found instanceof Stats)) return found;
    const dir = dirname(current);
    const untrusted = untrustedSymlink(found, statSync(dir), euid());
    if (untrusted !== undefined) throw refuseLink(path, current, untrusted);
    // /dev/stdout, /dev/fd/N: this process's own descriptor, written as it is
    // (a socket cannot be reopened; a file opened for appending keeps appending).
    const own = ownDescriptor(current);
    if (own !== undefined) return { kind: 'in-place', fd: own, borrowed: true };
    // /proc/PID/fd/N is no path to read but the open file itself: open it.
    if (statfsSync(dir).type === PROC_SUPER_MAGIC) return withPathFd(current, true, (fd, st) => classify(current, fd, st, true)) ?? { kind: 'replace', path: current };
    current = resolve(dir, readlinkSync(current));
  }
  throw new TargetRefused('ELOOP', `has more than ${MAX_LINKS} symlinks in a chain`, 'give the file name itself');
}
