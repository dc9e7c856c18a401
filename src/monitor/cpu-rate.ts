/**
 * Pure: CPU time as rates that are never impossible.
 *
 * The kernel counts CPU time in clock ticks for /proc (10 ms), so a rate
 * over a short window is coarse, and can exceed what was physically
 * possible: 350 % for a single thread over a 6 ms window. Each window
 * reports at most `cores` (the process's threads, or the machine's online
 * CPUs for the whole tree) times its length; the CPU time above that is
 * carried into the next windows, so the rates add up to the CPU time
 * measured: the carry moves it later and never makes any up (what is still
 * carried when the process or the run ends is not shown as a rate).
 */
/**
 * The shortest window a rate is given for: the kernel counts CPU time in
 * 10 ms clock ticks for /proc, so a shorter window has no rate to give (its
 * CPU time is carried into the next window). Samples are never closer than
 * this, but the first, which follows the fork at once.
 */
export const MIN_WINDOW_MS = 10;

export class CpuRate {
  #reportedSecs: number;

  /** startSecs: CPU time before monitoring began (attach), never reported. */
  constructor(startSecs = 0) {
    this.#reportedSecs = startSecs;
  }

  /**
   * The rate over a window (top's convention: one busy core = 100), given
   * the cumulative CPU time now; 0 for a window too short to measure over,
   * whose CPU time then goes to the next window.
   */
  next(cpuSecs: number, windowSecs: number, cores: number): number {
    if (windowSecs * 1000 < MIN_WINDOW_MS) return 0;
    const reported = Math.min(Math.max(0, cpuSecs - this.#reportedSecs), Math.max(0, cores) * windowSecs);
    this.#reportedSecs += reported;
    return Math.round((reported / windowSecs) * 100 * 100) / 100;
  }

  /** CPU time measured and not yet reported as a rate (carried into later windows). */
  carriedSecs(cpuSecs: number): number {
    return Math.max(0, cpuSecs - this.#reportedSecs);
  }
}
