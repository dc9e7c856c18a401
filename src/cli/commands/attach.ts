/** `tsdenet attach PID`: maps options to attachToProcess and writes the report. */
import { UsageError, type TsdenetError } from '../../errors.js';
import { attachToProcess } from '../../monitor/attach.js';
import { checkAttachTarget } from '../../monitor/attach-target.js';
import { RecordSink } from '../../monitor/record-sink.js';
import { MonitorSession } from '../../monitor/session.js';
import { OutputFile } from '../../report/output-file.js';
import { currentArch } from '../../syscalls/names.js';
import { deliverReport } from '../deliver-report.js';
import { formatError } from '../format-error.js';
import type { GlobalOptions } from '../options.js';
import { buildSummary } from './run.js';

/** Monitors pid until it exits or tsdenet is stopped; resolves to 0. */
export async function attachSubcommand(options: GlobalOptions, pid: number): Promise<number> {
  const arch = currentArch();
  if (options.enableEbpf && arch === undefined) {
    throw new UsageError(`eBPF profiling supports x86_64 and arm64, not ${process.arch}`);
  }
  const target = checkAttachTarget(pid);
  const [out, statsFile] = OutputFile.openAll([options.out, options.monitor.statsFile]);
  const sink = new RecordSink([options.json ? process.stdout : undefined, out?.stream]);
  const session = new MonitorSession({ ...options.monitor, intervalReportMs: options.measure.intervalReportMs, live: !options.json && !options.quiet, top: options.top, arch: arch ?? 'x86_64' }, sink);
  try {
    const result = await attachToProcess(target, session, {
      arch: arch ?? 'x86_64',
      enableEbpf: options.enableEbpf,
      requireEbpf: options.requireEbpf,
      attachMode: options.attachMode,
      maxEntries: options.maxEntries,
      errors: options.measure.errors,
      latency: options.measure.latency,
      filterSlots: options.filterSlots,
      onEbpfUnavailable: (error: TsdenetError) => {
        process.stderr.write(formatError(error, options.debug, 'warning: eBPF profiling disabled: ') + 'tsdenet: monitoring goes on without syscall counts\n');
      },
      log: options.debug ? (line) => process.stderr.write(`tsdenet: ${line}\n`) : undefined,
    });
    await deliverReport(buildSummary(result, options, arch ?? process.arch), options, { out, statsFile, sink, session });
    return 0;
  } catch (error) {
    out?.discard();
    statsFile?.discard();
    throw error;
  }
}
