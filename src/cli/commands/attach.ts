/** `tsdenet attach PID`: options → the attach request; the pipeline is measure/attach.ts's. */
import { checkAttachTarget } from '../../measure/attach-target.js';
import { measureAttach } from '../../measure/attach.js';
import { deliverSummary } from '../../report/deliver.js';
import { discardDestinations, openDestinations } from '../../report/destinations.js';
import { ebpfRequest, monitorSettings, requestArch, syscallReportOptions } from '../run-request.js';
import type { GlobalOptions } from '../options.js';

/** Monitors pid until it exits or tsdenet is stopped; resolves to tsdenet's exit status (0: the process's own is not known). */
export async function attachSubcommand(options: GlobalOptions, pid: number): Promise<number> {
  const arch = requestArch(options);
  const target = checkAttachTarget(pid);
  const destinations = openDestinations({ json: options.json, out: options.out, statsFile: options.monitor.statsFile });
  try {
    const measurement = await measureAttach(
      {
        target,
        ebpf: ebpfRequest(options, arch, 'monitoring goes on without syscall counts'),
        monitor: monitorSettings(options, arch),
        syscalls: syscallReportOptions(options),
      },
      (record) => destinations.sink.write(record),
    );
    await deliverSummary(measurement.summary, measurement.statistics, { json: options.json, quiet: options.quiet, format: options.measure.format }, destinations);
    return measurement.exitStatus;
  } catch (error) {
    discardDestinations(destinations);
    throw error;
  }
}
