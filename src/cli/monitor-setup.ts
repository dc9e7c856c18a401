/**
 * What `run` and `attach` set up alike from the global options: where the
 * records go, the monitoring session, and the eBPF request.
 */
import type { TsdenetError } from '../errors.js';
import { RecordSink } from '../monitor/record-sink.js';
import { MonitorSession } from '../monitor/session.js';
import type { EbpfRequest } from '../profile/ebpf-request.js';
import type { OutputFile } from '../report/output-file.js';
import type { Arch } from '../syscalls/names.js';
import { formatError } from './format-error.js';
import type { GlobalOptions } from './options.js';

/** The record sink (stdout with --json, and -o) and the session sampling into it. */
export function createSession(options: GlobalOptions, arch: Arch, out: OutputFile | undefined): { sink: RecordSink; session: MonitorSession } {
  const sink = new RecordSink([options.json ? process.stdout : undefined, out?.stream]);
  const session = new MonitorSession(
    { ...options.monitor, intervalReportMs: options.measure.intervalReportMs, live: !options.json && !options.quiet, top: options.top, arch },
    sink,
  );
  return { sink, session };
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
    filterSlots: options.filterSlots,
    onEbpfUnavailable: (error: TsdenetError) => {
      process.stderr.write(formatError(error, options.debug, 'warning: eBPF profiling disabled: ') + `tsdenet: ${goesOn}\n`);
    },
    log: options.debug ? (line) => process.stderr.write(`tsdenet: ${line}\n`) : undefined,
  };
}
