/**
 * `tsdenet run`: start the counter, start the command with the counter
 * armed on our own fork, wait for the command, read the counts.
 */
import type { AttachMode, CountSnapshot, SampleTotals } from '../bpf/counter.js';
import { TsdenetError } from '../errors.js';
import type { CommandIdentity } from '../privileges/command-identity.js';
import { exitStatusOf, launchPlan, relaySignals, startChild, type ChildExit, type StartOptions } from '../runner/child.js';
import { resolveCommand } from '../runner/resolve.js';
import { abandonCounting } from './counting.js';
import { addMissingLiveTasks, liveCommandLines } from './live-processes.js';
import { waitForTree } from './wait-tree.js';
import type { StartedCounter } from './ebpf-request.js';

export interface RunOptions {
  command: readonly string[];
  /**
   * The eBPF counter, being started by the caller (startRequestedCounter)
   * while the rest of tsdenet loads; awaited before the command is forked.
   * runCommand owns it from here and closes it.
   */
  counting?: Promise<StartedCounter>;
  /** Called once, just before the fork, when eBPF was asked for and cannot run. */
  onEbpfUnavailable?: (error: TsdenetError) => void;
  log?: (line: string) => void;
  stdoutToStderr: boolean;
  /** Run the command as this user instead of as tsdenet (sudo, --user). */
  identity?: CommandIdentity;
  /** Monitors the command while it runs (src/monitor); awaited before the final snapshot. */
  whileRunning?: (running: RunningCommand) => Promise<void>;
  /** Pass the command's stdout/stderr through this function (see StartOptions.relayOutput). */
  relayOutput?: (target: NodeJS.WritableStream, chunk: Buffer) => void;
  /**
   * --wait-tree: the run ends when the command and every process of its tree
   * have exited, not when the command has (whileRunning sees `exited` then).
   */
  waitTree?: boolean;
  /** The tree's running processes as the monitor last saw them (a second Ctrl-C kills them). */
  treePids?: () => Iterable<number>;
}

/** The command while it runs, as a monitor sees it. */
export interface RunningCommand {
  pid: number;
  command: readonly string[];
  executable: string;
  startedAtMs: number;
  /** Settles when the command has exited (with waitTree: when its whole tree has). */
  exited: Promise<ChildExit>;
  kill(signal: NodeJS.Signals): void;
  /** Settles once relayed output is all written (relayOutput only). */
  outputDone?: Promise<void>;
  /** With --enable-ebpf: the live counter, or why it is not running. */
  ebpf?: { mode?: AttachMode; error?: TsdenetError; sample?: () => SampleTotals };
}

export interface EbpfOutcome {
  mode?: AttachMode;
  snapshot?: CountSnapshot;
  error?: TsdenetError;
}

export interface RunResult {
  command: readonly string[];
  executable: string;
  pid: number;
  exit: ChildExit;
  exitStatus: number;
  startedAtMs: number;
  /** From just before the fork to the command's exit (with waitTree: the tree's). */
  wallTimeSecs: number;
  /** The signal tsdenet itself received and forwarded, if any. */
  interruptedBy?: NodeJS.Signals;
  /** Command lines of tree processes still alive at the end (by pid). */
  argvByPid: Map<number, string[]>;
  ebpf?: EbpfOutcome;
}

/** Runs the command to completion and returns what was measured. */
export async function runCommand(options: RunOptions): Promise<RunResult> {
  const [name] = options.command;
  if (name === undefined) throw new Error('runCommand needs a command');
  let executable: string;
  try {
    executable = resolveCommand(name);
  } catch (error) {
    await abandonCounting(options.counting);
    throw error;
  }
  const ebpf = await options.counting;
  if (ebpf?.error) options.onEbpfUnavailable?.(ebpf.error);
  const counter = ebpf?.counter;
  try {
    const startedAtMs = Date.now();
    const t0 = process.hrtime.bigint();
    const start: StartOptions = { file: executable, argv: options.command, stdoutToStderr: options.stdoutToStderr, identity: options.identity, relayOutput: options.relayOutput };
    const plan = launchPlan(start);
    if (!plan.deathSignal) options.log?.('setpriv with --pdeathsig (util-linux >= 2.33) not found: the command is started directly and would outlive a SIGKILLed tsdenet');
    counter?.armSpawn(process.pid, plan.wrapperExecs);
    let child;
    try {
      child = startChild(start);
    } finally {
      counter?.disarm();
    }
    // The tree as known now: the monitor's /proc view, and the counter's
    // (which follows every fork in the kernel, tp_btf mode only).
    const tree = (): Set<number> => {
      const pids = new Set(options.treePids?.() ?? []);
      try {
        for (const pid of counter?.sample().liveTgids ?? []) pids.add(pid);
      } catch {
        // a failed read leaves the monitor's view
      }
      return pids;
    };
    const stopRelay = relaySignals(child, tree);
    const ended = options.waitTree && child.pid > 0
      ? child.exited.then(async (exit) => {
          await waitForTree({ treePids: tree, rootPid: child.pid });
          return exit;
        })
      : child.exited;
    const monitoring = child.pid > 0 && options.whileRunning
      ? options.whileRunning({
          pid: child.pid,
          command: options.command,
          executable,
          startedAtMs,
          exited: ended,
          kill: child.kill,
          outputDone: child.outputDone,
          ebpf: ebpf && { mode: ebpf.mode, error: ebpf.error, sample: counter && (() => counter.sample()) },
        })
      : undefined;
    // Its failure is rethrown below, once the command has ended.
    monitoring?.catch(() => undefined);
    let exit: ChildExit;
    let endedAt: bigint | undefined;
    let interruptedBy: NodeJS.Signals | undefined;
    try {
      exit = await child.exited;
      endedAt = process.hrtime.bigint();
      if (options.waitTree) {
        await ended;
        endedAt = process.hrtime.bigint();
      }
      await monitoring;
    } finally {
      interruptedBy = stopRelay();
    }
    const wallTimeSecs = Number((endedAt ?? process.hrtime.bigint()) - t0) / 1e9;
    const snapshot = counter?.snapshot();
    if (snapshot) addMissingLiveTasks(snapshot);
    const argvByPid = liveCommandLines(snapshot, new Map([[child.pid, [...options.command]]]));
    return {
      command: options.command,
      executable,
      pid: child.pid,
      exit,
      exitStatus: exitStatusOf(exit),
      startedAtMs,
      wallTimeSecs,
      interruptedBy,
      argvByPid,
      ebpf: ebpf && { mode: ebpf.mode, error: ebpf.error, snapshot },
    };
  } finally {
    counter?.close();
  }
}
