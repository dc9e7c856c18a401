/** What `run` and `attach` set up alike from the global options: where the records go and the monitoring session. */
import { RecordSink } from '../monitor/record-sink.js';
import { MonitorSession } from '../monitor/session.js';
import type { OutputFile } from '../report/output-file.js';
import type { Arch } from '../syscalls/names.js';
import type { GlobalOptions } from './options.js';

/** The record sink (stdout with --json, and -o) and the session sampling into it. */
export function createSession(options: GlobalOptions, arch: Arch, out: OutputFile | undefined): { sink: RecordSink; session: MonitorSession } {
  const sink = new RecordSink([options.json ? process.stdout : undefined, out?.stream]);
  const session = new MonitorSession(
    { ...options.monitor, intervalReportMs: options.measure.intervalReportMs, live: !options.json && !options.quiet, top: options.top, arch },
    sink,
  );
  return { sink, session };
}
