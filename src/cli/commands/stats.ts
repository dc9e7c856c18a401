/** `tsdenet stats FILE`: the run summary of a metrics file, as a table or JSON. */
import { UsageError } from '../../errors.js';
import { writeCommandOutput } from '../command-output.js';
import { readLinesFrom } from '../../records/read-lines.js';
import { otherRunNote } from '../../records/sidecar.js';
import { statsDocument } from '../../records/summary.js';
import { renderOffcpu } from '../../report/offcpu-table.js';
import { renderSyscallCounts } from '../../report/table.js';
import { renderStatistics } from '../../stats/render.js';
import { summarizeFile } from '../../stats/summarize-file.js';
import type { GlobalOptions } from '../options.js';

export async function statsSubcommand(options: GlobalOptions, path: string): Promise<number> {
  // `-` is standard input (a pipe: `ssh host cat run.jsonl | tsdenet stats -`).
  if (path === '-' && process.stdin.isTTY) {
    throw new UsageError('stats - reads the metrics from standard input, which is a terminal here', { hint: 'pipe a file into it, or give its path' });
  }
  const file = path === '-' ? 'standard input' : path;
  const { statistics, syscalls, offcpu, lines, unparsed, firstUnparsed, otherRunSidecar } = await summarizeFile(file, path === '-' ? readLinesFrom(process.stdin) : undefined);
  if (firstUnparsed && !options.quiet) {
    // A run or copy that was interrupted leaves its last record cut short: say so.
    process.stderr.write(
      unparsed === 1 && firstUnparsed.kind === 'cut-short'
        ? `tsdenet: the last line (${firstUnparsed.line}) of ${file} is cut short (was the run or the copy interrupted?); what comes before it is summarized\n`
        : `tsdenet: skipped ${unparsed} of ${lines} lines of ${file} that are no tsdenet or denet record (first: line ${firstUnparsed.line})\n`,
    );
  }
  if (otherRunSidecar && !options.quiet) {
    process.stderr.write(`tsdenet: ${otherRunNote(otherRunSidecar)}\n`);
  }
  // denet's layout: pretty JSON with --json, else the EXECUTION SUMMARY rows;
  // then the syscall counts and off-CPU time, where the file has them (.ebpf.syscalls, .ebpf.offcpu).
  const text = options.json
    ? JSON.stringify(statsDocument(statistics, { syscalls, offcpu }), null, 2) + '\n'
    : renderStatistics(statistics, 'FILE STATISTICS') + (syscalls ? renderSyscallCounts(syscalls) : '') + (offcpu ? '\n' + renderOffcpu(offcpu, options.top) : '');
  await writeCommandOutput(options, text);
  return 0;
}
