/**
 * What tsdenet itself has absorbed from the children it reaped: under
 * `run`, the command is tsdenet's only child, so these counters carry the
 * command's last moments after its final /proc reading.
 */
import { readdirSync } from 'node:fs';
import { parseIo, type ProcIo } from '../proc/io.js';
import { readText } from '../proc/proc-file.js';
import { parseStat } from '../proc/stat.js';
import { zeroCounters, type Counters } from './counters.js';

/**
 * /proc/self/io sums tsdenet's live threads, its exited threads and its
 * reaped children; the children's part is the whole minus the live threads
 * (read after the whole, so concurrent I/O of tsdenet lowers, never raises,
 * the result).
 */
export function readReapedChildren(procRoot = '/proc'): Counters {
  const counters = zeroCounters();
  const stat = parseStat(readText(`${procRoot}/self/stat`) ?? '');
  if (stat) {
    counters.cpuTicks = stat.cutime + stat.cstime;
    counters.minflt = stat.cminflt;
    counters.majflt = stat.cmajflt;
  }
  const whole = parseIo(readText(`${procRoot}/self/io`) ?? '');
  if (!whole) return counters;
  const threads: ProcIo = { rchar: 0, wchar: 0, readBytes: 0, writeBytes: 0 };
  let tids: string[] = [];
  try {
    tids = readdirSync(`${procRoot}/self/task`);
  } catch {
    return counters;
  }
  for (const tid of tids) {
    const io = parseIo(readText(`${procRoot}/self/task/${tid}/io`) ?? '');
    if (!io) continue;
    threads.rchar += io.rchar;
    threads.wchar += io.wchar;
    threads.readBytes += io.readBytes;
    threads.writeBytes += io.writeBytes;
  }
  counters.rchar = Math.max(0, whole.rchar - threads.rchar);
  counters.wchar = Math.max(0, whole.wchar - threads.wchar);
  counters.readBytes = Math.max(0, whole.readBytes - threads.readBytes);
  counters.writeBytes = Math.max(0, whole.writeBytes - threads.writeBytes);
  return counters;
}
