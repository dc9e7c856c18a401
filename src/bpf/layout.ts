/**
 * Pure encoders/decoders for the structs in bpf/syscount.h. Little-endian:
 * the objects are built for bpfel (x86_64 and arm64).
 */
export const COUNT_KEY_SIZE = 16;
export const COUNT_VALUE_SIZE = 8;
export const TASK_INFO_SIZE = 24;
export const CONFIG_SIZE = 56;
export const TRACKED_TASK_SIZE = 40;
export const ERROR_KEY_SIZE = 16;
export const LATENCY_BUCKETS = 32;
export const LATENCY_SIZE = 32 + 8 * LATENCY_BUCKETS;
export const FILTER_SIZE = 1024;
export const NR_SLOTS = 1024;
export const SLOT_TOTALS_SIZE = 8 * NR_SLOTS;

/** config.features bits (bpf/syscount.h FEAT_*). */
export const FEATURES = { errors: 1, latency: 2, filter: 4, compat: 8 } as const;
/** Slots: ia32 calls on x86_64 are counted at 512 + nr; x32 calls carry bit 30. */
export const COMPAT_BASE = 512;
export const X32_BIT = 0x40000000;
/** /proc/self/ns/pid's inode in the initial pid namespace (PROC_PID_INIT_INO). */
export const INIT_PID_NS_INO = 0xeffffffc;
const NO_NR = 0xffffffff;
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
  /** FEATURES bits. */
  features: number;
  /** st_dev and st_ino of tsdenet's /proc/self/ns/pid: pids are reported as seen from there. */
  nsDev: number;
  nsIno: number;
  /** Classic tracepoints on x86_64: offset of thread_info.status in task_struct (0: unknown). */
  ia32StatusOffset: number;
}

export interface CounterStats {
  droppedCalls: number;
  lostTasks: number;
  lostTaskInfo: number;
  lostErrors: number;
}

export interface ErrorEntry {
  tgid: number;
  nr: number;
  errno: number;
  count: number;
}

export interface LatencyEntry {
  nr: number;
  count: number;
  totalNs: number;
  maxNs: number;
  /** hist[b]: calls that took [2^b, 2^(b+1)) ns. */
  hist: number[];
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
  buf.writeUInt32LE(c.features, 28);
  buf.writeBigUInt64LE(BigInt(c.nsDev), 32);
  buf.writeUInt32LE(c.nsIno, 40);
  // 44: seed_global_tgid, found by the seed iterator.
  buf.writeUInt32LE(c.ia32StatusOffset, 48);
  return buf;
}

export function decodeStats(buf: Buffer): CounterStats {
  return { droppedCalls: u64(buf, 0), lostTasks: u64(buf, 8), lostTaskInfo: u64(buf, 16), lostErrors: u64(buf, 24) };
}

/** seed_global_tgid from a config value read back from the map. */
export function decodeSeedGlobalTgid(config: Buffer): number {
  return config.readUInt32LE(44);
}

export function decodeErrors(count: number, keys: Buffer, values: Buffer): ErrorEntry[] {
  const out: ErrorEntry[] = [];
  for (let i = 0; i < count; i++) {
    const k = i * ERROR_KEY_SIZE;
    out.push({ tgid: keys.readUInt32LE(k), nr: keys.readUInt32LE(k + 4), errno: keys.readUInt32LE(k + 8), count: u64(values, i * 8) });
  }
  return out;
}

/** Per-CPU latency values: one struct latency per possible CPU, summed (max: the largest). */
export function decodeLatency(count: number, keys: Buffer, values: Buffer, cpus: number): LatencyEntry[] {
  const out: LatencyEntry[] = [];
  for (let i = 0; i < count; i++) {
    const entry: LatencyEntry = { nr: keys.readUInt32LE(i * 4), count: 0, totalNs: 0, maxNs: 0, hist: new Array<number>(LATENCY_BUCKETS).fill(0) };
    for (let cpu = 0; cpu < cpus; cpu++) {
      const v = (i * cpus + cpu) * LATENCY_SIZE;
      entry.count += u64(values, v);
      entry.totalNs += u64(values, v + 8);
      entry.maxNs = Math.max(entry.maxNs, u64(values, v + 16));
      for (let b = 0; b < LATENCY_BUCKETS; b++) entry.hist[b]! += u64(values, v + 32 + 8 * b);
    }
    out.push(entry);
  }
  return out;
}

/** The syscall_filter value: allow[slot] = 1 for each slot to count. */
export function encodeFilter(slots: Iterable<number>): Buffer {
  const buf = Buffer.alloc(FILTER_SIZE);
  for (const slot of slots) if (slot >= 0 && slot < FILTER_SIZE) buf[slot] = 1;
  return buf;
}

/** Key 0 of the one-entry array maps (config, stats). */
export function zeroKey(): Buffer {
  return Buffer.alloc(4);
}

/** Value of the classic program's tracked map (key: tid): a task of the tree. */
export function encodeTrackedTask(t: { tid: number; tgid: number; ppid: number; features: number }): Buffer {
  const buf = Buffer.alloc(TRACKED_TASK_SIZE);
  buf.writeUInt32LE(2, 0); // TASK_TRACKED
  buf.writeUInt32LE(t.ppid, 4);
  buf.writeUInt32LE(t.features, 12);
  buf.writeUInt32LE(t.tid, 16);
  buf.writeUInt32LE(t.tgid, 20);
  buf.writeUInt32LE(NO_NR, 24);
  return buf;
}

/** The slot_totals value: calls per slot (zero slots left out). */
export function decodeSlotTotals(buf: Buffer): Map<number, number> {
  const totals = new Map<number, number>();
  for (let slot = 0; slot < NR_SLOTS; slot++) {
    const n = u64(buf, slot * 8);
    if (n !== 0) totals.set(slot, n);
  }
  return totals;
}
