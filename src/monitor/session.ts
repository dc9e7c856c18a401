/**
 * One monitored process tree, from the first record to the last sample:
 * env? and metadata, then a tree (or sample) record per tick and one when
 * monitoring ends, with the live view kept up to date. Used by `run` (the
 * command started by tsdenet) and `attach` (a running process).
 *
 * Every record is handed to `emit` (where it goes is the caller's
 * business) and fed to the run's summary, the same summary `stats` makes of
 * the saved file.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DenetRecord, MetadataRecord, RunStatistics, SampleRecord, SyscallIntervalRecord, TreeRecord } from '../records/schema.js';
import { SummaryBuilder } from '../records/summary.js';
import type { Arch } from '../syscalls/names.js';
import { EbpfSampler, type EbpfSource } from './ebpf-sampler.js';
import { collectEnv } from './env.js';
import { IntervalReporter } from './interval-report.js';
import { LiveView } from './live-view.js';
import { MIN_WINDOW_MS } from './cpu-rate.js';
import { openMonitoring, TreeSampler, type Opening } from './sampler.js';
import { runSamplingLoop } from './sampling-loop.js';
import { GpuSampler, gpuMetricsFor } from './gpu.js';
import { MemorySignals, prepareMemorySignals } from './memory-signals.js';

export interface MonitorSettings {
  intervalMs: number;
  maxIntervalMs: number;
  durationSecs: number;
  noUpdate: boolean;
  sinceProcessStart: boolean;
  excludeChildren: boolean;
  writeEnv: boolean;
  /** Human live view on stderr (off with --json or --quiet). */
  live: boolean;
  top: number;
  arch: Arch;
  /** --interval-report: a `syscalls` record of deltas every this many ms (eBPF only). */
  intervalReportMs?: number;
  /**
   * --no-polling (denet's event-driven mode): no sample until monitoring
   * ends, then the closing one alone: the run's only tree (or sample) record.
   */
  noPolling?: boolean;
}

export interface MonitorTarget {
  pid: number;
  mode: 'run' | 'attach';
  /** The metadata record but its time, which is the opening's. */
  metadata: Omit<MetadataRecord, 'kind' | 'pid' | 't0_ms'>;
  /** Settles when monitoring must end (the command exited, Ctrl-C). */
  ended: Promise<unknown>;
  /**
   * --duration reached: run stops the command and samples until it ends;
   * attach just stops. treePids: the tree's running processes, root first.
   */
  onDuration: (treePids: () => number[]) => 'stop' | 'continue';
  /** Settles when the command's relayed output is all written (run). */
  outputDone?: Promise<unknown>;
  ebpf?: EbpfSource;
}

/** Where the records go (stdout, the -o file, its sidecar: the caller decides). */
export type RecordWriter = (record: DenetRecord | SyscallIntervalRecord) => void;

export class MonitorSession {
  readonly #settings: MonitorSettings;
  readonly #emit: RecordWriter;
  readonly #view: LiveView | undefined;
  readonly #summary = new SummaryBuilder();
  #timedOut = false;
  #sampler: TreeSampler | undefined;
  #commandLines: ReadonlyMap<number, string[]> = new Map();
  #opening: Opening | undefined;
  #lastTsMs: number | undefined;
  /** NVML, opened by open() (before the fork under run). */
  #gpu: ReturnType<typeof GpuSampler.open> | undefined;

  constructor(settings: MonitorSettings, emit: RecordWriter, stderr: NodeJS.WriteStream = process.stderr) {
    this.#settings = settings;
    this.#emit = emit;
    this.#view = settings.live ? new LiveView({ stream: stderr, linePerSample: settings.noUpdate }) : undefined;
  }

  /** The command's output must go through relayOutput (the live line is redrawn in place). */
  get relaysOutput(): boolean {
    return this.#view?.needsRelay ?? false;
  }

  relayOutput(target: NodeJS.WritableStream, chunk: Buffer): void {
    if (this.#view) this.#view.relayOutput(target, chunk);
    else target.write(chunk);
  }

  get timedOut(): boolean {
    return this.#timedOut;
  }

  /**
   * Monitoring begins now (`run`: just before the fork, so the first
   * window holds the command's first moments); at the first sample if not called.
   */
  open(): void {
    // What does not need the command is prepared first, outside the first sample's window.
    this.#gpu = GpuSampler.open();
    prepareMemorySignals();
    this.#opening = openMonitoring();
  }

  /** Seconds from the opening to the last sample: what the running rates are measured over. */
  get elapsedSecs(): number {
    return this.#opening === undefined || this.#lastTsMs === undefined ? 0 : (this.#lastTsMs - this.#opening.wallMs) / 1000;
  }

  /**
   * The command lines the samples read, by pid, exited processes included
   * (a process that ended before the run did has one only if a sample saw
   * it running); filled when monitoring ends.
   */
  get commandLines(): ReadonlyMap<number, string[]> {
    return this.#commandLines;
  }

  /** When monitoring began (metadata t0_ms), once it has. */
  get t0Ms(): number | undefined {
    return this.#opening?.wallMs;
  }

  /**
   * The tree's running processes as of the last sample, root first (empty
   * when not monitoring): what a second Ctrl-C kills and --wait-tree waits for.
   */
  runningPids(): number[] {
    return this.#sampler?.runningPids() ?? [];
  }

  /**
   * The summary of every sample written (undefined before any); syscallTotal:
   * the run's final count, when the samples do not carry it (--exclude-children).
   */
  statistics(syscallTotal?: number): RunStatistics | undefined {
    if (syscallTotal !== undefined) this.#summary.setSyscallTotal(syscallTotal);
    return this.#summary.result();
  }

  #write(record: DenetRecord | SyscallIntervalRecord): void {
    this.#emit(record);
    if (record.kind !== 'syscalls') this.#summary.add(record);
  }

  /**
   * --interval-report: a timer of its own (the sampling interval ramps up,
   * the report interval does not). Returns a function that writes the last
   * interval and stops.
   */
  #startIntervalReports(ebpf: EbpfSource | undefined, startMs: number): () => void {
    const ms = this.#settings.intervalReportMs;
    const sample = ebpf?.sample;
    if (!ms || !sample) return () => undefined;
    const reporter = new IntervalReporter(this.#settings.arch, startMs);
    const report = (): void => {
      try {
        this.#write(reporter.next(sample().bySlot, performance.now(), Date.now()));
      } catch {
        // A failed read shows in the tree records' ebpf.error; the next interval tries again.
      }
    };
    const timer = setInterval(report, ms);
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      report();
    };
  }

  /** Monitors until target.ended, then takes the closing sample. */
  async monitor(target: MonitorTarget): Promise<void> {
    const s = this.#settings;
    // With --exclude-children too: the kernel's accounting of the main process is its exact own usage.
    const ebpf = target.ebpf ? new EbpfSampler(target.ebpf, s.arch, s.top) : undefined;
    // Opened before the fork (run): the run begins with a record of that moment, when no process runs yet.
    const openedEarlier = this.#opening !== undefined;
    this.#opening ??= openMonitoring();
    const t0Ms = this.#opening.wallMs;
    const sampler = new TreeSampler({ rootPid: target.pid, mode: target.mode, excludeChildren: s.excludeChildren, sinceProcessStart: s.sinceProcessStart, opening: this.#opening, commandLines: ebpf !== undefined });
    this.#sampler = sampler;
    let stopReports = (): void => undefined;
    // First, so that the counters cover what the command starts from now on (run: just after the fork).
    const memory = MemorySignals.open(target.pid, target.mode);
    // NVML when the driver's library is there; capabilities.gpu says why not otherwise.
    const gpu = this.#gpu ?? GpuSampler.open();
    this.#gpu = undefined;
    try {
      if (s.writeEnv) this.#write(collectEnv(target.pid));
      const capabilities = { ...memory.capabilities(), ...target.metadata.capabilities, gpu: gpu.capability };
      this.#write({ kind: 'metadata', pid: target.pid, ...target.metadata, t0_ms: t0Ms, capabilities });
      // The running rate's one definition: calls since t0 over the seconds since t0.
      const ebpfField = ebpf && ((tsMs: number) => ebpf.field((tsMs - t0Ms) / 1000));
      let lastSampleMs = this.#opening.monoMs;
      if (openedEarlier && !s.noPolling) {
        const opening = sampler.openingSample(ebpfField);
        this.#lastTsMs = opening.record.ts_ms;
        this.#write(opening.record);
      }
      const take = (at?: { monoMs: number; wallMs: number }): void => {
        ebpf?.read();
        const outcome = sampler.sample({ known: ebpf?.liveTgids, ebpf: ebpfField, usage: ebpf?.usage, at });
        lastSampleMs = performance.now();
        if (gpu.sampler) addGpu(outcome.record, gpu.sampler, target.pid);
        memory.addTo(outcome.record);
        this.#lastTsMs = outcome.record.ts_ms;
        this.#write(outcome.record);
        const record = outcome.record;
        this.#view?.update({
          // The line shows what the record holds: the tree, or the main process alone (--exclude-children).
          aggregated: record.kind === 'sample' ? { ...record, process_count: 1 } : outcome.aggregated,
          elapsedSecs: (record.ts_ms - t0Ms) / 1000,
          syscallRate: outcome.aggregated.ebpf?.syscalls?.analysis?.syscall_rate_per_sec,
          single: s.excludeChildren,
        });
      };
      // attach: the first sample at once, as denet, is the opening. run: the
      // opening record was written before the fork, and the first sample
      // comes after one interval (a short command's CPU, memory and counts
      // reach the closing sample through what the kernel kept of it).
      if (!openedEarlier && !s.noPolling) take(this.#opening);
      stopReports = this.#startIntervalReports(target.ebpf, this.#opening.monoMs);
      this.#timedOut = await runSamplingLoop({
        startMs: this.#opening.monoMs,
        intervalMs: s.intervalMs,
        maxIntervalMs: s.maxIntervalMs,
        durationSecs: s.durationSecs,
        sample: take,
        polling: !s.noPolling,
        ended: target.ended,
        onDuration: () => target.onDuration(() => sampler.runningPids()),
      });
      if (target.outputDone) await target.outputDone;
      stopReports();
      // The closing window is long enough to measure a rate over (see sampling-loop.ts).
      const wait = lastSampleMs + MIN_WINDOW_MS - performance.now();
      if (wait > 0) await sleep(wait);
      take();
    } finally {
      stopReports();
      this.#commandLines = sampler.commandLines();
      this.#sampler = undefined;
      sampler.close();
      gpu.sampler?.close();
      memory.close();
      this.#view?.finish();
    }
  }
}

/**
 * The sample's `gpu`, from one NVML query: the tree's processes in
 * `aggregated.gpu`, the root's alone in its own metrics (denet gives
 * children none). A failed query leaves the sample without it.
 */
function addGpu(record: TreeRecord | SampleRecord, gpu: GpuSampler, rootPid: number): void {
  let reading;
  try {
    reading = gpu.read();
  } catch {
    return;
  }
  if (record.kind === 'sample') {
    record.gpu = gpuMetricsFor(reading, [rootPid]);
    return;
  }
  if (record.parent) record.parent.gpu = gpuMetricsFor(reading, [rootPid]);
  if (record.aggregated) record.aggregated.gpu = gpuMetricsFor(reading, [...(record.parent ? [rootPid] : []), ...record.children.map((c) => c.pid)]);
}
