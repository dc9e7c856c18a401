/**
 * Closing a counter that is still loading. Kept apart from
 * counter-request.ts, which loads the BPF modules: `run` without eBPF never
 * imports those.
 */
import type { StartedCounter } from './counter-request.js';

/**
 * The run ended before it used the counter, or is over: close the counter
 * once it has finished loading. Its own failure no longer matters (the
 * caller reports the error that ended the run).
 */
export async function abandonCounting(counting: Promise<StartedCounter> | undefined): Promise<void> {
  await counting?.then(
    (started) => started.counter?.close(),
    () => undefined,
  );
}
