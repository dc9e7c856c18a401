/**
 * Global options (they come before the subcommand, as in denet) and their
 * typed form. Values are checked here: a bad value is a UsageError (exit 2).
 */
import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { DEFAULT_MAX_ENTRIES } from '../bpf/map-sizes.js';
import { integerIn, MAX_TIMER_SECS, secondsUpTo } from './coerce.js';
import { currentArch } from '../syscalls/names.js';
import { addMeasureOptions, checkMeasureOptions, measureFilterSlots, toMeasureOptions, type MeasureOptions } from './measure-options.js';

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
  /** --errors, --latency, --per-thread, --syscalls, --category, --format. */
  measure: MeasureOptions;
  /** Counter slots of --syscalls/--category, checked at parse time. */
  filterSlots?: number[];
  /** --user NAME: the user the command runs as (tsdenet must be root). */
  user?: string;
  /** --as-root: under sudo, keep root for the command on purpose. */
  asRoot: boolean;
  /** Monitoring (denet's flags): see docs/monitoring.md. */
  monitor: MonitorOptions;
  /** --wait-tree: run ends when the command's whole tree has exited, not the command. */
  waitTree: boolean;
}

export interface MonitorOptions {
  intervalMs: number;
  maxIntervalMs: number;
  noUpdate: boolean;
  /** 0: no limit. */
  durationSecs: number;
  sinceProcessStart: boolean;
  excludeChildren: boolean;
  /** --stats FILE: the run summary (as `stats --json`) written there. */
  statsFile?: string;
  writeEnv: boolean;
  /** --no-polling: no sample while the command runs, one tree sample at its end (denet's event-driven mode). */
  noPolling: boolean;
}

/** denet's monitoring flags, same names and defaults. */
function addMonitorOptions(y: Argv): Argv {
  return y
    .option('interval', { alias: 'i', type: 'number', default: 100, requiresArg: true, coerce: integerIn('interval', 1, 3_600_000), describe: 'sampling interval in ms for the first second' })
    .option('max-interval', { alias: 'm', type: 'number', default: 1000, requiresArg: true, coerce: integerIn('max-interval', 1, 3_600_000), describe: 'interval in ms reached after 10 s (adaptive sampling)' })
    .option('no-update', { alias: 'n', type: 'boolean', default: false, describe: 'print one line per sample instead of updating one line' })
    // yargs reads --no-update as the negation of --update: accept it so.
    .option('update', { type: 'boolean', hidden: true })
    .option('duration', { alias: 'd', type: 'number', default: 0, requiresArg: true, coerce: secondsUpTo('duration', MAX_TIMER_SECS), describe: 'stop after SECS (run: the command gets SIGTERM, then SIGKILL); 0 = no limit' })
    .option('since-process-start', { type: 'boolean', default: false, describe: 'I/O and fault counters as totals since each process started, not deltas' })
    .option('exclude-children', { type: 'boolean', default: false, describe: 'monitor the main process only (`sample` records instead of `tree`)' })
    .option('stats', { type: 'string', requiresArg: true, describe: 'write the run summary (as `stats --json`) to FILE' })
    .option('no-polling', { type: 'boolean', default: false, describe: 'no sampling while it runs: one tree sample at the end (denet\'s event-driven mode)' })
    // yargs reads --no-polling as the negation of --polling: accept it so.
    .option('polling', { type: 'boolean', hidden: true })
    .option('write-env', { type: 'boolean', default: false, describe: 'with --json or -o: an `env` record (host, CPU, NUMA, governor, THP, cgroup) first' });
}

/** The typed monitoring options; an interval above the maximum is a usage error. */
export function toMonitorOptions(argv: Record<string, unknown>): MonitorOptions {
  const intervalMs = argv.interval as number;
  const maxIntervalMs = argv['max-interval'] as number;
  if (intervalMs > maxIntervalMs) {
    throw new UsageError(`--interval (${intervalMs} ms) cannot be above --max-interval (${maxIntervalMs} ms)`, {
      hint: `lower -i, or raise -m too, e.g. -i ${intervalMs} -m ${intervalMs}`,
    });
  }
  // The env record goes with the others: without them it would be silently dropped.
  if (argv['write-env'] === true && argv.json !== true && argv.out === undefined) {
    throw new UsageError('--write-env writes an `env` JSON record', { hint: 'add --json (stdout) or -o FILE' });
  }
  return {
    intervalMs,
    maxIntervalMs,
    noUpdate: argv['no-update'] === true || argv.update === false,
    durationSecs: argv.duration as number,
    sinceProcessStart: argv['since-process-start'] === true,
    excludeChildren: argv['exclude-children'] === true,
    statsFile: fileName(argv, 'stats', '--stats'),
    writeEnv: argv['write-env'] === true,
    noPolling: argv['no-polling'] === true || argv.polling === false,
  };
}


export function addGlobalOptions(y: Argv): Argv {
  return addMonitorOptions(
    addMeasureOptions(y)
    .option('json', { alias: 'j', type: 'boolean', default: false, describe: "JSON Lines on stdout (the command's stdout goes to stderr)" })
    .option('out', { alias: 'o', type: 'string', describe: 'write the JSON Lines to FILE (replaced only when complete); report: the HTML file' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'no human output (JSON still goes where asked)' })
    .option('enable-ebpf', { type: 'boolean', default: false, describe: 'count every syscall of the command and its descendants with eBPF' })
    .option('require-ebpf', { type: 'boolean', default: false, describe: 'fail before starting the command if eBPF cannot be used (also TSDENET_REQUIRE_EBPF=1)' })
    .option('attach-mode', { choices: ['auto', 'tp_btf', 'tracepoint'] as const, default: 'auto' as const, describe: 'auto: BTF tracepoint, falling back to the classic tracepoint' })
    .option('max-entries', { type: 'number', default: DEFAULT_MAX_ENTRIES, coerce: integerIn('max-entries', 1, 1 << 26), describe: 'capacity of the counts map: (process, syscall) pairs of ended processes ((thread, syscall) with --per-thread), drained while the command runs' })
    .option('top', { type: 'number', default: 10, coerce: integerIn('top', 1, 100000), describe: 'how many syscalls top_syscalls lists, and the rows of each terminal table (syscalls, time, processes, threads per process)' })
    .option('debug', { type: 'boolean', default: false, describe: 'libbpf logs and error details on stderr' })
    .option('user', { alias: 'u', type: 'string', requiresArg: true, describe: 'run the command as this user (tsdenet runs as root); under sudo the default is the user who ran sudo' })
    .option('as-root', { type: 'boolean', default: false, describe: 'under sudo, run the command as root on purpose' })
    .option('wait-tree', { type: 'boolean', default: false, describe: 'run: end when the command and every process it started have exited (daemons it leaves behind included), not when the command exits' }),
  );
}

/** An empty name passed every check up to the final rename, after the run. */
function fileName(argv: Record<string, unknown>, flag: string, shown: string): string | undefined {
  const value = argv[flag] as string | undefined;
  if (value === '') throw new UsageError(`${shown} needs a file name`);
  return value;
}

/** The typed global options from yargs' argv. */
export function toGlobalOptions(argv: Record<string, unknown>, env: NodeJS.ProcessEnv): GlobalOptions {
  const requireEbpf = argv['require-ebpf'] === true || env.TSDENET_REQUIRE_EBPF === '1';
  const measure = toMeasureOptions(argv);
  checkMeasureOptions(measure, argv['enable-ebpf'] === true || requireEbpf, argv.json === true, argv.out as string | undefined);
  return {
    json: argv.json === true,
    out: fileName(argv, 'out', '-o/--out'),
    quiet: argv.quiet === true,
    enableEbpf: argv['enable-ebpf'] === true || requireEbpf,
    requireEbpf,
    attachMode: argv['attach-mode'] as GlobalOptions['attachMode'],
    maxEntries: argv['max-entries'] as number,
    top: argv.top as number,
    debug: argv.debug === true,
    measure,
    filterSlots: measureFilterSlots(measure, currentArch() ?? 'x86_64'),
    user: argv.user as string | undefined,
    asRoot: argv['as-root'] === true,
    monitor: toMonitorOptions(argv),
    waitTree: argv['wait-tree'] === true,
  };
}
