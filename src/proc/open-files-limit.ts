/**
 * How many files tsdenet may have open, and how many it needs.
 *
 * Node raises its soft RLIMIT_NOFILE to the hard limit when it starts (and
 * the command inherits that), so the hard limit is what counts. tsdenet
 * needs OPEN_FILES_NEEDED descriptors besides the cache of /proc files:
 * about 20 are Node's own (stdio, epoll and eventfds of its loops, signal
 * pipes), loading the BPF object opens its maps, programs, links and BTF
 * (up to ~15 at once), the command's stdio pipes, -o, its sidecar and
 * --stats, and module loading and one-shot /proc reads add a few more;
 * `--enable-ebpf --errors --latency -o F --stats S run` peaked at 52 (the
 * most measured). What is left above it keeps /proc/PID/{stat,io} of
 * sampled processes open (proc-file.ts), two per process; without any
 * left, those are read with open/read/close, a little slower.
 *
 * Below about 20 Node itself cannot start (it aborts or crashes): bin/tsdenet
 * checks the hard limit before starting Node, checkOpenFilesLimit() for
 * `node bin/tsdenet.js` before anything else is loaded.
 */
import { readFileSync } from 'node:fs';

export const OPEN_FILES_NEEDED = 64;

export interface OpenFilesLimit {
  soft: number;
  hard: number;
}

/** Pure: the "Max open files" line of /proc/PID/limits; unlimited is Infinity. */
export function parseOpenFilesLimit(limitsText: string): OpenFilesLimit | undefined {
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)\s/m.exec(limitsText);
  if (!m) return undefined;
  const value = (s: string): number => (s === 'unlimited' ? Infinity : Number(s));
  return { soft: value(m[1]!), hard: value(m[2]!) };
}

let cached: OpenFilesLimit | null | undefined;

/** This process's limit (read once), or undefined when /proc does not say. */
export function openFilesLimit(): OpenFilesLimit | undefined {
  if (cached === undefined) {
    try {
      cached = parseOpenFilesLimit(readFileSync('/proc/self/limits', 'latin1')) ?? null;
    } catch {
      cached = null;
    }
  }
  return cached ?? undefined;
}

/**
 * Pure: the problem and the fix when `limit` is below what tsdenet needs
 * (undefined: enough). Only the hard limit can be too low: Node has raised
 * the soft one to it already.
 */
export function openFilesProblem(limit: OpenFilesLimit | undefined, needed = OPEN_FILES_NEEDED): { message: string; hint: string } | undefined {
  if (limit === undefined || Math.min(limit.soft, limit.hard) >= needed) return undefined;
  return {
    message: `the open-file limit (${Math.min(limit.soft, limit.hard)}) is too low: tsdenet needs ${needed} open files`,
    hint: `allow at least ${needed}: ulimit -n ${needed}, or prlimit --nofile=${needed} tsdenet …; above the hard limit only root can raise it (nofile in /etc/security/limits.conf)`,
  };
}
