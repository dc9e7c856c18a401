/**
 * The Node API's options, checked as the CLI checks its flags: a bad value
 * is a UsageError naming the option (never a process exit), and what is
 * not given takes the CLI's default (denet's).
 */
import { DEFAULT_MAX_ENTRIES } from '../bpf/map-sizes.js';
import { UsageError } from '../errors.js';
import type { AttachMode } from '../records/schema.js';
import type { MonitorSettings } from '../monitor/session.js';
import type { EbpfRequest } from '../measure/counter-request.js';
import type { SyscallReportOptions } from '../measure/summary-record.js';
import { filterSlots } from '../syscalls/filter.js';
import { currentArch, type Arch } from '../syscalls/names.js';
import type { AnyRecord } from '../records/schema.js';

/** What profile() and attach() measure; every field is optional (the CLI's defaults). */
export interface MeasureOptions {
  /** Count every syscall of the tree with eBPF (`--enable-ebpf`). Default false. */
  ebpf?: boolean;
  /** Throw (before anything starts) when eBPF cannot be used, instead of recording `ebpf.error`. */
  requireEbpf?: boolean;
  attachMode?: 'auto' | AttachMode;
  /** `--errors`, `--latency`, `--per-thread` (need `ebpf`). */
  errors?: boolean;
  latency?: boolean;
  /** `--offcpu`: off-CPU time of every thread (needs `ebpf`). */
  offcpu?: boolean;
  perThread?: boolean;
  /** Count only these syscalls / categories, in the kernel (need `ebpf`). */
  syscalls?: string[];
  categories?: string[];
  /** How many syscalls `top_syscalls` lists (10). */
  top?: number;
  /** Capacity of the counts map (262144, drained while the command runs). */
  maxEntries?: number;
  /** Sampling interval in ms for the first second (100), and the one reached after 10 s (1000). */
  interval?: number;
  maxInterval?: number;
  /** Stop after this many seconds (run: the command gets SIGTERM, then SIGKILL); 0 = no limit. */
  duration?: number;
  excludeChildren?: boolean;
  sinceProcessStart?: boolean;
  /** Emit an `env` record first. */
  writeEnv?: boolean;
  /** No sample while it runs: one tree sample at the end (`--no-polling`, denet's event-driven mode). */
  noPolling?: boolean;
  /** A `syscalls` record of per-interval deltas every this many ms (needs `ebpf`). */
  intervalReport?: number;
  /**
   * Called with each record as it is written (metadata, tree or sample, …,
   * the closing summary last): what `tsdenet --json` prints, in that order.
   */
  onRecord?: (record: AnyRecord) => void;
  /** Keep every record in the result's `records` (default true; false for long runs). */
  keepRecords?: boolean;
  /** Also write the records as `-o FILE` does (the denet file and its sidecar). */
  out?: string;
}

function integer(name: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`option ${name} must be a whole number from ${min} to ${max} (got ${String(value)})`);
  return value;
}

/** The checked pieces the pipeline takes, from the API's options. */
export interface Requests {
  arch: Arch;
  ebpf: EbpfRequest;
  monitor: MonitorSettings;
  syscalls: Omit<SyscallReportOptions, 'arch'>;
}

/** Checks `options` and turns them into the pipeline's requests (throws UsageError). */
export function toRequests(options: MeasureOptions): Requests {
  const enableEbpf = options.ebpf === true || options.requireEbpf === true;
  const needsEbpf = (['errors', 'latency', 'perThread', 'syscalls', 'categories', 'intervalReport', 'offcpu'] as const).filter((k) => options[k] !== undefined && options[k] !== false);
  if (!enableEbpf && needsEbpf.length > 0) throw new UsageError(`option ${needsEbpf.join(', ')} measures syscalls with eBPF`, { hint: 'add ebpf: true' });
  const arch = currentArch();
  if (enableEbpf && arch === undefined) throw new UsageError(`eBPF profiling supports x86_64 and arm64, not ${process.arch}`);
  const intervalMs = integer('interval', options.interval, 100, 1, 3_600_000);
  const maxIntervalMs = integer('maxInterval', options.maxInterval, Math.max(1000, intervalMs), 1, 3_600_000);
  if (intervalMs > maxIntervalMs) throw new UsageError(`option interval (${intervalMs} ms) cannot be above maxInterval (${maxIntervalMs} ms)`);
  const duration = options.duration ?? 0;
  if (!Number.isFinite(duration) || duration < 0 || duration > Math.floor((2 ** 31 - 1) / 1000)) throw new UsageError(`option duration must be a number of seconds from 0 to ${Math.floor((2 ** 31 - 1) / 1000)} (got ${duration})`);
  const top = integer('top', options.top, 10, 1, 100000);
  const syscalls = options.syscalls ?? [];
  const categories = options.categories ?? [];
  const slots = syscalls.length > 0 || categories.length > 0 ? filterSlots(syscalls, categories, arch ?? 'x86_64') : undefined;
  const tableArch = arch ?? 'x86_64';
  return {
    arch: tableArch,
    ebpf: {
      arch: tableArch,
      enableEbpf,
      requireEbpf: options.requireEbpf === true,
      attachMode: options.attachMode ?? 'auto',
      maxEntries: integer('maxEntries', options.maxEntries, DEFAULT_MAX_ENTRIES, 1, 1 << 26),
      errors: options.errors === true,
      latency: options.latency === true,
      offcpu: options.offcpu === true,
      perThread: options.perThread === true,
      filterSlots: slots,
    },
    monitor: {
      intervalMs,
      maxIntervalMs,
      durationSecs: duration,
      noUpdate: false,
      sinceProcessStart: options.sinceProcessStart === true,
      excludeChildren: options.excludeChildren === true,
      writeEnv: options.writeEnv === true,
      noPolling: options.noPolling === true,
      live: false,
      top,
      arch: tableArch,
      intervalReportMs: options.intervalReport === undefined ? undefined : integer('intervalReport', options.intervalReport, 0, 10, 3_600_000),
    },
    syscalls: { top, perThread: options.perThread === true, filter: slots ? [...syscalls, ...categories] : undefined },
  };
}
