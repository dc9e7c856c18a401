/** Which NVML library is loaded (pure chooser), and the NVML struct decoders. */
import { describe, expect, it } from 'vitest';
import { chooseNvmlLibrary, type ChoiceFacts } from '../../../src/monitor/gpu-library.js';
import { decodeCString, decodeProcesses, PROCESS_INFO_SIZE } from '../../../src/ffi/nvml.js';
import { gpuMetricsFor } from '../../../src/monitor/gpu.js';

function facts(over: Partial<ChoiceFacts> & { files?: string[] }): ChoiceFacts {
  const files = new Set(over.files ?? []);
  return { env: {}, privileged: () => undefined, secure: () => false, exists: (p) => files.has(p), loaderCache: () => undefined, ...over };
}

describe('chooseNvmlLibrary', () => {
  it('the loader\'s search: its cache, the standard directories, LD_LIBRARY_PATH but in secure mode', () => {
    expect(chooseNvmlLibrary(facts({ loaderCache: () => Buffer.from('\0libnvidia-ml.so.1\0') }))).toEqual({ library: 'libnvidia-ml.so.1', override: false });
    expect(chooseNvmlLibrary(facts({ files: ['/usr/lib/x86_64-linux-gnu/libnvidia-ml.so.1'] }))).toEqual({ library: 'libnvidia-ml.so.1', override: false });
    const viaPath = facts({ env: { LD_LIBRARY_PATH: '/opt/nv:/x' }, files: ['/opt/nv/libnvidia-ml.so.1'] });
    expect(chooseNvmlLibrary(viaPath)).toEqual({ library: 'libnvidia-ml.so.1', override: false });
    expect(chooseNvmlLibrary({ ...viaPath, secure: () => true })).toEqual({ reason: 'libnvidia-ml.so.1 not found (no NVIDIA driver installed)' });
  });

  it('TSDENET_NVML_LIBRARY: an existing absolute path, never while privileged', () => {
    const env = { TSDENET_NVML_LIBRARY: '/tmp/fake/libnvidia-ml.so.1' };
    expect(chooseNvmlLibrary(facts({ env, files: [env.TSDENET_NVML_LIBRARY] }))).toEqual({ library: env.TSDENET_NVML_LIBRARY, override: true });
    expect(chooseNvmlLibrary(facts({ env, files: [env.TSDENET_NVML_LIBRARY], privileged: () => 'tsdenet runs with capabilities' }))).toEqual({
      reason: 'libnvidia-ml.so.1 not found (no NVIDIA driver installed); TSDENET_NVML_LIBRARY ignored: tsdenet runs with capabilities',
    });
    expect(chooseNvmlLibrary(facts({ env: { TSDENET_NVML_LIBRARY: 'libfake.so' } }))).toEqual({ reason: 'TSDENET_NVML_LIBRARY must be an absolute path (got libfake.so)' });
    expect(chooseNvmlLibrary(facts({ env }))).toEqual({ reason: 'TSDENET_NVML_LIBRARY: no such file /tmp/fake/libnvidia-ml.so.1' });
  });
});

describe('NVML decoding', () => {
  it('nvmlProcessInfo_t: pid, used memory (NVML_VALUE_NOT_AVAILABLE: unknown)', () => {
    const buf = Buffer.alloc(2 * PROCESS_INFO_SIZE);
    buf.writeUInt32LE(42, 0);
    buf.writeBigUInt64LE(5n * 1024n * 1024n, 8);
    buf.writeUInt32LE(43, PROCESS_INFO_SIZE);
    buf.writeBigUInt64LE(0xffffffffffffffffn, PROCESS_INFO_SIZE + 8);
    expect(decodeProcesses(buf, 2)).toEqual([{ pid: 42, usedBytes: 5 * 1024 * 1024 }, { pid: 43, usedBytes: undefined }]);
    expect(decodeCString(Buffer.from('Tesla T4\0junk'))).toBe('Tesla T4');
  });

  it('gpuMetricsFor: only the given pids; none → collection_method "none"', () => {
    const reading = { devices: [], memoryByPid: new Map<number, number | undefined>([[1, 10], [2, undefined]]) };
    expect(gpuMetricsFor(reading, [1, 2, 3])).toEqual({
      system_metrics: [],
      process_data: [{ pid: 1, gpu_utilization: null, memory_usage: 10, memory_utilization: null }, { pid: 2, gpu_utilization: null, memory_usage: null, memory_utilization: null }],
      has_process_data: true,
      collection_method: 'nvml-memory-only',
    });
    expect(gpuMetricsFor(reading, [3])).toMatchObject({ process_data: [], has_process_data: false, collection_method: 'none' });
  });
});
