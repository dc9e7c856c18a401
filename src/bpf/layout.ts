/**
 * Pure encoders/decoders for the structs in bpf/syscount.h. Little-endian:
 * the objects are built for bpfel (x86_64 and arm64).
 */
/**
 * Every struct user space shares with the programs (bpf/syscount.h), by its
 * C name: size and each member's [offset, size] in bytes, under the C
 * member's name. The encoders and decoders below read offsets from here
 * only, and test/unit/bpf/btf-layout.test.ts checks this table against the
 * BTF of each committed object (member names, offsets and sizes of every
 * map's key and value), so a layout change in C that is not made here fails
 * a test rather than misreading counts.
 */
export const STRUCTS = {
  count_key: { size: 16, members: { tgid: [0, 4], tid: [4, 4], nr: [8, 4], pad: [12, 4] } },
  task_info: { size: 24, members: { tgid: [0, 4], ppid: [4, 4], comm: [8, 16] } },
  config: {
    size: 32,
    members: { nr_execve: [0, 4], nr_execveat: [4, 4], self_tgid: [8, 4], features: [12, 4], ns_dev: [16, 8], ns_ino: [24, 4], ia32_status_off: [28, 4] },
  },
  spawn: { size: 16, members: { spawner_tid: [0, 4], armed: [4, 4], skip_execs: [8, 4], pad: [12, 4] } },
  seed: { size: 8, members: { tgid: [0, 4], global_tgid: [4, 4] } },
  tracked_task: {
    size: 40,
    members: { state: [0, 4], features: [4, 4], tid: [8, 4], tgid: [12, 4], ppid: [16, 4], skip_execs: [20, 4], cur_slot: [24, 4], pad: [28, 4], enter_ns: [32, 8] },
  },
  stats: { size: 40, members: { dropped_calls: [0, 8], lost_tasks: [8, 8], lost_task_info: [16, 8], lost_errors: [24, 8], count_entries: [32, 8] } },
  error_key: { size: 16, members: { tgid: [0, 4], nr: [4, 4], err: [8, 4], pad: [12, 4] } },
  latency: { size: 288, members: { count: [0, 8], total_ns: [8, 8], max_ns: [16, 8], pad: [24, 8], hist: [32, 256] } },
  slot_totals: { size: 8192, members: { calls: [0, 8192] } },
  syscall_filter: { size: 1024, members: { allow: [0, 1024] } },
  dump_record: { size: 40, members: { kind: [0, 4], tgid: [4, 4], tid: [8, 4], nr_or_ppid: [12, 4], count: [16, 8], comm: [24, 16] } },
  usage: {
    size: 64,
    members: { cpu_ns: [0, 8], rchar: [8, 8], wchar: [16, 8], read_bytes: [24, 8], write_bytes: [32, 8], cancelled_write_bytes: [40, 8], min_flt: [48, 8], maj_flt: [56, 8] },
  },
  proc_key: { size: 16, members: { tgid: [0, 4], pad: [4, 4], start_ns: [8, 8] } },
  proc_usage: {
    size: 112,
    members: { usage: [0, 64], threads: [64, 8], live_threads: [72, 8], peak_rss_pages: [80, 8], rss_source: [88, 4], ppid: [92, 4], comm: [96, 16] },
  },
  usage_total: { size: 80, members: { usage: [0, 64], threads: [64, 8], lost_processes: [72, 8] } },
  tree_count: { size: 16, members: { processes: [0, 8], threads: [8, 8] } },
  dump_usage: { size: 104, members: { kind: [0, 4], tgid: [4, 4], tid: [8, 4], ppid: [12, 4], start_ns: [16, 8], usage: [24, 64], comm: [88, 16] } },
  /* The BTF object's task storage: not read by user space, described so that the test covers every map. */
  task_counts: {
    size: 1816,
    members: {
      task: [0, 40], start_ns: [40, 8], in_proc: [48, 4], rss_source: [52, 4], rss_pages: [56, 8], leader_comm: [64, 16], base: [80, 64],
      nr_used: [144, 4], pad: [148, 4], slot_of: [152, 128], entry_of: [280, 1024], calls: [1304, 512],
    },
  },
  /* --offcpu: one thread's off-CPU time (both objects' maps, and the dump_offcpu iterator's records). */
  offcpu_thread: {
    size: 56,
    members: { since_ns: [0, 8], reason: [8, 4], tid: [12, 4], tgid: [16, 4], pad: [20, 4], sleeping_ns: [24, 8], runnable_ns: [32, 8], events: [40, 8], max_ns: [48, 8] },
  },
} as const satisfies Record<string, { size: number; members: Record<string, readonly [number, number]> }>;

type StructName = keyof typeof STRUCTS;

/** Offset of `member` in struct `struct`. */
function at<S extends StructName>(struct: S, member: keyof (typeof STRUCTS)[S]['members']): number {
  return (STRUCTS[struct].members as Record<PropertyKey, readonly [number, number]>)[member]![0];
}

/** A map's key or value: a struct of STRUCTS, or a plain integer of that many bytes. */
export type MapSlot = StructName | 'u32' | 'int' | 'u64';

/** Key and value of every map of each object (test/unit/bpf/btf-layout.test.ts checks each against the object's BTF). */
export const MAP_LAYOUTS: Record<'both' | 'btf' | 'tracepoint', Record<string, { key: MapSlot; value: MapSlot }>> = {
  both: {
    counts: { key: 'count_key', value: 'u64' },
    tasks: { key: 'u32', value: 'task_info' },
    config: { key: 'u32', value: 'config' },
    spawn: { key: 'u32', value: 'spawn' },
    stats: { key: 'u32', value: 'stats' },
    slot_totals: { key: 'u32', value: 'slot_totals' },
    errors: { key: 'error_key', value: 'u64' },
    latency: { key: 'u32', value: 'latency' },
    syscall_filter: { key: 'u32', value: 'syscall_filter' },
  },
  btf: {
    task_counts: { key: 'int', value: 'task_counts' },
    proc_usage: { key: 'proc_key', value: 'proc_usage' },
    usage_total: { key: 'u32', value: 'usage_total' },
    tree_live: { key: 'u32', value: 'tree_count' },
    seed: { key: 'u32', value: 'seed' },
    offcpu_state: { key: 'int', value: 'offcpu_thread' },
    offcpu_ended: { key: 'u32', value: 'offcpu_thread' },
  },
  tracepoint: {
    tracked: { key: 'u32', value: 'tracked_task' },
    offcpu_threads: { key: 'u32', value: 'offcpu_thread' },
  },
};

/** Bytes of a map's key or value. */
export function mapSlotSize(slot: MapSlot): number {
  if (slot === 'u64') return 8;
  if (slot === 'u32' || slot === 'int') return 4;
  return STRUCTS[slot].size;
}

/** Every map of the object of `mode`, with its key and value. */
export function mapLayouts(mode: 'tp_btf' | 'tracepoint'): Record<string, { key: MapSlot; value: MapSlot }> {
  return { ...MAP_LAYOUTS.both, ...(mode === 'tp_btf' ? MAP_LAYOUTS.btf : MAP_LAYOUTS.tracepoint) };
}

export const COUNT_KEY_SIZE = STRUCTS.count_key.size;
export const COUNT_VALUE_SIZE = 8;
export const TASK_INFO_SIZE = STRUCTS.task_info.size;
export const CONFIG_SIZE = STRUCTS.config.size;
export const SPAWN_SIZE = STRUCTS.spawn.size;
export const SEED_SIZE = STRUCTS.seed.size;
export const TRACKED_TASK_SIZE = STRUCTS.tracked_task.size;
export const ERROR_KEY_SIZE = STRUCTS.error_key.size;
export const LATENCY_BUCKETS = 32;
export const LATENCY_SIZE = STRUCTS.latency.size;
export const FILTER_SIZE = STRUCTS.syscall_filter.size;
export const NR_SLOTS = 1024;
export const SLOT_TOTALS_SIZE = STRUCTS.slot_totals.size;

/** config.features bits (bpf/syscount.h FEAT_*). */
export const FEATURES = { errors: 1, latency: 2, filter: 4, compat: 8, perThread: 16 } as const;
/**
 * Without --per-thread, counts are filed under tid 0 (the process) and the
 * counts entry (tgid, 0, EXITED_THREADS_NR) holds how many of its threads
 * other than the leader ended: not a syscall (bpf/syscount.h).
 */
export const EXITED_THREADS_NR = 0x80000000;
/** Slots: ia32 calls on x86_64 are counted at 512 + nr; x32 calls carry bit 30. */
export const COMPAT_BASE = 512;
export const X32_BIT = 0x40000000;
/** /proc/self/ns/pid's inode in the initial pid namespace (PROC_PID_INIT_INO). */
export const INIT_PID_NS_INO = 0xeffffffc;
const NO_NR = 0xffffffff;
/** bpf/syscount.h TASK_TRACKED. */
const TASK_TRACKED = 2;
export const STATS_SIZE = STRUCTS.stats.size;
export const DUMP_RECORD_SIZE = STRUCTS.dump_record.size;
/** Resource usage (BTF object only): proc_key, proc_usage, usage_total, tree_count, dump_usage (struct usage: USAGE_KEYS, 8 bytes each). */
export const PROC_KEY_SIZE = STRUCTS.proc_key.size;
export const PROC_USAGE_SIZE = STRUCTS.proc_usage.size;
export const USAGE_TOTAL_SIZE = STRUCTS.usage_total.size;
export const TREE_COUNT_SIZE = STRUCTS.tree_count.size;
export const DUMP_USAGE_SIZE = STRUCTS.dump_usage.size;

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

/** The config map: read-only for the programs. */
export interface CounterConfig {
  nrExecve: number;
  nrExecveat: number;
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

/** The spawn map: the one fork that becomes the command. */
export interface SpawnState {
  spawnerTid: number;
  armed: boolean;
  /** execve calls of the spawned command not counted (those of a wrapper such as setpriv). */
  skipExecs: number;
}

export interface CounterStats {
  droppedCalls: number;
  lostTasks: number;
  lostTaskInfo: number;
  lostErrors: number;
  /** Entries the programs added to the counts map (user space subtracts those it drained). */
  countEntries: number;
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

/** The same fields' names in struct usage, in the same order. */
const USAGE_C_NAMES = ['cpu_ns', 'rchar', 'wchar', 'read_bytes', 'write_bytes', 'cancelled_write_bytes', 'min_flt', 'maj_flt'] as const satisfies readonly (keyof typeof STRUCTS.usage.members)[];

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

/** One counts map value (a u64 call count), as a lookup or a take returns it. */
export function decodeCountValue(value: Buffer): number {
  return u64(value, 0);
}

export function decodeCounts(count: number, keys: Buffer, values: Buffer): CountEntry[] {
  const out: CountEntry[] = [];
  for (let i = 0; i < count; i++) {
    const k = i * COUNT_KEY_SIZE;
    out.push({
      tgid: keys.readUInt32LE(k + at('count_key', 'tgid')),
      tid: keys.readUInt32LE(k + at('count_key', 'tid')),
      nr: keys.readUInt32LE(k + at('count_key', 'nr')),
      count: u64(values, i * COUNT_VALUE_SIZE),
    });
  }
  return out;
}

/** Key of the counts map. */
export function encodeCountKey(k: Pick<CountEntry, 'tgid' | 'tid' | 'nr'>): Buffer {
  const buf = Buffer.alloc(COUNT_KEY_SIZE);
  buf.writeUInt32LE(k.tgid, at('count_key', 'tgid'));
  buf.writeUInt32LE(k.tid, at('count_key', 'tid'));
  buf.writeUInt32LE(k.nr, at('count_key', 'nr'));
  return buf;
}

export function decodeTasks(count: number, keys: Buffer, values: Buffer): TaskEntry[] {
  const out: TaskEntry[] = [];
  for (let i = 0; i < count; i++) {
    const v = i * TASK_INFO_SIZE;
    out.push({
      tid: keys.readUInt32LE(i * 4),
      tgid: values.readUInt32LE(v + at('task_info', 'tgid')),
      ppid: values.readUInt32LE(v + at('task_info', 'ppid')),
      comm: cString(values.subarray(v + at('task_info', 'comm'), v + TASK_INFO_SIZE)),
    });
  }
  return out;
}

/** struct usage at offset. */
export function decodeUsage(buf: Buffer, offset = 0): Usage {
  const usage = zeroUsage();
  USAGE_KEYS.forEach((key, i) => (usage[key] = u64(buf, offset + STRUCTS.usage.members[USAGE_C_NAMES[i]!][0])));
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
    // kind, tgid and tid lie at the same offsets in both records.
    const kind = buf.readUInt32LE(off + at('dump_record', 'kind'));
    const size = kind === DUMP_USAGE ? DUMP_USAGE_SIZE : DUMP_RECORD_SIZE;
    if (off + size > buf.length || kind < DUMP_TASK || kind > DUMP_USAGE) break;
    const tgid = buf.readUInt32LE(off + at('dump_record', 'tgid'));
    const tid = buf.readUInt32LE(off + at('dump_record', 'tid'));
    if (kind === DUMP_TASK) {
      const ppid = buf.readUInt32LE(off + at('dump_record', 'nr_or_ppid'));
      tasks.push({ tid, tgid, ppid, comm: cString(buf.subarray(off + at('dump_record', 'comm'), off + DUMP_RECORD_SIZE)), live: true });
    } else if (kind === DUMP_COUNT) {
      counts.push({ tgid, tid, nr: buf.readUInt32LE(off + at('dump_record', 'nr_or_ppid')), count: u64(buf, off + at('dump_record', 'count')) });
    } else {
      usage.push({
        tgid,
        tid,
        ppid: buf.readUInt32LE(off + at('dump_usage', 'ppid')),
        startNs: buf.readBigUInt64LE(off + at('dump_usage', 'start_ns')),
        usage: decodeUsage(buf, off + at('dump_usage', 'usage')),
        comm: cString(buf.subarray(off + at('dump_usage', 'comm'), off + DUMP_USAGE_SIZE)),
      });
    }
    off += size;
  }
  return { tasks, counts, usage };
}

/** Key of proc_usage (to delete an ended process once read). */
export function encodeProcKey(tgid: number, startNs: bigint): Buffer {
  const buf = Buffer.alloc(PROC_KEY_SIZE);
  buf.writeUInt32LE(tgid, at('proc_key', 'tgid'));
  buf.writeBigUInt64LE(startNs, at('proc_key', 'start_ns'));
  return buf;
}

export function decodeProcUsages(count: number, keys: Buffer, values: Buffer): ProcUsageEntry[] {
  const out: ProcUsageEntry[] = [];
  for (let i = 0; i < count; i++) {
    const k = i * PROC_KEY_SIZE;
    const v = i * PROC_USAGE_SIZE;
    const source = values.readUInt32LE(v + at('proc_usage', 'rss_source'));
    const entry: ProcUsageEntry = {
      tgid: keys.readUInt32LE(k + at('proc_key', 'tgid')),
      startNs: keys.readBigUInt64LE(k + at('proc_key', 'start_ns')),
      usage: decodeUsage(values, v + at('proc_usage', 'usage')),
      threads: u64(values, v + at('proc_usage', 'threads')),
      liveThreads: u64(values, v + at('proc_usage', 'live_threads')),
      peakRssPages: u64(values, v + at('proc_usage', 'peak_rss_pages')),
      ppid: values.readUInt32LE(v + at('proc_usage', 'ppid')),
      comm: cString(values.subarray(v + at('proc_usage', 'comm'), v + PROC_USAGE_SIZE)),
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
    addUsage(total.usage, decodeUsage(buf, off + at('usage_total', 'usage')));
    total.threads += u64(buf, off + at('usage_total', 'threads'));
    total.lostProcesses += u64(buf, off + at('usage_total', 'lost_processes'));
  }
  return total;
}

/** Adds b into a, field by field. */
export function addUsage(a: Usage, b: Usage): Usage {
  for (const key of USAGE_KEYS) a[key] += b[key];
  return a;
}

export function decodeTreeCount(buf: Buffer): TreeCount {
  return { processes: u64(buf, at('tree_count', 'processes')), threads: u64(buf, at('tree_count', 'threads')) };
}

export function encodeTreeCount(c: TreeCount): Buffer {
  const buf = Buffer.alloc(TREE_COUNT_SIZE);
  buf.writeBigUInt64LE(BigInt(c.processes), at('tree_count', 'processes'));
  buf.writeBigUInt64LE(BigInt(c.threads), at('tree_count', 'threads'));
  return buf;
}

export function encodeConfig(c: CounterConfig): Buffer {
  const buf = Buffer.alloc(CONFIG_SIZE);
  buf.writeInt32LE(c.nrExecve, at('config', 'nr_execve'));
  buf.writeInt32LE(c.nrExecveat, at('config', 'nr_execveat'));
  buf.writeUInt32LE(c.selfTgid, at('config', 'self_tgid'));
  buf.writeUInt32LE(c.features, at('config', 'features'));
  buf.writeBigUInt64LE(BigInt(c.nsDev), at('config', 'ns_dev'));
  buf.writeUInt32LE(c.nsIno, at('config', 'ns_ino'));
  buf.writeUInt32LE(c.ia32StatusOffset, at('config', 'ia32_status_off'));
  return buf;
}

export function encodeSpawn(s: SpawnState): Buffer {
  const buf = Buffer.alloc(SPAWN_SIZE);
  buf.writeUInt32LE(s.spawnerTid, at('spawn', 'spawner_tid'));
  buf.writeUInt32LE(s.armed ? 1 : 0, at('spawn', 'armed'));
  buf.writeUInt32LE(s.skipExecs, at('spawn', 'skip_execs'));
  return buf;
}

/** The seed map's value before find_seed runs: the process to attach to (0: none). */
export function encodeSeed(tgid: number): Buffer {
  const buf = Buffer.alloc(SEED_SIZE);
  buf.writeUInt32LE(tgid, at('seed', 'tgid'));
  return buf;
}

export function decodeStats(buf: Buffer): CounterStats {
  return {
    droppedCalls: u64(buf, at('stats', 'dropped_calls')),
    lostTasks: u64(buf, at('stats', 'lost_tasks')),
    lostTaskInfo: u64(buf, at('stats', 'lost_task_info')),
    lostErrors: u64(buf, at('stats', 'lost_errors')),
    countEntries: u64(buf, at('stats', 'count_entries')),
  };
}

/** The seed's id in the initial namespace, as find_seed left it in the seed map (0: not found). */
export function decodeSeedGlobalTgid(seed: Buffer): number {
  return seed.readUInt32LE(at('seed', 'global_tgid'));
}

export function decodeErrors(count: number, keys: Buffer, values: Buffer): ErrorEntry[] {
  const out: ErrorEntry[] = [];
  for (let i = 0; i < count; i++) {
    const k = i * ERROR_KEY_SIZE;
    out.push({
      tgid: keys.readUInt32LE(k + at('error_key', 'tgid')),
      nr: keys.readUInt32LE(k + at('error_key', 'nr')),
      errno: keys.readUInt32LE(k + at('error_key', 'err')),
      count: u64(values, i * 8),
    });
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
      entry.count += u64(values, v + at('latency', 'count'));
      entry.totalNs += u64(values, v + at('latency', 'total_ns'));
      entry.maxNs = Math.max(entry.maxNs, u64(values, v + at('latency', 'max_ns')));
      for (let b = 0; b < LATENCY_BUCKETS; b++) entry.hist[b]! += u64(values, v + at('latency', 'hist') + 8 * b);
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

/** A u32 map key (a tid, an array index). */
export function uint32(n: number): Buffer {
  const buf = Buffer.alloc(4);
  buf.writeUInt32LE(n, 0);
  return buf;
}

/** Key 0 of the one-entry array maps (config, spawn, seed, stats). */
export function zeroKey(): Buffer {
  return uint32(0);
}

/** Value of the classic program's tracked map (key: tid): a task of the tree. */
export function encodeTrackedTask(t: { tid: number; tgid: number; ppid: number; features: number }): Buffer {
  const buf = Buffer.alloc(TRACKED_TASK_SIZE);
  buf.writeUInt32LE(TASK_TRACKED, at('tracked_task', 'state'));
  buf.writeUInt32LE(t.features, at('tracked_task', 'features'));
  buf.writeUInt32LE(t.tid, at('tracked_task', 'tid'));
  buf.writeUInt32LE(t.tgid, at('tracked_task', 'tgid'));
  buf.writeUInt32LE(t.ppid, at('tracked_task', 'ppid'));
  buf.writeUInt32LE(NO_NR, at('tracked_task', 'cur_slot'));
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
    out.push({ globalTid: keys.readUInt32LE(i * 4), tid: values.readUInt32LE(v + at('tracked_task', 'tid')), tgid: values.readUInt32LE(v + at('tracked_task', 'tgid')) });
  }
  return out;
}

/** The slot_totals value: calls per slot (zero slots left out). */
export function decodeSlotTotals(buf: Buffer): Map<number, number> {
  const totals = new Map<number, number>();
  for (let slot = 0; slot < NR_SLOTS; slot++) {
    const n = u64(buf, at('slot_totals', 'calls') + slot * 8);
    if (n !== 0) totals.set(slot, n);
  }
  return totals;
}

export const OFFCPU_THREAD_SIZE = STRUCTS.offcpu_thread.size;
/** bpf/syscount.h OFFCPU_*: why the thread is off CPU in the interval since since_ns. */
const OFFCPU_SLEEPING = 1;
const OFFCPU_RUNNABLE = 2;

/** One thread's off-CPU time as the kernel keeps it (struct offcpu_thread). */
export interface OffCpuThread {
  /** Ids in tsdenet's pid namespace. */
  tid: number;
  tgid: number;
  /** Ended intervals: switched out not runnable (sleeping, blocked), or preempted while runnable. */
  sleepingNs: number;
  runnableNs: number;
  /** Ended intervals (switched back in), and the longest. */
  events: number;
  maxNs: number;
  /** CLOCK_MONOTONIC ns of its switch-out while it is off CPU now, else 0n. */
  sinceNs: bigint;
  /** Whether the interval in progress (sinceNs) is a preemption. */
  sinceRunnable: boolean;
}

/** attach, classic object: a thread found off CPU, from `sinceNs` on (CLOCK_MONOTONIC). */
export function encodeOffCpuStart(t: { tid: number; tgid: number; sinceNs: bigint; runnable: boolean }): Buffer {
  const buf = Buffer.alloc(OFFCPU_THREAD_SIZE);
  buf.writeBigUInt64LE(t.sinceNs, at('offcpu_thread', 'since_ns'));
  buf.writeUInt32LE(t.runnable ? OFFCPU_RUNNABLE : OFFCPU_SLEEPING, at('offcpu_thread', 'reason'));
  buf.writeUInt32LE(t.tid, at('offcpu_thread', 'tid'));
  buf.writeUInt32LE(t.tgid, at('offcpu_thread', 'tgid'));
  return buf;
}

/** `count` struct offcpu_thread values back to back (a map's values, or the dump_offcpu iterator's output). */
export function decodeOffCpuThreads(values: Buffer, count = Math.floor(values.length / OFFCPU_THREAD_SIZE)): OffCpuThread[] {
  const out: OffCpuThread[] = [];
  for (let i = 0; i < count; i++) {
    const v = i * OFFCPU_THREAD_SIZE;
    out.push({
      tid: values.readUInt32LE(v + at('offcpu_thread', 'tid')),
      tgid: values.readUInt32LE(v + at('offcpu_thread', 'tgid')),
      sleepingNs: u64(values, v + at('offcpu_thread', 'sleeping_ns')),
      runnableNs: u64(values, v + at('offcpu_thread', 'runnable_ns')),
      events: u64(values, v + at('offcpu_thread', 'events')),
      maxNs: u64(values, v + at('offcpu_thread', 'max_ns')),
      sinceNs: values.readBigUInt64LE(v + at('offcpu_thread', 'since_ns')),
      sinceRunnable: values.readUInt32LE(v + at('offcpu_thread', 'reason')) === OFFCPU_RUNNABLE,
    });
  }
  return out;
}
