/**
 * `attach PID`: monitor a running process and its descendants until it
 * exits, Ctrl-C (SIGINT, SIGTERM, SIGHUP) or --duration; the process is
 * never signalled. With eBPF, the counter marks the existing tree
 * (SyscallCounter.seedTree) and follows its forks from then on.
 */
import { addMissingLiveTasks, liveCommandLines } from '../profile/live-processes.js';
import { performance } from 'node:perf_hooks';
import { startSyscallCounter, type AttachMode, type CountSnapshot, type SyscallCounter } from '../bpf/counter.js';
import { TsdenetError } from '../errors.js';
import { readText } from '../proc/proc-file.js';
import { parseStat } from '../proc/stat.js';
import type { ChildExit } from '../runner/child.js';
import { syscallNumber, type Arch } from '../syscalls/names.js';
import type { AttachTarget } from './attach-target.js';
import { explainEbpfFailure } from '../privileges/explain-ebpf-failure.js';
import { ebpfCapabilities } from './capabilities.js';
import type { MonitorSession } from './session.js';

/** How often the attached process is checked for exit between samples. */
const EXIT_POLL_MS = 100;
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export interface AttachOptions {
  arch: Arch;
  enableEbpf: boolean;
  requireEbpf: boolean;
  attachMode: 'auto' | AttachMode;
  maxEntries?: number;
  /** As for run: failed calls, time per call, the in-kernel filter. */
  errors?: boolean;
  latency?: boolean;
  filterSlots?: readonly number[];
  onEbpfUnavailable?: (error: TsdenetError) => void;
  log?: (line: string) => void;
}

/** What an attach measured; shaped like run's RunResult so one summary builder serves both. */
export interface AttachResult {
  command: string[];
  executable: string;
  pid: number;
  exit: ChildExit;
  exitStatus: number;
  startedAtMs: number;
  wallTimeSecs: number;
  interruptedBy?: NodeJS.Signals;
  argvByPid: Map<number, string[]>;
  ebpf?: { mode?: AttachMode; snapshot?: CountSnapshot; error?: TsdenetError };
}

function startCounter(target: AttachTarget, options: AttachOptions): { counter?: SyscallCounter; error?: TsdenetError } {
  const nrExecve = syscallNumber('execve', options.arch);
  const nrExecveat = syscallNumber('execveat', options.arch);
  if (nrExecve === undefined || nrExecveat === undefined) throw new Error(`no execve number for ${options.arch}`);
  let counter: SyscallCounter | undefined;
  try {
    counter = startSyscallCounter({
      mode: options.attachMode,
      nrExecve,
      nrExecveat,
      maxEntries: options.maxEntries,
      errors: options.errors,
      latency: options.latency,
      filterSlots: options.filterSlots,
      compat: options.arch === 'x86_64',
      seed: true,
      log: options.log,
    });
    counter.seedTree(target.pid);
    return { counter };
  } catch (error) {
    counter?.close();
    if (!(error instanceof TsdenetError)) throw error;
    // As for run: the missing capability or kernel feature, named with its fix.
    const explained = explainEbpfFailure(error);
    if (options.requireEbpf) throw explained;
    options.onEbpfUnavailable?.(explained);
    return { error: explained };
  }
}

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
  const ebpf = options.enableEbpf ? startCounter(target, options) : undefined;
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
