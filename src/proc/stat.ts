/**
 * Pure parser of /proc/<pid>/stat (proc(5)). The command name may hold
 * spaces and parentheses, so fields are counted after the last ')'.
 */

export interface ProcStat {
  pid: number;
  comm: string;
  /** R, S, D, Z, T, t, X, I … */
  state: string;
  ppid: number;
  /** Own minor / major faults (all threads, live and exited). */
  minflt: number;
  majflt: number;
  /** Faults of reaped (waited-for) children, recursively. */
  cminflt: number;
  cmajflt: number;
  /** CPU time in clock ticks: own, and of reaped children. */
  utime: number;
  stime: number;
  cutime: number;
  cstime: number;
  numThreads: number;
  /** Start time in clock ticks after boot. */
  starttime: number;
  vsizeBytes: number;
  rssPages: number;
  /** CPU the process last ran on, null when the kernel does not say. */
  processor: number | null;
}

/**
 * The name is bytes the program chose (usually UTF-8), while the file is
 * read one char per byte (latin1, proc-file.ts): decoded as UTF-8 here, with
 * U+FFFD for bytes that are not, as everywhere in the JSON records ("café"
 * was reported as "cafÃ©").
 */
function decodeName(raw: string): string {
  return /[\x80-\xff]/.test(raw) ? Buffer.from(raw, 'latin1').toString('utf8') : raw;
}

/** Parses the text of /proc/<pid>/stat, read as latin1; undefined when it is not one. */
export function parseStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) return undefined;
  // f[0] is field 3 (state) of proc(5): field n is f[n - 3].
  const f = text.slice(close + 2).split(' ');
  if (f.length < 22) return undefined;
  const n = (i: number): number => Number(f[i]);
  const processor = f.length > 36 ? Number(f[36]) : NaN;
  const stat: ProcStat = {
    pid: Number(text.slice(0, open - 1)),
    comm: decodeName(text.slice(open + 1, close)),
    state: f[0] ?? '?',
    ppid: n(1),
    minflt: n(7),
    cminflt: n(8),
    majflt: n(9),
    cmajflt: n(10),
    utime: n(11),
    stime: n(12),
    cutime: n(13),
    cstime: n(14),
    numThreads: n(17),
    starttime: n(19),
    vsizeBytes: n(20),
    rssPages: n(21),
    processor: Number.isInteger(processor) ? processor : null,
  };
  return Number.isInteger(stat.pid) && Number.isInteger(stat.ppid) && Number.isFinite(stat.utime) ? stat : undefined;
}

/** Whether the process still runs: neither a zombie waiting for its parent nor dead. */
export function isLiveState(stat: ProcStat): boolean {
  return stat.state !== 'Z' && stat.state !== 'X';
}
