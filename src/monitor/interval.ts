/** denet's adaptive sampling interval. */

/**
 * The base interval for the first second, then linearly up to the maximum
 * at 10 s, the maximum after that (denet process_monitor.rs).
 */
export function adaptiveIntervalMs(elapsedMs: number, baseMs: number, maxMs: number): number {
  const t = elapsedMs / 1000;
  if (t < 1) return baseMs;
  if (t >= 10) return maxMs;
  return baseMs + ((maxMs - baseMs) * (t - 1)) / 9;
}
