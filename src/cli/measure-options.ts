/**
 * Options that choose what the eBPF counter measures beyond counts:
 * --errors, --latency, --per-thread, --syscalls, --category, --format.
 */
import type { Argv } from 'yargs';
import { filterSlots } from '../syscalls/filter.js';
import type { Arch } from '../syscalls/names.js';

export interface MeasureOptions {
  errors: boolean;
  latency: boolean;
  perThread: boolean;
  syscalls: string[];
  categories: string[];
  format: 'table' | 'strace';
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
  };
}

/** The counter's filter slots, or undefined when nothing is filtered (throws UsageError on unknown names). */
export function measureFilterSlots(m: MeasureOptions, arch: Arch): number[] | undefined {
  if (m.syscalls.length === 0 && m.categories.length === 0) return undefined;
  return filterSlots(m.syscalls, m.categories, arch);
}
