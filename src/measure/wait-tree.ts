/**
 * --wait-tree: after the command exits, wait until the processes it left
 * behind (daemons, background jobs) have exited too. Which processes those
 * are comes from the caller: the eBPF counter's live tree (exact: it
 * follows every fork in the kernel, reparented daemons included) and the
 * monitor's /proc view (it can miss a process forked and orphaned between
 * two of its samples).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isRunning } from '../proc/process-info.js';

export interface WaitTreeOptions {
  /** The tree's processes as known now (may include exited ones). */
  treePids: () => Iterable<number>;
  /** The command, which has exited: its pid may already be someone else's. */
  rootPid: number;
  pollMs?: number;
}

/** Resolves once no process of the tree but the root is running. */
export async function waitForTree(options: WaitTreeOptions): Promise<void> {
  for (;;) {
    const remaining = [...options.treePids()].filter((pid) => pid !== options.rootPid && isRunning(pid));
    if (remaining.length === 0) return;
    await sleep(options.pollMs ?? 100);
  }
}
