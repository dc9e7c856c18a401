/**
 * tracefs lookups for the classic-tracepoint fallback: where tracefs is
 * mounted and where sched_process_fork keeps child_pid.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BpfError } from '../errors.js';

export const TRACEFS_DIRS = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'] as const;

/**
 * The first tracefs directory whose events/ we can see: 'found', or why not.
 * stat() rather than access(): access() checks the real uid and ignores
 * file capabilities (CAP_DAC_READ_SEARCH on the launcher).
 */
export function findTracefs(dirs: readonly string[] = TRACEFS_DIRS): { dir: string } | { denied: string } | undefined {
  let denied: string | undefined;
  for (const dir of dirs) {
    try {
      statSync(join(dir, 'events'));
      return { dir };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EACCES') denied ??= dir;
    }
  }
  return denied === undefined ? undefined : { denied };
}

/** Offset of `child_pid` in a tracepoint format file's text, or undefined. */
export function parseFieldOffset(format: string, field: string): number | undefined {
  const re = new RegExp(`field:[^;]*\\b${field};\\s*offset:(\\d+);`);
  const m = re.exec(format);
  return m ? Number(m[1]) : undefined;
}

/** child_pid's offset in sched_process_fork: 44 before Linux 6.x's __data_loc comms, 20 after. */
export function forkChildPidOffset(): number {
  const found = findTracefs();
  const hint =
    'mount tracefs (mount -t tracefs nodev /sys/kernel/tracing) and make it readable (setup/tracefs.sh), or run as root';
  if (!found) throw new BpfError('read tracefs', 2, 'ENOENT', 'tracefs is not mounted', { hint });
  if ('denied' in found) {
    throw new BpfError('read tracefs', 13, 'EACCES', `no permission to read tracefs at ${found.denied}`, {
      hint: 'make it readable for the tracing group (sudo setup/tracefs.sh), give CAP_DAC_READ_SEARCH, or run as root',
    });
  }
  const dir = found.dir;
  let text: string;
  try {
    text = readFileSync(join(dir, 'events/sched/sched_process_fork/format'), 'utf8');
  } catch (cause) {
    throw new BpfError('read tracefs', 13, 'EACCES', `cannot read ${dir}/events/sched/sched_process_fork/format`, {
      cause,
      hint,
    });
  }
  const offset = parseFieldOffset(text, 'child_pid');
  if (offset !== 20 && offset !== 44) {
    throw new BpfError('read tracefs', 22, 'EINVAL', `unexpected sched_process_fork layout (child_pid at ${offset})`);
  }
  return offset;
}
