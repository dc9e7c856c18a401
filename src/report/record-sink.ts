/**
 * Where the records of a run go, by family (records/schema.ts):
 *  - stdout (--json): every record, denet's and tsdenet's, the summary last;
 *  - the -o file: denet's records only, so denet's readers take it for a
 *    denet file (records/sidecar.ts says why);
 *  - the -o file's sidecar: tsdenet's records (interval `syscalls`, then
 *    the `summary`). An -o that names a device (/dev/stdout, a FIFO under
 *    /dev) has no beside: it gets every record, as stdout does.
 * Lines are built with JSON.stringify: a tree record is small, and sampling
 * must stay cheap (the closing summary, which can be large, is streamed).
 *
 * A target that fails (stdout piped into `head`, which exits: EPIPE) is
 * dropped, as SIGPIPE would end a C program's output, and the run goes on:
 * the command is not left orphaned and its exit status still passes through.
 */
import type { Writable } from 'node:stream';
import type { AnyRecord, SummaryRecord } from '../records/schema.js';
import { writeJsonLine } from './json.js';

export interface SinkTargets {
  /** --json */
  stdout?: Writable;
  /** -o FILE */
  out?: Writable;
  /** Beside -o FILE; undefined when -o names a device (which then gets every record). */
  sidecar?: Writable;
}

export class RecordSink {
  readonly #denet: Writable[];
  readonly #tsdenet: Writable[];
  readonly #broken = new Set<Writable>();

  constructor(targets: SinkTargets) {
    const { stdout, out, sidecar } = targets;
    this.#denet = [stdout, out].filter((t): t is Writable => t !== undefined);
    this.#tsdenet = [stdout, sidecar ?? out].filter((t): t is Writable => t !== undefined);
    for (const target of new Set([...this.#denet, ...this.#tsdenet])) target.on('error', () => this.#broken.add(target));
  }

  write(record: AnyRecord): void {
    const targets = record.kind === 'syscalls' || record.kind === 'summary' ? this.#tsdenet : this.#denet;
    if (targets.length === 0) return;
    const line = JSON.stringify(record) + '\n';
    for (const target of targets) if (!this.#broken.has(target)) target.write(line);
  }

  /**
   * The closing summary, streamed (it can hold every process of a large
   * tree); rejects with the first failure of a target other than stdout
   * (a reader gone from stdout ends its output only).
   */
  async writeSummary(summary: SummaryRecord, stdout?: Writable): Promise<void> {
    for (const target of this.#tsdenet) {
      if (this.#broken.has(target)) continue;
      const writing = writeJsonLine(target, summary);
      if (target === stdout) await writing.catch(() => undefined);
      else await writing;
    }
  }
}
