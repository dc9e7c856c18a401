/**
 * Pure parser of /proc/<pid>/io. For a process the kernel sums its live
 * threads, its exited threads and the children it has reaped, recursively
 * (wait_task_zombie adds the child's counters to the parent's).
 */

export interface ProcIo {
  /** Bytes passed to read-like / write-like syscalls (page cache included). */
  rchar: number;
  wchar: number;
  /** Bytes the block layer read / was asked to write. */
  readBytes: number;
  writeBytes: number;
}

/** The number after `key: ` in text, NaN when absent. */
function field(text: string, key: string): number {
  const at = text.startsWith(key) ? 0 : text.indexOf(`\n${key}`) + 1;
  if (at === 0 && !text.startsWith(key)) return NaN;
  const end = text.indexOf('\n', at);
  return Number(text.slice(at + key.length, end < 0 ? undefined : end));
}

/** Parses the text of /proc/<pid>/io; undefined when a field is missing. */
export function parseIo(text: string): ProcIo | undefined {
  const io: ProcIo = {
    rchar: field(text, 'rchar:'),
    wchar: field(text, 'wchar:'),
    readBytes: field(text, 'read_bytes:'),
    writeBytes: field(text, 'write_bytes:'),
  };
  return Number.isFinite(io.rchar) && Number.isFinite(io.wchar) && Number.isFinite(io.readBytes) && Number.isFinite(io.writeBytes)
    ? io
    : undefined;
}
