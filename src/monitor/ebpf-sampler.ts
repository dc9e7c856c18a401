/**
 * The eBPF side of a sample: one counter snapshot per sample, turned into
 * `aggregated.ebpf` (cumulative, never decreasing) and into the pids of the
 * tree's running processes, which help /proc discovery (the counter follows
 * forks in the kernel, so it knows processes /proc lost the parent link of).
 */
import type { Arch } from '../syscalls/names.js';
import type { EbpfField } from './records.js';
import type { EbpfSource } from './session.js';
import { SyscallTotals } from './syscall-totals.js';

export class EbpfSampler {
  readonly #source: EbpfSource;
  readonly #arch: Arch;
  readonly #top: number;
  readonly #totals = new SyscallTotals();
  #liveTgids: number[] = [];
  #error: string | undefined;

  constructor(source: EbpfSource, arch: Arch, top: number) {
    this.#source = source;
    this.#arch = arch;
    this.#top = top;
    this.#error = source.snapshot ? undefined : (source.error ?? 'eBPF syscall counting is not running');
  }

  /** Takes this sample's snapshot (call once per sample, before the /proc reading). */
  read(): void {
    if (!this.#source.snapshot) return;
    try {
      const snapshot = this.#source.snapshot();
      this.#totals.update(snapshot.counts);
      const live = new Set<number>();
      for (const task of snapshot.tasks) if (task.live) live.add(task.tgid);
      this.#liveTgids = [...live];
      this.#error = undefined;
    } catch (error) {
      this.#liveTgids = [];
      this.#error = `Failed to collect syscall metrics: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Processes of the tree running at the snapshot (tp_btf mode; empty otherwise). */
  get liveTgids(): readonly number[] {
    return this.#liveTgids;
  }

  /** aggregated.ebpf for this sample. */
  field(elapsedSecs: number): EbpfField {
    if (this.#error !== undefined) return { error: this.#error };
    return { syscalls: this.#totals.report(this.#arch, this.#top, elapsedSecs) };
  }
}
