/** The global options turned into what `run` and `attach` ask of the pipeline (measure/). */
import type { TsdenetError } from '../errors.js';
import type { EbpfRequest } from '../measure/counter-request.js';
import type { SyscallReportOptions } from '../measure/summary-record.js';
import type { MonitorSettings } from '../monitor/session.js';
import type { Arch } from '../syscalls/names.js';
import { formatError } from './format-error.js';
import type { GlobalOptions } from './options.js';

/** The eBPF request of the options; `goesOn` says on stderr what continues when eBPF cannot run. */
export function ebpfRequest(options: GlobalOptions, arch: Arch, goesOn: string): EbpfRequest {
  return {
    arch,
    enableEbpf: options.enableEbpf,
    requireEbpf: options.requireEbpf,
    attachMode: options.attachMode,
    maxEntries: options.maxEntries,
    errors: options.measure.errors,
    latency: options.measure.latency,
    filterSlots: options.filterSlots,
    onEbpfUnavailable: (error: TsdenetError) => {
      process.stderr.write(formatError(error, options.debug, 'warning: eBPF profiling disabled: ') + `tsdenet: ${goesOn}\n`);
    },
    log: options.debug ? (line: string) => process.stderr.write(`tsdenet: ${line}\n`) : undefined,
  };
}

/** How the tree is sampled and shown while it runs. */
export function monitorSettings(options: GlobalOptions, arch: Arch): MonitorSettings {
  return { ...options.monitor, intervalReportMs: options.measure.intervalReportMs, live: !options.json && !options.quiet, top: options.top, arch };
}

/** What the closing summary's syscall section holds. */
export function syscallReportOptions(options: GlobalOptions): Omit<SyscallReportOptions, 'arch'> {
  return {
    top: options.top,
    perThread: options.measure.perThread,
    filter: options.filterSlots ? [...options.measure.syscalls, ...options.measure.categories] : undefined,
  };
}
