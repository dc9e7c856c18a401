/** The global options turned into what `run` and `attach` ask of the pipeline (measure/). */
import { UsageError, type TsdenetError } from '../errors.js';
import type { EbpfRequest } from '../measure/counter-request.js';
import type { Measurement, SyscallReportOptions } from '../measure/summary-record.js';
import type { MonitorSettings, RecordWriter } from '../monitor/session.js';
import { deliverSummary } from '../report/deliver.js';
import { discardDestinations, openDestinations } from '../report/destinations.js';
import { currentArch, type Arch } from '../syscalls/names.js';
import { formatError } from './format-error.js';
import type { GlobalOptions } from './options.js';

/**
 * The syscall table's architecture; a usage error when eBPF is asked for on
 * one tsdenet has no BPF objects for. Without eBPF no syscall is named, and
 * any table serves.
 */
export function requestArch(options: GlobalOptions): Arch {
  const arch = currentArch();
  if (options.enableEbpf && arch === undefined) {
    throw new UsageError(`eBPF profiling supports x86_64 and arm64, not ${process.arch}`);
  }
  return arch ?? 'x86_64';
}

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
    offcpu: options.measure.offcpu,
    perThread: options.measure.perThread,
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

/**
 * The records' destinations (stdout, -o and its sidecar, --stats FILE),
 * opened before anything runs (a bad -o is the first error), `measure`
 * writing to them, and the summary delivered; on failure the temporary
 * files are removed. Resolves to tsdenet's exit status.
 */
export async function measureToDestinations(options: GlobalOptions, measure: (emit: RecordWriter) => Promise<Measurement>): Promise<number> {
  const destinations = openDestinations({ json: options.json, out: options.out, statsFile: options.monitor.statsFile });
  try {
    const measurement = await measure((record) => destinations.sink.write(record));
    await deliverSummary(measurement.summary, measurement.statistics, { json: options.json, quiet: options.quiet, format: options.measure.format, top: options.top }, destinations);
    return measurement.exitStatus;
  } catch (error) {
    discardDestinations(destinations);
    throw error;
  }
}
