/**
 * `attach PID`: is there such a process, and may we watch it? Checked
 * before anything starts, so the error is one clear line (exit 1).
 */
import { readFileSync } from 'node:fs';
import { TsdenetError } from '../errors.js';
import { readCommandLine, readExecutable } from '../proc/process-info.js';
import { isLiveState, parseStat } from '../proc/stat.js';

/** The process cannot be attached to (exit 1, as denet). */
export class AttachError extends TsdenetError {
  constructor(message: string, hint?: string) {
    super('ATTACH', message, 1, { hint });
  }
}

export interface AttachTarget {
  pid: number;
  cmd: string[];
  executable: string;
}

function errnoOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'error';
}

/** Checks that pid exists, is running and that its I/O counters are readable. */
export function checkAttachTarget(pid: number, procRoot = '/proc'): AttachTarget {
  if (pid === process.pid) throw new AttachError(`pid ${pid} is tsdenet itself`, 'give the pid of the process to monitor');
  let text: string;
  try {
    text = readFileSync(`${procRoot}/${pid}/stat`, 'latin1');
  } catch (error) {
    throw new AttachError(`no process with pid ${pid} (${errnoOf(error)})`, `check the pid, e.g. with: ps -p ${pid}`);
  }
  const stat = parseStat(text);
  if (!stat || !isLiveState(stat)) {
    throw new AttachError(
      `process ${pid} has already exited (a zombie waiting for its parent)`,
      `there is nothing left to monitor: give the pid of a running process${stat ? ` (its parent is pid ${stat.ppid})` : ''}`,
    );
  }
  try {
    readFileSync(`${procRoot}/${pid}/io`);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'EACCES' || code === 'EPERM') {
      throw new AttachError(
        `not allowed to observe process ${pid} (${stat.comm}): it belongs to another user`,
        'run tsdenet as the user who owns the process, or as root (sudo)',
      );
    }
    throw new AttachError(`no process with pid ${pid} (${code})`, `check the pid, e.g. with: ps -p ${pid}`);
  }
  return { pid, cmd: readCommandLine(pid, procRoot) ?? [stat.comm], executable: readExecutable(pid, procRoot) };
}
