/**
 * Pure: one parsed JSON line → a ReportRecord. Reads tsdenet's and denet's
 * tagged records (`kind`) and denet's legacy untagged lines, tried in
 * denet's order: tree (has `aggregated`), aggregated (has `process_count`),
 * metrics, metadata. Legacy `net_rx_bytes`/`net_tx_bytes` stand for
 * `sys_net_*`. A known field of the wrong type makes the line invalid, with
 * the field named: a silent zero would draw a wrong chart.
 */
import type {
  CumulativeSyscalls,
  EbpfInfo,
  EnvInfo,
  MetadataInfo,
  ProcessCounts,
  ReportRecord,
  SamplePoint,
  SummaryInfo,
  SyscallCount,
} from './records.js';

export type ParseResult =
  | { status: 'record'; record: ReportRecord }
  /** Valid JSON the report has no use for (an unknown `kind`): skipped, and said so. */
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

/** Typed access to one object's fields; `path` names it in messages (`aggregated.`). */
class Fields {
  readonly #o: Json;
  readonly #path: string;

  constructor(o: Json, path: string) {
    this.#o = o;
    this.#path = path;
  }

  has(key: string): boolean {
    return this.#o[key] !== undefined && this.#o[key] !== null;
  }

  #bad(key: string, want: string): never {
    throw new BadField(`${this.#path}${key} is ${describeValue(this.#o[key])}, not ${want}`);
  }

  /** A finite number, or null when absent; `alias` is denet's legacy name. */
  num(key: string, alias?: string): number | null {
    const k = this.#o[key] === undefined && alias !== undefined ? alias : key;
    const v = this.#o[k];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'number' || !Number.isFinite(v)) this.#bad(k, 'a number');
    return v;
  }

  /**
   * A wall-clock time in ms since 1970, or null when absent: a number Date
   * cannot hold (beyond ±8.64e15) made the report throw RangeError.
   */
  time(key: string): number | null {
    const v = this.num(key);
    if (v !== null && (v < 0 || v > MAX_DATE_MS)) this.#bad(key, 'a time in ms since 1970');
    return v;
  }

  requiredNum(key: string): number {
    const v = this.num(key);
    if (v === null) throw new BadField(`${this.#path}${key} is missing`);
    return v;
  }

  str(key: string): string | null {
    const v = this.#o[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string') this.#bad(key, 'a string');
    return v;
  }

  bool(key: string): boolean | null {
    const v = this.#o[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'boolean') this.#bad(key, 'true or false');
    return v;
  }

  strings(key: string): string[] | null {
    const v = this.#o[key];
    if (v === undefined || v === null) return null;
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) this.#bad(key, 'a list of strings');
    return v as string[];
  }

  /** An object of name → count. */
  counts(key: string): Record<string, number> | null {
    const v = this.#o[key];
    if (v === undefined || v === null) return null;
    if (!isObject(v)) this.#bad(key, 'an object of counts');
    for (const [name, n] of Object.entries(v)) {
      if (typeof n !== 'number' || !Number.isFinite(n)) {
        throw new BadField(`${this.#path}${key}.${name} is ${describeValue(n)}, not a number`);
      }
    }
    return v as Record<string, number>;
  }

  object(key: string): Fields | null {
    const v = this.#o[key];
    if (v === undefined || v === null) return null;
    if (!isObject(v)) this.#bad(key, 'an object');
    return new Fields(v, `${this.#path}${key}.`);
  }

  /** Each element of an array of objects; `at(i)` names it. */
  objects(key: string): Fields[] | null {
    const v = this.#o[key];
    if (v === undefined || v === null) return null;
    if (!Array.isArray(v)) this.#bad(key, 'a list');
    return v.map((item, i) => {
      if (!isObject(item)) throw new BadField(`${this.#path}${key}[${i}] is ${describeValue(item)}, not an object`);
      return new Fields(item, `${this.#path}${key}[${i}].`);
    });
  }

  raw(key: string): unknown {
    return this.#o[key];
  }
}

function topSyscallsOf(f: Fields, key: string): SyscallCount[] | null {
  return f.objects(key)?.map((e) => ({ name: e.str('name') ?? '?', count: e.requiredNum('count') })) ?? null;
}

function cumulativeSyscallsOf(ebpf: Fields | null): CumulativeSyscalls | null {
  const s = ebpf?.object('syscalls');
  if (!s) return null;
  return { total: s.requiredNum('total'), byCategory: s.counts('by_category'), topSyscalls: topSyscallsOf(s, 'top_syscalls') };
}

function pointOf(f: Fields, processes: number | null): SamplePoint {
  const ebpf = f.object('ebpf');
  return {
    tsMs: f.time('ts_ms') ?? f.requiredNum('ts_ms'),
    cpuPercent: f.num('cpu_usage'),
    rssKb: f.num('mem_rss_kb'),
    diskReadBytes: f.num('disk_read_bytes'),
    diskWriteBytes: f.num('disk_write_bytes'),
    netRxBytes: f.num('sys_net_rx_bytes', 'net_rx_bytes'),
    netTxBytes: f.num('sys_net_tx_bytes', 'net_tx_bytes'),
    threads: f.num('thread_count'),
    processes,
    syscalls: cumulativeSyscallsOf(ebpf),
    ebpfError: ebpf?.str('error') ?? null,
  };
}

function aggregatedOf(f: Fields): SamplePoint {
  return pointOf(f, f.num('process_count'));
}

function treeOf(f: Fields, source: 'tree' | 'legacy-tree'): ReportRecord {
  const aggregated = f.object('aggregated');
  // denet: a tick whose root process was unreadable is written with aggregated: null and is no sample.
  if (!aggregated) return { type: 'empty-sample', reason: 'tree record without aggregated metrics' };
  return { type: 'sample', source, point: aggregatedOf(aggregated) };
}

function processesOf(s: Fields): ProcessCounts[] | null {
  return (
    s.objects('processes')?.map((p) => ({
      pid: p.requiredNum('pid'),
      ppid: p.num('ppid'),
      comm: p.str('comm'),
      argv: p.strings('argv'),
      threads: p.num('threads'),
      total: p.requiredNum('total'),
      bySyscall: p.counts('by_syscall') ?? {},
    })) ?? null
  );
}

function ebpfOf(e: Fields): EbpfInfo {
  const s = e.object('syscalls');
  return {
    attachMode: e.str('attach_mode'),
    attachPoint: e.str('attach_point'),
    error: e.str('error'),
    total: s?.num('total') ?? null,
    byCategory: s?.counts('by_category') ?? null,
    topSyscalls: s ? topSyscallsOf(s, 'top_syscalls') : null,
    bySyscall: s?.counts('by_syscall') ?? null,
    processes: s ? processesOf(s) : null,
    dropped: s?.num('dropped') ?? null,
    untrackedThreads: s?.num('untracked_threads') ?? null,
    lostThreadInfo: s?.num('lost_thread_info') ?? null,
    errors: s?.raw('errors') ?? null,
    latency: s?.raw('latency') ?? null,
  };
}

function summaryOf(f: Fields): SummaryInfo {
  const ebpf = f.object('ebpf');
  return {
    tsdenetVersion: f.str('tsdenet_version'),
    command: f.strings('command'),
    executable: f.str('executable'),
    pid: f.num('pid'),
    exitCode: f.num('exit_code'),
    signal: f.str('signal'),
    exitStatus: f.num('exit_status'),
    interrupted: f.bool('interrupted'),
    t0Ms: f.time('t0_ms'),
    wallTimeSecs: f.num('wall_time_secs'),
    kernel: f.str('kernel'),
    arch: f.str('arch'),
    ebpf: ebpf ? ebpfOf(ebpf) : null,
    totalTimeSecs: f.num('total_time_secs'),
    sampleCount: f.num('sample_count'),
    maxProcesses: f.num('max_processes'),
    maxThreads: f.num('max_threads'),
    peakRssKb: f.num('peak_mem_rss_kb'),
    avgCpuPercent: f.num('avg_cpu_usage'),
    totalDiskReadBytes: f.num('total_disk_read_bytes'),
    totalDiskWriteBytes: f.num('total_disk_write_bytes'),
    totalNetRxBytes: f.num('total_sys_net_rx_bytes', 'total_net_rx_bytes'),
    totalNetTxBytes: f.num('total_sys_net_tx_bytes', 'total_net_tx_bytes'),
  };
}

function metadataOf(f: Fields): MetadataInfo {
  return { pid: f.num('pid'), cmd: f.strings('cmd'), executable: f.str('executable'), t0Ms: f.time('t0_ms') };
}

function envOf(f: Fields): EnvInfo {
  return { host: f.str('host'), kernel: f.str('kernel'), cpuModel: f.object('lscpu')?.str('model') ?? null };
}

function tagged(kind: unknown, f: Fields): ParseResult {
  switch (kind) {
    case 'tree':
      return { status: 'record', record: treeOf(f, 'tree') };
    case 'sample':
      return { status: 'record', record: { type: 'sample', source: 'sample', point: pointOf(f, null) } };
    case 'aggregated':
      return { status: 'record', record: { type: 'sample', source: 'aggregated', point: aggregatedOf(f) } };
    case 'summary':
      return { status: 'record', record: { type: 'summary', summary: summaryOf(f) } };
    case 'metadata':
      return { status: 'record', record: { type: 'metadata', metadata: metadataOf(f) } };
    case 'env':
      return { status: 'record', record: { type: 'env', env: envOf(f) } };
    case 'syscalls':
      // --interval-report deltas: the rate chart is drawn from the tree records' cumulative counts.
      return { status: 'record', record: { type: 'syscall-interval' } };
    default:
      return typeof kind === 'string'
        ? { status: 'skipped', reason: `record kind "${kind}" is not one the report reads` }
        : { status: 'invalid', reason: `"kind" is ${describeValue(kind)}, not a string` };
  }
}

function untagged(o: Json, f: Fields): ParseResult {
  if ('aggregated' in o) return { status: 'record', record: treeOf(f, 'legacy-tree') };
  const isMetrics = typeof o.ts_ms === 'number' && 'cpu_usage' in o && 'mem_rss_kb' in o;
  if (isMetrics && 'process_count' in o) {
    return { status: 'record', record: { type: 'sample', source: 'legacy-aggregated', point: aggregatedOf(f) } };
  }
  if (isMetrics) return { status: 'record', record: { type: 'sample', source: 'legacy-metrics', point: pointOf(f, null) } };
  if (typeof o.pid === 'number' && Array.isArray(o.cmd)) return { status: 'record', record: { type: 'metadata', metadata: metadataOf(f) } };
  return { status: 'invalid', reason: 'a JSON object with no "kind" that is no denet record' };
}

/** What one parsed line is; never throws. */
export function parseRecord(value: unknown): ParseResult {
  if (!isObject(value)) return { status: 'invalid', reason: `${describeValue(value)} instead of a JSON object` };
  const f = new Fields(value, '');
  try {
    return value.kind === undefined ? untagged(value, f) : tagged(value.kind, f);
  } catch (error) {
    if (!(error instanceof BadField)) throw error;
    const what = typeof value.kind === 'string' ? `${value.kind} record` : 'record';
    return { status: 'invalid', reason: `${what}: ${error.message}` };
  }
}
