/**
 * attach(): monitors a running process and its descendants, as `tsdenet
 * attach PID` does, through the same functions (measure/attach-target.ts,
 * measure/attach.ts), until the process exits, `duration` runs out, or
 * `signal` aborts (the process is never signalled).
 */
import { UsageError } from '../errors.js';
import { measureAttach } from '../measure/attach.js';
import { checkAttachTarget } from '../measure/attach-target.js';
import { collect, type ProfileResult } from './measurement.js';
import { toRequests, type MeasureOptions } from './options.js';

export interface AttachOptions extends MeasureOptions {
  /** Stops monitoring when aborted (the summary is still built). */
  signal?: AbortSignal;
}

/** Throws AttachError when there is no such running process or it may not be observed. */
export async function attach(pid: number, options: AttachOptions = {}): Promise<ProfileResult> {
  if (!Number.isSafeInteger(pid) || pid < 1) throw new UsageError(`attach() needs a process id (a whole number above 0), got ${String(pid)}`);
  const requests = toRequests(options);
  const target = checkAttachTarget(pid);
  const signal = options.signal;
  const stop = signal && new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  return collect(options, (emit) => measureAttach({ target, ebpf: requests.ebpf, monitor: requests.monitor, syscalls: requests.syscalls, stop }, emit));
}
