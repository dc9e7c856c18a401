/**
 * The built CLI with its stdout read as it comes, so a test can act at a
 * known point of a run (e.g. right after the first sample) instead of
 * guessing with sleeps, which a loaded CI machine would make flaky.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { BIN } from '../../helpers/cli.js';

export interface StreamingCli {
  child: ChildProcess;
  /** Resolves with the first stdout line matching `test` (JSON-parsed). */
  waitForRecord(test: (record: Record<string, any>) => boolean): Promise<Record<string, any>>;
  /** Resolves when the CLI has exited, with all it wrote. */
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

export function startCli(args: readonly string[]): StreamingCli {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { test: (r: Record<string, any>) => boolean; resolve: (r: Record<string, any>) => void }[] = [];
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
    pending += d;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      let record: Record<string, any>;
      try {
        record = JSON.parse(line) as Record<string, any>;
      } catch {
        continue;
      }
      for (const w of [...waiters]) {
        if (w.test(record)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(record);
        }
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return {
    child,
    waitForRecord: (test) => new Promise((resolve) => waiters.push({ test, resolve })),
    done,
  };
}
