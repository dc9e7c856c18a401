/**
 * Where the records of a monitored run go: stdout (--json) and the -o file,
 * one JSON line each, in order. Lines are built with JSON.stringify: a tree
 * record is small, and sampling must stay cheap (the closing summary, which
 * can be large, is streamed by src/report/json.ts).
 */
import type { Writable } from 'node:stream';
import { classifyRecord } from '../stats/classify.js';
import { StatisticsBuilder } from '../stats/summary.js';
import type { MonitorRecord } from './records.js';

export class RecordSink {
  readonly #targets: Writable[];
  /** The run summary, fed with exactly what is written (so `stats FILE` agrees). */
  readonly statistics = new StatisticsBuilder();

  constructor(targets: (Writable | undefined)[]) {
    this.#targets = targets.filter((t): t is Writable => t !== undefined);
  }

  write(record: MonitorRecord): void {
    if (this.#targets.length > 0) {
      const line = JSON.stringify(record) + '\n';
      for (const target of this.#targets) target.write(line);
    }
    const classified = classifyRecord(record);
    if (classified?.type === 'metadata') this.statistics.setStart(classified.t0Ms);
    else if (classified?.type === 'aggregated') this.statistics.addAggregated(classified.point);
    else if (classified?.type === 'metrics') this.statistics.addSingle(classified.point);
  }
}
