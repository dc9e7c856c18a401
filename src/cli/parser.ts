/**
 * The command line, denet's grammar: global flags, then a subcommand.
 * parseCommandLine() has no side effects (no exit, no output of its own), so
 * tests parse argument lists without spawning anything. Each subcommand
 * lives in commands/<name>.ts and is listed in COMMANDS below.
 */
import { createRequire } from 'node:module';
import { UsageError } from '../errors.js';
import { VERSION } from '../version.js';
import { COMMANDS, type ChosenCommand } from './commands/index.js';
import { addGlobalOptions } from './options.js';

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
    .usage('$0 [options] <command>\n\nSyscall-profiling process runner: exact eBPF syscall counts for a command and all its descendants.')
    .parserConfiguration({ 'populate--': true });
  // The subcommand is picked from argv._ once parsing is done.
  for (const command of COMMANDS) parser = parser.command(command.usage, command.describe, command.builder);
  parser = parser
    .example('$0 --enable-ebpf run -- ls -R /usr/share/doc', 'count the syscalls of ls')
    .example('$0 --enable-ebpf --json run -- make | jq .ebpf.syscalls.top_syscalls', 'JSON for jq')
    .group(['json', 'out', 'quiet', 'top', 'format', 'debug'], 'Output:')
    .group(['enable-ebpf', 'require-ebpf', 'attach-mode', 'max-entries', 'errors', 'latency', 'per-thread', 'syscalls', 'category', 'interval-report'], 'eBPF syscall counting:')
    .group(['interval', 'max-interval', 'no-update', 'duration', 'since-process-start', 'exclude-children', 'stats', 'write-env'], 'Process monitoring (denet):')
    .group(['wait-tree'], 'When the run ends:')
    .group(['user', 'as-root'], 'Who the command runs as:')
    .demandCommand(1, `give a subcommand: ${COMMANDS.map((c) => c.name).join(', ')}`)
    .strict()
    .help()
    .alias('help', 'h')
    .version(VERSION)
    .alias('version', 'V')
    // yargs renders the whole help after every subcommand it runs (to cache
    // it); wrapping that text costs ~30 ms. Wrap only when help is shown.
    .wrap(args.includes('--help') || args.includes('-h') ? Math.min(100, process.stdout.columns ?? 100) : null)
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error instanceof UsageError ? error : new UsageError(error.message);
      throw new UsageError(message);
    });
  skipHelpCache(parser);
  const argv = await parser.parseAsync([...args], {}, (_err, _argv, text) => {
    output = text;
  });
  if (output !== '') return { name: 'none', output };
  const entry = COMMANDS.find((c) => c.name === argv._[0]);
  // yargs lets `-o run -- ls` through (run is -o's value, ls goes to --):
  // nothing would run, so it is a usage error, not a silent exit 0.
  if (!entry) throw new UsageError(`give a subcommand before --: ${COMMANDS.map((c) => c.name).join(', ')} (did an option take it as its value?)`);
  return entry.choose(argv, env);
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
