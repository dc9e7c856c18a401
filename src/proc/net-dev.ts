/**
 * Pure parser of /proc/<pid>/net/dev: the totals of the process's network
 * namespace, all interfaces but loopback (denet's sys_net_* fields).
 */

export interface NetTotals {
  rxBytes: number;
  txBytes: number;
}

/** Sums received (column 1) and sent (column 9) bytes over non-`lo` interfaces. */
export function parseNetDev(text: string): NetTotals {
  let rxBytes = 0;
  let txBytes = 0;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    if (name === 'lo' || name.includes('|')) continue;
    const cols = line.slice(colon + 1).trim().split(/\s+/);
    const rx = Number(cols[0]);
    const tx = Number(cols[8]);
    if (Number.isFinite(rx)) rxBytes += rx;
    if (Number.isFinite(tx)) txBytes += tx;
  }
  return { rxBytes, txBytes };
}
