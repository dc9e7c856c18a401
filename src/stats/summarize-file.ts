/**
 * `stats FILE`: the run summary of a metrics file written by tsdenet or
 * denet, through the one reader (lenient, as denet reads) and the one
 * summary. A tsdenet run's sidecar (run.tsdenet.jsonl beside run.jsonl) is
 * read too when it is there: its summary record gives the exact syscall
 * total, which --exclude-children samples do not carry.
 */
import { readRecords, type Problem } from '../records/read-file.js';
import { readLines, type Line } from '../records/read-lines.js';
import type { ReadOffcpu } from '../records/reader.js';
import type { RunStatistics } from '../records/schema.js';
import { isSidecar, readSidecar, SIDECAR_SUFFIX, sidecarBeside, type RunIdentity } from '../records/sidecar.js';
import { SummaryBuilder, type SyscallCounts } from '../records/summary.js';
import { StatsInputError } from './errors.js';

export interface FileSummary {
  statistics: RunStatistics;
  /** The run's syscall counts (eBPF), when the file has them. */
  syscalls?: SyscallCounts;
  /** --offcpu's off-CPU time, when the file has it. */
  offcpu?: ReadOffcpu;
  lines: number;
  /** Lines that are neither JSON nor a known record (blank lines excepted). */
  unparsed: number;
  firstUnparsed: Problem | undefined;
  /** The sidecar that was read too, if any. */
  sidecar?: string;
  /** A sidecar beside the file that is another run's (its summary does not close this one): not read. */
  otherRunSidecar?: string;
}

const HINTS: Record<string, string> = {
  ENOENT: 'check the path; the file is written by tsdenet -o FILE (or denet --out FILE)',
  EACCES: 'the file is not readable by you: check its permissions',
  EISDIR: 'give a file, not a directory',
};

function readError(path: string, error: unknown): StatsInputError {
  const code = (error as NodeJS.ErrnoException).code ?? 'error';
  return new StatsInputError(`cannot read ${path}: ${code}`, { cause: error, hint: HINTS[code] });
}

/** Counts the lines as they pass (blank ones too: messages give the file's own line count). */
async function* counted(lines: AsyncIterable<Line>, counter: { lines: number }): AsyncGenerator<Line> {
  for await (const line of lines) {
    counter.lines = line.number;
    yield line;
  }
}

/** Summarizes the file in one streaming pass; `name` is what messages call it (its path). */
export async function summarizeFile(name: string, lines?: AsyncIterable<Line>): Promise<FileSummary> {
  const builder = new SummaryBuilder();
  const counter = { lines: 0 };
  let unparsed = 0;
  let firstUnparsed: Problem | undefined;
  let metadata: RunIdentity | undefined;
  try {
    for await (const item of readRecords(counted(lines ?? readLines(name), counter), 'lenient')) {
      if (item.type === 'record') {
        if (item.record.kind === 'metadata') metadata ??= item.record;
        builder.add(item.record);
      } else {
        unparsed++;
        firstUnparsed ??= item.problem;
      }
    }
  } catch (error) {
    throw readError(name, error);
  }
  if (counter.lines === 0) {
    throw new StatsInputError(`${name} is empty`, { hint: 'give a file written by tsdenet -o FILE or denet --out FILE (a run that was killed at once may have written nothing)' });
  }
  // The sidecar's summary adds the run's final syscall count, when it closes this run.
  const sidecar = lines === undefined ? sidecarBeside(name) : undefined;
  let read = false;
  let otherRun = false;
  if (sidecar) {
    try {
      const found = await readSidecar(sidecar, metadata, 'lenient', (record) => record.kind === 'summary');
      for (const record of found.records) builder.add(record);
      read = found.records.length > 0;
      otherRun = found.otherRun;
    } catch (error) {
      throw readError(sidecar, error);
    }
  }
  const statistics = builder.result();
  if (!statistics) {
    throw new StatsInputError(`no samples in ${name} (${counter.lines} lines, ${unparsed} not a tsdenet or denet record)`, {
      hint: isSidecar(name)
        ? `this is the sidecar of a -o file (the run's summary, no samples): give the -o file beside it, e.g. ${name.slice(0, -SIDECAR_SUFFIX.length)}.jsonl`
        : 'give a file written by tsdenet -o FILE or denet --out FILE',
    });
  }
  return { statistics, syscalls: builder.syscallCounts(), offcpu: builder.offcpu(), lines: counter.lines, unparsed, firstUnparsed, sidecar: read ? sidecar : undefined, otherRunSidecar: otherRun ? sidecar : undefined };
}
