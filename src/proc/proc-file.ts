/**
 * Cheap repeated reads of /proc files. A /proc file read again from offset 0
 * is generated afresh, so an open descriptor can be kept per file and read
 * with one pread per sample (about 1 µs) instead of open/read/close (about
 * 5 µs). A descriptor names one process: once it has exited (or its pid is
 * reused) the read fails, so pid reuse can never mix two processes.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { OPEN_FILES_NEEDED, openFilesLimit } from './open-files-limit.js';

/** Descriptors kept open at most, whatever the tree size (beyond: plain reads). */
export const MAX_CACHED_FDS = 4096;

/**
 * Pure: how many descriptors the cache may keep for an open-file limit of
 * `soft`: what is left above what tsdenet needs besides (open-files-limit.ts).
 * With 4096 whatever the limit, a tree of 500 processes under the usual
 * 1024 ran out: every later open failed with EMFILE.
 */
export function cacheBudget(soft: number | undefined): number {
  if (soft === undefined) return 0;
  return Math.max(0, Math.min(MAX_CACHED_FDS, soft - OPEN_FILES_NEEDED));
}

let budget: number | undefined;
let cachedFds = 0;
let buffer = Buffer.allocUnsafe(16 * 1024);

/**
 * Reads a whole file through fd from offset 0 into the shared buffer. The
 * single-record files (stat, io, status) come whole in one read, so a short
 * read is the end and no second call is needed to see end-of-file.
 */
function readAllFrom(fd: number): string {
  let length = 0;
  for (;;) {
    const n = readSync(fd, buffer, length, buffer.length - length, length);
    length += n;
    if (n === 0 || length < buffer.length) break;
    const bigger = Buffer.allocUnsafe(buffer.length * 2);
    buffer.copy(bigger, 0, 0, length);
    buffer = bigger;
  }
  return buffer.toString('latin1', 0, length);
}

/** One /proc file, read again and again; read() is undefined once unreadable. */
export class ProcFile {
  readonly path: string;
  #fd: number | undefined;
  #gone = false;

  constructor(path: string) {
    this.path = path;
  }

  /** The file's text now, or undefined when the process is gone or the file unreadable. */
  read(): string | undefined {
    if (this.#gone) return undefined;
    budget ??= cacheBudget(openFilesLimit()?.soft);
    try {
      if (this.#fd === undefined && cachedFds < budget) {
        this.#fd = openSync(this.path, 'r');
        cachedFds++;
      }
      return this.#fd === undefined ? readFileSync(this.path, 'latin1') : readAllFrom(this.#fd);
    } catch (error) {
      // Out of descriptors is no sign the process is gone: try again next time.
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EMFILE' || code === 'ENFILE') return undefined;
      this.close();
      this.#gone = true;
      return undefined;
    }
  }

  close(): void {
    if (this.#fd === undefined) return;
    try {
      closeSync(this.#fd);
    } catch {
      // already closed
    }
    this.#fd = undefined;
    cachedFds--;
  }
}

/** A file's text, or undefined when it cannot be read (one-shot reads). */
export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}
