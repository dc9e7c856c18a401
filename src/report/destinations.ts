/**
 * The files and streams a run's records go to, opened before anything
 * starts (a bad path is the only error then, and nothing has run), all or
 * none: -o FILE, its sidecar (records/sidecar.ts), --stats FILE, and stdout
 * with --json.
 */
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { UsageError } from '../errors.js';
import { sidecarPath } from '../records/sidecar.js';
import { OutputFile } from './output-file.js';
import { RecordSink } from './record-sink.js';

export interface DestinationOptions {
  json: boolean;
  out?: string;
  statsFile?: string;
}

export interface Destinations {
  stdout?: Writable;
  out?: OutputFile;
  sidecar?: OutputFile;
  statsFile?: OutputFile;
  sink: RecordSink;
}

function checkClash(options: DestinationOptions, out: OutputFile | undefined, sidecar: string | undefined): void {
  if (options.statsFile === undefined) return;
  const stats = resolve(options.statsFile);
  const clash = options.out !== undefined && (stats === resolve(options.out) || stats === out?.path) ? '-o' : sidecar !== undefined && stats === resolve(sidecar) ? `the sidecar of -o ${options.out}` : undefined;
  if (clash) throw new UsageError(`--stats ${options.statsFile} is the same file as ${clash}`, { hint: 'give --stats another file name' });
}

export function openDestinations(options: DestinationOptions): Destinations {
  let out: OutputFile | undefined;
  const [, side, statsFile] = OutputFile.openAll([
    () => (out = options.out === undefined ? undefined : OutputFile.open(options.out)),
    () => {
      // A device (or a FIFO) has no beside to put a sidecar in: it gets every record.
      // Else beside the file replaced (a followed symlink's target: /dev/fd/1 has no beside).
      const sidecar = out?.inPlace === false ? sidecarPath(out.path) : undefined;
      checkClash(options, out, sidecar);
      // A new sidecar of a 0600 report is no more readable than the report.
      return sidecar === undefined ? undefined : OutputFile.open(sidecar, out?.keeps);
    },
    () => (options.statsFile === undefined ? undefined : OutputFile.open(options.statsFile)),
  ]);
  const stdout = options.json ? process.stdout : undefined;
  return { stdout, out, sidecar: side, statsFile, sink: new RecordSink({ stdout, out: out?.stream, sidecar: side?.stream }) };
}

/** After a failure: the temporary files go, the targets are left as they were. */
export function discardDestinations(d: Destinations): void {
  d.out?.discard();
  d.sidecar?.discard();
  d.statsFile?.discard();
}
