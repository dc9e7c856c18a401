/**
 * Names, parents and command lines of the tree's processes still running
 * when the counts are read: the classic-tracepoint program records a
 * thread's name only when it exits, and argv is known only while a
 * process lives (an exited pid may already belong to someone else).
 */
import type { CountSnapshot } from '../bpf/counter.js';
import { readText } from '../proc/proc-file.js';
import { readCommandLine } from '../proc/process-info.js';
import { parseStat } from '../proc/stat.js';

/** Adds a /proc description for every counted process the snapshot has no task record of. */
export function addMissingLiveTasks(snapshot: CountSnapshot): void {
  const known = new Set(snapshot.tasks.map((t) => t.tid));
  for (const tgid of new Set(snapshot.counts.map((c) => c.tgid))) {
    if (known.has(tgid)) continue;
    const stat = parseStat(readText(`/proc/${tgid}/stat`) ?? '');
    if (stat) snapshot.tasks.push({ tid: tgid, tgid, ppid: stat.ppid, comm: stat.comm, live: true });
  }
}

/**
 * argv by pid: the given ones, plus every process of the snapshot still
 * alive (read now: the latest), plus what the samples read of the others
 * (`sampled`: processes that ended, seen running by a sample).
 */
export function liveCommandLines(snapshot: CountSnapshot | undefined, known: ReadonlyMap<number, string[]>, sampled: ReadonlyMap<number, string[]> = new Map()): Map<number, string[]> {
  const argvByPid = new Map(known);
  for (const task of snapshot?.tasks ?? []) {
    if (task.live && task.tid === task.tgid && !argvByPid.has(task.tgid)) {
      const argv = readCommandLine(task.tgid);
      if (argv) argvByPid.set(task.tgid, argv);
    }
  }
  for (const [pid, argv] of sampled) if (!argvByPid.has(pid)) argvByPid.set(pid, argv);
  return argvByPid;
}
