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
/** Resource usage (BTF object only): proc_key, proc_usage, usage_total, tree_count, dump_usage (struct usage: USAGE_KEYS, 8 bytes each). */
export const PROC_KEY_SIZE = 16;
export const PROC_USAGE_SIZE = 112;
export const USAGE_TOTAL_SIZE = 80;
export const TREE_COUNT_SIZE = 16;
export const DUMP_USAGE_SIZE = 104;

const DUMP_TASK = 1;
const DUMP_COUNT = 2;
const DUMP_USAGE = 3;

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

/** A thread's or a process's own resource usage, as the kernel accounts it (struct usage). */
export interface Usage {
  /** CPU time, user + system (se.sum_exec_runtime). */
  cpuNs: number;
  /** Bytes read and written through syscalls (read, write, sendfile, ...: /proc/PID/io rchar, wchar). */
  rcharBytes: number;
  wcharBytes: number;
  /** Bytes fetched from and sent to storage (/proc/PID/io read_bytes, write_bytes, cancelled_write_bytes). */
  readBytes: number;
  writeBytes: number;
  cancelledWriteBytes: number;
  minorFaults: number;
  majorFaults: number;
}

/** struct usage's fields, in the C struct's order (bpf/syscount.h): one u64 each. */
export const USAGE_KEYS = ['cpuNs', 'rcharBytes', 'wcharBytes', 'readBytes', 'writeBytes', 'cancelledWriteBytes', 'minorFaults', 'majorFaults'] as const satisfies readonly (keyof Usage)[];

export function zeroUsage(): Usage {
  return { cpuNs: 0, rcharBytes: 0, wcharBytes: 0, readBytes: 0, writeBytes: 0, cancelledWriteBytes: 0, minorFaults: 0, majorFaults: 0 };
}

/** Where a process's peak RSS came from (bpf/syscount.h RSS_*). */
export const RSS_SOURCES = { 1: 'vmhwm', 2: 'maxrss' } as const;
export type RssSource = (typeof RSS_SOURCES)[keyof typeof RSS_SOURCES];

/** A proc_usage entry: one process of the tree, with the summed usage of its ended threads. */
export interface ProcUsageEntry {
  tgid: number;
  /** The group leader's start_boottime (ns); bigint, as boottime passes 2^53 ns after 104 days. */
  startNs: bigint;
  usage: Usage;
  threads: number;
  /** Threads not yet finalised; 0: the process has ended and its values are final. */
  liveThreads: number;
  peakRssPages: number;
  rssSource?: RssSource;
  ppid: number;
  comm: string;
}

/** A dump_usage record: a tracked thread not yet finalised, with its own usage so far. */
export interface ThreadUsage {
  tgid: number;
  tid: number;
  ppid: number;
  startNs: bigint;
  usage: Usage;
  /** Its group leader's name. */
  comm: string;
}

export interface UsageTotal {
  /** Summed usage of every ended thread of the tree. */
  usage: Usage;
  threads: number;
  lostProcesses: number;
}

export interface TreeCount {
  processes: number;
  threads: number;
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

/** struct usage at offset. */
export function decodeUsage(buf: Buffer, offset = 0): Usage {
  const usage = zeroUsage();
  USAGE_KEYS.forEach((key, i) => (usage[key] = u64(buf, offset + 8 * i)));
  return usage;
}

/**
 * Records of the task iterator, of two sizes: a DUMP_USAGE record (104
 * bytes) per thread not yet finalised; for each counting thread a DUMP_TASK
 * header (40 bytes), then a DUMP_COUNT record (40 bytes) per counter. A torn
 * or unknown tail ends the walk.
 */
export function decodeDump(buf: Buffer): { tasks: TaskEntry[]; counts: CountEntry[]; usage: ThreadUsage[] } {
  const tasks: TaskEntry[] = [];
  const counts: CountEntry[] = [];
  const usage: ThreadUsage[] = [];
  for (let off = 0; off + 4 <= buf.length; ) {
    const kind = buf.readUInt32LE(off);
    const size = kind === DUMP_USAGE ? DUMP_USAGE_SIZE : DUMP_RECORD_SIZE;
    if (off + size > buf.length || kind < DUMP_TASK || kind > DUMP_USAGE) break;
    const tgid = buf.readUInt32LE(off + 4);
    const tid = buf.readUInt32LE(off + 8);
    const nrOrPpid = buf.readUInt32LE(off + 12);
    if (kind === DUMP_TASK) {
      tasks.push({ tid, tgid, ppid: nrOrPpid, comm: cString(buf.subarray(off + 24, off + 40)), live: true });
    } else if (kind === DUMP_COUNT) {
      counts.push({ tgid, tid, nr: nrOrPpid, count: u64(buf, off + 16) });
    } else {
      usage.push({
        tgid,
        tid,
        ppid: nrOrPpid,
        startNs: buf.readBigUInt64LE(off + 16),
        usage: decodeUsage(buf, off + 24),
        comm: cString(buf.subarray(off + 88, off + 104)),
      });
    }
    off += size;
  }
  return { tasks, counts, usage };
}

/** Key of proc_usage (to delete an ended process once read). */
export function encodeProcKey(tgid: number, startNs: bigint): Buffer {
  const buf = Buffer.alloc(PROC_KEY_SIZE);
  buf.writeUInt32LE(tgid, 0);
  buf.writeBigUInt64LE(startNs, 8);
  return buf;
}

export function decodeProcUsages(count: number, keys: Buffer, values: Buffer): ProcUsageEntry[] {
  const out: ProcUsageEntry[] = [];
  for (let i = 0; i < count; i++) {
    const k = i * PROC_KEY_SIZE;
    const v = i * PROC_USAGE_SIZE;
    const source = values.readUInt32LE(v + 88);
    const entry: ProcUsageEntry = {
      tgid: keys.readUInt32LE(k),
      startNs: keys.readBigUInt64LE(k + 8),
      usage: decodeUsage(values, v),
      threads: u64(values, v + 64),
      liveThreads: u64(values, v + 72),
      peakRssPages: u64(values, v + 80),
      ppid: values.readUInt32LE(v + 92),
      comm: cString(values.subarray(v + 96, v + 112)),
    };
    if (source === 1 || source === 2) entry.rssSource = RSS_SOURCES[source];
    out.push(entry);
  }
  return out;
}

/** The per-CPU usage_total value (one 80-byte slot per possible CPU), summed. */
export function decodeUsageTotal(buf: Buffer): UsageTotal {
  const total: UsageTotal = { usage: zeroUsage(), threads: 0, lostProcesses: 0 };
  for (let off = 0; off + USAGE_TOTAL_SIZE <= buf.length; off += USAGE_TOTAL_SIZE) {
    addUsage(total.usage, decodeUsage(buf, off));
    total.threads += u64(buf, off + 64);
    total.lostProcesses += u64(buf, off + 72);
  }
  return total;
}

/** Adds b into a, field by field. */
export function addUsage(a: Usage, b: Usage): Usage {
  for (const key of USAGE_KEYS) a[key] += b[key];
  return a;
}

export function decodeTreeCount(buf: Buffer): TreeCount {
  return { processes: u64(buf, 0), threads: u64(buf, 8) };
}

export function encodeTreeCount(c: TreeCount): Buffer {
  const buf = Buffer.alloc(TREE_COUNT_SIZE);
  buf.writeBigUInt64LE(BigInt(c.processes), 0);
  buf.writeBigUInt64LE(BigInt(c.threads), 8);
  return buf;
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

/** A live entry of the classic program's tracked map. */
export interface TrackedEntry {
  /** The map's key: the thread's id in the initial pid namespace. */
  globalTid: number;
  /** Ids as tsdenet reports them; tgid 0 until the thread's first counted call. */
  tid: number;
  tgid: number;
}

export function decodeTracked(count: number, keys: Buffer, values: Buffer): TrackedEntry[] {
  const out: TrackedEntry[] = [];
  for (let i = 0; i < count; i++) {
    const v = i * TRACKED_TASK_SIZE;
    out.push({ globalTid: keys.readUInt32LE(i * 4), tid: values.readUInt32LE(v + 16), tgid: values.readUInt32LE(v + 20) });
  }
  return out;
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
