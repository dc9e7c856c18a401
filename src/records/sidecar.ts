/**
 * Where tsdenet's own records of a run go beside its -o file, and reading
 * them back with the run they close.
 *
 * The -o file holds denet's records only (env?, metadata, tree/sample), so
 * that denet's readers take it for a denet file: denet's Python helpers
 * (denet.analysis.load_metrics) drop the first line and take every other
 * line for a sample, and a `summary` line among them became a sample. The
 * `syscalls` interval records and the closing `summary` go to the sidecar:
 * run.jsonl → run.tsdenet.jsonl. `stats` and `report` read it when it is there.
 */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { NAME_MAX, truncateUtf8 } from './file-name.js';
import { readRecords } from './read-file.js';
import { readLines } from './read-lines.js';
import type { ReadMode, ReadRecord } from './reader.js';

const JSON_LINES_EXTENSIONS = new Set(['.jsonl', '.json', '.ndjson']);

/** The file name without a JSON Lines extension: run.jsonl → run. */
export function stemOf(path: string): string {
  const ext = extname(path);
  return JSON_LINES_EXTENSIONS.has(ext) ? basename(path, ext) : basename(path);
}

export const SIDECAR_SUFFIX = '.tsdenet.jsonl';

/**
 * run.jsonl → run.tsdenet.jsonl, in the same directory. A stem near
 * NAME_MAX is cut so that the sidecar's name fits (two such names sharing
 * their first 241 bytes share a sidecar; sameRun tells their runs apart).
 */
export function sidecarPath(outPath: string): string {
  return join(dirname(outPath), truncateUtf8(stemOf(outPath), NAME_MAX - SIDECAR_SUFFIX.length) + SIDECAR_SUFFIX);
}

/** Whether the path names a sidecar itself (it has none of its own). */
export function isSidecar(path: string): boolean {
  return path.endsWith(SIDECAR_SUFFIX);
}

/**
 * The sidecar beside the file at `path`, if there is one to read: a regular
 * file (a FIFO or a link to a device would hang the reader) owned by the
 * file's owner (in a shared directory, another user could plant one).
 */
export function sidecarBeside(path: string): string | undefined {
  if (isSidecar(path)) return undefined;
  try {
    // Beside the file itself: a run written through a symlink has its sidecar beside the link's target.
    const sidecar = sidecarPath(realpathSync(path));
    const main = statSync(path);
    const side = statSync(sidecar);
    return side.isFile() && side.uid === main.uid ? sidecar : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a sidecar's summary closes the run of the file's metadata: the
 * same pid and t0_ms (a sidecar left by an earlier run under the same name,
 * or shared by run.json and run.jsonl, belongs to another run).
 */
export function sameRun(metadata: RunIdentity | undefined, summary: RunIdentity): boolean {
  return metadata !== undefined && metadata.pid === summary.pid && metadata.t0_ms === summary.t0_ms;
}

/** What names a run: its command's pid and when monitoring began. */
export interface RunIdentity {
  pid?: number;
  t0_ms?: number;
}

export interface SidecarRecords {
  /** The records kept, when the sidecar's summary closes the file's run; else none. */
  records: ReadRecord[];
  /** The sidecar is another run's (see otherRunNote). */
  otherRun: boolean;
}

/** What `stats` and `report` say of a sidecar that belongs to another run. */
export function otherRunNote(sidecar: string): string {
  return `${sidecar} is another run's summary (its pid and t0_ms are not this file's): not read`;
}

/**
 * Reads a sidecar for the run of `metadata` (the -o file's): its records for
 * which `keep` holds, or none when its summary closes another run.
 */
export async function readSidecar(path: string, metadata: RunIdentity | undefined, mode: ReadMode, keep: (record: ReadRecord) => boolean = () => true): Promise<SidecarRecords> {
  const records: ReadRecord[] = [];
  let summary: RunIdentity | undefined;
  for await (const item of readRecords(readLines(path), mode)) {
    if (item.type !== 'record') continue;
    if (item.record.kind === 'summary') summary ??= item.record;
    if (keep(item.record)) records.push(item.record);
  }
  if (summary && !sameRun(metadata, summary)) return { records: [], otherRun: true };
  return { records, otherRun: false };
}
