/**
 * strace's view of a workload, to compare tsdenet's counts with.
 *
 * straceEntryCounts: every call strace -f shows ENTERING, by name, from its
 * per-call log (`strace -f -o FILE`): one line per call start, whether or
 * not the call returns ("exit_group(0) = ?", "pause( <unfinished ...>" of a
 * thread ended by another's execve); "<... X resumed>" lines continue a call
 * already counted and are skipped, as are "+++ exited" and "--- SIGCHLD"
 * lines. That is what tsdenet counts (sys_enter). strace -c instead counts
 * a call when it returns, so it leaves out exit_group and any call ended by
 * an exec or a kill.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Counts by name from a strace -f log (pure; exported for its unit test). */
export function parseStraceEntries(log: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of log.split('\n')) {
    // "PID name(args..." : a call starts. "PID <... name resumed>" does not match.
    const m = /^\d+\s+([a-z_0-9]+)\(/.exec(line);
    if (m) counts[m[1]!] = (counts[m[1]!] ?? 0) + 1;
  }
  return counts;
}

export function straceEntryCounts(command: readonly string[]): Record<string, number> {
  const dir = mkdtempSync(join(tmpdir(), 'tsdenet-strace-'));
  try {
    const out = join(dir, 'log');
    execFileSync('strace', ['-f', '-o', out, ...command], { stdio: 'ignore' });
    return parseStraceEntries(readFileSync(out, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
