/**
 * When to sample: at denet's adaptive interval until monitoring ends (the
 * command exited, Ctrl-C) or the --duration limit is reached. Sleeping is
 * done on timers, so an end is noticed at once, not after the current
 * interval (denet notices Ctrl-C only after its sleep).
 */
import { performance } from 'node:perf_hooks';
import { MIN_WINDOW_MS } from './cpu-rate.js';
import { adaptiveIntervalMs } from './interval.js';

export interface LoopOptions {
  /** performance.now() when monitoring began: the intervals are counted from there. */
  startMs: number;
  intervalMs: number;
  maxIntervalMs: number;
  /** 0: no limit. */
  durationSecs: number;
  /** Takes and emits one sample. */
  sample: () => void;
  /** false (--no-polling): no sample is taken; the loop only waits for the end or the duration limit. */
  polling?: boolean;
  /** Settles when monitoring must end. */
  ended: Promise<unknown>;
  /** The duration limit was reached: 'stop' ends the loop, 'continue' samples on until `ended`. */
  onDuration: () => 'stop' | 'continue';
}

type Wake = 'tick' | 'ended' | 'duration';

/** Runs until the end; resolves true when the duration limit was reached. */
export async function runSamplingLoop(options: LoopOptions): Promise<boolean> {
  const startMs = options.startMs;
  let ended = false;
  const endedWake = options.ended.then(
    () => 'ended' as const,
    () => 'ended' as const,
  );
  void endedWake.then(() => (ended = true));
  let durationTimer: NodeJS.Timeout | undefined;
  let durationWake: Promise<Wake> = new Promise(() => undefined);
  if (options.durationSecs > 0) {
    durationWake = new Promise((resolve) => {
      durationTimer = setTimeout(() => resolve('duration'), options.durationSecs * 1000);
    });
  }
  let timedOut = false;
  const baseMs = Math.max(options.intervalMs, MIN_WINDOW_MS);
  const maxMs = Math.max(options.maxIntervalMs, baseMs);
  let nextAt = startMs + baseMs;
  try {
    while (!ended) {
      let tickTimer: NodeJS.Timeout | undefined;
      const tick = new Promise<Wake>((resolve) => {
        if (options.polling !== false) tickTimer = setTimeout(() => resolve('tick'), Math.max(0, nextAt - performance.now()));
      });
      const wake = await Promise.race([tick, endedWake, timedOut ? new Promise<Wake>(() => undefined) : durationWake]);
      clearTimeout(tickTimer);
      if (wake === 'ended') break;
      if (wake === 'duration') {
        timedOut = true;
        if (options.onDuration() === 'stop') break;
        continue;
      }
      options.sample();
      // A slow sample must not make the next ones catch up in a burst.
      nextAt = Math.max(nextAt + adaptiveIntervalMs(nextAt - startMs, baseMs, maxMs), performance.now() + MIN_WINDOW_MS);
    }
  } finally {
    clearTimeout(durationTimer);
  }
  return timedOut;
}
