/**
 * denet's `gpu` feature: NVML's view of the GPUs at each sample (per
 * device, and the GPU memory of the tree's processes), in denet's shape
 * (records/schema.ts GpuMetrics), and metadata.capabilities.gpu: available,
 * or why not. One NVML query per sample serves the tree's `aggregated.gpu`
 * (every process) and its root's (`parent.gpu`, or the `sample` record's).
 */
import { openNvml, type Nvml, type NvmlProcess } from '../ffi/nvml.js';
import type { GpuMetrics, SystemGpuMetrics } from '../records/schema.js';
import { nvmlLibraryHere, type LibraryChoice } from './gpu-library.js';

export type GpuCapability = { available: true; device_count: number; library: string } | { available: false; reason: string };

export interface GpuReading {
  devices: SystemGpuMetrics[];
  /** GPU memory by pid, all devices together. */
  memoryByPid: Map<number, number | undefined>;
}

export class GpuSampler {
  readonly #nvml: Nvml;

  private constructor(nvml: Nvml) {
    this.#nvml = nvml;
  }

  /** Opens NVML when a library may be loaded; else (or when it fails) says why. */
  static open(choice: LibraryChoice = nvmlLibraryHere()): { sampler?: GpuSampler; capability: GpuCapability } {
    if ('reason' in choice) return { capability: { available: false, reason: choice.reason } };
    try {
      const nvml = openNvml(choice.library);
      return { sampler: new GpuSampler(nvml), capability: { available: true, device_count: nvml.devices.length, library: choice.library } };
    } catch (error) {
      return { capability: { available: false, reason: error instanceof Error ? error.message : String(error) } };
    }
  }

  read(): GpuReading {
    const memoryByPid = new Map<number, number | undefined>();
    const devices = this.#nvml.devices.map((d, index): SystemGpuMetrics => {
      const util = d.utilization();
      const memory = d.memory();
      for (const p of d.processes()) addProcess(memoryByPid, p);
      return {
        device_index: index,
        name: d.name() ?? `GPU ${index}`,
        system_utilization_gpu: util?.gpu ?? null,
        system_utilization_memory: util?.memory ?? null,
        memory_total: memory?.total ?? null,
        memory_used: memory?.used ?? null,
        memory_free: memory?.free ?? null,
        temperature: d.temperature() ?? null,
        power_usage: d.powerUsage() ?? null,
      };
    });
    return { devices, memoryByPid };
  }

  close(): void {
    this.#nvml.shutdown();
  }
}

function addProcess(byPid: Map<number, number | undefined>, p: NvmlProcess): void {
  const had = byPid.get(p.pid);
  byPid.set(p.pid, p.usedBytes === undefined ? had : (had ?? 0) + p.usedBytes);
}

/** Pure: the `gpu` field for these pids of a reading, in denet's shape. */
export function gpuMetricsFor(reading: GpuReading, pids: Iterable<number>): GpuMetrics {
  const processData = [];
  for (const pid of pids) {
    if (!reading.memoryByPid.has(pid)) continue;
    processData.push({ pid, gpu_utilization: null, memory_usage: reading.memoryByPid.get(pid) ?? null, memory_utilization: null });
  }
  return { system_metrics: reading.devices, process_data: processData, has_process_data: processData.length > 0, collection_method: processData.length > 0 ? 'nvml-memory-only' : 'none' };
}
