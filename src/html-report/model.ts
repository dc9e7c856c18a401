/**
 * Pure: the records of one file → everything the page shows, with the
 * numbers already computed and the gaps spelled out as notes ("no
 * samples", "no eBPF data"). Records are added one at a time, so a long
 * file is never held as text or as parsed JSON.
 */
import { formatBytes, formatClock, formatCount, formatDuration, formatPercent, shellJoin } from './format.js';
import { genericTables, type GenericTable } from './generic-tables.js';
import type { EbpfInfo, EnvInfo, MetadataInfo, ReportRecord, SamplePoint, SummaryInfo, SyscallCount } from './records.js';
import { buildTimeline, DEFAULT_MAX_POINTS, type SyscallRate, type Timeline } from './timeline.js';
import { CATEGORIES } from '../syscalls/categories.js';

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
  command: string;
  threads: number | null;
  total: number;
  share: number;
  /** The process's most frequent syscalls, "name count" joined. */
  top: string;
}

export interface ReportModel {
  title: string;
  header: HeaderItem[];
  stats: HeaderItem[];
  notes: Note[];
  timeline: Timeline | null;
  syscallRate: SyscallRate | null;
  topSyscalls: SyscallCount[] | null;
  /** How many distinct syscalls the run made (the bar chart shows the top ones). */
  distinctSyscalls: number | null;
  categories: CategoryRow[] | null;
  processes: ProcessRow[] | null;
  errors: GenericTable[];
  latency: GenericTable[];
}

export interface ModelOptions {
  /** Shown in the title when the file records no command (e.g. the file name). */
  fileLabel: string;
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

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? null;
}

function lastValue(points: readonly SamplePoint[], read: (p: SamplePoint) => number | null): number | null {
  for (let i = points.length - 1; i >= 0; i--) {
    const v = read(points[i]!);
    if (v !== null) return v;
  }
  return null;
}

function maxValue(points: readonly SamplePoint[], read: (p: SamplePoint) => number | null): number | null {
  let max: number | null = null;
  for (const p of points) {
    const v = read(p);
    if (v !== null && (max === null || v > max)) max = v;
  }
  return max;
}

export class ModelBuilder {
  readonly #options: ModelOptions;
  readonly #points: SamplePoint[] = [];
  readonly #sources = new Set<string>();
  #summary: SummaryInfo | null = null;
  #summaries = 0;
  #metadata: MetadataInfo | null = null;
  #env: EnvInfo | null = null;
  #emptySamples = 0;
  #outOfOrder = 0;
  readonly #invalid: { line: number; reason: string }[] = [];
  #invalidCount = 0;
  readonly #skipped = new Map<string, number>();

  constructor(options: ModelOptions) {
    this.#options = options;
  }

  /** How many records were taken (an error when a file has none). */
  get recordCount(): number {
    return this.#points.length + this.#summaries + this.#emptySamples + (this.#metadata ? 1 : 0) + (this.#env ? 1 : 0);
  }

  add(record: ReportRecord): void {
    switch (record.type) {
      case 'sample': {
        const last = this.#points[this.#points.length - 1];
        if (last && record.point.tsMs < last.tsMs) {
          this.#outOfOrder++;
          return;
        }
        this.#sources.add(record.source);
        this.#points.push(record.point);
        return;
      }
      case 'summary':
        // A file holding several runs: the last summary closes the last run.
        this.#summary = record.summary;
        this.#summaries++;
        return;
      case 'metadata':
        this.#metadata ??= record.metadata;
        return;
      case 'env':
        this.#env ??= record.env;
        return;
      case 'syscall-interval':
        return;
      case 'empty-sample':
        this.#emptySamples++;
        return;
    }
  }

  invalid(line: number, reason: string): void {
    this.#invalidCount++;
    if (this.#invalid.length < MAX_LISTED_PROBLEMS) this.#invalid.push({ line, reason });
  }

  skipped(reason: string): void {
    this.#skipped.set(reason, (this.#skipped.get(reason) ?? 0) + 1);
  }

  /** The eBPF section: the summary's, else the last sample's running counts (denet files). */
  #ebpf(): EbpfInfo | null {
    const fromSummary = this.#summary?.ebpf ?? null;
    if (fromSummary && (fromSummary.total !== null || fromSummary.error !== null)) return fromSummary;
    const last = [...this.#points].reverse().find((p) => p.syscalls !== null || p.ebpfError !== null);
    if (!last) return fromSummary;
    return {
      attachMode: fromSummary?.attachMode ?? null,
      attachPoint: fromSummary?.attachPoint ?? null,
      error: last.syscalls ? null : last.ebpfError,
      total: last.syscalls?.total ?? null,
      byCategory: last.syscalls?.byCategory ?? null,
      topSyscalls: last.syscalls?.topSyscalls ?? null,
      bySyscall: null,
      processes: null,
      dropped: null,
      untrackedThreads: null,
      lostThreadInfo: null,
      errors: null,
      latency: null,
    };
  }

  #t0Ms(): number | null {
    return this.#metadata?.t0Ms ?? this.#summary?.t0Ms ?? this.#points[0]?.tsMs ?? null;
  }

  #durationSecs(): number | null {
    const s = this.#summary;
    if (s?.wallTimeSecs != null) return s.wallTimeSecs;
    if (s?.totalTimeSecs != null) return s.totalTimeSecs;
    const first = this.#points[0];
    const last = this.#points[this.#points.length - 1];
    return first && last ? (last.tsMs - first.tsMs) / 1000 : null;
  }

  #command(): string[] | null {
    return this.#summary?.command ?? this.#metadata?.cmd ?? null;
  }

  #header(ebpf: EbpfInfo | null): HeaderItem[] {
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
    const duration = this.#durationSecs();
    add('Duration', duration === null ? 'unknown' : formatDuration(duration));
    const t0 = this.#t0Ms();
    add('Started', t0 === null ? null : formatClock(t0));
    const kernel = s?.kernel ?? this.#env?.kernel;
    add('Kernel', kernel ? (s?.arch ? `${kernel} (${s.arch})` : kernel) : 'not recorded');
    add('Host', this.#env?.host);
    add('CPU', this.#env?.cpuModel);
    add('Attach mode', this.#attach(ebpf));
    add('Written by', s?.tsdenetVersion ? `tsdenet ${s.tsdenetVersion}` : s ? 'denet (stats summary)' : this.#points.length > 0 ? 'denet or tsdenet (no summary record)' : null);
    return items;
  }

  #exit(): string {
    const s = this.#summary;
    if (!s) return 'not recorded (no summary record)';
    let text: string;
    if (s.signal) text = `killed by ${s.signal}${s.exitStatus !== null ? ` (exit status ${s.exitStatus})` : ''}`;
    else if (s.exitCode !== null) text = `exit code ${s.exitCode}`;
    else if (s.exitStatus !== null) text = `exit status ${s.exitStatus}`;
    else text = 'not recorded';
    if (s.interrupted) text += ', interrupted (tsdenet forwarded a signal to the command)';
    return text;
  }

  #attach(ebpf: EbpfInfo | null): string {
    if (!ebpf) return 'eBPF not enabled';
    if (ebpf.error !== null && ebpf.total === null) return 'eBPF not available';
    if (ebpf.attachMode) return ebpf.attachPoint ? `${ebpf.attachMode} (${ebpf.attachPoint})` : ebpf.attachMode;
    return 'not recorded';
  }

  #stats(ebpf: EbpfInfo | null, interval: number | null): HeaderItem[] {
    const p = this.#points;
    const s = this.#summary;
    const items: HeaderItem[] = [];
    const add = (label: string, value: number | null | undefined, format: (n: number) => string) => {
      if (value != null) items.push({ label, value: format(value) });
    };
    // From the samples when there are any, so the numbers match the charts; else the summary's.
    const has = p.length > 0;
    add('Samples', has ? p.length : s?.sampleCount, formatCount);
    add('Sampling interval', interval, (ms) => `${formatCount(ms)} ms (median)`);
    add('Peak RSS', has ? maxValue(p, (x) => x.rssKb) : s?.peakRssKb, (kb) => formatBytes(kb * 1024));
    const cpus = p.map((x) => x.cpuPercent).filter((v): v is number => v !== null);
    add('Average CPU', has ? (cpus.length > 0 ? cpus.reduce((a, b) => a + b, 0) / cpus.length : null) : s?.avgCpuPercent, (v) => formatPercent(v));
    add('Max processes', has ? maxValue(p, (x) => x.processes) : s?.maxProcesses, formatCount);
    add('Max threads', has ? maxValue(p, (x) => x.threads) : s?.maxThreads, formatCount);
    add('Disk read', has ? lastValue(p, (x) => x.diskReadBytes) : s?.totalDiskReadBytes, formatBytes);
    add('Disk written', has ? lastValue(p, (x) => x.diskWriteBytes) : s?.totalDiskWriteBytes, formatBytes);
    add('Network received', has ? lastValue(p, (x) => x.netRxBytes) : s?.totalNetRxBytes, formatBytes);
    add('Network sent', has ? lastValue(p, (x) => x.netTxBytes) : s?.totalNetTxBytes, formatBytes);
    add('Syscalls', ebpf?.total, formatCount);
    const duration = this.#durationSecs();
    if (ebpf?.total != null && duration !== null && duration > 0) add('Syscall rate', ebpf.total / duration, (r) => `${formatCount(r)} /s`);
    return items;
  }

  #notes(ebpf: EbpfInfo | null, decreasing: number, samplesPerPoint: number): Note[] {
    const notes: Note[] = [];
    const missing = (text: string) => notes.push({ level: 'missing', text });
    const warning = (text: string) => notes.push({ level: 'warning', text });
    const n = this.#points.length;

    if (n === 0) {
      missing('no samples: this file has no tree or sample records, so there are no timelines (a run writes its first sample as soon as the command starts: was this one cut short before it?)');
    }
    else if (n === 1) missing('only one sample: the disk, network and syscall rates need at least two');
    if (this.#sources.has('sample') || this.#sources.has('legacy-metrics')) {
      missing('single-process samples (--exclude-children): the timelines show the main process only, and the process count and syscall timeline are not recorded');
    }
    if (this.#emptySamples > 0) warning(`${formatCount(this.#emptySamples)} tree record(s) had no aggregated metrics (the root process was unreadable) and were skipped`);
    if (this.#outOfOrder > 0) warning(`${formatCount(this.#outOfOrder)} sample(s) went back in time and were skipped (is this several runs in one file?)`);
    if (decreasing > 0) warning(`a cumulative counter went down in ${formatCount(decreasing)} interval(s) (processes that left the tree take their counts with them in denet files): those rates are left blank`);
    if (samplesPerPoint > 1) {
      warning(`${formatCount(n)} samples: each point of the timelines stands for ${samplesPerPoint} samples; CPU, memory and counts show their highest value, the rates their average`);
    }

    if (!this.#summary) missing('no summary record: the exit status and per-process counts are unknown (the run may not have finished, or this is a denet file)');
    else if (this.#summaries > 1) warning(`${this.#summaries} summary records (several runs in one file?): the header shows the last`);

    if (!ebpf) missing('no eBPF data: run with --enable-ebpf to count syscalls');
    else if (ebpf.total === null) missing(`no eBPF data: ${ebpf.error ? `eBPF could not be used: ${ebpf.error}` : 'the eBPF section holds no syscall counts'}`);
    else {
      if (n > 1 && !this.#points.some((p) => p.syscalls !== null)) missing('no syscall timeline: the samples carry no running syscall counts (only the summary has them)');
      if (!ebpf.processes) missing('no per-process syscall counts (denet files do not record them)');
      if (ebpf.dropped) warning(`${formatCount(ebpf.dropped)} syscalls were counted but lost because the counts map was full (raise --max-entries)`);
      if (ebpf.untrackedThreads) warning(`${formatCount(ebpf.untrackedThreads)} thread(s) could not be tracked: their syscalls are missing`);
      if (ebpf.lostThreadInfo) warning(`${formatCount(ebpf.lostThreadInfo)} exited thread(s) lost their name and parent`);
    }

    for (const { line, reason } of this.#invalid) warning(`line ${line}: ${reason} (ignored)`);
    if (this.#invalidCount > this.#invalid.length) warning(`and ${formatCount(this.#invalidCount - this.#invalid.length)} more invalid line(s) (ignored)`);
    for (const [reason, count] of this.#skipped) warning(`${formatCount(count)} line(s) skipped: ${reason}`);
    return notes;
  }

  #topSyscalls(ebpf: EbpfInfo | null): { top: SyscallCount[] | null; distinct: number | null } {
    const n = this.#options.topSyscalls ?? 25;
    if (ebpf?.bySyscall) {
      const all = Object.entries(ebpf.bySyscall)
        .map(([name, count]) => ({ name, count }))
        .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
      return { top: all.length > 0 ? all.slice(0, n) : null, distinct: all.length };
    }
    const top = ebpf?.topSyscalls;
    return { top: top && top.length > 0 ? top.slice(0, n) : null, distinct: null };
  }

  #categories(ebpf: EbpfInfo | null): CategoryRow[] | null {
    const by = ebpf?.byCategory;
    if (!by) return null;
    const sum = Object.values(by).reduce((a, b) => a + b, 0);
    const known: readonly string[] = CATEGORIES;
    const names = [...known.filter((c) => c in by), ...Object.keys(by).filter((c) => !known.includes(c)).sort()];
    return names.map((name) => ({ name, count: by[name] ?? 0, share: sum > 0 ? (by[name] ?? 0) / sum : 0 }));
  }

  #processes(ebpf: EbpfInfo | null): ProcessRow[] | null {
    const list = ebpf?.processes;
    if (!list) return null;
    const total = ebpf.total ?? list.reduce((a, p) => a + p.total, 0);
    return list.map((p) => ({
      pid: p.pid,
      ppid: p.ppid,
      comm: p.comm ?? '',
      command: p.argv ? shellJoin(p.argv) : '',
      threads: p.threads,
      total: p.total,
      share: total > 0 ? p.total / total : 0,
      top: topOf(p.bySyscall, 3),
    }));
  }

  build(): ReportModel {
    const ebpf = this.#ebpf();
    const t0 = this.#t0Ms() ?? 0;
    const built = this.#points.length > 0 ? buildTimeline(this.#points, t0, this.#options.maxPoints ?? DEFAULT_MAX_POINTS) : null;
    const intervals = this.#points.slice(1).map((p, i) => p.tsMs - this.#points[i]!.tsMs);
    const { top, distinct } = this.#topSyscalls(ebpf);
    const command = this.#command();
    return {
      title: `tsdenet report: ${command ? shellJoin(command) : this.#options.fileLabel}`,
      header: this.#header(ebpf),
      stats: this.#stats(ebpf, median(intervals)),
      notes: this.#notes(ebpf, built?.decreasingIntervals ?? 0, built?.timeline.samplesPerPoint ?? 1),
      timeline: built?.timeline ?? null,
      syscallRate: built?.syscallRate ?? null,
      topSyscalls: top,
      distinctSyscalls: distinct,
      categories: this.#categories(ebpf),
      processes: this.#processes(ebpf),
      errors: genericTables('Errors', ebpf?.errors),
      latency: genericTables('Latency', ebpf?.latency),
    };
  }
}
