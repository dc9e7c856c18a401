/** `tsdenet report FILE`: a saved run (JSON Lines) → one self-contained HTML page. */
import { basename, dirname, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../../errors.js';
import { loadChartAssets } from '../../html-report/assets.js';
import { readModelFromFile } from '../../html-report/read-model.js';
import { renderHtml } from '../../html-report/render-html.js';
import { OutputFile } from '../../report/output-file.js';
import { escapeControl } from '../../text/terminal-text.js';
import { VERSION } from '../../version.js';

export interface ReportOptions {
  /** The JSON Lines file; "-" reads standard input. */
  input: string;
  /** The HTML file; by default the input's name with .html. */
  out: string | undefined;
  /** Print the report's file:// URL on stdout. */
  open: boolean;
  quiet: boolean;
}

/** run.jsonl → run.html, beside the input. */
export function defaultReportPath(input: string): string {
  const ext = extname(input);
  const stem = ext === '.jsonl' || ext === '.json' || ext === '.ndjson' ? basename(input, ext) : basename(input);
  return join(dirname(input), `${stem}.html`);
}

function chooseOutput(options: ReportOptions): string {
  if (options.out !== undefined) {
    if (options.out === '') throw new UsageError('-o/--out needs a file name');
    if (options.input !== '-' && resolve(options.out) === resolve(options.input)) {
      throw new UsageError(`-o ${options.out} would overwrite the input`, { hint: 'give another name, e.g. -o report.html' });
    }
    return options.out;
  }
  if (options.input === '-') throw new UsageError('reading standard input needs -o FILE for the HTML', { hint: 'tsdenet report - -o report.html' });
  return defaultReportPath(options.input);
}

export async function reportSubcommand(options: ReportOptions): Promise<number> {
  const outPath = chooseOutput(options);
  if (options.input === '-' && process.stdin.isTTY) {
    throw new UsageError('standard input is a terminal, not a JSON Lines file', { hint: 'pipe a run into it: tsdenet --json run -- CMD | tsdenet report - -o report.html' });
  }
  const model = await readModelFromFile(options.input);
  const html = renderHtml(model, loadChartAssets(), { source: options.input === '-' ? 'standard input' : basename(options.input), version: VERSION });
  const out = OutputFile.open(outPath);
  out.stream.write(html);
  await out.commit();
  if (!options.quiet) {
    // Notes quote the file (an unknown record kind): its control characters are shown escaped.
    for (const note of model.notes) process.stderr.write(`tsdenet: ${note.level}: ${escapeControl(note.text)}\n`);
    process.stderr.write(`tsdenet: wrote ${outPath} (${Math.ceil(Buffer.byteLength(html) / 1024)} KiB)\n`);
  }
  if (options.open) process.stdout.write(`${pathToFileURL(resolve(outPath)).href}\n`);
  return 0;
}
