/**
 * The command line, denet's grammar: global flags, then a subcommand.
 * parseCommandLine() has no side effects (no exit, no output of its own), so
 * tests parse argument lists without spawning anything. Each subcommand
 * lives in commands/<name>.ts and is listed in COMMANDS below.
 */
import { createRequire } from 'node:module';
import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import { COMMANDS, type ChosenCommand } from './commands/index.js';
import { withCommandBoundary, type OptionArity } from './command-boundary.js';
import { addGlobalOptions } from './options.js';
import { explainUnknownArguments, unknownNames } from './unknown-arguments.js';

export type ParsedCommand = ChosenCommand | { name: 'none'; output: string };

/*
 * yargs 17's CommonJS build, on purpose: it is one bundled file and its
 * cliui (string-width 4) does no work at import. yargs 18 is ESM only and its
 * string-width 7 and 8 build an Intl.Segmenter and Unicode property regexes
 * when imported: 45 ms and 7 MB more on every start (measured on Node 20,
 * `node -e` importing each), for help text nobody asked for.
 */
const yargs = createRequire(import.meta.url)('yargs/yargs') as typeof import('yargs/yargs');

/** Parses argv (without node and script); never exits the process. */
export async function parseCommandLine(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ParsedCommand> {
  let output = '';
  let parser = addGlobalOptions(yargs())
    .scriptName('tsdenet')
    .usage('Usage: $0 [options] <command>\n\nSyscall-profiling process runner: exact eBPF syscall counts for a command and all its descendants.')
    // yargs would translate its own messages after LANG; tsdenet's are English.
    .locale('en')
    .parserConfiguration({ 'populate--': true });
  // The subcommand is picked from argv._ once parsing is done.
  for (const command of COMMANDS) {
    parser = parser.command(command.usage, command.describe, (y) => command.builder(y).usage(`Usage: $0 [options] ${command.synopsis}\n\n${command.describe}`));
  }
  parser = parser
    // Examples as an epilog: yargs' two-column examples split a long command across lines.
    .epilog(`Examples:\n${EXAMPLES.map(([command, what]) => `  ${command}\n      ${what}`).join('\n')}`)
    .group(['json', 'out', 'quiet', 'top', 'format', 'debug'], 'Output:')
    .group(['enable-ebpf', 'require-ebpf', 'attach-mode', 'max-entries', 'errors', 'latency', 'per-thread', 'syscalls', 'category', 'interval-report', 'offcpu'], 'eBPF syscall counting:')
    .group(['interval', 'max-interval', 'no-update', 'duration', 'since-process-start', 'exclude-children', 'stats', 'write-env'], 'Process monitoring (denet):')
    .group(['wait-tree'], 'When the run ends:')
    .group(['user', 'as-root'], 'Who the command runs as:')
    .demandCommand(1, `give a subcommand: ${COMMANDS.map((c) => c.name).join(', ')}`)
    .strict()
    .help()
    .alias('help', 'h')
    .version(`tsdenet ${VERSION}`)
    .alias('version', 'V')
    // yargs renders the whole help after every subcommand it runs (to cache
    // it); wrapping that text costs ~30 ms. Wrap only when help is shown.
    .wrap(args.includes('--help') || args.includes('-h') ? Math.min(100, process.stdout.columns ?? 100) : null)
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error instanceof UsageError ? error : new UsageError(error.message);
      throw usageError(message, args, parser);
    });
  skipHelpCache(parser);
  const argv = await parser.parseAsync(withCommandBoundary(args, arityOf(parser)), {}, (_err, _argv, text) => {
    output = text;
  });
  if (output !== '') return { name: 'none', output };
  const entry = COMMANDS.find((c) => c.name === argv._[0]);
  // yargs lets `-o run -- ls` through (run is -o's value, ls goes to --):
  // nothing would run, so it is a usage error, not a silent exit 0.
  if (!entry) throw new UsageError(`give a subcommand before --: ${COMMANDS.map((c) => c.name).join(', ')} (did an option take it as its value?)`);
  return entry.choose(argv, env);
}

/** The JSON Lines end with the summary record; this jq filter picks it. */
const SUMMARY_JQ = 'select(.kind == "summary")';

/** --help's examples (test/privileged/documented-jq.test.ts runs the jq ones). */
const EXAMPLES: readonly [string, string][] = [
  ['$0 --enable-ebpf run -- ls -R /usr/share/doc', 'count the syscalls of ls and show them as tables'],
  [`$0 --enable-ebpf -j run -- make | jq '${SUMMARY_JQ}.ebpf.syscalls.top_syscalls'`, 'the top syscalls as JSON, from the summary record (the last line)'],
];

/** yargs 17's getOptions() (untyped): the options declared so far, with the subcommand's once it is parsed. */
function optionsOf(parser: Argv): { key: Record<string, unknown>; boolean: string[]; hiddenOptions: string[] } {
  return (parser as unknown as { getOptions(): ReturnType<typeof optionsOf> }).getOptions();
}

/**
 * Which options take a value: every declared one but the flags; the global
 * ones, then run's own (--budget, --pushgateway…), declared in its builder
 * and so unknown to the parser until run is parsed: read from a parser of
 * their own, built only when an option is not a global one.
 */
function arityOf(parser: Argv): OptionArity {
  const takesValue = (options: ReturnType<typeof optionsOf>, name: string): boolean => Object.hasOwn(options.key, name) && !options.boolean.includes(name);
  const global = optionsOf(parser);
  let run: ReturnType<typeof optionsOf> | undefined;
  return {
    takesValue: (name) => {
      if (Object.hasOwn(global.key, name)) return takesValue(global, name);
      run ??= optionsOf(COMMANDS.find((c) => c.name === 'run')!.builder(yargs()));
      return takesValue(run, name);
    },
  };
}

/** yargs' own failure message, made to name the fix where tsdenet knows it. */
function usageError(message: string, args: readonly string[], parser: Argv): UsageError {
  if (message.startsWith('Unknown argument')) {
    const options = optionsOf(parser);
    const known = Object.keys(options.key).filter((name) => name.length > 1 && !options.hiddenOptions.includes(name));
    return explainUnknownArguments(unknownNames(message), args, { options: known, commands: COMMANDS.map((c) => c.name) });
  }
  // A subcommand without its argument (attach, stats, report): its synopsis.
  const command = COMMANDS.find((c) => args.includes(c.name));
  if (command && message.startsWith('Not enough non-option arguments')) {
    return new UsageError(`${command.name} needs ${command.synopsis.split(' ')[1] ?? 'an argument'}`, { hint: `tsdenet [options] ${command.synopsis}` });
  }
  return new UsageError(message);
}

/**
 * After running a subcommand, yargs (17 and 18, command.js) renders the
 * whole help text to cache it for later failure messages; tsdenet reports
 * failures itself, and rendering ~40 options costs 20-30 ms of every start.
 * Internal API, so applied only where it has the expected shape.
 */
function skipHelpCache(parser: object): void {
  const internals = (parser as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: unknown } } })
    .getInternalMethods?.();
  const usage = internals?.getUsageInstance?.();
  if (usage && typeof usage.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}
