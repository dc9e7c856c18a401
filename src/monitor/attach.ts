/**
 * `attach PID`: monitor a running process and its descendants until it
 * exits, Ctrl-C (SIGINT, SIGTERM, SIGHUP) or --duration; the process is
 * never signalled. With eBPF, the counter marks the existing tree
 * (SyscallCounter.seedTree) and follows its forks from then on.
 */
import { addMissingLiveTasks, liveCommandLines } from '../profile/live-processes.js';
import { performance } from 'node:perf_hooks';
import { readText } from '../proc/proc-file.js';
import { parseStat } from '../proc/stat.js';
import type { AttachTarget } from './attach-target.js';
import { ebpfCapabilities } from './capabilities.js';
import type { MonitorSession } from './session.js';
import { startRequestedCounter, type EbpfRequest } from '../profile/ebpf-request.js';
import type { RunResult } from '../profile/run-command.js';

/** How often the attached process is checked for exit between samples. */
const EXIT_POLL_MS = 100;
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** As for run: what the counter measures and how its failures are handled. */
export type AttachOptions = EbpfRequest;

/** What an attach measured: run's RunResult, so one summary builder serves both. */
export type AttachResult = RunResult;

function processRunning(pid: number): boolean {
  const stat = parseStat(readText(`/proc/${pid}/stat`) ?? '');
  return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
}

/** Resolves when the process has exited (gone or a zombie), checked every EXIT_POLL_MS. */
function whenExited(isRunning: () => boolean): { promise: Promise<void>; cancel: () => void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => {
    timer = setInterval(() => {
      if (!isRunning()) resolve();
    }, EXIT_POLL_MS);
  });
  return { promise, cancel: () => clearInterval(timer) };
}

/** Monitors target until it exits or tsdenet is asked to stop. */
export async function attachToProcess(target: AttachTarget, session: MonitorSession, options: AttachOptions): Promise<AttachResult> {
  // The seed program marks the running tree before the counter is handed out.
  const ebpf = options.enableEbpf ? await startRequestedCounter(options, { seed: true, prepare: (c) => c.seedTree(target.pid) }) : undefined;
  const counter = ebpf?.counter;
  const startedAtMs = Date.now();
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
  const exited = whenExited(() => processRunning(target.pid));
  try {
    await session.monitor({
      pid: target.pid,
      mode: 'attach',
      metadata: { cmd: target.cmd, executable: target.executable, t0_ms: startedAtMs, ...ebpfCapabilities(ebpf && { mode: counter?.mode, error: ebpf.error }) },
      ended: Promise.race([stopped, exited.promise]),
      onDuration: () => 'stop',
      ebpf: ebpf && { sample: counter && (() => counter.sample()), error: ebpf.error?.message },
    });
    const snapshot = counter?.snapshot();
    if (snapshot) addMissingLiveTasks(snapshot);
    return {
      command: target.cmd,
      executable: target.executable,
      pid: target.pid,
      exit: { code: null, signal: null },
      exitStatus: 0,
      startedAtMs,
      wallTimeSecs: (performance.now() - t0) / 1000,
      interruptedBy,
      argvByPid: liveCommandLines(snapshot, new Map([[target.pid, target.cmd]])),
      ebpf: ebpf && { mode: counter?.mode, snapshot, error: ebpf.error },
    };
  } finally {
    exited.cancel();
    for (const s of STOP_SIGNALS) process.off(s, onSignal!);
    counter?.close();
  }
}
