/**
 * Pure: the records of one file → everything the page shows, with the
 * numbers already computed and the gaps spelled out as notes ("no
 * samples", "no eBPF data"). Records are added one at a time, so a long
 * file is never held as text or as parsed JSON.
 */
import { describeProblem, type Problem } from '../records/read-file.js';
import { sampleOf, type ReadRecord, type ReadSummary, type ReadSummarySyscalls } from '../records/reader.js';
import type { EnvRecord, OffcpuThreadShare, RunStatistics, SyscallCount } from '../records/schema.js';
import { SummaryBuilder } from '../records/summary.js';
import { CATEGORIES } from '../syscalls/categories.js';
import { formatBytes, formatClock, formatCount, formatDuration, formatNanos, formatPercent, shellJoin } from './format.js';
import { chartPoint, type ChartPoint } from './points.js';
import { syscallDetail, type SyscallDetail } from './syscall-detail.js';
import { DEFAULT_MAX_POINTS, Downsampler } from './downsample.js';
import { timelineOf, type SyscallRate, type Timeline } from './timeline.js';

/** The eBPF section shown: the summary's, or for denet files the last sample's running counts. */
interface EbpfView {
  attachMode: string | null;
  attachPoint: string | null;
  error: string | null;
  syscalls: ReadSummarySyscalls | null;
}

export interface HeaderItem {
  label: string;
  value: string;
}

export interface Note {
  /** `missing`: a part of the report could not be drawn; `warning`: something in the file is wrong. */
  level: 'missing' | 'warning';
  text: string;
}

export interface CategoryRow {
  name: string;
  count: number;
  share: number;
}

export interface ProcessRow {
  pid: number;
  ppid: number | null;
  comm: string;
  /** Shell-quoted argv; null when the process ended before its command line was read. */
  command: string | null;
  threads: number | null;
  total: number;
  share: number;
  /** The process's most frequent syscalls, "name count" joined. */
  top: string;
}

export interface ReportModel {
  title: string;
  header: HeaderItem[];
  /** The summary of the samples (records/summary.ts): the numbers `stats` shows, in `stats` below. */
  statistics: RunStatistics | null;
  stats: HeaderItem[];
  notes: Note[];
  timeline: Timeline | null;
  syscallRate: SyscallRate | null;
  topSyscalls: SyscallCount[] | null;
  /** How many distinct syscalls the run made (the bar chart shows the top ones). */
  distinctSyscalls: number | null;
  categories: CategoryRow[] | null;
  processes: ProcessRow[] | null;
  /** Per syscall: calls, and with --errors / --latency the failures by errno and the times. */
  detail: SyscallDetail | null;
  /** --offcpu: the run's off-CPU time (SummaryBuilder's, as `stats` shows it). */
  offcpu: OffcpuView | null;
}

export interface OffcpuProcessRow {
  pid: number;
  comm: string;
  sleepingNs: number;
  runnableNs: number;
  events: number;
  /** Of the tree's off-CPU time. */
  share: number;
}

export interface OffcpuView {
  facts: HeaderItem[];
  /** denet's top_blocking_threads. */
  threads: OffcpuThreadShare[];
  /** Most off-CPU time first; null when the file has no per-process figures (denet's). */
  processes: OffcpuProcessRow[] | null;
}

export interface ModelOptions {
  /** Shown in the title when the file records no command (e.g. the file name). */
  fileLabel: string;
  /** Where a tsdenet run's summary would be beside this file (records/sidecar.ts). */
  sidecar?: string;
  maxPoints?: number;
  topSyscalls?: number;
}

const MAX_LISTED_PROBLEMS = 5;

/** Syscalls of a process, most frequent first: "read 12 · write 3". */
function topOf(bySyscall: Record<string, number>, n: number): string {
  return Object.entries(bySyscall)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, n)
    .map(([name, count]) => `${name} ${formatCount(count)}`)
    .join(' · ');
}

/** The median of values given as value → how often (the sampling intervals: few distinct values, however long the file). */
function medianOfCounts(counts: ReadonlyMap<number, number>): number | null {
  let n = 0;
  for (const c of counts.values()) n += c;
  if (n === 0) return null;
  // The value at index floor(n / 2) of the sorted values.
  let seen = 0;
  for (const [value, c] of [...counts].sort((a, b) => a[0] - b[0])) {
    seen += c;
    if (seen > Math.floor(n / 2)) return value;
  }
  return null;
}

/** The denet Summary fields of a summary record (a file without samples still has them there). */
function statisticsOf(s: ReadSummary | null): RunStatistics | undefined {
  if (s?.sample_count === undefined || s.total_time_secs === undefined) return undefined;
  return {
    total_time_secs: s.total_time_secs,
    sample_count: s.sample_count,
    max_processes: s.max_processes ?? 0,
    max_threads: s.max_threads ?? 0,
    total_disk_read_bytes: s.total_disk_read_bytes ?? 0,
    total_disk_write_bytes: s.total_disk_write_bytes ?? 0,
    total_sys_net_rx_bytes: s.total_sys_net_rx_bytes ?? 0,
    total_sys_net_tx_bytes: s.total_sys_net_tx_bytes ?? 0,
    peak_mem_rss_kb: s.peak_mem_rss_kb ?? 0,
    avg_cpu_usage: s.avg_cpu_usage ?? 0,
    time_weighted_cpu_usage: s.time_weighted_cpu_usage,
    syscall_rate_per_sec: s.syscall_rate_per_sec,
  };
}

export class ModelBuilder {
  readonly #options: ModelOptions;
  /** The samples as chart points, downsampled while read: memory bounded by maxPoints. */
  readonly #samples: Downsampler;
  /** Sampling interval (ms) → how often, for the median interval. */
  readonly #intervals = new Map<number, number>();
  /** The last sample with eBPF counts or an eBPF error (denet files: the run's eBPF section). */
  #lastEbpfPoint: ChartPoint | undefined;
  /** The summary of the samples: the one summary, as `stats` makes it. */
  readonly #statistics = new SummaryBuilder();
  #singleProcess = false;
  #summary: ReadSummary | null = null;
  #summaries = 0;
  #metadata: ReadRecord & { kind: 'metadata' } | null = null;
  #env: Partial<EnvRecord> | null = null;
  #emptySamples = 0;
  #outOfOrder = 0;
  readonly #invalid: string[] = [];
  #invalidCount = 0;
  readonly #skipped = new Map<string, number>();
  #records = 0;
  #lastTop: SyscallCount[] | undefined;
  readonly #extraWarnings: string[] = [];

  constructor(options: ModelOptions) {
    this.#options = options;
    this.#samples = new Downsampler(options.maxPoints ?? DEFAULT_MAX_POINTS);
  }

  /** How many records were taken (an error when a file has none). */
  get recordCount(): number {
    return this.#records;
  }

  add(record: ReadRecord): void {
    this.#records++;
    this.#statistics.add(record);
    switch (record.kind) {
      case 'tree':
      case 'aggregated':
      case 'sample': {
        const sample = sampleOf(record);
        // denet: a tick whose root process was unreadable is written with aggregated: null and is no sample.
        if (!sample) {
          this.#emptySamples++;
          return;
        }
        const last = this.#samples.last;
        if (last && sample.point.ts_ms < last.tsMs) {
          this.#outOfOrder++;
          return;
        }
        if (!sample.tree) this.#singleProcess = true;
        // denet writes its top list in every tree record; the last one stands for the run.
        this.#lastTop = sample.point.ebpf?.syscalls?.top_syscalls ?? this.#lastTop;
        const point = chartPoint(sample.point, sample.tree);
        if (last) this.#intervals.set(point.tsMs - last.tsMs, (this.#intervals.get(point.tsMs - last.tsMs) ?? 0) + 1);
        if (point.syscallTotal !== null || point.ebpfError !== null) this.#lastEbpfPoint = point;
        this.#samples.add(point);
        return;
      }
      case 'summary':
        // A file holding several runs: the last summary closes the last run.
        this.#summary = record;
        this.#summaries++;
        return;
      case 'metadata':
        this.#metadata ??= record;
        return;
      case 'env':
        this.#env ??= record;
        return;
      case 'syscalls':
        // --interval-report deltas: the rate chart is drawn from the tree records' cumulative counts.
        return;
    }
  }

  /** The file's metadata record, once read. */
  get metadata(): (ReadRecord & { kind: 'metadata' }) | null {
    return this.#metadata;
  }

  /** A warning about the input that is no line of it (a sidecar from another run). */
  note(text: string): void {
    this.#extraWarnings.push(text);
  }

  /** A line that is no record: invalid ones are listed (the first few), unknown kinds counted. */
  problem(problem: Problem): void {
    if (problem.kind === 'skipped') {
      this.#skipped.set(problem.reason, (this.#skipped.get(problem.reason) ?? 0) + 1);
      return;
    }
    this.#invalidCount++;
    if (this.#invalid.length < MAX_LISTED_PROBLEMS) this.#invalid.push(describeProblem(problem));
  }

  /** The eBPF section: the summary's, else the last sample's running counts (denet files). */
  #ebpf(): EbpfView | null {
    const fromSummary = this.#summary?.ebpf;
    const attach = { attachMode: fromSummary?.attach_mode ?? null, attachPoint: fromSummary?.attach_point ?? null };
    if (fromSummary && (fromSummary.syscalls?.total !== undefined || fromSummary.error !== undefined)) {
      return { ...attach, error: fromSummary.error ?? null, syscalls: fromSummary.syscalls ?? null };
    }
    const last = this.#lastEbpfPoint;
    if (!last) return fromSummary ? { ...attach, error: null, syscalls: null } : null;
    return {
      ...attach,
      error: last.syscallTotal !== null ? null : last.ebpfError,
      syscalls: last.syscallTotal !== null ? { total: last.syscallTotal, by_category: last.syscallsByCategory ?? undefined, top_syscalls: this.#lastTop } : null,
    };
  }

  #t0Ms(): number | null {
    return this.#metadata?.t0_ms ?? this.#summary?.t0_ms ?? this.#samples.buckets[0]?.point.tsMs ?? null;
  }

  #command(): string[] | null {
    return this.#summary?.command ?? this.#metadata?.cmd ?? null;
  }

  #header(ebpf: EbpfView | null): HeaderItem[] {
    const s = this.#summary;
    const items: HeaderItem[] = [];
    const add = (label: string, value: string | null | undefined) => {
      if (value != null && value !== '') items.push({ label, value });
    };
    const command = this.#command();
    add('Command', command ? shellJoin(command) : 'not recorded');
    add('Executable', s?.executable ?? this.#metadata?.executable);
    add('PID', String(s?.pid ?? this.#metadata?.pid ?? '') || null);
    add('Exit', this.#exit());
    // The command's own run time; the samples' Duration is in the summary below.
    add('Wall time', s?.wall_time_secs === undefined ? null : formatDuration(s.wall_time_secs));
    const t0 = this.#t0Ms();
    add('Started', t0 === null ? null : formatClock(t0));
    const kernel = s?.kernel ?? this.#env?.kernel;
    add('Kernel', kernel ? (s?.arch ? `${kernel} (${s.arch})` : kernel) : 'not recorded');
    add('Host', this.#env?.host);
    add('CPU', this.#env?.lscpu?.model);
    add('Attach mode', this.#attach(ebpf));
    add('Written by', s?.tsdenet_version ? `tsdenet ${s.tsdenet_version}` : s ? 'denet (stats summary)' : this.#samples.count > 0 ? 'denet or tsdenet (no summary record)' : null);
    return items;
  }

  #exit(): string {
    const s = this.#summary;
    if (!s) return 'not recorded (no summary record)';
    let text: string;
    if (s.signal) text = `killed by ${s.signal}${s.exit_status !== undefined ? ` (exit status ${s.exit_status})` : ''}`;
    else if (typeof s.exit_code === 'number') text = `exit code ${s.exit_code}`;
    else if (s.mode === 'attach') text = 'not known (attached: not tsdenet\'s child)';
    else if (s.exit_status !== undefined) text = `exit status ${s.exit_status}`;
    else text = 'not recorded';
    if (s.interrupted) text += ', interrupted (tsdenet forwarded a signal to the command)';
    return text;
  }

  #attach(ebpf: EbpfView | null): string {
    if (!ebpf) return 'eBPF not enabled';
    if (ebpf.error !== null && ebpf.syscalls === null) return 'eBPF not available';
    if (ebpf.attachMode) return ebpf.attachPoint ? `${ebpf.attachMode} (${ebpf.attachPoint})` : ebpf.attachMode;
    return 'not recorded';
  }

  /** The summary numbers: the one summary's (records/summary.ts), the same `stats` prints for this file. */
  #stats(statistics: RunStatistics | undefined, ebpf: EbpfView | null, interval: number | null): HeaderItem[] {
    const items: HeaderItem[] = [];
    const add = (label: string, value: number | null | undefined, format: (n: number) => string) => {
      if (value != null) items.push({ label, value: format(value) });
    };
    const st = statistics;
    add('Duration', st?.total_time_secs, formatDuration);
    add('Samples', st?.sample_count, formatCount);
    add('Sampling interval', interval, (ms) => `${formatCount(ms)} ms (median)`);
    add('Peak RSS', st?.peak_mem_rss_kb, (kb) => formatBytes(kb * 1024));
    add('Average CPU', st?.avg_cpu_usage, (v) => `${formatPercent(v)} (mean of samples)`);
    add('CPU, time-weighted', st?.time_weighted_cpu_usage, (v) => formatPercent(v));
    add('Max processes', st?.max_processes, formatCount);
    add('Max threads', st?.max_threads, formatCount);
    add('Disk read', st?.total_disk_read_bytes, formatBytes);
    add('Disk written', st?.total_disk_write_bytes, formatBytes);
    add('Network received (namespace)', st?.total_sys_net_rx_bytes, formatBytes);
    add('Network sent (namespace)', st?.total_sys_net_tx_bytes, formatBytes);
    add('Syscalls', ebpf?.syscalls?.total, formatCount);
    add('Syscall rate', st?.syscall_rate_per_sec, (r) => `${formatCount(r)} /s`);
    return items;
  }

  #notes(ebpf: EbpfView | null, decreasing: number, samplesPerPoint: number): Note[] {
    const notes: Note[] = [];
    const missing = (text: string) => notes.push({ level: 'missing', text });
    const warning = (text: string) => notes.push({ level: 'warning', text });
    const n = this.#samples.count;

    if (n === 0) {
      missing('no samples: this file has no tree or sample records, so there are no timelines (a run writes its first sample as soon as the command starts: was this one cut short before it?)');
    }
    else if (n === 1) missing('only one sample: the disk, network and syscall rates need at least two');
    if (this.#singleProcess) {
      missing('single-process samples (--exclude-children): the timelines show the main process only, and the process count and syscall timeline are not recorded');
    }
    if (this.#emptySamples > 0) warning(`${formatCount(this.#emptySamples)} tree record(s) had no aggregated metrics (the root process was unreadable) and were skipped`);
    if (this.#outOfOrder > 0) warning(`${formatCount(this.#outOfOrder)} sample(s) went back in time and were left out of the charts (is this several runs in one file?)`);
    if (decreasing > 0) warning(`a cumulative counter went down in ${formatCount(decreasing)} interval(s) (processes that left the tree take their counts with them in denet files): those rates are left blank`);
    if (samplesPerPoint > 1) {
      warning(`${formatCount(n)} samples: each point of the timelines stands for ${samplesPerPoint} samples; CPU, memory and counts show their highest value, the rates their average`);
    }

    if (!this.#summary) {
      const sidecar = this.#options.sidecar ? `, its summary is in ${this.#options.sidecar}, not found,` : '';
      missing(`no summary record: the exit status and per-process counts are unknown (the run may not have finished${sidecar} or this is a denet file)`);
    }
    else if (this.#summaries > 1) warning(`${this.#summaries} summary records (several runs in one file?): the header shows the last`);

    if (!ebpf) missing('no eBPF data: run with --enable-ebpf to count syscalls');
    else if (ebpf.syscalls === null) missing(`no eBPF data: ${ebpf.error ? `eBPF could not be used: ${ebpf.error}` : 'the eBPF section holds no syscall counts'}`);
    else {
      const sc = ebpf.syscalls;
      if (n > 1 && !this.#samples.anySyscalls) missing('no syscall timeline: the samples carry no running syscall counts (only the summary has them)');
      if (!sc.processes) missing('no per-process syscall counts (denet files do not record them)');
      if (sc.dropped) warning(`${formatCount(sc.dropped)} syscalls were counted but lost because the counts map was full (raise --max-entries)`);
      if (sc.untracked_threads) warning(`${formatCount(sc.untracked_threads)} thread(s) could not be tracked: their syscalls are missing`);
      if (sc.errors?.lost) warning(`${formatCount(sc.errors.lost)} failed call(s) were not counted by errno because the errors map was full`);
      if (sc.lost_thread_info) warning(`${formatCount(sc.lost_thread_info)} exited thread(s) lost their name and parent`);
    }

    for (const text of this.#extraWarnings) warning(text);
    for (const text of this.#invalid) warning(`${text} (ignored)`);
    if (this.#invalidCount > this.#invalid.length) warning(`and ${formatCount(this.#invalidCount - this.#invalid.length)} more invalid line(s) (ignored)`);
    for (const [reason, count] of this.#skipped) warning(`${formatCount(count)} line(s) skipped: ${reason}`);
    return notes;
  }

  #topSyscalls(ebpf: EbpfView | null): { top: SyscallCount[] | null; distinct: number | null } {
    const n = this.#options.topSyscalls ?? 25;
    const bySyscall = ebpf?.syscalls?.by_syscall;
    if (bySyscall) {
      const all = Object.entries(bySyscall)
        .map(([name, count]) => ({ name, count }))
        .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
      return { top: all.length > 0 ? all.slice(0, n) : null, distinct: all.length };
    }
    const top = ebpf?.syscalls?.top_syscalls;
    return { top: top && top.length > 0 ? top.slice(0, n) : null, distinct: null };
  }

  #categories(ebpf: EbpfView | null): CategoryRow[] | null {
    const by: Record<string, number> | undefined = ebpf?.syscalls?.by_category;
    if (!by) return null;
    const sum = Object.values(by).reduce((a, b) => a + b, 0);
    const known: readonly string[] = CATEGORIES;
    const names = [...known.filter((c) => c in by), ...Object.keys(by).filter((c) => !known.includes(c)).sort()];
    return names.map((name) => ({ name, count: by[name] ?? 0, share: sum > 0 ? (by[name] ?? 0) / sum : 0 }));
  }

  #processes(ebpf: EbpfView | null): ProcessRow[] | null {
    const list = ebpf?.syscalls?.processes;
    if (!list) return null;
    const total = ebpf.syscalls?.total ?? list.reduce((a, p) => a + p.total, 0);
    return list.map((p) => ({
      pid: p.pid,
      ppid: p.ppid,
      comm: p.comm ?? '',
      command: p.argv ? shellJoin(p.argv) : null,
      threads: p.threads,
      total: p.total,
      share: total > 0 ? p.total / total : 0,
      top: topOf(p.by_syscall, 3),
    }));
  }

  #offcpu(ebpf: EbpfView | null): OffcpuView | null {
    const o = this.#statistics.offcpu();
    if (!o) return null;
    const total = o.total_time_ns;
    const facts: HeaderItem[] = [{ label: 'Off CPU, all threads', value: formatNanos(total) }];
    if (o.sleeping_ns !== undefined) facts.push({ label: 'Sleeping or blocked', value: `${formatNanos(o.sleeping_ns)} (${formatPercent(total > 0 ? o.sleeping_ns / total : 0, true)})` });
    if (o.runnable_ns !== undefined) facts.push({ label: 'Preempted while runnable', value: `${formatNanos(o.runnable_ns)} (${formatPercent(total > 0 ? o.runnable_ns / total : 0, true)})` });
    if (o.total_events !== undefined) facts.push({ label: 'Intervals off CPU', value: formatCount(o.total_events) });
    if (o.avg_time_ns !== undefined) facts.push({ label: 'Mean interval', value: formatNanos(o.avg_time_ns) });
    if (o.max_time_ns !== undefined) facts.push({ label: 'Longest interval', value: formatNanos(o.max_time_ns) });
    const listed = ebpf?.syscalls?.processes?.filter((p) => p.offcpu);
    const processes = listed && listed.length > 0
      ? listed
          .map((p) => ({ pid: p.pid, comm: p.comm ?? '', sleepingNs: p.offcpu!.sleeping_ns, runnableNs: p.offcpu!.runnable_ns, events: p.offcpu!.events, share: total > 0 ? (p.offcpu!.sleeping_ns + p.offcpu!.runnable_ns) / total : 0 }))
          .sort((a, b) => b.sleepingNs + b.runnableNs - (a.sleepingNs + a.runnableNs) || a.pid - b.pid)
      : null;
    return { facts, threads: o.top_blocking_threads ?? [], processes };
  }

  build(): ReportModel {
    const ebpf = this.#ebpf();
    const t0 = this.#t0Ms() ?? 0;
    const built = this.#samples.count > 0 ? timelineOf(this.#samples, t0) : null;
    const { top, distinct } = this.#topSyscalls(ebpf);
    const command = this.#command();
    const statistics = this.#statistics.result() ?? statisticsOf(this.#summary);
    return {
      title: `tsdenet report: ${command ? shellJoin(command) : this.#options.fileLabel}`,
      header: this.#header(ebpf),
      statistics: statistics ?? null,
      stats: this.#stats(statistics, ebpf, medianOfCounts(this.#intervals)),
      notes: this.#notes(ebpf, built?.decreasingIntervals ?? 0, built?.timeline.samplesPerPoint ?? 1),
      timeline: built?.timeline ?? null,
      syscallRate: built?.syscallRate ?? null,
      topSyscalls: top,
      distinctSyscalls: distinct,
      categories: this.#categories(ebpf),
      processes: this.#processes(ebpf),
      detail: syscallDetail(ebpf?.syscalls),
      offcpu: this.#offcpu(ebpf),
    };
  }
}
