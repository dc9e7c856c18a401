/**
 * One monitored process tree, from the first record to the last sample:
 * env? and metadata, then a tree (or sample) record per tick and one when
 * monitoring ends, with the live view kept up to date. Used by `run` (the
 * command started by tsdenet) and `attach` (a running process).
 */
import { performance } from 'node:perf_hooks';
import type { SampleTotals } from '../bpf/counter.js';
import type { Arch } from '../syscalls/names.js';
import type { RunStatistics } from '../stats/summary.js';
import { EbpfSampler } from './ebpf-sampler.js';
import { collectEnv } from './env.js';
import { LiveView } from './live-view.js';
import type { RecordSink } from './record-sink.js';
import type { MetadataRecord } from './records.js';
import { TreeSampler } from './sampler.js';
import { runSamplingLoop } from './sampling-loop.js';
import { IntervalReporter } from './interval-report.js';

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
}

/** Syscall counts for aggregated.ebpf: a counter to read, or why there is none. */
export interface EbpfSource {
  sample?: () => SampleTotals;
  error?: string;
}

export interface MonitorTarget {
  pid: number;
  mode: 'run' | 'attach';
  metadata: Omit<MetadataRecord, 'kind' | 'pid'>;
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

export class MonitorSession {
  readonly #settings: MonitorSettings;
  readonly #sink: RecordSink;
  readonly #view: LiveView | undefined;
  #timedOut = false;
  #sampler: TreeSampler | undefined;

  constructor(settings: MonitorSettings, sink: RecordSink, stderr: NodeJS.WriteStream = process.stderr) {
    this.#settings = settings;
    this.#sink = sink;
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
   * The tree's running processes as of the last sample, root first (empty
   * when not monitoring): what a second Ctrl-C kills and --wait-tree waits for.
   */
  runningPids(): number[] {
    return this.#sampler?.runningPids() ?? [];
  }

  /** The run summary of everything written so far (undefined before any sample). */
  statistics(): RunStatistics | undefined {
    return this.#sink.statistics.result();
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
        this.#sink.write(reporter.next(sample().bySlot, performance.now(), Date.now()));
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
    const ebpf = target.ebpf && !s.excludeChildren ? new EbpfSampler(target.ebpf, s.arch, s.top) : undefined;
    const sampler = new TreeSampler({
      rootPid: target.pid,
      mode: target.mode,
      excludeChildren: s.excludeChildren,
      sinceProcessStart: s.sinceProcessStart,
      ebpf: ebpf && ((elapsed) => ebpf.field(elapsed)),
    });
    this.#sampler = sampler;
    let stopReports = (): void => undefined;
    try {
      if (s.writeEnv) this.#sink.write(collectEnv(target.pid));
      this.#sink.write({ kind: 'metadata', pid: target.pid, ...target.metadata });
      const startMs = performance.now();
      let lastTotal = 0;
      let lastAt = startMs;
      const take = (): void => {
        ebpf?.read();
        const outcome = sampler.sample(ebpf?.liveTgids);
        this.#sink.write(outcome.record);
        const now = performance.now();
        const total = outcome.aggregated.ebpf?.syscalls?.total;
        const rate = total === undefined || now <= lastAt ? undefined : ((total - lastTotal) * 1000) / (now - lastAt);
        lastTotal = total ?? 0;
        lastAt = now;
        this.#view?.update({
          aggregated: outcome.aggregated,
          elapsedSecs: (now - startMs) / 1000,
          syscallRate: rate,
          single: s.excludeChildren,
        });
      };
      stopReports = this.#startIntervalReports(target.ebpf, startMs);
      // The first sample at once, as denet: `run` calls this in the tick that
      // forked the command, before Node can reap it, so a command that ends
      // before the first interval is seen (alive, or as a zombie when it took
      // only the few ms this tick needs), and its CPU time and I/O reach the
      // totals through tsdenet's reaped-children counters.
      take();
      this.#timedOut = await runSamplingLoop({
        intervalMs: s.intervalMs,
        maxIntervalMs: s.maxIntervalMs,
        durationSecs: s.durationSecs,
        sample: take,
        ended: target.ended,
        onDuration: () => target.onDuration(() => sampler.runningPids()),
      });
      if (target.outputDone) await target.outputDone;
      stopReports();
      take();
    } finally {
      stopReports();
      this.#sampler = undefined;
      sampler.close();
      this.#view?.finish();
    }
  }
}
