/**
 * Pure parser of /proc/self/auxv: the page size and clock tick rate the
 * kernel gave this process (what sysconf(_SC_PAGESIZE / _SC_CLK_TCK)
 * returns), without a native call.
 */

const AT_PAGESZ = 6;
const AT_CLKTCK = 17;

export interface SystemConstants {
  pageSize: number;
  /** USER_HZ: the unit of the CPU times in /proc/<pid>/stat. */
  clockTicks: number;
}

/** Reads (type, value) pairs of native word size until AT_NULL. */
export function parseAuxv(data: Buffer, wordBytes = 8, littleEndian = true): Map<number, number> {
  const entries = new Map<number, number>();
  for (let off = 0; off + 2 * wordBytes <= data.length; off += 2 * wordBytes) {
    const read = (at: number): number =>
      wordBytes === 8
        ? Number(littleEndian ? data.readBigUInt64LE(at) : data.readBigUInt64BE(at))
        : littleEndian ? data.readUInt32LE(at) : data.readUInt32BE(at);
    const type = read(off);
    if (type === 0) break;
    entries.set(type, read(off + wordBytes));
  }
  return entries;
}

/** Page size and clock ticks from auxv entries, with Linux's usual values as fallback. */
export function systemConstantsFrom(auxv: Map<number, number>): SystemConstants {
  return { pageSize: auxv.get(AT_PAGESZ) || 4096, clockTicks: auxv.get(AT_CLKTCK) || 100 };
}
