/**
 * What tsdenet itself has absorbed from the children it reaped: under
 * `run`, the command is tsdenet's only child, so these counters carry the
 * command's last moments after its final /proc reading, and the whole of a
 * command that ended before any sample could read it.
 */
import { readdirSync } from 'node:fs';
import { childrenUsage } from '../ffi/libc.js';
import { parseIo, type ProcIo } from '../proc/io.js';
import { readText } from '../proc/proc-file.js';
import { parseStat } from '../proc/stat.js';
import { zeroCounters, type Counters } from './counters.js';

export interface ReaperReading {
  counters: Counters;
  /** The largest peak RSS of one reaped process (ru_maxrss), when known. */
  maxRssKb?: number;
}

/** CPU time and faults: getrusage's µs; /proc/self/stat's 10 ms ticks when libc cannot be bound. */
function cpuAndFaults(counters: Counters, clockTicks: number, procRoot: string): number | undefined {
  try {
    const usage = childrenUsage();
    counters.cpuTicks = usage.cpuSecs * clockTicks;
    counters.minflt = usage.minorFaults;
    counters.majflt = usage.majorFaults;
    return usage.maxRssKb;
  } catch {
    const stat = parseStat(readText(`${procRoot}/self/stat`) ?? '');
    if (stat) {
      counters.cpuTicks = stat.cutime + stat.cstime;
      counters.minflt = stat.cminflt;
      counters.majflt = stat.cmajflt;
    }
    return undefined;
  }
}

/**
 * /proc/self/io sums tsdenet's live threads, its exited threads and its
 * reaped children; the children's part is the whole minus the live threads
 * (read after the whole, so concurrent I/O of tsdenet lowers, never raises,
 * the result).
 */
function reapedIo(counters: Counters, procRoot: string): void {
  const whole = parseIo(readText(`${procRoot}/self/io`) ?? '');
  if (!whole) return;
  const threads: ProcIo = { rchar: 0, wchar: 0, readBytes: 0, writeBytes: 0 };
  let tids: string[] = [];
  try {
    tids = readdirSync(`${procRoot}/self/task`);
  } catch {
    return;
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
}

/**
 * The counters when monitoring begins. tsdenet normally has reaped no
 * child yet (it starts none before the command): then they are zero and
 * libc (koffi, ~16 ms to load) is not needed before the command has ended.
 * /proc/self/stat's cminflt tells: any process that ran took page faults.
 */
export function reapedChildrenAtStart(clockTicks: number, procRoot = '/proc'): ReaperReading {
  const stat = parseStat(readText(`${procRoot}/self/stat`) ?? '');
  if (stat && stat.cminflt === 0 && stat.cmajflt === 0 && stat.cutime === 0 && stat.cstime === 0) {
    const counters = zeroCounters();
    reapedIo(counters, procRoot);
    return { counters, maxRssKb: 0 };
  }
  return readReapedChildren(clockTicks, procRoot);
}

/** tsdenet's reaped-children counters now (CPU in clock ticks, fractional when from getrusage). */
export function readReapedChildren(clockTicks: number, procRoot = '/proc'): ReaperReading {
  const counters = zeroCounters();
  const maxRssKb = cpuAndFaults(counters, clockTicks, procRoot);
  reapedIo(counters, procRoot);
  return { counters, maxRssKb };
}
