/**
 * NVML (libnvidia-ml.so.1, NVIDIA's driver library) bound with koffi: the
 * calls denet's `gpu` feature makes through nvml-wrapper, per device (name,
 * utilisation, memory, temperature, power) and the GPU memory of the
 * processes running on it. koffi is required only when a library was
 * found (monitor/gpu.ts decides which file, and whether one may be loaded).
 * The struct decoding is pure and tested.
 */
import { loadKoffi } from './koffi.js';

const NVML_SUCCESS = 0;
/** nvmlProcessInfo_t.usedGpuMemory when the driver cannot tell (Windows WDDM, MIG without permission). */
const NVML_VALUE_NOT_AVAILABLE = 0xffffffffffffffffn;
const NVML_TEMPERATURE_GPU = 0;
/** nvmlProcessInfo_t (v2/v3 layout): pid u32, (pad), usedGpuMemory u64, gpuInstanceId u32, computeInstanceId u32. */
export const PROCESS_INFO_SIZE = 24;
const MAX_PROCESSES = 256;
const NAME_SIZE = 96;

/** NVML's own names for the codes it returns (nvml.h). */
const ERRORS: Record<number, string> = {
  1: 'NVML_ERROR_UNINITIALIZED',
  2: 'NVML_ERROR_INVALID_ARGUMENT',
  3: 'NVML_ERROR_NOT_SUPPORTED',
  4: 'NVML_ERROR_NO_PERMISSION',
  6: 'NVML_ERROR_NOT_FOUND',
  9: 'NVML_ERROR_DRIVER_NOT_LOADED',
  12: 'NVML_ERROR_LIBRARY_NOT_FOUND',
  13: 'NVML_ERROR_FUNCTION_NOT_FOUND',
  18: 'NVML_ERROR_LIB_RM_VERSION_MISMATCH',
  999: 'NVML_ERROR_UNKNOWN',
};

export function nvmlErrorName(code: number): string {
  return ERRORS[code] ?? `NVML error ${code}`;
}

export interface NvmlProcess {
  pid: number;
  /** Bytes; undefined when the driver cannot tell. */
  usedBytes: number | undefined;
}

/** Pure: `count` nvmlProcessInfo_t structs (little-endian). */
export function decodeProcesses(buf: Buffer, count: number): NvmlProcess[] {
  const out: NvmlProcess[] = [];
  for (let i = 0; i < count && (i + 1) * PROCESS_INFO_SIZE <= buf.length; i++) {
    const at = i * PROCESS_INFO_SIZE;
    const used = buf.readBigUInt64LE(at + 8);
    out.push({ pid: buf.readUInt32LE(at), usedBytes: used === NVML_VALUE_NOT_AVAILABLE ? undefined : Number(used) });
  }
  return out;
}

/** Pure: a NUL-terminated C string in a buffer. */
export function decodeCString(buf: Buffer): string {
  const end = buf.indexOf(0);
  return buf.toString('utf8', 0, end < 0 ? buf.length : end);
}

export interface NvmlDevice {
  name(): string | undefined;
  utilization(): { gpu: number; memory: number } | undefined;
  memory(): { total: number; free: number; used: number } | undefined;
  temperature(): number | undefined;
  /** Milliwatts, as NVML gives it. */
  powerUsage(): number | undefined;
  /** Compute and graphics processes, with their GPU memory. */
  processes(): NvmlProcess[];
}

export interface Nvml {
  devices: NvmlDevice[];
  shutdown(): void;
}

/** Thrown with NVML's error name when the library loads but cannot be used. */
export class NvmlError extends Error {}

type Fn = (...args: unknown[]) => number;

/**
 * Loads `library` (a path, or a name dlopen searches for), initialises
 * NVML and opens every device. Throws when it cannot (the caller turns that
 * into capabilities.gpu's reason).
 */
export function openNvml(library: string): Nvml {
  const koffi = loadKoffi();
  const lib = koffi.load(library);
  const handle = koffi.pointer(koffi.opaque());
  const fn = (proto: string): Fn => lib.func(proto) as Fn;
  const init = fn('int nvmlInit_v2()');
  const shutdown = fn('int nvmlShutdown()');
  const getCount = fn('int nvmlDeviceGetCount_v2(_Out_ uint32_t *count)');
  const byIndex = lib.func('nvmlDeviceGetHandleByIndex_v2', 'int', ['uint32_t', koffi.out(koffi.pointer(handle))]) as Fn;
  const getName = lib.func('nvmlDeviceGetName', 'int', [handle, koffi.out(koffi.pointer('uint8_t')), 'uint32_t']) as Fn;
  const getUtil = lib.func('nvmlDeviceGetUtilizationRates', 'int', [handle, koffi.out(koffi.pointer('uint8_t'))]) as Fn;
  const getMemory = lib.func('nvmlDeviceGetMemoryInfo', 'int', [handle, koffi.out(koffi.pointer('uint8_t'))]) as Fn;
  const getTemp = lib.func('nvmlDeviceGetTemperature', 'int', [handle, 'int', koffi.out(koffi.pointer('uint32_t'))]) as Fn;
  const getPower = lib.func('nvmlDeviceGetPowerUsage', 'int', [handle, koffi.out(koffi.pointer('uint32_t'))]) as Fn;
  const processLists = ['nvmlDeviceGetComputeRunningProcesses_v3', 'nvmlDeviceGetGraphicsRunningProcesses_v3'].map(
    (name) => lib.func(name, 'int', [handle, koffi.inout(koffi.pointer('uint32_t')), koffi.out(koffi.pointer('uint8_t'))]) as Fn,
  );
  const status = init();
  if (status !== NVML_SUCCESS) throw new NvmlError(`NVML initialization failed: ${nvmlErrorName(status)}`);
  try {
    const count = [0];
    const counted = getCount(count);
    if (counted !== NVML_SUCCESS) throw new NvmlError(`Failed to get device count: ${nvmlErrorName(counted)}`);
    const devices: NvmlDevice[] = [];
    for (let index = 0; index < (count[0] ?? 0); index++) {
      const out: unknown[] = [null];
      if (byIndex(index, out) !== NVML_SUCCESS) continue;
      devices.push(device(out[0], { getName, getUtil, getMemory, getTemp, getPower, processLists }));
    }
    if (devices.length === 0) throw new NvmlError('No NVIDIA GPUs found');
    return { devices, shutdown: () => void shutdown() };
  } catch (error) {
    shutdown();
    throw error;
  }
}

interface DeviceCalls {
  getName: Fn;
  getUtil: Fn;
  getMemory: Fn;
  getTemp: Fn;
  getPower: Fn;
  processLists: Fn[];
}

function device(h: unknown, c: DeviceCalls): NvmlDevice {
  const ok = (status: number): boolean => status === NVML_SUCCESS;
  // A device's name does not change: asked once it is known, not at every sample.
  let name: string | undefined;
  return {
    name: () => {
      if (name === undefined) {
        const buf = Buffer.alloc(NAME_SIZE);
        if (ok(c.getName(h, buf, NAME_SIZE))) name = decodeCString(buf);
      }
      return name;
    },
    utilization: () => {
      const buf = Buffer.alloc(8);
      return ok(c.getUtil(h, buf)) ? { gpu: buf.readUInt32LE(0), memory: buf.readUInt32LE(4) } : undefined;
    },
    memory: () => {
      const buf = Buffer.alloc(24);
      // nvmlMemory_t: total, free, used.
      return ok(c.getMemory(h, buf)) ? { total: Number(buf.readBigUInt64LE(0)), free: Number(buf.readBigUInt64LE(8)), used: Number(buf.readBigUInt64LE(16)) } : undefined;
    },
    temperature: () => {
      const out = [0];
      return ok(c.getTemp(h, NVML_TEMPERATURE_GPU, out)) ? out[0] : undefined;
    },
    powerUsage: () => {
      const out = [0];
      return ok(c.getPower(h, out)) ? out[0] : undefined;
    },
    processes: () => {
      const all: NvmlProcess[] = [];
      for (const list of c.processLists) {
        const count = [MAX_PROCESSES];
        const buf = Buffer.alloc(MAX_PROCESSES * PROCESS_INFO_SIZE);
        const status = list(h, count, buf);
        // A failed list is left out; so is one of more than MAX_PROCESSES (NVML_ERROR_INSUFFICIENT_SIZE, 7: NVML fills nothing).
        if (!ok(status)) continue;
        all.push(...decodeProcesses(buf, count[0] ?? 0));
      }
      return all;
    },
  };
}
