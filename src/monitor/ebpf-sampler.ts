/**
 * The eBPF side of a sample: one cheap counter read per sample, turned into
 * `aggregated.ebpf` (cumulative, never decreasing) and into the pids of the
 * tree's running processes, which help /proc discovery (the counter follows
 * forks in the kernel, so it knows processes /proc lost the parent link of).
 */
import type { Arch } from '../syscalls/names.js';
import type { EbpfField } from '../records/schema.js';
import { summarizeOffcpu } from '../records/offcpu.js';
import type { OffCpuFigures, SampleTotals, TreeUsage } from '../bpf/counter.js';
import { SyscallTotals } from './syscall-totals.js';

/**
 * Syscall counts for aggregated.ebpf: a counter to read, or why there is
 * none. sample({ usage: true }) also gives the tree's resource usage (tp_btf)
 * and consumes it (ended processes are reported once): only the per-sample
 * read asks for it.
 */
export interface EbpfSource {
  sample?: (options?: { usage?: boolean }) => SampleTotals;
  error?: string;
}

export class EbpfSampler {
  readonly #source: EbpfSource;
  readonly #arch: Arch;
  readonly #top: number;
  readonly #totals = new SyscallTotals();
  #liveTgids: number[] = [];
  #usage: TreeUsage | undefined;
  #offcpu: OffCpuFigures[] | undefined;
  #error: string | undefined;

  constructor(source: EbpfSource, arch: Arch, top: number) {
    this.#source = source;
    this.#arch = arch;
    this.#top = top;
    this.#error = source.sample ? undefined : (source.error ?? 'eBPF syscall counting is not running');
  }

  /** Takes this sample's snapshot (call once per sample, before the /proc reading). */
  read(): void {
    if (!this.#source.sample) return;
    try {
      const sample = this.#source.sample({ usage: true });
      this.#totals.update(sample.bySlot);
      this.#liveTgids = sample.liveTgids;
      this.#usage = sample.usage;
      this.#offcpu = sample.offcpu;
      this.#error = undefined;
    } catch (error) {
      this.#liveTgids = [];
      this.#usage = undefined;
      this.#offcpu = undefined;
      this.#error = `Failed to collect syscall metrics: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Processes of the tree running at the snapshot (tp_btf mode; empty otherwise). */
  get liveTgids(): readonly number[] {
    return this.#liveTgids;
  }

  /** The tree's resource usage at this sample, as the kernel accounted it (tp_btf; else undefined). */
  get usage(): TreeUsage | undefined {
    return this.#usage;
  }

  /** aggregated.ebpf for this sample. */
  field(elapsedSecs: number): EbpfField {
    if (this.#error !== undefined) return { error: this.#error };
    const field: EbpfField = { syscalls: this.#totals.report(this.#arch, this.#top, elapsedSecs) };
    // --offcpu: the tree's off-CPU time so far (cumulative, as the syscall counts).
    if (this.#offcpu) field.offcpu = summarizeOffcpu(this.#offcpu);
    return field;
  }
}
