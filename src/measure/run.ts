/**
 * `tsdenet run`, the whole pipeline in one place: the eBPF counter, the
 * command and the monitoring session are acquired here and released here,
 * whatever happens, and what they measured comes back as one Measurement.
 *
 * Order: the counter is loaded before the command is forked (the caller
 * started it early, see cli/commands/run.ts) and armed on tsdenet's own
 * fork, so the command's execve is its first counted call. The first sample
 * is taken in the same tick as the fork. --duration stops the command
 * (denet leaves it running, orphaned): like timeout(1), the whole tree gets
 * SIGTERM, then SIGKILL after a grace period if the command is still
 * there; the tree is sampled until the command has ended, so the closing
 * sample is real.
 */
import { abandonCounting } from './abandon-counting.js';
import type { StartedCounter } from './counter-request.js';
import type { TsdenetError } from '../errors.js';
import { MonitorSession, type MonitorSettings, type RecordWriter } from '../monitor/session.js';
import type { CommandIdentity } from '../privileges/command-identity.js';
import { launchPlan, relaySignals, signalTree, startChild, type ChildExit, type StartOptions } from '../runner/child.js';
import { resolveCommand } from '../runner/resolve.js';
import { ebpfCapabilities } from './capabilities.js';
import { ebpfSource, finishMeasurement } from './session-ends.js';
import type { Measurement, Outcome, SyscallReportOptions } from './summary-record.js';
import { waitForTree } from './wait-tree.js';

export const DURATION_GRACE_MS = 2000;

export interface RunRequest {
  command: readonly string[];
  /**
   * The eBPF counter, being started by the caller while the rest of
   * tsdenet loads; measureRun owns it from here: it is always closed.
   */
  counting?: Promise<StartedCounter>;
  /** Called once, just before the fork, when eBPF was asked for and cannot run. */
  onEbpfUnavailable?: (error: TsdenetError) => void;
  log?: (line: string) => void;
  /** The command's stdout goes to stderr (--json owns stdout). */
  stdoutToStderr: boolean;
  /** Run the command as this user instead of as tsdenet (sudo, --user). */
  identity?: CommandIdentity;
  /** --wait-tree: the run ends when the command's whole tree has exited. */
  waitTree: boolean;
  monitor: MonitorSettings;
  syscalls: Omit<SyscallReportOptions, 'arch'>;
}

function outcomeOf(exit: ChildExit): Outcome {
  return exit.code !== null ? { kind: 'exited', code: exit.code } : { kind: 'killed', signal: exit.signal ?? 'SIGKILL' };
}

/** Runs the command to completion under the counter and the monitor; resolves to what was measured. */
export async function measureRun(request: RunRequest, emit: RecordWriter): Promise<Measurement> {
  const [name] = request.command;
  if (name === undefined) throw new Error('measureRun needs a command');
  let started: StartedCounter | undefined;
  let stopRelay: (() => NodeJS.Signals | undefined) | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  try {
    const executable = resolveCommand(name);
    started = await request.counting;
    if (started?.error) request.onEbpfUnavailable?.(started.error);
    const counter = started?.counter;
    const session = new MonitorSession(request.monitor, emit);
    const start: StartOptions = {
      file: executable,
      argv: request.command,
      stdoutToStderr: request.stdoutToStderr,
      identity: request.identity,
      relayOutput: session.relaysOutput ? (target, chunk) => session.relayOutput(target, chunk) : undefined,
    };
    const plan = launchPlan(start);
    if (!plan.deathSignal) request.log?.('setpriv with --pdeathsig (util-linux >= 2.33) not found: the command is started directly and would outlive a SIGKILLed tsdenet');
    // Monitoring begins before the fork: the first sample's window holds the command's first moments.
    session.open();
    const t0 = process.hrtime.bigint();
    counter?.armSpawn(process.pid, plan.wrapperExecs);
    let child;
    try {
      child = startChild(start, plan);
    } finally {
      counter?.disarm();
    }
    // The tree as known now: the monitor's /proc view, and the counter's
    // (which follows every fork in the kernel, tp_btf mode only).
    const tree = (): Set<number> => {
      const pids = new Set(session.runningPids());
      try {
        for (const pid of counter?.sample().liveTgids ?? []) pids.add(pid);
      } catch {
        // a failed read leaves the monitor's view
      }
      return pids;
    };
    stopRelay = relaySignals(child, tree);
    const ended = request.waitTree && child.pid > 0
      ? child.exited.then(async (exit) => {
          await waitForTree({ treePids: tree, rootPid: child.pid });
          return exit;
        })
      : child.exited;
    const monitoring = child.pid > 0
      ? session.monitor({
          pid: child.pid,
          mode: 'run',
          metadata: { cmd: [...request.command], executable, ...ebpfCapabilities(started) },
          ended,
          onDuration: (treePids) => {
            signalTree(child, treePids(), 'SIGTERM');
            killTimer = setTimeout(() => signalTree(child, treePids(), 'SIGKILL'), DURATION_GRACE_MS);
            return 'continue';
          },
          // Output can lag the exit a little (200 ms from the command's end,
          // however long it ran); a grandchild holding the pipe must not hold us.
          outputDone: child.outputDone && Promise.race([child.outputDone, ended.then(() => new Promise((r) => setTimeout(r, 200).unref()), () => undefined)]),
          ebpf: ebpfSource(started),
        })
      : undefined;
    // Its failure is rethrown below, once the command has ended.
    monitoring?.catch(() => undefined);
    const exit = await child.exited;
    let endedAt = process.hrtime.bigint();
    if (request.waitTree) {
      await ended;
      endedAt = process.hrtime.bigint();
    }
    await monitoring;
    const interruptedBy = stopRelay();
    return finishMeasurement(
      { mode: 'run', command: request.command, executable, pid: child.pid, outcome: outcomeOf(exit), interruptedBy, wallTimeSecs: Number(endedAt - t0) / 1e9 },
      session,
      started,
      { ...request.syscalls, arch: request.monitor.arch },
    );
  } finally {
    clearTimeout(killTimer);
    stopRelay?.();
    // The counter is closed whatever happened, once it has finished loading.
    if (started) started.counter?.close();
    else await abandonCounting(request.counting);
  }
}
