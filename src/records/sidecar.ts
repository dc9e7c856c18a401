/**
 * Pure: where tsdenet's own records of a run go beside its -o file.
 *
 * The -o file holds denet's records only (env?, metadata, tree/sample), so
 * that denet's readers take it for a denet file: denet's Python helpers
 * (denet.analysis.load_metrics) drop the first line and take every other
 * line for a sample, and a `summary` line among them became a sample. The
 * `syscalls` interval records and the closing `summary` go to the sidecar:
 * run.jsonl → run.tsdenet.jsonl. `stats` and `report` read it when it is there.
 */
import { statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

const JSON_LINES_EXTENSIONS = new Set(['.jsonl', '.json', '.ndjson']);

/** The file name without a JSON Lines extension: run.jsonl → run. */
export function stemOf(path: string): string {
  const ext = extname(path);
  return JSON_LINES_EXTENSIONS.has(ext) ? basename(path, ext) : basename(path);
}

export const SIDECAR_SUFFIX = '.tsdenet.jsonl';

/** run.jsonl → run.tsdenet.jsonl, in the same directory. */
export function sidecarPath(outPath: string): string {
  return join(dirname(outPath), stemOf(outPath) + SIDECAR_SUFFIX);
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
  const sidecar = sidecarPath(path);
  try {
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
export function sameRun(metadata: { pid?: number; t0_ms?: number } | undefined, summary: { pid?: number; t0_ms?: number }): boolean {
  return metadata !== undefined && metadata.pid === summary.pid && metadata.t0_ms === summary.t0_ms;
}
