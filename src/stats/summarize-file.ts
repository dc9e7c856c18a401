/** `stats FILE`: the run summary of a metrics file written by tsdenet or denet. */
import { StatsInputError } from './errors.js';
import { classifyRecord } from './classify.js';
import { readLines, type Line } from './read-lines.js';
import { StatisticsBuilder, type RunStatistics } from './summary.js';

export interface FileSummary {
  statistics: RunStatistics;
  lines: number;
  /** Lines that are neither JSON nor a known record (blank lines excepted). */
  unparsed: number;
  firstUnparsedLine: number | undefined;
}

const HINTS: Record<string, string> = {
  ENOENT: 'check the path; the file is written by tsdenet -o FILE (or denet --out FILE)',
  EACCES: 'the file is not readable by you: check its permissions',
  EISDIR: 'give a file, not a directory',
};

/** Summarizes the file in one streaming pass; `name` is what messages call it (its path). */
export async function summarizeFile(name: string, lines: AsyncIterable<Line> = readLines(name)): Promise<FileSummary> {
  const path = name;
  const builder = new StatisticsBuilder();
  let count = 0;
  let unparsed = 0;
  let firstUnparsedLine: number | undefined;
  try {
    for await (const line of lines) {
      count = line.number;
      if (!line.overlong && line.text.trim() === '') continue;
      let record;
      try {
        record = line.overlong ? undefined : classifyRecord(JSON.parse(line.text));
      } catch {
        record = undefined;
      }
      if (!record) {
        unparsed++;
        firstUnparsedLine ??= line.number;
        continue;
      }
      if (record.type === 'metadata') builder.setStart(record.t0Ms);
      else if (record.type === 'aggregated') builder.addAggregated(record.point);
      else if (record.type === 'metrics') builder.addSingle(record.point);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new StatsInputError(`cannot read ${path}: ${code}`, { cause: error, hint: HINTS[code] });
  }
  const statistics = builder.result();
  if (count === 0) {
    throw new StatsInputError(`${path} is empty`, { hint: 'give a file written by tsdenet -o FILE or denet --out FILE (a run that was killed at once may have written nothing)' });
  }
  if (!statistics) {
    throw new StatsInputError(`no samples in ${path} (${count} lines, ${unparsed} not a tsdenet or denet record)`, {
      hint: 'give a file written by tsdenet -o FILE or denet --out FILE',
    });
  }
  return { statistics, lines: count, unparsed, firstUnparsedLine };
}
