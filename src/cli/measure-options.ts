/**
 * Options that choose what the eBPF counter measures beyond counts:
 * --errors, --latency, --per-thread, --syscalls, --category, --format,
 * and --offcpu (off-CPU time from sched_switch).
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
  /** --offcpu: off-CPU time of every thread of the tree. */
  offcpu: boolean;
}

/** A comma-separated list flag; given but empty (`--syscalls ''`) would filter nothing: a usage error. */
function list(value: unknown, flag: string, example: string): string[] {
  if (value === undefined) return [];
  const items = (Array.isArray(value) ? value : [value]).flatMap((v) => String(v).split(',')).map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) throw new UsageError(`${flag} needs at least one name, e.g. ${flag} ${example}`);
  return items;
}

export function addMeasureOptions(y: Argv): Argv {
  return y
    .option('errors', { type: 'boolean', default: false, describe: 'count failed calls per syscall and errno (sys_exit)' })
    .option('latency', { type: 'boolean', default: false, describe: 'time each syscall: total, mean, max, log2 histogram (sys_exit)' })
    .option('per-thread', { type: 'boolean', default: false, describe: 'counts per thread (tid, name) as well as per process' })
    .option('syscalls', { type: 'string', describe: 'count only these syscalls (comma-separated), in the kernel' })
    .option('category', { type: 'string', describe: 'count only these categories (comma-separated), in the kernel' })
    .option('interval-report', { type: 'number', describe: 'with --json or -o: a `syscalls` record of per-interval deltas every MS', coerce: (v: unknown) => (v === undefined ? undefined : integerIn('interval-report', 10, 3_600_000)(v)) })
    .option('offcpu', { type: 'boolean', default: false, describe: 'off-CPU time of every thread: sleeping or blocked vs preempted while runnable (sched_switch)' })
    .option('format', { choices: ['table', 'strace'] as const, default: 'table' as const, describe: 'human output: tables, or strace -c\'s table (implies --errors --latency)' });
}

export function toMeasureOptions(argv: Record<string, unknown>): MeasureOptions {
  const format = argv.format === 'strace' ? 'strace' : 'table';
  return {
    errors: argv.errors === true || format === 'strace',
    latency: argv.latency === true || format === 'strace',
    perThread: argv['per-thread'] === true,
    syscalls: list(argv.syscalls, '--syscalls', 'read,write'),
    categories: list(argv.category, '--category', 'network,file_io'),
    format,
    intervalReportMs: argv['interval-report'] as number | undefined,
    offcpu: argv.offcpu === true,
  };
}

/** The counter's filter slots, or undefined when nothing is filtered (throws UsageError on unknown names). */
export function measureFilterSlots(m: MeasureOptions, arch: Arch): number[] | undefined {
  if (m.syscalls.length === 0 && m.categories.length === 0) return undefined;
  return filterSlots(m.syscalls, m.categories, arch);
}

/**
 * These options measure syscalls: without --enable-ebpf they would be
 * silently ignored, so they are a usage error. --interval-report writes
 * records: it also needs somewhere to write them.
 */
export function checkMeasureOptions(m: MeasureOptions, enableEbpf: boolean, json: boolean, out: string | undefined): void {
  if (!enableEbpf) {
    const given = [
      m.format === 'strace' ? '--format strace' : m.errors ? '--errors' : undefined,
      m.format !== 'strace' && m.latency ? '--latency' : undefined,
      m.perThread ? '--per-thread' : undefined,
      m.syscalls.length > 0 ? '--syscalls' : undefined,
      m.categories.length > 0 ? '--category' : undefined,
      m.intervalReportMs !== undefined ? '--interval-report' : undefined,
    ].filter((flag) => flag !== undefined);
    if (given.length > 0) {
      throw new UsageError(`${given.join(', ')} ${given.length > 1 ? 'measure' : 'measures'} syscalls with eBPF`, { hint: 'add --enable-ebpf' });
    }
    if (m.offcpu) throw new UsageError('--offcpu measures off-CPU time with eBPF (sched_switch)', { hint: 'add --enable-ebpf' });
  }
  if (m.intervalReportMs === undefined) return;
  if (!json && out === undefined) {
    throw new UsageError('--interval-report writes JSON records', { hint: 'add --json (stdout) or -o FILE' });
  }
}
