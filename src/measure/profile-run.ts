/**
 * `run` from start to Measurement, for the CLI and the Node API alike
 * (api/profile.ts): the eBPF counter is started first, and only then is the
 * rest of the pipeline loaded, so that the BPF object's load (on a worker
 * thread, see counter-request.ts) overlaps the loading of run.ts and the
 * monitor. Without eBPF the BPF modules are never imported.
 */
import type { EbpfRequest } from './counter-request.js';
import { abandonCounting } from './abandon-counting.js';
import type { RunRequest } from './run.js';
import type { RecordWriter } from '../monitor/session.js';
import type { Measurement } from './summary-record.js';

/** The run's request but the counter, which is started here from `ebpf`. */
export type CommandRequest = Omit<RunRequest, 'counting' | 'onEbpfUnavailable' | 'log'>;

/** Starts the counter (when asked for), runs the command under it; resolves to what was measured. */
export async function measureCommand(ebpf: EbpfRequest, request: CommandRequest, emit: RecordWriter): Promise<Measurement> {
  const counterRequest = ebpf.enableEbpf ? await import('./counter-request.js') : undefined;
  // The "runs without syscall counts" warning waits until the command is
  // about to start (measureRun calls onEbpfUnavailable then).
  const counting = counterRequest?.startRequestedCounter({ ...ebpf, onEbpfUnavailable: undefined });
  // Its failure (--require-ebpf) is thrown where measureRun awaits it,
  // before the fork; until then it must not count as an unhandled rejection.
  counting?.catch(() => undefined);
  let measureRun: typeof import('./run.js').measureRun;
  try {
    ({ measureRun } = await import('./run.js'));
  } catch (error) {
    // From here on measureRun owns the counter; before, it is closed here.
    await abandonCounting(counting);
    throw error;
  }
  return measureRun({ ...request, counting, onEbpfUnavailable: ebpf.onEbpfUnavailable, log: ebpf.log }, emit);
}
