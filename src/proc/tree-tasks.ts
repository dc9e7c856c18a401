/**
 * The threads of a process tree as /proc shows them now: to seed the
 * classic-tracepoint counter on attach (the BTF counter walks the tree in
 * the kernel instead) and to open perf counters on every thread of an
 * attached tree.
 */
import { readdirSync } from 'node:fs';
import { readText } from './proc-file.js';
import { parseStat } from './stat.js';
import { statusField } from './status.js';

export interface TreeTask {
  tid: number;
  tgid: number;
  /** The process's parent (tgid), for the report. */
  ppid: number;
}

/** undefined when the process exited meanwhile. */
function ppidOf(pid: number, procRoot: string): number | undefined {
  return parseStat(readText(`${procRoot}/${pid}/stat`) ?? '')?.ppid;
}

function numericEntries(dir: string): number[] {
  try {
    return readdirSync(dir).filter((n) => /^\d+$/.test(n)).map(Number);
  } catch {
    return [];
  }
}

/** The threads of one process (none when it has exited). */
export function threadIds(pid: number, procRoot = '/proc'): number[] {
  return numericEntries(`${procRoot}/${pid}/task`);
}

/** Every thread of rootPid and of its descendants at any depth. */
export function listTreeTasks(rootPid: number, procRoot = '/proc'): TreeTask[] {
  const children = new Map<number, number[]>();
  const parentOf = new Map<number, number>();
  for (const pid of numericEntries(procRoot)) {
    const ppid = ppidOf(pid, procRoot);
    if (ppid === undefined) continue;
    parentOf.set(pid, ppid);
    children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  }
  const tasks: TreeTask[] = [];
  const queue = [rootPid];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const tid of threadIds(pid, procRoot)) tasks.push({ tid, tgid: pid, ppid: parentOf.get(pid) ?? 0 });
    queue.push(...(children.get(pid) ?? []));
  }
  return tasks;
}

/** The process a thread belongs to, from /proc/TID/status (undefined: it has exited). */
export function tgidOfThread(tid: number, procRoot = '/proc'): number | undefined {
  const tgid = Number(statusField(readText(`${procRoot}/${tid}/status`) ?? '', 'Tgid'));
  return Number.isInteger(tgid) && tgid > 0 ? tgid : undefined;
}
