/**
 * Pure: what one parsed JSON line of a metrics file is. Accepts tsdenet's
 * and denet's tagged records (`kind`) and denet's legacy untagged lines,
 * tried in denet's order: tree, aggregated, metrics, metadata. Legacy
 * `net_rx_bytes` / `net_tx_bytes` stand for `sys_net_*`.
 */
import type { AggregatedMetrics } from '../monitor/records.js';

/**
 * The numbers a summary needs from one sample (tree aggregate or single
 * process): the fields of tsdenet's own records, as denet writes them too.
 */
export type SamplePoint = Pick<
  AggregatedMetrics,
  | 'ts_ms'
  | 'cpu_usage'
  | 'mem_rss_kb'
  | 'disk_read_bytes'
  | 'disk_write_bytes'
  | 'syscall_read_bytes'
  | 'syscall_write_bytes'
  | 'page_faults_cached'
  | 'page_faults_disk'
  | 'sys_net_rx_bytes'
  | 'sys_net_tx_bytes'
  | 'thread_count'
  | 'process_count'
> & { analysis?: Record<string, number> };

export type Classified =
  | { type: 'metadata'; t0Ms: number | undefined }
  | { type: 'aggregated'; point: SamplePoint }
  | { type: 'metrics'; point: SamplePoint }
  /** A known record that carries no sample: env, summary, a tree without aggregate. */
  | { type: 'ignored' };

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function num(o: Json, key: string, fallback?: string): number | undefined {
  const v = o[key] ?? (fallback === undefined ? undefined : o[fallback]);
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** A sample point when the object has at least ts_ms, cpu_usage and mem_rss_kb. */
function toPoint(o: Json, processCount: number | undefined): SamplePoint | undefined {
  const ts = num(o, 'ts_ms');
  const cpu = num(o, 'cpu_usage');
  const rss = num(o, 'mem_rss_kb');
  if (ts === undefined || cpu === undefined || rss === undefined) return undefined;
  const point: SamplePoint = {
    ts_ms: ts,
    cpu_usage: cpu,
    mem_rss_kb: rss,
    disk_read_bytes: num(o, 'disk_read_bytes') ?? 0,
    disk_write_bytes: num(o, 'disk_write_bytes') ?? 0,
    sys_net_rx_bytes: num(o, 'sys_net_rx_bytes', 'net_rx_bytes') ?? 0,
    sys_net_tx_bytes: num(o, 'sys_net_tx_bytes', 'net_tx_bytes') ?? 0,
    thread_count: num(o, 'thread_count') ?? 0,
    process_count: processCount ?? 1,
  };
  for (const key of ['syscall_read_bytes', 'syscall_write_bytes', 'page_faults_cached', 'page_faults_disk'] as const) {
    const v = num(o, key);
    if (v !== undefined) point[key] = v;
  }
  const ebpf = o.ebpf;
  if (isObject(ebpf) && isObject(ebpf.syscalls) && isObject(ebpf.syscalls.analysis)) {
    point.analysis = Object.fromEntries(
      Object.entries(ebpf.syscalls.analysis).filter((e): e is [string, number] => typeof e[1] === 'number'),
    );
  }
  return point;
}

function aggregatedOf(o: Json): Classified | undefined {
  const count = num(o, 'process_count');
  const point = toPoint(o, count);
  return point && count !== undefined ? { type: 'aggregated', point } : undefined;
}

function treeOf(o: Json): Classified | undefined {
  if (o.aggregated === null) return { type: 'ignored' }; // root unreadable: not a sample (denet)
  return isObject(o.aggregated) ? aggregatedOf(o.aggregated) : undefined;
}

function metricsOf(o: Json): Classified | undefined {
  const point = toPoint(o, undefined);
  return point ? { type: 'metrics', point } : undefined;
}

function metadataOf(o: Json): Classified | undefined {
  if (typeof o.pid !== 'number' || !Array.isArray(o.cmd)) return undefined;
  return { type: 'metadata', t0Ms: num(o, 't0_ms') };
}

/** Classifies one parsed line; undefined when it is no record tsdenet or denet writes. */
export function classifyRecord(value: unknown): Classified | undefined {
  if (!isObject(value)) return undefined;
  switch (value.kind) {
    case 'tree':
      return treeOf(value);
    case 'aggregated':
      return aggregatedOf(value);
    case 'sample':
      return metricsOf(value);
    case 'metadata':
      return metadataOf(value);
    case 'env':
    case 'summary':
    case 'syscalls': // --interval-report deltas: the tree records carry the same counts
      return { type: 'ignored' };
    case undefined:
      break;
    default:
      return undefined;
  }
  if ('aggregated' in value) return treeOf(value);
  return aggregatedOf(value) ?? metricsOf(value) ?? metadataOf(value);
}
