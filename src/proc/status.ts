/** Pure readers of single fields of /proc/<pid>/status. */

/** The raw value of `Name:` in a status file, trimmed; undefined when absent. */
export function statusField(text: string, name: string): string | undefined {
  const key = `${name}:`;
  let start = 0;
  if (!text.startsWith(key)) {
    const at = text.indexOf(`\n${key}`);
    if (at < 0) return undefined;
    start = at + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start + key.length, end < 0 ? undefined : end).trim();
}

const SIGCHLD = 17;

/**
 * Whether the process ignores SIGCHLD: its children are then reaped by the
 * kernel and their CPU time and I/O are not added to the process's own.
 */
export function ignoresSigchld(statusText: string): boolean {
  const mask = statusField(statusText, 'SigIgn');
  if (mask === undefined || !/^[0-9a-f]+$/i.test(mask)) return false;
  return ((BigInt(`0x${mask}`) >> BigInt(SIGCHLD - 1)) & 1n) === 1n;
}
