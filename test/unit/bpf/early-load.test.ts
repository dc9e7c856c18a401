/**
 * The early load's failures against a fake libbpf (no kernel): a load that
 * failed ahead is the request's failure when it is the same load, and is
 * not tried twice; a different load is still made.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_ENTRIES } from '../../../src/bpf/map-sizes.js';
import { startSyscallCounter } from '../../../src/bpf/counter.js';
import { beginEarlyLoad } from '../../../src/bpf/early-load.js';
import { mapLayouts, mapSlotSize } from '../../../src/bpf/layout.js';
import { fakeLibbpf } from '../../helpers/fake-libbpf.js';

/** A fake libbpf whose object opens and sizes like the BTF object and whose load fails with -EPERM. */
function refusingLibbpf() {
  const layouts: Record<string, [number, number]> = Object.fromEntries(
    Object.entries(mapLayouts('tp_btf')).map(([name, l]) => [name, [mapSlotSize(l.key), mapSlotSize(l.value)]]),
  );
  const names = Object.keys(layouts);
  const layoutOf = (map: bigint): [number, number] => layouts[names[Number(map) - 100]!]!;
  const calls = { loads: 0, closes: 0, sizes: [] as number[] };
  const lib = fakeLibbpf({
    objectOpenFile: () => 7n,
    objectClose: () => void calls.closes++,
    findMap: (_obj, name) => BigInt(100 + names.indexOf(name)),
    mapKeySize: (map) => layoutOf(map)[0],
    mapValueSize: (map) => layoutOf(map)[1],
    mapSetMaxEntries: (map, entries) => (names[Number(map) - 100] === 'counts' && calls.sizes.push(entries), 0),
    programSetAutoload: () => 0,
    findProgram: () => 9n,
    objectLoad: async () => (calls.loads++, -1),
  });
  return { lib, calls };
}

describe('the early load', () => {
  it("that failed is the request's failure, not tried again", async () => {
    const { lib, calls } = refusingLibbpf();
    beginEarlyLoad('tp_btf', {}, lib);
    await expect(startSyscallCounter({ mode: 'tp_btf', nrExecve: 59, nrExecveat: 322, libbpf: lib })).rejects.toThrowError(
      'eBPF syscall counting unavailable (tp_btf: load BPF programs: permission denied (EPERM))',
    );
    expect(calls.loads).toBe(1);
    expect(calls.closes).toBe(1);
  });

  it('for another object is not used: the asked-for one is loaded', async () => {
    const { lib, calls } = refusingLibbpf();
    beginEarlyLoad('tp_btf', {}, lib);
    await expect(startSyscallCounter({ mode: 'tp_btf', nrExecve: 59, nrExecveat: 322, maxEntries: 4096, libbpf: lib })).rejects.toThrowError(/permission denied/);
    expect(calls.loads).toBe(2);
    expect(calls.sizes).toEqual([DEFAULT_MAX_ENTRIES, 4096]);
  });

  it('through another libbpf is not used', async () => {
    const early = refusingLibbpf();
    const own = refusingLibbpf();
    beginEarlyLoad('tp_btf', {}, early.lib);
    await expect(startSyscallCounter({ mode: 'tp_btf', nrExecve: 59, nrExecveat: 322, libbpf: own.lib })).rejects.toThrowError(/permission denied/);
    expect([early.calls.loads, own.calls.loads]).toEqual([1, 1]);
  });
});
