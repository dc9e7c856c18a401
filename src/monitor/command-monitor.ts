/**
 * `run`'s side of monitoring: what runCommand calls once the command runs.
 * --duration stops the command itself (denet leaves it running, orphaned):
 * SIGTERM, then SIGKILL if it is still there after a grace period; the tree
 * is sampled until the command has ended, so the closing sample is real.
 */
import type { RunningCommand } from '../profile/run-command.js';
import { ebpfCapabilities } from './capabilities.js';
import type { MonitorSession } from './session.js';

export const DURATION_GRACE_MS = 2000;

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
        onDuration: () => {
          running.kill('SIGTERM');
          killTimer = setTimeout(() => running.kill('SIGKILL'), DURATION_GRACE_MS);
          return 'continue';
        },
        // Output can lag the exit a little; a grandchild holding the pipe must not hold us.
        outputDone: running.outputDone && Promise.race([running.outputDone, new Promise((r) => setTimeout(r, 200).unref())]),
        ebpf: running.ebpf && { snapshot: running.ebpf.snapshot, error: running.ebpf.error?.message },
      });
    } finally {
      clearTimeout(killTimer);
    }
  };
}
