/**
 * Pure: denet 0.6's memory characterization of the samples (summary and
 * `stats` `memory_characterization`), one sample at a time. denet's rules
 * (src/monitor/summary.rs): sums of the perf deltas give
 *   mean_ipc = Σinstructions / Σcycles, llc_miss_rate = Σcache_misses / Σcache_refs,
 *   backend_stall_ratio = Σstalled_backend / Σcycles;
 * psi_some_fraction = share of the samples with some_avg10 > 0. Verdict:
 * with IPC and stall ratio, memory-bound if stall > 0.5 and IPC < 1.0,
 * cpu-bound if stall < 0.2 and IPC > 1.5; otherwise (and without them)
 * memory-bound if the PSI fraction is above 0.5; else mixed (with perf) or
 * insufficient-data (without). Unlike denet, a counter that was never
 * opened is unknown, not 0: a missing stall counter gives no ratio (denet
 * reports 0.0 and may call the run cpu-bound).
 */
import type { MemoryCharacterization, PerfDeltas, PsiMem } from './schema.js';

export class MemoryTrack {
  #samples = 0;
  #psiSamples = 0;
  #psiSome = 0;
  #perfSamples = 0;
  #cycles = 0;
  #instructions = 0;
  #refs: number | undefined;
  #misses: number | undefined;
  #stalled: number | undefined;

  add(sample: { psi_mem?: PsiMem; perf?: PerfDeltas }): void {
    if (!sample.psi_mem && !sample.perf) return;
    this.#samples++;
    if (sample.psi_mem) {
      this.#psiSamples++;
      if (sample.psi_mem.some_avg10 > 0) this.#psiSome++;
    }
    const p = sample.perf;
    if (p) {
      this.#perfSamples++;
      this.#cycles += p.cycles;
      this.#instructions += p.instructions;
      if (p.cache_refs !== null) this.#refs = (this.#refs ?? 0) + p.cache_refs;
      if (p.cache_misses !== null) this.#misses = (this.#misses ?? 0) + p.cache_misses;
      if (p.stalled_backend !== null) this.#stalled = (this.#stalled ?? 0) + p.stalled_backend;
    }
  }

  /** undefined when no sample carried psi_mem or perf. */
  result(): MemoryCharacterization | undefined {
    if (this.#samples === 0) return undefined;
    const ratio = (num: number | undefined, den: number | undefined): number | undefined => (num !== undefined && den !== undefined && den > 0 ? num / den : undefined);
    const ipc = this.#perfSamples > 0 ? ratio(this.#instructions, this.#cycles) : undefined;
    const llc = ratio(this.#misses, this.#refs);
    const stall = this.#perfSamples > 0 ? ratio(this.#stalled, this.#cycles) : undefined;
    const psi = this.#psiSamples > 0 ? this.#psiSome / this.#psiSamples : undefined;
    const psiBound = psi !== undefined && psi > 0.5;
    let verdict: MemoryCharacterization['verdict'];
    if (ipc !== undefined && stall !== undefined) {
      if (stall > 0.5 && ipc < 1.0) verdict = 'memory-bound';
      else if (stall < 0.2 && ipc > 1.5) verdict = 'cpu-bound';
      else verdict = psiBound ? 'memory-bound' : 'mixed';
    } else {
      verdict = psiBound ? 'memory-bound' : 'insufficient-data';
    }
    const out: MemoryCharacterization = { verdict };
    // denet's field order, optional ones left out when unknown.
    return { ...(ipc !== undefined && { mean_ipc: ipc }), ...(llc !== undefined && { llc_miss_rate: llc }), ...(stall !== undefined && { backend_stall_ratio: stall }), ...(psi !== undefined && { psi_some_fraction: psi }), ...out };
  }
}
