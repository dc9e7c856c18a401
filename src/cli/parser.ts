/**
 * The command line, denet's grammar: global flags, then a subcommand.
 * createParser() has no side effects (no exit, no output of its own), so
 * tests parse argument lists without spawning anything.
 */
import yargs, { type Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { VERSION } from '../version.js';

export interface GlobalOptions {
  json: boolean;
  out?: string;
  quiet: boolean;
  enableEbpf: boolean;
  requireEbpf: boolean;
  attachMode: 'auto' | 'tp_btf' | 'tracepoint';
  maxEntries: number;
  top: number;
  debug: boolean;
}

export type ParsedCommand =
  | { name: 'run'; options: GlobalOptions; command: string[] }
  | { name: 'none'; output: string };

function positiveInteger(name: string, max: number) {
  return (value: unknown): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new UsageError(`--${name} must be a whole number from 1 to ${max} (got ${String(value)})`);
    }
    return n;
  };
}

function globalOptions(y: Argv): Argv<Record<string, unknown>> {
  return y
    .option('json', { alias: 'j', type: 'boolean', default: false, describe: 'JSON Lines on stdout (the command\'s stdout goes to stderr)' })
    .option('out', { alias: 'o', type: 'string', describe: 'also write the JSON Lines to FILE (replaced only when complete)' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no human output (JSON still goes where asked)' })
    .option('enable-ebpf', { type: 'boolean', default: false, describe: 'count every syscall of the command and its descendants with eBPF' })
    .option('require-ebpf', { type: 'boolean', default: false, describe: 'fail before starting the command if eBPF cannot be used (also TSDENET_REQUIRE_EBPF=1)' })
    .option('attach-mode', { choices: ['auto', 'tp_btf', 'tracepoint'] as const, default: 'auto' as const, describe: 'auto: BTF tracepoint, falling back to the classic tracepoint' })
    .option('max-entries', { type: 'number', default: 1 << 20, coerce: positiveInteger('max-entries', 1 << 26), describe: 'capacity of the counts map: (thread, syscall) pairs of exited threads' })
    .option('top', { type: 'number', default: 10, coerce: positiveInteger('top', 100000), describe: 'how many syscalls top_syscalls lists' })
    .option('debug', { type: 'boolean', default: false, describe: 'libbpf logs and error details on stderr' }) as Argv<Record<string, unknown>>;
}

/** Parses argv (without node and script); never exits the process. */
export async function parseCommandLine(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<ParsedCommand> {
  let chosen: ParsedCommand | undefined;
  let output = '';
  const parser = globalOptions(yargs())
    .scriptName('tsdenet')
    .usage('$0 [options] <command>\n\nSyscall-profiling process runner: exact eBPF syscall counts for a command and all its descendants.')
    .parserConfiguration({ 'populate--': true })
    .command(
      'run [command..]',
      'Run a command and profile it (put the command after --)',
      (y) => y.positional('command', { type: 'string', array: true }),
      (argv) => {
        const command = [...((argv.command as string[] | undefined) ?? []), ...((argv['--'] as string[] | undefined) ?? [])].map(String);
        if (command.length === 0) throw new UsageError('run needs a command, e.g. tsdenet run -- ls -l');
        chosen = { name: 'run', options: toOptions(argv, env), command };
      },
    )
    .example('$0 --enable-ebpf run -- ls -R /usr/share/doc', 'count the syscalls of ls')
    .example('$0 --enable-ebpf --json run -- make | jq .ebpf.syscalls.top_syscalls', 'JSON for jq')
    .demandCommand(1, 'give a subcommand: run')
    .strict()
    .help()
    .version(VERSION)
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      if (error) throw error instanceof UsageError ? error : new UsageError(error.message);
      throw new UsageError(message);
    });
  await parser.parseAsync([...args], {}, (_err, _argv, text) => {
    output = text;
  });
  return chosen ?? { name: 'none', output };
}

function toOptions(argv: Record<string, unknown>, env: NodeJS.ProcessEnv): GlobalOptions {
  const requireEbpf = argv['require-ebpf'] === true || env.TSDENET_REQUIRE_EBPF === '1';
  return {
    json: argv.json === true,
    out: argv.out as string | undefined,
    quiet: argv.quiet === true,
    enableEbpf: argv['enable-ebpf'] === true || requireEbpf,
    requireEbpf,
    attachMode: argv['attach-mode'] as GlobalOptions['attachMode'],
    maxEntries: argv['max-entries'] as number,
    top: argv.top as number,
    debug: argv.debug === true,
  };
}
