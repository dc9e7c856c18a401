/** `tsdenet attach PID`: options → the attach request; the pipeline is measure/attach.ts's. */
import { checkAttachTarget } from '../../measure/attach-target.js';
import { measureAttach } from '../../measure/attach.js';
import { ebpfRequest, measureToDestinations, monitorSettings, requestArch, syscallReportOptions } from '../run-request.js';
import type { GlobalOptions } from '../options.js';

/** Monitors pid until it exits or tsdenet is stopped; resolves to tsdenet's exit status (0: the process's own is not known). */
export async function attachSubcommand(options: GlobalOptions, pid: number): Promise<number> {
  const arch = requestArch(options);
  const target = checkAttachTarget(pid);
  return measureToDestinations(options, (emit) =>
    measureAttach(
      {
        target,
        ebpf: ebpfRequest(options, arch, 'monitoring goes on without syscall counts'),
        monitor: monitorSettings(options, arch),
        syscalls: syscallReportOptions(options),
      },
      emit,
    ),
  );
}
