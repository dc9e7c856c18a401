/**
 * Options that choose what the eBPF counter measures beyond counts:
 * --errors, --latency, --per-thread, --syscalls, --category, --format.
 */
import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { integerIn } from './coerce.js';
import { filterSlots } from '../syscalls/filter.js';
import type { Arch } from '../syscalls/names.js';

export interface MeasureOptions {
  errors: boolean;
  latency: boolean;
  perThread: boolean;
  syscalls: string[];
  categories: string[];
  format: 'table' | 'strace';
  /** --interval-report MS: `syscalls` records of per-interval deltas. */
  intervalReportMs?: number;
}

function list(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.flatMap((v) => String(v).split(',')).map((s) => s.trim()).filter((s) => s !== '');
}

export function addMeasureOptions(y: Argv): Argv {
  return y
    .option('errors', { type: 'boolean', default: false, describe: 'count failed calls per syscall and errno (sys_exit)' })
    .option('latency', { type: 'boolean', default: false, describe: 'time each syscall: total, mean, max, log2 histogram (sys_exit)' })
    .option('per-thread', { type: 'boolean', default: false, describe: 'counts per thread (tid, name) as well as per process' })
    .option('syscalls', { type: 'string', describe: 'count only these syscalls (comma-separated), in the kernel' })
    .option('category', { type: 'string', describe: 'count only these categories (comma-separated), in the kernel' })
    .option('interval-report', { type: 'number', describe: 'with --json or -o: a `syscalls` record of per-interval deltas every MS', coerce: (v: unknown) => (v === undefined ? undefined : integerIn('interval-report', 10, 3_600_000)(v)) })
    .option('format', { choices: ['table', 'strace'] as const, default: 'table' as const, describe: 'human output: tables, or strace -c\'s table (implies --errors --latency)' });
}

export function toMeasureOptions(argv: Record<string, unknown>): MeasureOptions {
  const format = argv.format === 'strace' ? 'strace' : 'table';
  return {
    errors: argv.errors === true || format === 'strace',
    latency: argv.latency === true || format === 'strace',
    perThread: argv['per-thread'] === true,
    syscalls: list(argv.syscalls),
    categories: list(argv.category),
    format,
    intervalReportMs: argv['interval-report'] as number | undefined,
  };
}

/** The counter's filter slots, or undefined when nothing is filtered (throws UsageError on unknown names). */
export function measureFilterSlots(m: MeasureOptions, arch: Arch): number[] | undefined {
  if (m.syscalls.length === 0 && m.categories.length === 0) return undefined;
  return filterSlots(m.syscalls, m.categories, arch);
}

/** --interval-report writes records: it needs eBPF and somewhere to write them. */
export function checkIntervalReport(m: MeasureOptions, enableEbpf: boolean, json: boolean, out: string | undefined): void {
  if (m.intervalReportMs === undefined) return;
  if (!enableEbpf) throw new UsageError('--interval-report needs --enable-ebpf (it reports syscall counts)');
  if (!json && out === undefined) {
    throw new UsageError('--interval-report writes JSON records', { hint: 'add --json (stdout) or -o FILE' });
  }
}
