/**
 * Pure: the kernel's own accounting of the tree (eBPF, tp_btf: each thread's
 * CPU time, I/O and faults taken at its last context switch, see
 * bpf/syscount.bpf.c), in the monitor's units, looked up per process.
 *
 * Where it is there, it replaces what /proc can only approximate: a
 * process's own counters (/proc/PID/io includes what it reaped), CPU time in
 * ns (/proc has 10 ms ticks), the final values of a process that lived a
 * millisecond, and how many processes and threads ran at once.
 */
import type { ProcessUsage, TreeUsage, Usage } from '../bpf/counter.js';
import type { Counters } from './counters.js';

/** Usage → the monitor's counters, CPU time in (fractional) clock ticks. */
export function countersOfUsage(u: Usage, clockTicks: number): Counters {
  return {
    cpuTicks: (u.cpuNs * clockTicks) / 1e9,
    rchar: u.rcharBytes,
    wchar: u.wcharBytes,
    readBytes: u.readBytes,
    writeBytes: u.writeBytes,
    minflt: u.minorFaults,
    majflt: u.majorFaults,
  };
}

/** What ran in a window beyond the processes the sample reads running. */
export interface WindowPeaks {
  /** Processes and threads above those running at the sample, at the window's busiest moment. */
  processes: number;
  threads: number;
  /** The largest peak RSS of a process that ended in the window (0: none ended). */
  peakRssKb: number;
}

export class KernelUsage {
  readonly #byKey = new Map<string, ProcessUsage>();
  readonly usage: TreeUsage;

  constructor(usage: TreeUsage) {
    this.usage = usage;
    for (const p of usage.processes) this.#byKey.set(`${p.pid}@${p.startTicks}`, p);
  }

  /** A process by pid and /proc start time (its identity: a recycled pid is another process). */
  process(pid: number, startTicks: number): ProcessUsage | undefined {
    return this.#byKey.get(`${pid}@${startTicks}`);
  }

  /** The earliest-started process with this pid (one never read from /proc: the command that ended unseen). */
  firstWithPid(pid: number): ProcessUsage | undefined {
    return this.usage.processes.find((p) => p.pid === pid);
  }

  /** Beyond `running` processes and `threads`: the window's peaks, and the largest peak RSS of what ended in it. */
  windowPeaks(running: number, threads: number): WindowPeaks {
    let peakRssKb = 0;
    for (const p of this.usage.processes) if (p.ended) peakRssKb = Math.max(peakRssKb, p.peakRssKb ?? 0);
    return {
      processes: Math.max(0, this.usage.peak.processes - running),
      threads: Math.max(0, this.usage.peak.threads - threads),
      peakRssKb,
    };
  }
}
