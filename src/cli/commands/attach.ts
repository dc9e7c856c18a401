/** `tsdenet attach PID`: maps options to attachToProcess and writes the report. */
import { UsageError } from '../../errors.js';
import { attachToProcess } from '../../monitor/attach.js';
import { checkAttachTarget } from '../../monitor/attach-target.js';
import { OutputFile } from '../../report/output-file.js';
import { currentArch } from '../../syscalls/names.js';
import { deliverReport } from '../deliver-report.js';
import { ebpfRequest } from '../ebpf-options.js';
import { createSession } from '../monitor-setup.js';
import type { GlobalOptions } from '../options.js';
import { buildSummary } from '../build-summary.js';

/** Monitors pid until it exits or tsdenet is stopped; resolves to 0. */
export async function attachSubcommand(options: GlobalOptions, pid: number): Promise<number> {
  const arch = currentArch();
  if (options.enableEbpf && arch === undefined) {
    throw new UsageError(`eBPF profiling supports x86_64 and arm64, not ${process.arch}`);
  }
  const target = checkAttachTarget(pid);
  const [out, statsFile] = OutputFile.openAll([options.out, options.monitor.statsFile]);
  const { sink, session } = createSession(options, arch ?? 'x86_64', out);
  try {
    const result = await attachToProcess(target, session, ebpfRequest(options, arch ?? 'x86_64', 'monitoring goes on without syscall counts'));
    await deliverReport(buildSummary(result, options, arch ?? process.arch), options, { out, statsFile, sink, session });
    return 0;
  } catch (error) {
    out?.discard();
    statsFile?.discard();
    throw error;
  }
}
