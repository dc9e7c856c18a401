/**
 * A saved run → its RunProfile, through the one reader (records/): the
 * summary record closes every tsdenet run, and is found
 *  - in the sidecar beside an -o file (run.jsonl → run.tsdenet.jsonl), read
 *    only when it closes that file's run (records/sidecar.ts);
 *  - in the sidecar itself, given directly;
 *  - in a file of `tsdenet --json run` output (its last record).
 */
import { readRecords } from '../records/read-file.js';
import { readLines } from '../records/read-lines.js';
import type { ReadSummary } from '../records/reader.js';
import { otherRunNote, readSidecar, sidecarBeside, sidecarPath, type RunIdentity } from '../records/sidecar.js';
import { CompareInputError } from './errors.js';
import { profileOfSummary, type RunProfile } from './run-profile.js';

const HINTS: Record<string, string> = {
  ENOENT: 'check the path; a saved run is the -o FILE of tsdenet --enable-ebpf -o FILE run (its sidecar FILE.tsdenet.jsonl beside it), or the output of tsdenet --enable-ebpf --json run',
  EACCES: 'the file is not readable by you: check its permissions',
  EISDIR: 'give a file, not a directory',
};

function readError(path: string, error: unknown): CompareInputError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return new CompareInputError(`cannot read ${path}: ${code}`, { cause: error, hint: HINTS[code] });
}

/** The file's metadata (the run it belongs to) and its last summary record, if any. */
async function scan(path: string): Promise<{ metadata?: RunIdentity; summary?: ReadSummary }> {
  let metadata: RunIdentity | undefined;
  let summary: ReadSummary | undefined;
  try {
    for await (const item of readRecords(readLines(path), 'lenient')) {
      if (item.type !== 'record') continue;
      if (item.record.kind === 'metadata') metadata ??= item.record;
      if (item.record.kind === 'summary') summary = item.record;
    }
  } catch (error) {
    throw readError(path, error);
  }
  return { metadata, summary };
}

/** The closing summary of the run saved at `path`. */
async function summaryOf(path: string): Promise<ReadSummary> {
  const { metadata, summary } = await scan(path);
  if (summary) return summary;
  const sidecar = sidecarBeside(path);
  if (sidecar) {
    let found;
    try {
      found = await readSidecar(sidecar, metadata, 'lenient', (record) => record.kind === 'summary');
    } catch (error) {
      throw readError(sidecar, error);
    }
    if (found.otherRun) throw new CompareInputError(otherRunNote(sidecar), { hint: `give the -o file of the run that ${sidecar} closes, or ${sidecar} itself` });
    const last = found.records.at(-1);
    if (last?.kind === 'summary') return last;
  }
  throw new CompareInputError(`${path} holds no tsdenet summary record, and no sidecar beside it does`, {
    hint: `compare reads what tsdenet --enable-ebpf -o FILE run writes: FILE and its sidecar ${sidecarPath(path)} (a denet file, or an -o file without its sidecar, has no syscall counts per name)`,
  });
}

/** The profile of a saved run (-o file, its sidecar, or --json output); throws CompareInputError. */
export async function loadRunProfile(path: string): Promise<RunProfile> {
  return profileOfSummary(await summaryOf(path), path);
}
