/** The eBPF request of `run` and `attach`, from the global options. */
import type { TsdenetError } from '../errors.js';
import type { EbpfRequest } from '../profile/ebpf-request.js';
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
    log: options.debug ? (line) => process.stderr.write(`tsdenet: ${line}\n`) : undefined,
  };
}
