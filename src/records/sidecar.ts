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
