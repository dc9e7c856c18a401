/**
 * The -o/--out file: records go to a temporary file beside the target,
 * which is renamed over the target only when the report is complete. A
 * crash or a full disk never leaves a half-written report under the
 * user's file name. Devices and FIFOs are written in place; what a path
 * names, and which symlinks are followed, is output-target.ts's decision.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, createWriteStream, fchmodSync, fchownSync, fsyncSync, lstatSync, openSync, readdirSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { OutputError } from '../errors.js';
import { NAME_MAX, truncateUtf8 } from '../records/file-name.js';
import { inspectTarget, TargetRefused, type OutputTarget } from './output-target.js';

function describe(path: string, error: unknown): OutputError {
  if (error instanceof TargetRefused) return new OutputError(`cannot write ${path}: it ${error.message}`, { cause: error, hint: error.hint });
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  const hints: Record<string, string> = {
    ENOENT: `create the directory first: mkdir -p ${dirname(path)}`,
    EACCES: `choose a directory you may write to, or fix its permissions`,
    ENOSPC: 'free some disk space, or write the report elsewhere',
    EROFS: 'the file system is read-only: write the report elsewhere',
    EISDIR: 'give a file name, not a directory',
    EPERM: 'another user owns this name in a shared (sticky) directory: choose another name',
    ENAMETOOLONG: `choose a file name of at most ${NAME_MAX} bytes`,
  };
  return new OutputError(`cannot write ${path}: ${code}`, { cause: error, hint: hints[code] });
}

/** `.` NAME `.` PID `.` RANDOM `.tmp`: at most 10 pid digits, 12 hex digits. */
const TEMP_OVERHEAD = 1 + 1 + 10 + 1 + 12 + 4;

/** Pure: what every temporary file of `target` starts with, short enough that the whole name fits NAME_MAX. */
export function temporaryPrefix(target: string): string {
  return `.${truncateUtf8(basename(target), NAME_MAX - TEMP_OVERHEAD)}.`;
}

/** Pure: the pid a temporary file name of `prefix` carries, or undefined when it is not one. */
export function temporaryPid(name: string, prefix: string): number | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const m = /^(\d{1,10})\.[0-9a-f]{12}\.tmp$/.exec(name.slice(prefix.length));
  return m ? Number(m[1]) : undefined;
}

/** The mode and owner a replaced report had, kept by the new one. */
export type FileOwnership = NonNullable<Extract<OutputTarget, { kind: 'replace' }>['replaces']>;

/**
 * Creates the temporary file beside `target`: O_EXCL|O_NOFOLLOW under a name
 * nobody can predict (a pid alone can be guessed: a file or a symlink planted
 * under it made the run fail, or be redirected). A clash is retried with a
 * new name. `replaces`: the mode and owner to give it, else 0644 (as before).
 */
export function createTemporary(target: string, replaces: FileOwnership | undefined, random = (): string => randomBytes(6).toString('hex')): { tmp: string; fd: number } {
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
  for (let attempt = 0; ; attempt++) {
    const tmp = join(dirname(target), `${temporaryPrefix(target)}${process.pid}.${random()}.tmp`);
    let fd: number;
    try {
      // 0600 until the mode and owner are set: nobody else opens it meanwhile.
      fd = openSync(tmp, flags, replaces ? 0o600 : 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && attempt < 8) continue;
      throw error;
    }
    try {
      if (replaces) {
        // root keeps the owner of the report it replaces (a user's file stays theirs); others cannot give files away.
        // Best effort: where root may not chown (NFS with root_squash) the report is still written, root's.
        if (process.geteuid?.() === 0) {
          try {
            fchownSync(fd, replaces.uid, replaces.gid);
          } catch {
            // stays root's
          }
        }
        fchmodSync(fd, replaces.mode);
      }
    } catch (error) {
      closeSync(fd);
      rmSync(tmp, { force: true });
      throw error;
    }
    return { tmp, fd };
  }
}

/** Whether a process with this pid exists (a pid that has been reused counts as alive: its file is kept). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A SIGKILLed run leaves what it measured in its hidden temporary file
 * (readable by stats and report). Once a later run has put a complete
 * report in place, those leftovers of dead runs are removed, as far as
 * this user may: best effort, the report is already in place. (A run in
 * another pid namespace writing the same file would look dead; two runs
 * writing one report file overwrite each other anyway.)
 */
function removeStaleTemporaries(path: string): void {
  const prefix = temporaryPrefix(path);
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = temporaryPid(name, prefix);
    if (pid === undefined || pid <= 0 || pid === process.pid || processExists(pid)) continue;
    const leftover = join(dirname(path), name);
    try {
      // Only this user's own regular files: a look-alike another user left in a shared directory is theirs.
      const st = lstatSync(leftover);
      if (st.isFile() && st.uid === process.geteuid?.()) rmSync(leftover, { force: true });
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
}

export class OutputFile {
  readonly path: string;
  readonly #tmp: string;
  readonly #fd: number;
  readonly stream: WriteStream;
  #error: unknown;
  /** Committed or discarded. */
  #settled = false;
  #closed = false;

  /** The mode and owner of the file this one replaces (undefined: a new file, or written in place). */
  readonly keeps: FileOwnership | undefined;

  private constructor(path: string, tmp: string, fd: number, keeps?: FileOwnership, borrowed = false) {
    this.path = path;
    // Not ours to close (stdout): as if closed already.
    this.#closed = borrowed;
    this.keeps = keeps;
    this.#tmp = tmp;
    this.#fd = fd;
    this.stream = createWriteStream('', { fd, autoClose: false });
    this.stream.on('error', (error) => {
      this.#error ??= error;
    });
  }

  /** Whether records are written in place (a device or a FIFO): no rename, and no beside for a sidecar. */
  get inPlace(): boolean {
    return this.#tmp === '';
  }

  /**
   * Opens the destination now, so a bad path fails before the command runs:
   * a character device or a FIFO in place, anything else through a
   * temporary file (output-target.ts decides which, and refuses the rest).
   * `like`: the mode and owner for a new file (a sidecar takes its report's).
   */
  static open(path: string, like?: FileOwnership): OutputFile {
    try {
      const target = inspectTarget(path);
      if (target.kind === 'in-place') return new OutputFile(path, '', target.fd, undefined, target.borrowed);
      const keeps = target.replaces ?? like;
      const { tmp, fd } = createTemporary(target.path, keeps);
      return new OutputFile(target.path, tmp, fd, keeps);
    } catch (error) {
      throw describe(path, error);
    }
  }

  /**
   * Opens several files, all or none: a failure removes the temporary files
   * already made (the first one was left behind when --stats failed). The
   * paths differ: the caller names a clash (destinations.ts). In order: an
   * opener may use what the ones before it opened.
   */
  static openAll(openers: readonly (() => OutputFile | undefined)[]): (OutputFile | undefined)[] {
    const opened: (OutputFile | undefined)[] = [];
    try {
      for (const open of openers) opened.push(open());
    } catch (error) {
      for (const file of opened) file?.discard();
      throw error;
    }
    return opened;
  }

  /** Flushes, syncs and moves the file into place; throws an OutputError when anything failed. */
  async commit(): Promise<void> {
    if (!this.stream.writableEnded && !this.stream.destroyed) this.stream.end();
    // finished() also settles for a stream that failed before (ENOSPC),
    // where waiting for 'finish' would hang.
    await finished(this.stream).catch((error: unknown) => {
      this.#error ??= error;
    });
    try {
      if (this.#error) throw this.#error;
      if (this.#tmp !== '') fsyncSync(this.#fd);
      this.#close();
      if (this.#tmp !== '') renameSync(this.#tmp, this.path);
    } catch (error) {
      this.discard();
      throw describe(this.path, error);
    }
    this.#settled = true;
    if (this.#tmp !== '') removeStaleTemporaries(this.path);
  }

  /** Closes the descriptor once: a second close could close another file that got its number. */
  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      closeSync(this.#fd);
    } catch {
      // the stream closed it
    }
  }

  /** Removes the temporary file (the target is left as it was); nothing once committed. */
  discard(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#close();
    if (this.#tmp !== '') rmSync(this.#tmp, { force: true });
  }
}
