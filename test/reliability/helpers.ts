/** Shared by the reliability tests: process liveness, temporary directories, records. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { onTestFinished } from 'vitest';

/** Running: in /proc and not a zombie (a zombie has exited). */
export function isRunning(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return false;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/** Resolves true once pid is not running, false if it still runs after timeoutMs. */
export async function waitUntilGone(pid: number, timeoutMs = 5000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (!isRunning(pid)) return true;
    await sleep(20);
  }
  return !isRunning(pid);
}

/** Kills pids left by a failed test (they must not outlive it). */
export function killOnFinish(pids: () => number[]): void {
  onTestFinished(() => {
    for (const pid of pids()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
  });
}

/** A temporary directory removed after the test. */
export function tempDir(tag: string): string {
  const dir = mkdtempSync(join(tmpdir(), `tsdenet-${tag}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export type Rec = Record<string, any>;

/** The JSON lines of a text (a run's stdout or -o file). */
export function parseRecords(text: string): Rec[] {
  return text.trim().split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Rec);
}

/** pids of a tree record: the children's (the parent's pid is the metadata's). */
export function childPids(tree: Rec): number[] {
  return ((tree.children ?? []) as Rec[]).map((c) => c.pid as number);
}
