/**
 * What `run` and `attach` ask of the eBPF counter, and starting it: one
 * place for the execve numbers, the optional measurements and the rule
 * for failures (named with their fix; fatal only with --require-ebpf).
 */
import { startSyscallCounter, type AttachMode, type SyscallCounter } from '../bpf/counter.js';
import { TsdenetError } from '../errors.js';
import { explainEbpfFailure } from '../privileges/explain-ebpf-failure.js';
import { syscallNumber, type Arch } from '../syscalls/names.js';

export interface EbpfRequest {
  arch: Arch;
  enableEbpf: boolean;
  /** Fail before anything starts when eBPF cannot be used. */
  requireEbpf: boolean;
  attachMode: 'auto' | AttachMode;
  maxEntries?: number;
  /** Optional measurements of the counter (sys_exit) and its in-kernel filter. */
  errors?: boolean;
  latency?: boolean;
  /** Counts kept per thread (--per-thread); without, each thread's are folded into its process's. */
  perThread?: boolean;
  filterSlots?: readonly number[];
  /** --offcpu: off-CPU time of every thread (sched_switch). */
  offcpu?: boolean;
  /** Called once with the reason when eBPF was asked for and cannot run. */
  onEbpfUnavailable?: (error: TsdenetError) => void;
  log?: (line: string) => void;
}

export interface StartedCounter {
  counter?: SyscallCounter;
  mode?: AttachMode;
  error?: TsdenetError;
}

/**
 * Starts the counter; `prepare` runs on it before it is handed out (attach
 * seeds the running tree there), and its failure counts as the counter's.
 */
export async function startRequestedCounter(
  request: EbpfRequest,
  options: { seed?: boolean; prepare?: (counter: SyscallCounter) => void } = {},
): Promise<StartedCounter> {
  const nrExecve = syscallNumber('execve', request.arch);
  const nrExecveat = syscallNumber('execveat', request.arch);
  if (nrExecve === undefined || nrExecveat === undefined) throw new Error(`no execve number for ${request.arch}`);
  let counter: SyscallCounter | undefined;
  try {
    counter = await startSyscallCounter({
      mode: request.attachMode,
      nrExecve,
      nrExecveat,
      maxEntries: request.maxEntries,
      errors: request.errors,
      latency: request.latency,
      perThread: request.perThread,
      filterSlots: request.filterSlots,
      compat: request.arch === 'x86_64',
      seed: options.seed,
      offcpu: request.offcpu,
      log: request.log,
    });
    options.prepare?.(counter);
    return { counter, mode: counter.mode };
  } catch (error) {
    counter?.close();
    if (!(error instanceof TsdenetError)) throw error;
    // Missing capabilities or kernel features are named, with their fix,
    // rather than the EPERM or ESRCH libbpf saw.
    const explained = explainEbpfFailure(error);
    if (request.requireEbpf) throw explained;
    request.onEbpfUnavailable?.(explained);
    return { error: explained };
  }
}
