/**
 * Where tracefs is mounted and whether this process can read the event
 * files the classic-tracepoint fallback needs (libbpf reads the ids, tsdenet
 * reads sched_process_fork's format). The tp_btf mode needs none of them.
 */
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';

export const TRACEFS_MOUNT_POINTS = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'] as const;

/** Event files the classic fallback reads, relative to the tracefs root (sys_exit: --errors, --latency). */
export const TRACEFS_EVENT_FILES = [
  'events/raw_syscalls/sys_enter/id',
  'events/raw_syscalls/sys_exit/id',
  'events/sched/sched_process_fork/id',
  'events/sched/sched_process_fork/format',
  'events/sched/sched_process_exit/id',
  'events/sched/sched_process_exec/id',
] as const;

export type Access = 'ok' | 'EACCES' | 'ENOENT' | string;

export interface TracefsMount {
  path: string;
  mounted: boolean;
  /** stat of <path>/events as this process (capabilities included). */
  events: Access;
  files: { file: string; access: Access }[];
}

/** Mount points of filesystems of type `fsType` in /proc/self/mountinfo text. Pure. */
export function mountPointsOf(mountinfo: string, fsType: string): string[] {
  const points: string[] = [];
  for (const line of mountinfo.split('\n')) {
    // id parent major:minor root mount-point options [optional...] - type source super-options
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const left = line.slice(0, sep).split(' ');
    const type = line.slice(sep + 3).split(' ')[0];
    if (type === fsType && left[4]) points.push(left[4].replace(/\\040/g, ' '));
  }
  return points;
}

function errorCode(error: unknown): Access {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}

// stat/open rather than access(2): access checks the real uid and ignores
// file capabilities (CAP_DAC_READ_SEARCH), open uses what the load will use.
function statAccess(path: string): Access {
  try {
    statSync(path);
    return 'ok';
  } catch (error) {
    return errorCode(error);
  }
}

function readAccess(path: string): Access {
  try {
    closeSync(openSync(path, 'r'));
    return 'ok';
  } catch (error) {
    return errorCode(error);
  }
}

export function probeTracefs(mountinfoPath = '/proc/self/mountinfo'): TracefsMount[] {
  let mounted: string[] = [];
  try {
    mounted = mountPointsOf(readFileSync(mountinfoPath, 'utf8'), 'tracefs');
  } catch {
    mounted = [];
  }
  return TRACEFS_MOUNT_POINTS.map((path) => {
    const events = statAccess(`${path}/events`);
    // /sys/kernel/debug/tracing is an automount: listed only once visited.
    const isMounted = mounted.includes(path) || events === 'ok';
    const files = isMounted ? TRACEFS_EVENT_FILES.map((file) => ({ file, access: readAccess(`${path}/${file}`) })) : [];
    return { path, mounted: isMounted, events, files };
  });
}
