/**
 * Global options (they come before the subcommand, as in denet) and their
 * typed form. Values are checked here: a bad value is a UsageError (exit 2).
 */
import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';

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
  /** --user NAME: the user the command runs as (tsdenet must be root). */
  user?: string;
  /** --as-root: under sudo, keep root for the command on purpose. */
  asRoot: boolean;
}

/** A yargs coerce function accepting whole numbers in [min, max]. */
export function integerIn(name: string, min: number, max: number) {
  return (value: unknown): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new UsageError(`--${name} must be a whole number from ${min} to ${max} (got ${String(value)})`);
    }
    return n;
  };
}

export function addGlobalOptions(y: Argv): Argv {
  return y
    .option('json', { alias: 'j', type: 'boolean', default: false, describe: "JSON Lines on stdout (the command's stdout goes to stderr)" })
    .option('out', { alias: 'o', type: 'string', describe: 'also write the JSON Lines to FILE (replaced only when complete)' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no human output (JSON still goes where asked)' })
    .option('enable-ebpf', { type: 'boolean', default: false, describe: 'count every syscall of the command and its descendants with eBPF' })
    .option('require-ebpf', { type: 'boolean', default: false, describe: 'fail before starting the command if eBPF cannot be used (also TSDENET_REQUIRE_EBPF=1)' })
    .option('attach-mode', { choices: ['auto', 'tp_btf', 'tracepoint'] as const, default: 'auto' as const, describe: 'auto: BTF tracepoint, falling back to the classic tracepoint' })
    .option('max-entries', { type: 'number', default: 1 << 20, coerce: integerIn('max-entries', 1, 1 << 26), describe: 'capacity of the counts map: (thread, syscall) pairs of exited threads' })
    .option('top', { type: 'number', default: 10, coerce: integerIn('top', 1, 100000), describe: 'how many syscalls top_syscalls lists' })
    .option('debug', { type: 'boolean', default: false, describe: 'libbpf logs and error details on stderr' })
    .option('user', { alias: 'u', type: 'string', requiresArg: true, describe: 'run the command as this user (tsdenet runs as root); under sudo the default is the user who ran sudo' })
    .option('as-root', { type: 'boolean', default: false, describe: 'under sudo, run the command as root on purpose' });
}

/** The typed global options from yargs' argv. */
export function toGlobalOptions(argv: Record<string, unknown>, env: NodeJS.ProcessEnv): GlobalOptions {
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
    user: argv.user as string | undefined,
    asRoot: argv['as-root'] === true,
  };
}
