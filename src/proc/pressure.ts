/**
 * Pure parsers for memory pressure (PSI): a `pressure/memory` or cgroup
 * `memory.pressure` file, the cgroup v2 line of /proc/<pid>/cgroup and
 * where cgroup v2 is mounted (/proc/self/mountinfo).
 */

export interface PsiMem {
  /** Percent of the last 10 s in which some task (some) / every task (full) waited for memory, as the kernel prints it (0-100). */
  some_avg10: number;
  full_avg10: number;
}

/** `some avg10=0.12 avg60=… total=…` / `full avg10=…`; undefined when the `some` line is missing. */
export function parsePressure(text: string): PsiMem | undefined {
  const avg10 = (kind: string): number | undefined => {
    const m = new RegExp(`^${kind} avg10=([0-9.]+)`, 'm').exec(text);
    return m ? Number(m[1]) : undefined;
  };
  const some = avg10('some');
  if (some === undefined) return undefined;
  // Before Linux 5.13 the system-wide cpu file had no full line; memory always has it.
  return { some_avg10: some, full_avg10: avg10('full') ?? 0 };
}

/** The cgroup v2 path of a process (`0::/user.slice/…`), or undefined when it is in no v2 hierarchy. */
export function cgroupV2Path(procCgroup: string): string | undefined {
  const line = procCgroup.split('\n').find((l) => l.startsWith('0::'));
  return line === undefined ? undefined : line.slice(3);
}

/** The mount point of the cgroup v2 hierarchy (/sys/fs/cgroup, or /sys/fs/cgroup/unified on hybrid systems). */
export function cgroup2MountPoint(mountinfo: string): string | undefined {
  for (const line of mountinfo.split('\n')) {
    const [before, after] = line.split(' - ');
    if (after?.split(' ')[0] === 'cgroup2') return before?.split(' ')[4];
  }
  return undefined;
}
