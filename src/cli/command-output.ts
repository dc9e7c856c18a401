/** Where a subcommand's text result goes: -o FILE (written whole, then renamed into place), or stdout. */
import { OutputFile } from '../report/output-file.js';
import type { GlobalOptions } from './options.js';

/** -o FILE when given; else stdout, unless --quiet (JSON is written even then). */
export async function writeCommandOutput(options: Pick<GlobalOptions, 'out' | 'json' | 'quiet'>, text: string): Promise<void> {
  if (options.out !== undefined) {
    const out = OutputFile.open(options.out);
    out.stream.write(text);
    await out.commit();
  } else if (options.json || !options.quiet) {
    process.stdout.write(text);
  }
}
