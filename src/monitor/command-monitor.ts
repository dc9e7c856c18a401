/**
 * `run`'s side of monitoring: what runCommand calls once the command runs.
 * --duration stops the command (denet leaves it running, orphaned): like
 * timeout(1), the whole tree gets SIGTERM, then SIGKILL after a grace period
 * if the command is still there; the tree is sampled until the command has
 * ended, so the closing sample is real. The command itself is signalled
 * through its ChildProcess (never a recycled pid); descendants by the pids
 * of the last sample, which are still theirs (a tracked process is a member
 * until it is gone from /proc).
 */
import type { RunningCommand } from '../profile/run-command.js';
import { ebpfCapabilities } from './capabilities.js';
import type { MonitorSession } from './session.js';

export const DURATION_GRACE_MS = 2000;

function signalTree(running: RunningCommand, pids: number[], signal: NodeJS.Signals): void {
  running.kill(signal);
  for (const pid of pids) {
    if (pid === running.pid) continue;
    try {
      process.kill(pid, signal);
    } catch {
      // exited meanwhile
    }
  }
}

/** A whileRunning callback for runCommand. */
export function monitorCommand(session: MonitorSession): (running: RunningCommand) => Promise<void> {
  return async (running) => {
    let killTimer: NodeJS.Timeout | undefined;
    try {
      await session.monitor({
        pid: running.pid,
        mode: 'run',
        metadata: {
          cmd: [...running.command],
          executable: running.executable,
          t0_ms: running.startedAtMs,
          ...ebpfCapabilities(running.ebpf),
        },
        ended: running.exited,
        onDuration: (treePids) => {
          signalTree(running, treePids(), 'SIGTERM');
          killTimer = setTimeout(() => signalTree(running, treePids(), 'SIGKILL'), DURATION_GRACE_MS);
          return 'continue';
        },
        // Output can lag the exit a little; a grandchild holding the pipe must not hold us.
        outputDone: running.outputDone && Promise.race([running.outputDone, new Promise((r) => setTimeout(r, 200).unref())]),
        ebpf: running.ebpf && { sample: running.ebpf.sample, error: running.ebpf.error?.message },
      });
    } finally {
      clearTimeout(killTimer);
    }
  };
}
