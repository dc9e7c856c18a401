/**
 * The -o/--out file: records go to a temporary file beside the target,
 * which is renamed over the target only when the report is complete. A
 * crash or a full disk never leaves a half-written report under the
 * user's file name.
 */
import { closeSync, createWriteStream, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync, type WriteStream } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { finished } from 'node:stream/promises';
import { OutputError } from '../errors.js';

function describe(path: string, error: unknown): OutputError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  const hints: Record<string, string> = {
    ENOENT: `create the directory first: mkdir -p ${dirname(path)}`,
    EACCES: `choose a directory you may write to, or fix its permissions`,
    ENOSPC: 'free some disk space, or write the report elsewhere',
    EROFS: 'the file system is read-only: write the report elsewhere',
    EISDIR: 'give a file name, not a directory',
  };
  return new OutputError(`cannot write ${path}: ${code}`, { cause: error, hint: hints[code] });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Whether the path names something that is written in place, not a file
 * to replace by a rename: a device (/dev/full, /dev/stdout), a FIFO, a
 * socket. A regular file (even under /dev/shm) or a new name is a file.
 */
export function isDeviceLike(path: string): boolean {
  try {
    const st = statSync(path);
    return !st.isFile() && !st.isDirectory();
  } catch {
    return false;
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
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length, -'.tmp'.length));
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processExists(pid)) continue;
    try {
      rmSync(join(dirname(path), name), { force: true });
    } catch {
      // another user's leftover in a shared directory: theirs to remove
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

  private constructor(path: string, tmp: string, fd: number) {
    this.path = path;
    this.#tmp = tmp;
    this.#fd = fd;
    this.stream = createWriteStream('', { fd, autoClose: false });
    this.stream.on('error', (error) => {
      this.#error ??= error;
    });
  }

  /** Opens the temporary file now, so a bad path fails before the command runs. */
  static open(path: string): OutputFile {
    // Writing to a device (e.g. /dev/full, /dev/stdout) cannot go through a rename.
    if (isDeviceLike(path)) {
      try {
        return new OutputFile(path, '', openSync(path, 'w'));
      } catch (error) {
        throw describe(path, error);
      }
    }
    // Found only at the rename otherwise: after the command ran, records lost.
    if (path.endsWith('/') || isDirectory(path)) throw describe(path, Object.assign(new Error('is a directory'), { code: 'EISDIR' }));
    const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    try {
      return new OutputFile(path, tmp, openSync(tmp, 'wx', 0o644));
    } catch (error) {
      throw describe(path, error);
    }
  }

  /**
   * Opens several files, all or none: a failure removes the temporary files
   * already made (the first one was left behind when --stats failed). The
   * paths differ: the caller names a clash (destinations.ts).
   */
  static openAll(paths: readonly (string | undefined)[]): (OutputFile | undefined)[] {
    const opened: (OutputFile | undefined)[] = [];
    try {
      for (const path of paths) opened.push(path === undefined ? undefined : OutputFile.open(path));
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
