/**
 * A counter being started. `run` starts the eBPF counter before the rest of
 * the run has loaded: libbpf parses the kernel's BTF and the kernel
 * verifies the programs on a worker thread (~20 ms, Libbpf.objectLoad)
 * while the main thread imports the monitor and the report (~20 ms).
 */
import type { StartedCounter } from './ebpf-request.js';

/**
 * The run ended before it used the counter (a bad -o directory, a missing
 * command): close it once it has started. Its own failure no longer
 * matters; the caller reports the error that ended the run.
 */
export async function abandonCounting(counting: Promise<StartedCounter> | undefined): Promise<void> {
  await counting?.then(
    (started) => started.counter?.close(),
    () => undefined,
  );
}
