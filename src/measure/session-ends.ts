/**
 * What `run` (run.ts) and `attach` (attach.ts) share around their monitoring
 * session: the counter as the monitor samples it, and the measurement once
 * the session has ended (the counter's final snapshot, the session's
 * summary of the samples, the closing summary record).
 */
import type { EbpfSource } from '../monitor/ebpf-sampler.js';
import type { MonitorSession } from '../monitor/session.js';
import type { StartedCounter } from './counter-request.js';
import { addMissingLiveTasks, liveCommandLines } from './live-processes.js';
import { buildMeasurement, snapshotTotal, type Measured, type Measurement, type SyscallReportOptions } from './summary-record.js';

/** What the monitor samples (aggregated.ebpf, the kernel's accounting), or why there is nothing; undefined without --enable-ebpf. */
export function ebpfSource(started: StartedCounter | undefined): EbpfSource | undefined {
  const counter = started?.counter;
  return started && { sample: counter && ((options) => counter.sample(options)), error: started.error?.message };
}

/** What the caller knows of the end; the rest is the session's and the counter's. */
export type Ending = Pick<Measured, 'mode' | 'command' | 'executable' | 'pid' | 'outcome' | 'interruptedBy' | 'wallTimeSecs'>;

/** The measurement once monitoring has ended (the counter still open: its snapshot is taken here). */
export function finishMeasurement(ending: Ending, session: MonitorSession, started: StartedCounter | undefined, syscalls: SyscallReportOptions): Measurement {
  const snapshot = started?.counter?.snapshot();
  if (snapshot) addMissingLiveTasks(snapshot);
  return buildMeasurement(
    {
      ...ending,
      timedOut: session.timedOut,
      t0Ms: session.t0Ms ?? Date.now(),
      statistics: session.statistics(snapshotTotal(snapshot)),
      elapsedSecs: session.elapsedSecs,
      ebpf: started && { mode: started.mode, error: started.error, snapshot },
      argvByPid: liveCommandLines(snapshot, new Map([[ending.pid, [...ending.command]]]), session.commandLines),
    },
    syscalls,
  );
}
