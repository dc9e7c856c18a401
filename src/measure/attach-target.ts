/**
 * `attach PID`: is there such a process, and may we watch it? Checked
 * before anything starts, so the error is one clear line (exit 1).
 */
import { readFileSync } from 'node:fs';
import { readProcCredentials, type ProcCredentials } from '../privileges/proc-status.js';
import { lookupUser } from '../privileges/users.js';
import { readCommandLine, readExecutable } from '../proc/process-info.js';
import { isLiveState, parseStat } from '../proc/stat.js';
import { AttachError, explainIoDenied, type Identity } from './attach-denied.js';

export { AttachError } from './attach-denied.js';

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
    if (code === 'EACCES' || code === 'EPERM') throw ioDenied(pid, stat.comm, `${procRoot}/${pid}/io`, code, procRoot);
    throw new AttachError(`no process with pid ${pid} (${code})`, `check the pid, e.g. with: ps -p ${pid}`);
  }
  return { pid, cmd: readCommandLine(pid, procRoot) ?? [stat.comm], executable: readExecutable(pid, procRoot) };
}

function identityOf(credentials: ProcCredentials): Identity {
  return { uid: credentials.uid, gid: credentials.gid, name: lookupUser(String(credentials.uid.effective))?.name };
}

/** What failed and why: tsdenet's credentials and the process's, as the kernel compares them. */
function ioDenied(pid: number, comm: string, file: string, errno: string, procRoot: string): AttachError {
  const self = readProcCredentials('self');
  let target: ProcCredentials | undefined;
  try {
    target = readProcCredentials(pid, procRoot);
  } catch {
    // hidepid, or it has just exited: explained without its credentials.
  }
  return explainIoDenied({
    pid,
    comm,
    file,
    errno,
    self: { ...identityOf(self), effective: self.caps.effective },
    target: target && { ...identityOf(target), permitted: target.caps.permitted },
  });
}
