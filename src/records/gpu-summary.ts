/**
 * Pure: denet's summary `gpu` (GpuSummary) of the samples' `gpu`, one
 * sample at a time. Where denet's code and its own field docs disagree,
 * the docs are followed: total_memory_gb is every device's memory together
 * (denet keeps the last device's), peak_used_memory_gb the largest use of
 * all devices together at one sample (denet: of one device).
 */
import type { GpuMetrics, GpuSummary } from './schema.js';

const GIB = 1024 ** 3;

export class GpuTrack {
  #samples = 0;
  #deviceCount = 0;
  #totalBytes = 0;
  #peakUsedBytes = 0;
  #maxSystemUtil = 0;
  #maxProcessUtil: number | null = null;
  #peakProcessBytes = 0;

  add(gpu: GpuMetrics): void {
    this.#samples++;
    this.#deviceCount = Math.max(this.#deviceCount, gpu.system_metrics.length);
    let total = 0;
    let used = 0;
    for (const device of gpu.system_metrics) {
      total += device.memory_total ?? 0;
      used += device.memory_used ?? 0;
      if (device.system_utilization_gpu !== null) this.#maxSystemUtil = Math.max(this.#maxSystemUtil, device.system_utilization_gpu);
    }
    if (gpu.system_metrics.length > 0) this.#totalBytes = total;
    this.#peakUsedBytes = Math.max(this.#peakUsedBytes, used);
    let processBytes = 0;
    for (const p of gpu.process_data) {
      if (p.gpu_utilization !== null) this.#maxProcessUtil = Math.max(this.#maxProcessUtil ?? 0, p.gpu_utilization);
      processBytes += p.memory_usage ?? 0;
    }
    this.#peakProcessBytes = Math.max(this.#peakProcessBytes, processBytes);
  }

  /** undefined when no sample carried `gpu` (no NVML: denet leaves it out too). */
  result(): GpuSummary | undefined {
    if (this.#samples === 0) return undefined;
    return {
      enabled: true,
      device_count: this.#deviceCount,
      total_memory_gb: this.#totalBytes / GIB,
      peak_used_memory_gb: this.#peakUsedBytes / GIB,
      max_system_gpu_utilization: this.#maxSystemUtil,
      max_process_gpu_utilization: this.#maxProcessUtil,
      process_memory_usage_gb: this.#peakProcessBytes / GIB,
    };
  }
}
