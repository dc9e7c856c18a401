/**
 * `attach PID`, the whole pipeline in one place (as run.ts for `run`):
 * the counter and the monitoring session are acquired and released here.
 * Monitors a running process and its descendants until it exits, Ctrl-C
 * (SIGINT, SIGTERM, SIGHUP) or --duration; the process is never signalled.
 * With eBPF, the counter marks the existing tree (SyscallCounter.seedTree)
 * and follows its forks from then on. The process is not tsdenet's child,
 * so how it ended is not known: the measurement says so.
 */
import { performance } from 'node:perf_hooks';
import { isRunning } from '../proc/process-info.js';
import { MonitorSession, type MonitorSettings, type RecordWriter } from '../monitor/session.js';
import type { AttachTarget } from './attach-target.js';
import { ebpfCapabilities } from './capabilities.js';
import { startRequestedCounter, type EbpfRequest } from './counter-request.js';
import { ebpfSource, finishMeasurement, type Ending } from './session-ends.js';
import type { Measurement, SyscallReportOptions } from './summary-record.js';

/** How often the attached process is checked for exit between samples. */
const EXIT_POLL_MS = 100;
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface AttachRequest {
  target: AttachTarget;
  /** As for run: what the counter measures and how its failures are handled. */
  ebpf: EbpfRequest;
  monitor: MonitorSettings;
  syscalls: Omit<SyscallReportOptions, 'arch'>;
  /** Settles when the caller stops monitoring (the Node API's AbortSignal). */
  stop?: Promise<unknown>;
}

/** Resolves when the process has exited (gone or a zombie), checked every EXIT_POLL_MS. */
function whenExited(pid: number): { promise: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => {
    timer = setInterval(() => {
      if (!isRunning(pid)) resolve();
    }, EXIT_POLL_MS);
  });
  return { promise, cancel: () => clearInterval(timer) };
}

/** Monitors the target until it exits or tsdenet is asked to stop; resolves to what was measured. */
export async function measureAttach(request: AttachRequest, emit: RecordWriter): Promise<Measurement> {
  const { target } = request;
  // The seed program marks the running tree before the counter is handed out.
  const ebpf = request.ebpf.enableEbpf ? await startRequestedCounter(request.ebpf, { seed: true, prepare: (c) => c.seedTree(target.pid) }) : undefined;
  const counter = ebpf?.counter;
  const t0 = performance.now();
  let interruptedBy: NodeJS.Signals | undefined;
  let onSignal: ((signal: NodeJS.Signals) => void) | undefined;
  const stopped = new Promise<void>((resolve) => {
    onSignal = (signal) => {
      interruptedBy ??= signal;
      resolve();
    };
  });
  for (const s of STOP_SIGNALS) process.on(s, onSignal!);
  const exited = whenExited(target.pid);
  try {
    const session = new MonitorSession(request.monitor, emit);
    await session.monitor({
      pid: target.pid,
      mode: 'attach',
      metadata: { cmd: target.cmd, executable: target.executable, ...ebpfCapabilities(ebpf) },
      ended: Promise.race([stopped, exited.promise, ...(request.stop ? [request.stop] : [])]),
      onDuration: () => 'stop',
      ebpf: ebpfSource(ebpf),
    });
    const ending: Ending = { mode: 'attach', command: target.cmd, executable: target.executable, pid: target.pid, outcome: { kind: 'not-waited' }, interruptedBy, wallTimeSecs: (performance.now() - t0) / 1000 };
    return finishMeasurement(ending, session, ebpf, { ...request.syscalls, arch: request.monitor.arch });
  } finally {
    exited.cancel();
    for (const s of STOP_SIGNALS) process.off(s, onSignal!);
    counter?.close();
  }
}
