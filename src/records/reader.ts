/**
 * Pure: the one reader of records. One parsed JSON line → a typed record
 * (schema.ts), for tsdenet's and denet's files alike: tagged records
 * (`kind`) and denet's legacy untagged lines, tried in denet's order: tree
 * (has `aggregated`), aggregated (has `process_count`), metrics (ts_ms,
 * cpu_usage, mem_rss_kb), metadata (pid, cmd). Legacy `net_rx_bytes` /
 * `net_tx_bytes` stand for `sys_net_*`.
 *
 * Only known fields are kept, copied into a new object. Two modes:
 *  - strict (the report): a known field of the wrong type makes the line
 *    invalid, with the field named: a silent gap or zero would draw a wrong chart;
 *  - lenient (`stats`, like denet's reader): a field of the wrong type is
 *    taken as absent and the rest of the line is kept.
 * In both, a line without what identifies its kind (a sample's ts_ms, a
 * metadata's pid and cmd) is invalid, and an unknown `kind` is skipped.
 */
import type {
  EnvRecord,
  GpuMetrics,
  PerfDeltas,
  PsiMem,
  EbpfOffcpu,
  ErrorReport,
  LatencyReport,
  OffcpuThreadShare,
  MetadataRecord,
  Metrics,
  AggregatedMetrics,
  ProcessSyscalls,
  SummaryRecord,
  SyscallAnalysis,
  SyscallCount,
  SyscallIntervalRecord,
  SyscallLatency,
  ThreadSyscalls,
} from './schema.js';

export type ReadMode = 'strict' | 'lenient';

/** A file may lack any field but the one that makes a line a sample. */
type Read<T, Required extends keyof T> = Pick<T, Required> & Partial<Omit<T, Required>>;

export interface ReadEbpfSyscalls {
  total: number;
  by_category?: Record<string, number>;
  top_syscalls?: SyscallCount[];
  analysis?: Partial<SyscallAnalysis>;
}

/** `ebpf.offcpu`: denet's files lack tsdenet's sleeping_ns and runnable_ns. */
export type ReadOffcpu = Read<EbpfOffcpu, 'total_time_ns'>;

export interface ReadEbpf {
  syscalls?: ReadEbpfSyscalls;
  offcpu?: ReadOffcpu;
  error?: string;
}

export type ReadMetrics = Read<Metrics, 'ts_ms'>;
export type ReadAggregated = Read<Omit<AggregatedMetrics, 'ebpf'>, 'ts_ms'> & { ebpf?: ReadEbpf };

export interface ReadSummarySyscalls extends Partial<Omit<NonNullable<NonNullable<SummaryRecord['ebpf']>['syscalls']>, 'analysis' | 'processes'>> {
  total?: number;
  analysis?: Partial<SyscallAnalysis>;
  processes?: ProcessSyscalls[];
}

export type ReadSummary = Partial<Omit<SummaryRecord, 'kind' | 'ebpf'>> & {
  kind: 'summary';
  ebpf?: { attach_mode?: string; attach_point?: string; error?: string; syscalls?: ReadSummarySyscalls; offcpu?: ReadOffcpu };
};

/** denet's untagged form, read as the tagged record it stands for. */
interface Legacy {
  legacy?: true;
}

export type ReadTree = {
  kind: 'tree';
  ts_ms?: number;
  parent?: ReadMetrics | null;
  children?: { pid: number; command?: string; metrics?: ReadMetrics }[];
  aggregated: ReadAggregated | null;
} & Legacy;

/**
 * What one line is, once read: the record itself, with the fields a file
 * may lack made optional. A record tsdenet writes (schema.ts) is one too,
 * so the live run feeds what it writes to the same summary as `stats`.
 */
export type ReadRecord =
  | (Partial<Omit<EnvRecord, 'kind'>> & { kind: 'env' })
  | (Read<MetadataRecord, 'kind' | 'pid' | 'cmd'> & Legacy)
  | ReadTree
  | (ReadAggregated & { kind: 'aggregated' } & Legacy)
  | (ReadMetrics & { kind: 'sample' } & Legacy)
  | (Partial<Omit<SyscallIntervalRecord, 'kind'>> & { kind: 'syscalls' })
  | ReadSummary;

export type ReadResult =
  | { status: 'record'; record: ReadRecord }
  /** Valid JSON of a kind no reader here has a use for: skipped, and said so. */
  | { status: 'skipped'; reason: string }
  | { status: 'invalid'; reason: string };

type Json = Record<string, unknown>;

class BadField extends Error {}

/** The largest time a Date holds (ECMAScript: 8.64e15 ms after 1970). */
const MAX_DATE_MS = 8.64e15;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'number') return `${value}`;
  return `a ${typeof value}`;
}

function isCounts(v: unknown): v is Record<string, number> {
  return isObject(v) && Object.values(v).every((n) => typeof n === 'number' && Number.isFinite(n));
}

/** Typed access to one object's fields; `path` names it in messages (`aggregated.`). */
class Fields {
  readonly #o: Json;
  readonly #path: string;
  readonly #strict: boolean;

  constructor(o: Json, path: string, strict: boolean) {
    this.#o = o;
    this.#path = path;
    this.#strict = strict;
  }

  /** `value`, or null when the file says null (exit_code of a killed command). */
  nullable<T>(key: string, value: T | undefined): T | null | undefined {
    return this.#o[key] === null ? null : value;
  }

  /** A JSON object as found (capabilities: a manifest whose fields are only shown). */
  rawObject(key: string): Record<string, unknown> | undefined {
    const v = this.#o[key];
    if (v === undefined || v === null) return undefined;
    return isObject(v) ? v : this.#bad(key, 'an object');
  }

  /** Strict: the line is invalid. Lenient: the field is taken as absent. */
  #bad(key: string, want: string): undefined {
    if (this.#strict) throw new BadField(`${this.#path}${key} is ${describeValue(this.#o[key])}, not ${want}`);
    return undefined;
  }

  /** A finite number, or undefined when absent; `alias` is denet's legacy name. */
  num(key: string, alias?: string): number | undefined {
    const k = this.#o[key] === undefined && alias !== undefined ? alias : key;
    const v = this.#o[k];
    if (v === undefined || v === null) return undefined;
    return typeof v === 'number' && Number.isFinite(v) ? v : this.#bad(k, 'a number');
  }

  /** A wall-clock time in ms since 1970 (a number a Date cannot hold made the report throw RangeError). */
  time(key: string): number | undefined {
    const v = this.num(key);
    return v !== undefined && (v < 0 || v > MAX_DATE_MS) ? this.#bad(key, 'a time in ms since 1970') : v;
  }

  required<T>(key: string, value: T | undefined): T {
    if (value === undefined) throw new BadField(`${this.#path}${key} is ${this.#o[key] === undefined ? 'missing' : describeValue(this.#o[key])}`);
    return value;
  }

  /** Required in strict mode; in lenient mode a missing value is only absent. */
  wanted<T>(key: string, value: T | undefined): T | undefined {
    return this.#strict ? this.required(key, value) : value;
  }

  str(key: string): string | undefined {
    const v = this.#o[key];
    if (v === undefined || v === null) return undefined;
    return typeof v === 'string' ? v : this.#bad(key, 'a string');
  }

  bool(key: string): boolean | undefined {
    const v = this.#o[key];
    if (v === undefined || v === null) return undefined;
    return typeof v === 'boolean' ? v : this.#bad(key, 'true or false');
  }

  strings(key: string): string[] | undefined {
    const v = this.#o[key];
    if (v === undefined || v === null) return undefined;
    return Array.isArray(v) && v.every((s) => typeof s === 'string') ? [...(v as string[])] : this.#bad(key, 'a list of strings');
  }

  numbers(key: string): number[] | undefined {
    const v = this.#o[key];
    if (v === undefined || v === null) return undefined;
    return Array.isArray(v) && v.every((n) => typeof n === 'number' && Number.isFinite(n)) ? [...(v as number[])] : this.#bad(key, 'a list of numbers');
  }

  /** An object of name → count. */
  counts(key: string): Record<string, number> | undefined {
    const v = this.#o[key];
    if (v === undefined || v === null) return undefined;
    if (isCounts(v)) return { ...v };
    if (this.#strict && isObject(v)) {
      const [name, n] = Object.entries(v).find(([, n]) => typeof n !== 'number' || !Number.isFinite(n))!;
      throw new BadField(`${this.#path}${key}.${name} is ${describeValue(n)}, not a number`);
    }
    return this.#bad(key, 'an object of counts');
  }

  object(key: string): Fields | undefined {
    const v = this.#o[key];
    if (v === undefined || v === null) return undefined;
    return isObject(v) ? new Fields(v, `${this.#path}${key}.`, this.#strict) : this.#bad(key, 'an object');
  }

  /** Each object of an array; elements that are no object are invalid (strict) or left out. */
  objects(key: string): Fields[] | undefined {
    const v = this.#o[key];
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) return this.#bad(key, 'a list');
    const out: Fields[] = [];
    v.forEach((item, i) => {
      if (isObject(item)) out.push(new Fields(item, `${this.#path}${key}[${i}].`, this.#strict));
      else if (this.#strict) throw new BadField(`${this.#path}${key}[${i}] is ${describeValue(item)}, not an object`);
    });
    return out;
  }

  /** Each entry of an object of objects (by_syscall: name → {...}). */
  entries(key: string): [string, Fields][] | undefined {
    const f = this.object(key);
    if (!f) return undefined;
    const out: [string, Fields][] = [];
    for (const name of f.keys()) {
      const inner = f.object(name);
      if (inner) out.push([name, inner]);
    }
    return out;
  }

  keys(): string[] {
    return Object.keys(this.#o);
  }
}

/** Deletes the undefined values (in place): a record read back has no `undefined` holes. */
export function defined<T extends object>(o: T): T {
  for (const key of Object.keys(o) as (keyof T)[]) if (o[key] === undefined) delete o[key];
  return o;
}

function metricsOf(f: Fields): ReadMetrics {
  return defined({
    ts_ms: f.required('ts_ms', f.time('ts_ms')),
    cpu_usage: f.num('cpu_usage'),
    mem_rss_kb: f.num('mem_rss_kb'),
    mem_vms_kb: f.num('mem_vms_kb'),
    disk_read_bytes: f.num('disk_read_bytes'),
    disk_write_bytes: f.num('disk_write_bytes'),
    syscall_read_bytes: f.num('syscall_read_bytes'),
    syscall_write_bytes: f.num('syscall_write_bytes'),
    page_faults_cached: f.num('page_faults_cached'),
    page_faults_disk: f.num('page_faults_disk'),
    sys_net_rx_bytes: f.num('sys_net_rx_bytes', 'net_rx_bytes'),
    sys_net_tx_bytes: f.num('sys_net_tx_bytes', 'net_tx_bytes'),
    thread_count: f.num('thread_count'),
    uptime_secs: f.num('uptime_secs'),
    cpu_core: f.num('cpu_core'),
    gpu: gpuOf(f.object('gpu')),
    psi_mem: psiOf(f.object('psi_mem')),
    perf: perfOf(f.object('perf')),
  });
}

function psiOf(f: Fields | undefined): PsiMem | undefined {
  const some = f?.num('some_avg10');
  return f && some !== undefined ? { some_avg10: some, full_avg10: f.num('full_avg10') ?? 0 } : undefined;
}

/** A missing cache or stall counter stays unknown (null), not 0. */
function perfOf(f: Fields | undefined): PerfDeltas | undefined {
  if (!f) return undefined;
  const cycles = f.num('cycles');
  const instructions = f.num('instructions');
  if (cycles === undefined || instructions === undefined) return undefined;
  return { cycles, instructions, cache_refs: f.num('cache_refs') ?? null, cache_misses: f.num('cache_misses') ?? null, stalled_backend: f.num('stalled_backend') ?? null };
}

/** denet's per-sample `gpu`: what the driver did not say is null, as denet writes it. */
function gpuOf(f: Fields | undefined): GpuMetrics | undefined {
  if (!f) return undefined;
  const orNull = (g: Fields, key: string): number | null => g.num(key) ?? null;
  return {
    system_metrics: (f.objects('system_metrics') ?? []).map((d) => ({
      device_index: d.num('device_index') ?? 0,
      name: d.str('name') ?? '',
      system_utilization_gpu: orNull(d, 'system_utilization_gpu'),
      system_utilization_memory: orNull(d, 'system_utilization_memory'),
      memory_total: orNull(d, 'memory_total'),
      memory_used: orNull(d, 'memory_used'),
      memory_free: orNull(d, 'memory_free'),
      temperature: orNull(d, 'temperature'),
      power_usage: orNull(d, 'power_usage'),
    })),
    process_data: (f.objects('process_data') ?? []).map((p) => ({
      pid: p.required('pid', p.num('pid')),
      gpu_utilization: orNull(p, 'gpu_utilization'),
      memory_usage: orNull(p, 'memory_usage'),
      // denet's later name for it.
      memory_utilization: p.num('memory_utilization') ?? p.num('memory_utilization_pct') ?? null,
    })),
    has_process_data: f.bool('has_process_data') ?? false,
    collection_method: f.str('collection_method') ?? 'none',
  };
}

/** Each entry needs its count, in both modes (a count-less entry would rank as 0). */
function topOf(f: Fields, key: string): SyscallCount[] | undefined {
  return f.objects(key)?.map((e) => {
    const count = e.required('count', e.num('count'));
    return { name: e.str('name') ?? '?', count };
  });
}

function analysisOf(f: Fields | undefined): Partial<SyscallAnalysis> | undefined {
  if (!f) return undefined;
  return defined({
    syscall_rate_per_sec: f.num('syscall_rate_per_sec'),
    io_intensity: f.num('io_intensity'),
    memory_intensity: f.num('memory_intensity'),
    cpu_intensity: f.num('cpu_intensity'),
    network_intensity: f.num('network_intensity'),
  });
}

/** Strict: off-CPU figures without a total are invalid. Lenient: they are none. */
function offcpuOf(f: Fields | undefined): ReadOffcpu | undefined {
  if (!f) return undefined;
  const total = f.num('total_time_ns');
  if (f.wanted('total_time_ns', total) === undefined) return undefined;
  const top: OffcpuThreadShare[] | undefined = f.objects('top_blocking_threads')?.map((t) => ({
    tid: t.required('tid', t.num('tid')),
    pid: t.num('pid') ?? 0,
    time_ms: t.required('time_ms', t.num('time_ms')),
    percentage: t.num('percentage') ?? 0,
  }));
  return defined({
    total_time_ns: total!,
    total_events: f.num('total_events'),
    avg_time_ns: f.num('avg_time_ns'),
    max_time_ns: f.num('max_time_ns'),
    top_blocking_threads: top,
    sleeping_ns: f.num('sleeping_ns'),
    runnable_ns: f.num('runnable_ns'),
  });
}

function ebpfOf(f: Fields | undefined): ReadEbpf | undefined {
  if (!f) return undefined;
  const s = f.object('syscalls');
  let syscalls: ReadEbpfSyscalls | undefined;
  if (s) {
    const total = s.num('total');
    // Strict: counts without a total are invalid. Lenient: they are no counts.
    if (s.wanted('total', total) !== undefined) {
      syscalls = defined({ total: total!, by_category: s.counts('by_category'), top_syscalls: topOf(s, 'top_syscalls'), analysis: analysisOf(s.object('analysis')) });
    }
  }
  return defined({ syscalls, offcpu: offcpuOf(f.object('offcpu')), error: f.str('error') });
}

function aggregatedOf(f: Fields): ReadAggregated {
  return defined({ ...metricsOf(f), cpu_core: undefined, process_count: f.num('process_count'), ebpf: ebpfOf(f.object('ebpf')) });
}

function treeOf(f: Fields, legacy: boolean): ReadTree {
  const children = f.objects('children')?.map((c) => {
    const m = c.object('metrics');
    return defined({ pid: c.required('pid', c.num('pid')), command: c.str('command'), metrics: m ? metricsOf(m) : undefined });
  });
  const parent = f.object('parent');
  // Strict: a wrong type is named (object() throws); null is denet's unreadable tick.
  const aggregated = f.object('aggregated');
  return defined({
    kind: 'tree' as const,
    ts_ms: f.time('ts_ms'),
    parent: parent ? metricsOf(parent) : null,
    children,
    // denet: a tick whose root process was unreadable is written with aggregated: null and is no sample.
    aggregated: aggregated ? aggregatedOf(aggregated) : null,
    legacy: legacy ? (true as const) : undefined,
  });
}

function metadataOf(f: Fields): Read<MetadataRecord, 'kind' | 'pid' | 'cmd'> {
  return defined({
    kind: 'metadata' as const,
    pid: f.required('pid', f.num('pid')),
    cmd: f.required('cmd', f.strings('cmd')),
    executable: f.str('executable'),
    t0_ms: f.time('t0_ms'),
    capabilities: f.rawObject('capabilities'),
  });
}

function envOf(f: Fields): Partial<Omit<EnvRecord, 'kind'>> & { kind: 'env' } {
  const lscpu = f.object('lscpu');
  return defined({
    kind: 'env' as const,
    ts_ms: f.time('ts_ms'),
    host: f.str('host'),
    kernel: f.str('kernel'),
    lscpu: lscpu ? { sockets: lscpu.num('sockets') ?? 0, cores_per_socket: lscpu.num('cores_per_socket') ?? 0, threads_per_core: lscpu.num('threads_per_core') ?? 0, model: lscpu.str('model') ?? '' } : undefined,
    affinity_inherited: f.str('affinity_inherited'),
    cgroup: f.str('cgroup'),
  });
}

function intervalOf(f: Fields): Partial<Omit<SyscallIntervalRecord, 'kind'>> & { kind: 'syscalls' } {
  return defined({
    kind: 'syscalls' as const,
    ts_ms: f.time('ts_ms'),
    elapsed_secs: f.num('elapsed_secs'),
    interval_secs: f.num('interval_secs'),
    total: f.num('total'),
    rate_per_sec: f.num('rate_per_sec'),
    by_category: f.counts('by_category') as SyscallIntervalRecord['by_category'] | undefined,
    by_syscall: f.counts('by_syscall'),
  });
}

function threadsOf(f: Fields): ThreadSyscalls[] | undefined {
  return f.objects('thread_list')?.map((t) => ({ tid: t.required('tid', t.num('tid')), comm: t.str('comm') ?? null, total: t.num('total') ?? 0, by_syscall: t.counts('by_syscall') ?? {} }));
}

function processOffcpuOf(f: Fields | undefined): ProcessSyscalls['offcpu'] {
  if (!f) return undefined;
  return { sleeping_ns: f.num('sleeping_ns') ?? 0, runnable_ns: f.num('runnable_ns') ?? 0, events: f.num('events') ?? 0 };
}

function processesOf(s: Fields): ProcessSyscalls[] | undefined {
  return s.objects('processes')?.map((p) =>
    defined({
      pid: p.required('pid', p.num('pid')),
      ppid: p.num('ppid') ?? null,
      comm: p.str('comm') ?? null,
      argv: p.strings('argv') ?? null,
      threads: p.num('threads') ?? 0,
      total: p.required('total', p.num('total')),
      by_syscall: p.counts('by_syscall') ?? {},
      thread_list: threadsOf(p),
      offcpu: processOffcpuOf(p.object('offcpu')),
    }),
  );
}

function errorsOf(f: Fields | undefined): ErrorReport | undefined {
  if (!f) return undefined;
  const bySyscall: ErrorReport['by_syscall'] = {};
  for (const [name, e] of f.entries('by_syscall') ?? []) bySyscall[name] = { total: e.num('total') ?? 0, by_errno: e.counts('by_errno') ?? {} };
  return { total: f.num('total') ?? 0, by_errno: f.counts('by_errno') ?? {}, by_syscall: bySyscall, lost: f.num('lost') ?? 0 };
}

function latencyOf(f: Fields | undefined): LatencyReport | undefined {
  if (!f) return undefined;
  const bySyscall: Record<string, SyscallLatency> = {};
  for (const [name, e] of f.entries('by_syscall') ?? []) {
    bySyscall[name] = {
      calls: e.num('calls') ?? 0,
      total_secs: e.num('total_secs') ?? 0,
      usecs_per_call: e.num('usecs_per_call') ?? 0,
      max_usecs: e.num('max_usecs') ?? 0,
      histogram_log2_ns: e.numbers('histogram_log2_ns') ?? [],
    };
  }
  return { total_secs: f.num('total_secs') ?? 0, by_syscall: bySyscall };
}

function summarySyscallsOf(s: Fields | undefined): ReadSummarySyscalls | undefined {
  if (!s) return undefined;
  return defined({
    total: s.num('total'),
    by_category: s.counts('by_category') as ReadSummarySyscalls['by_category'],
    top_syscalls: topOf(s, 'top_syscalls'),
    analysis: analysisOf(s.object('analysis')),
    by_syscall: s.counts('by_syscall'),
    processes: processesOf(s),
    dropped: s.num('dropped'),
    untracked_threads: s.num('untracked_threads'),
    lost_thread_info: s.num('lost_thread_info'),
    filter: s.strings('filter'),
    errors: errorsOf(s.object('errors')),
    latency: latencyOf(s.object('latency')),
  });
}

function summaryOf(f: Fields): ReadSummary {
  const ebpf = f.object('ebpf');
  const mode = f.str('mode');
  const syscalls = f.object('syscalls');
  return defined({
    kind: 'summary' as const,
    tsdenet_version: f.str('tsdenet_version'),
    ts_ms: f.time('ts_ms'),
    command: f.strings('command'),
    executable: f.str('executable'),
    pid: f.num('pid'),
    exit_code: f.nullable('exit_code', f.num('exit_code')),
    signal: f.nullable('signal', f.str('signal')),
    exit_status: f.num('exit_status'),
    mode: mode === 'run' || mode === 'attach' ? mode : undefined,
    interrupted: f.bool('interrupted'),
    timed_out: f.bool('timed_out'),
    t0_ms: f.time('t0_ms'),
    wall_time_secs: f.num('wall_time_secs'),
    kernel: f.str('kernel'),
    arch: f.str('arch'),
    total_time_secs: f.num('total_time_secs'),
    sample_count: f.num('sample_count'),
    max_processes: f.num('max_processes'),
    max_threads: f.num('max_threads'),
    total_disk_read_bytes: f.num('total_disk_read_bytes'),
    total_disk_write_bytes: f.num('total_disk_write_bytes'),
    total_syscall_read_bytes: f.num('total_syscall_read_bytes'),
    total_syscall_write_bytes: f.num('total_syscall_write_bytes'),
    peak_page_faults_cached: f.num('peak_page_faults_cached'),
    peak_page_faults_disk: f.num('peak_page_faults_disk'),
    total_sys_net_rx_bytes: f.num('total_sys_net_rx_bytes', 'total_net_rx_bytes'),
    total_sys_net_tx_bytes: f.num('total_sys_net_tx_bytes', 'total_net_tx_bytes'),
    peak_mem_rss_kb: f.num('peak_mem_rss_kb'),
    avg_cpu_usage: f.num('avg_cpu_usage'),
    time_weighted_cpu_usage: f.num('time_weighted_cpu_usage'),
    syscall_rate_per_sec: f.num('syscall_rate_per_sec'),
    syscalls: syscalls
      ? {
          avg_syscall_rate_per_sec: syscalls.num('avg_syscall_rate_per_sec') ?? 0,
          avg_io_syscall_fraction: syscalls.num('avg_io_syscall_fraction') ?? 0,
          avg_memory_syscall_fraction: syscalls.num('avg_memory_syscall_fraction') ?? 0,
          avg_cpu_syscall_fraction: syscalls.num('avg_cpu_syscall_fraction') ?? 0,
          avg_network_syscall_fraction: syscalls.num('avg_network_syscall_fraction') ?? 0,
        }
      : undefined,
    ebpf: ebpf
      ? defined({ attach_mode: ebpf.str('attach_mode'), attach_point: ebpf.str('attach_point'), error: ebpf.str('error'), syscalls: summarySyscallsOf(ebpf.object('syscalls')), offcpu: offcpuOf(ebpf.object('offcpu')) })
      : undefined,
  });
}

function tagged(kind: unknown, f: Fields): ReadResult {
  switch (kind) {
    case 'tree':
      return { status: 'record', record: treeOf(f, false) };
    case 'sample':
      return { status: 'record', record: { kind: 'sample', ...metricsOf(f) } };
    case 'aggregated':
      return { status: 'record', record: { kind: 'aggregated', ...aggregatedOf(f) } };
    case 'metadata':
      return { status: 'record', record: metadataOf(f) };
    case 'env':
      return { status: 'record', record: envOf(f) };
    case 'summary':
      return { status: 'record', record: summaryOf(f) };
    case 'syscalls':
      return { status: 'record', record: intervalOf(f) };
    default:
      return typeof kind === 'string'
        ? { status: 'skipped', reason: `record kind "${kind}" is not one tsdenet reads` }
        : { status: 'invalid', reason: `"kind" is ${describeValue(kind)}, not a string` };
  }
}

function untagged(o: Json, f: Fields): ReadResult {
  if ('aggregated' in o) return { status: 'record', record: treeOf(f, true) };
  const isMetrics = 'ts_ms' in o && 'cpu_usage' in o && 'mem_rss_kb' in o;
  if (isMetrics && 'process_count' in o) return { status: 'record', record: { kind: 'aggregated', ...aggregatedOf(f), legacy: true } };
  if (isMetrics) return { status: 'record', record: { kind: 'sample', ...metricsOf(f), legacy: true } };
  if ('pid' in o && 'cmd' in o) return { status: 'record', record: { ...metadataOf(f), legacy: true } };
  return { status: 'invalid', reason: 'a JSON object with no "kind" that is no denet record' };
}

/** What one parsed JSON line is; never throws. */
export function readRecord(value: unknown, mode: ReadMode): ReadResult {
  if (!isObject(value)) return { status: 'invalid', reason: `${describeValue(value)} instead of a JSON object` };
  const f = new Fields(value, '', mode === 'strict');
  try {
    return value.kind === undefined ? untagged(value, f) : tagged(value.kind, f);
  } catch (error) {
    if (!(error instanceof BadField)) throw error;
    const what = typeof value.kind === 'string' ? `${value.kind} record` : 'record';
    return { status: 'invalid', reason: `${what}: ${error.message}` };
  }
}

/** The sample a record carries: the tree's aggregate, or one process (denet's `Metrics`). */
export function sampleOf(record: ReadRecord): { point: ReadAggregated; tree: boolean } | undefined {
  switch (record.kind) {
    case 'tree':
      return record.aggregated ? { point: record.aggregated, tree: true } : undefined;
    case 'aggregated':
      return { point: record, tree: true };
    case 'sample':
      return { point: record, tree: false };
    default:
      return undefined;
  }
}
