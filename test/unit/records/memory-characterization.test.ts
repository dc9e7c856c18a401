/** denet 0.6's memory characterization rules (records/memory-characterization.ts) and the PSI parsers. */
import { describe, expect, it } from 'vitest';
import { MemoryTrack } from '../../../src/records/memory-characterization.js';
import { cgroup2MountPoint, cgroupV2Path, parsePressure } from '../../../src/proc/pressure.js';
import type { PerfDeltas } from '../../../src/records/schema.js';

const perf = (cycles: number, instructions: number, stalled: number | null, refs: number | null = 100, misses: number | null = 10): PerfDeltas => ({ cycles, instructions, cache_refs: refs, cache_misses: misses, stalled_backend: stalled });
const psi = (some: number) => ({ some_avg10: some, full_avg10: 0 });

function characterize(samples: Parameters<MemoryTrack['add']>[0][]) {
  const t = new MemoryTrack();
  for (const s of samples) t.add(s);
  return t.result();
}

describe('memory_characterization', () => {
  it('sums the deltas: IPC, LLC miss rate, backend stall ratio; PSI fraction of samples', () => {
    expect(characterize([{ perf: perf(1000, 500, 600), psi_mem: psi(0) }, { perf: perf(1000, 1100, 500), psi_mem: psi(2.5) }])).toEqual({
      mean_ipc: 0.8,
      llc_miss_rate: 0.1,
      backend_stall_ratio: 0.55,
      psi_some_fraction: 0.5,
      verdict: 'memory-bound',
    });
  });

  it('denet\'s verdicts', () => {
    expect(characterize([{ perf: perf(1000, 2000, 100) }])?.verdict).toBe('cpu-bound');
    expect(characterize([{ perf: perf(1000, 1200, 300) }])?.verdict).toBe('mixed');
    expect(characterize([{ perf: perf(1000, 1200, 300), psi_mem: psi(1) }])?.verdict).toBe('memory-bound');
    expect(characterize([{ psi_mem: psi(0) }, { psi_mem: psi(0.5) }])).toEqual({ psi_some_fraction: 0.5, verdict: 'insufficient-data' });
    expect(characterize([{ psi_mem: psi(3) }, { psi_mem: psi(0.5) }])).toEqual({ psi_some_fraction: 1, verdict: 'memory-bound' });
    expect(characterize([{}])).toBeUndefined();
  });

  it('a stall counter that was never opened is unknown, not 0 (denet would say cpu-bound here)', () => {
    expect(characterize([{ perf: perf(1000, 2000, null, null, null) }])).toEqual({ mean_ipc: 2, verdict: 'insufficient-data' });
  });
});

describe('PSI parsers', () => {
  it('pressure files, cgroup v2 paths, the cgroup2 mount', () => {
    expect(parsePressure('some avg10=1.25 avg60=0.50 avg300=0.00 total=123\nfull avg10=0.75 avg60=0.00 avg300=0.00 total=45\n')).toEqual({ some_avg10: 1.25, full_avg10: 0.75 });
    expect(parsePressure('garbage')).toBeUndefined();
    expect(cgroupV2Path('4:memory:/x\n0::/user.slice/app.scope\n')).toBe('/user.slice/app.scope');
    expect(cgroupV2Path('4:memory:/x\n')).toBeUndefined();
    expect(cgroup2MountPoint('40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n')).toBe('/sys/fs/cgroup/unified');
    expect(cgroup2MountPoint('22 1 0:21 / /proc rw - proc proc rw\n')).toBeUndefined();
  });
});
