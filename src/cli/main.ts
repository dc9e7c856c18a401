/**
 * The process boundary: parse, run, and turn every outcome into an exit
 * status. Expected failures (TsdenetError) print one or two lines; anything
 * else is a bug: "internal error" with the stack, exit 70 (EX_SOFTWARE).
 */
import { TsdenetError } from '../errors.js';
import { prepareProcess } from '../privileges/launch-environment.js';
import { beginEarlyCounter } from './early-counter.js';
import { checkArgumentEncoding, environmentEncodingWarnings } from './argument-encoding.js';
import { formatError } from './format-error.js';
import { guardStandardStreams, standardOutputFailure } from './standard-streams.js';

const EX_SOFTWARE = 70;

export async function main(args: readonly string[]): Promise<number> {
  const debug = args.includes('--debug');
  guardStandardStreams();
  const status = await runSubcommand(args, debug);
  // A failed write is reported on a later tick: let it arrive.
  await new Promise((resolve) => setImmediate(resolve));
  const failure = standardOutputFailure();
  if (failure === undefined) return status;
  // As for an -o FILE that cannot be written: what was asked for is missing.
  process.stderr.write(formatError(failure, debug));
  return failure.exitCode;
}

async function runSubcommand(args: readonly string[], debug: boolean): Promise<number> {
  try {
    // First, before anything is started: capabilities stay in this process,
    // and under the setup's launcher the environment becomes the user's.
    prepareProcess();
    checkArgumentEncoding(args);
    // The counter's object loads on another thread while the parser (yargs) is loaded and run.
    await beginEarlyCounter(args);
    const { parseCommandLine } = await import('./parser.js');
    const parsed = await parseCommandLine(args);
    if (parsed.name === 'none') {
      if (parsed.output) process.stdout.write(parsed.output.endsWith('\n') ? parsed.output : parsed.output + '\n');
      return 0;
    }
    switch (parsed.name) {
      case 'run': {
        if (!parsed.options.quiet) process.stderr.write(environmentEncodingWarnings());
        const { runSubcommand } = await import('./commands/run.js');
        return await runSubcommand(parsed.options, parsed.command, parsed.ci);
      }
      case 'doctor': {
        const { doctorSubcommand } = await import('./commands/doctor.js');
        return await doctorSubcommand(parsed.options);
      }
      case 'attach': {
        const { attachSubcommand } = await import('./commands/attach.js');
        return await attachSubcommand(parsed.options, parsed.pid);
      }
      case 'stats': {
        const { statsSubcommand } = await import('./commands/stats.js');
        return await statsSubcommand(parsed.options, parsed.file);
      }
      case 'compare': {
        const { compareSubcommand } = await import('./commands/compare.js');
        return await compareSubcommand(parsed.options, parsed);
      }
      case 'report': {
        const { reportSubcommand } = await import('./commands/report.js');
        return await reportSubcommand({ input: parsed.file, out: parsed.options.out, open: parsed.open, quiet: parsed.options.quiet });
      }
    }
  } catch (error) {
    if (error instanceof TsdenetError) {
      let text = formatError(error, debug);
      if (error.code === 'USAGE') text += 'tsdenet: see tsdenet --help\n';
      process.stderr.write(text);
      return error.exitCode;
    }
    const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`tsdenet: internal error: ${stack}\ntsdenet: this is a bug in tsdenet; please report it with the command line you used\n`);
    return EX_SOFTWARE;
  }
}
