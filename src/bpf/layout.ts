/**
 * Pure encoders/decoders for the structs in bpf/syscount.h. Little-endian:
 * the objects are built for bpfel (x86_64 and arm64).
 */
export const COUNT_KEY_SIZE = 16;
export const COUNT_VALUE_SIZE = 8;
export const TASK_INFO_SIZE = 24;
export const CONFIG_SIZE = 32;
export const TRACKED_TASK_SIZE = 16;
export const STATS_SIZE = 32;
export const DUMP_RECORD_SIZE = 40;

const DUMP_TASK = 1;
const DUMP_COUNT = 2;

export interface CountEntry {
  tgid: number;
  tid: number;
  nr: number;
  count: number;
}

export interface TaskEntry {
  tid: number;
  tgid: number;
  ppid: number;
  comm: string;
  /** Still running when read (from the task iterator). */
  live?: boolean;
}

export interface CounterConfig {
  spawnerTid: number;
  armed: boolean;
  nrExecve: number;
  nrExecveat: number;
  /** execve calls of the spawned command not counted (those of a wrapper such as setpriv). */
  skipExecs: number;
  /** attach: the process whose tree seed_tasks marks (0: none). */
  seedTgid: number;
  /** tsdenet's own pid: never tracked. */
  selfTgid: number;
}

export interface CounterStats {
  droppedCalls: number;
  lostTasks: number;
  lostTaskInfo: number;
}

function cString(buf: Buffer): string {
  const end = buf.indexOf(0);
  return buf.subarray(0, end === -1 ? buf.length : end).toString('utf8');
}

/** u64 counters become numbers: exact below 2^53, far beyond any run. */
function u64(buf: Buffer, offset: number): number {
  return Number(buf.readBigUInt64LE(offset));
}

export function decodeCounts(count: number, keys: Buffer, values: Buffer): CountEntry[] {
  const out: CountEntry[] = [];
  for (let i = 0; i < count; i++) {
    const k = i * COUNT_KEY_SIZE;
    out.push({
      tgid: keys.readUInt32LE(k),
      tid: keys.readUInt32LE(k + 4),
      nr: keys.readUInt32LE(k + 8),
      count: u64(values, i * COUNT_VALUE_SIZE),
    });
  }
  return out;
}

export function decodeTasks(count: number, keys: Buffer, values: Buffer): TaskEntry[] {
  const out: TaskEntry[] = [];
  for (let i = 0; i < count; i++) {
    const v = i * TASK_INFO_SIZE;
    out.push({
      tid: keys.readUInt32LE(i * 4),
      tgid: values.readUInt32LE(v),
      ppid: values.readUInt32LE(v + 4),
      comm: cString(values.subarray(v + 8, v + 24)),
    });
  }
  return out;
}

/** Records of the task iterator: a DUMP_TASK header per live thread, then its counters. */
export function decodeDump(buf: Buffer): { tasks: TaskEntry[]; counts: CountEntry[] } {
  const tasks: TaskEntry[] = [];
  const counts: CountEntry[] = [];
  for (let off = 0; off + DUMP_RECORD_SIZE <= buf.length; off += DUMP_RECORD_SIZE) {
    const kind = buf.readUInt32LE(off);
    const tgid = buf.readUInt32LE(off + 4);
    const tid = buf.readUInt32LE(off + 8);
    const nrOrPpid = buf.readUInt32LE(off + 12);
    if (kind === DUMP_TASK) {
      tasks.push({ tid, tgid, ppid: nrOrPpid, comm: cString(buf.subarray(off + 24, off + 40)), live: true });
    } else if (kind === DUMP_COUNT) {
      counts.push({ tgid, tid, nr: nrOrPpid, count: u64(buf, off + 16) });
    }
  }
  return { tasks, counts };
}

export function encodeConfig(c: CounterConfig): Buffer {
  const buf = Buffer.alloc(CONFIG_SIZE);
  buf.writeUInt32LE(c.spawnerTid, 0);
  buf.writeUInt32LE(c.armed ? 1 : 0, 4);
  buf.writeInt32LE(c.nrExecve, 8);
  buf.writeInt32LE(c.nrExecveat, 12);
  buf.writeUInt32LE(c.skipExecs, 16);
  buf.writeUInt32LE(c.seedTgid, 20);
  buf.writeUInt32LE(c.selfTgid, 24);
  return buf;
}

export function decodeStats(buf: Buffer): CounterStats {
  return { droppedCalls: u64(buf, 0), lostTasks: u64(buf, 8), lostTaskInfo: u64(buf, 16) };
}

/** Key 0 of the one-entry array maps (config, stats). */
export function zeroKey(): Buffer {
  return Buffer.alloc(4);
}

/** Value of the classic program's tracked map (key: tid): a task of the tree. */
export function encodeTrackedTask(ppid: number): Buffer {
  const buf = Buffer.alloc(TRACKED_TASK_SIZE);
  buf.writeUInt32LE(2, 0); // TASK_TRACKED
  buf.writeUInt32LE(ppid, 4);
  return buf;
}
