/** Pure parser of /proc/uptime. */

/** Seconds since boot (first field); NaN when unreadable. */
export function parseUptime(text: string): number {
  return Number(text.slice(0, text.indexOf(' ')));
}
