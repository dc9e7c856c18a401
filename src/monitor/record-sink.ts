/**
 * Where the records of a monitored run go: stdout (--json) and the -o file,
 * one JSON line each, in order. Lines are built with JSON.stringify: a tree
 * record is small, and sampling must stay cheap (the closing summary, which
 * can be large, is streamed by src/report/json.ts).
 *
 * A target that fails (stdout piped into `head`, which exits: EPIPE) is
 * dropped, as SIGPIPE would end a C program's output, and the run goes on:
 * the command is not left orphaned and its exit status still passes through.
 */
import type { Writable } from 'node:stream';
import { classifyRecord } from '../stats/classify.js';
import { StatisticsBuilder } from '../stats/summary.js';
import type { MonitorRecord } from './records.js';

export class RecordSink {
  readonly #targets: Writable[];
  readonly #broken = new Set<Writable>();
  /** The run summary, fed with exactly what is written (so `stats FILE` agrees). */
  readonly statistics = new StatisticsBuilder();

  constructor(targets: (Writable | undefined)[]) {
    this.#targets = targets.filter((t): t is Writable => t !== undefined);
    for (const target of this.#targets) {
      target.on('error', () => this.#broken.add(target));
    }
  }

  /** False once writing to target has failed. */
  writable(target: Writable): boolean {
    return !this.#broken.has(target);
  }

  write(record: MonitorRecord): void {
    if (this.#targets.length > 0) {
      const line = JSON.stringify(record) + '\n';
      for (const target of this.#targets) if (!this.#broken.has(target)) target.write(line);
    }
    const classified = classifyRecord(record);
    if (classified?.type === 'metadata') this.statistics.setStart(classified.t0Ms);
    else if (classified?.type === 'aggregated') this.statistics.addAggregated(classified.point);
    else if (classified?.type === 'metrics') this.statistics.addSingle(classified.point);
  }
}
