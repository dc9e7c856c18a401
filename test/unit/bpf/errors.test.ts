import { describe, expect, it } from 'vitest';
import { bpfError, checkInt, checkPtr, errnoName } from '../../../src/bpf/errors.js';
import { startSyscallCounter } from '../../../src/bpf/counter.js';
import { mapLayouts, mapSlotSize } from '../../../src/bpf/layout.js';
import { fakeLibbpf } from '../../helpers/fake-libbpf.js';

describe('libbpf errors', () => {
  it('names errno values and libbpf codes', () => {
    expect(errnoName(1)).toBe('EPERM');
    expect(errnoName(22)).toBe('EINVAL');
    expect(errnoName(4007)).toBe('LIBBPF_ERRNO__VERIFY');
    expect(errnoName(99999)).toMatch(/99999/);
  });

  it('gives a privilege hint for EPERM and EACCES', () => {
    for (const errno of [1, 13]) {
      const error = bpfError('load BPF programs', errno);
      expect(error.message).toMatch(/permission denied/);
      expect(error.hint).toMatch(/root.*CAP_BPF.*CAP_PERFMON/);
    }
    expect(bpfError('load', 22).hint).toBeUndefined();
  });

  it('checks both libbpf conventions', () => {
    expect(checkInt('x', 3)).toBe(3);
    expect(() => checkInt('attach', -1)).toThrowError(/attach: permission denied/);
    const lib = fakeLibbpf({ lastErrno: () => 2 });
    expect(() => checkPtr(lib, 'open BPF object', null)).toThrowError(/open BPF object failed: ENOENT/);
    expect(checkPtr(lib, 'open', 5n)).toBe(5n);
  });

  it('reports the load error when no counter can start (fake libbpf whose load returns -EINVAL)', async () => {
    // Every map of the BTF object with the sizes layout.ts expects (btf-layout.test.ts ties those to the object).
    const layouts: Record<string, [number, number]> = Object.fromEntries(
      Object.entries(mapLayouts('tp_btf')).map(([name, l]) => [name, [mapSlotSize(l.key), mapSlotSize(l.value)]]),
    );
    const names = Object.keys(layouts);
    const layoutOf = (map: bigint): [number, number] => layouts[names[Number(map) - 100]!]!;
    let closed = 0;
    const lib = fakeLibbpf({
      objectOpenFile: () => 7n,
      objectClose: () => void closed++,
      findMap: (_obj, name) => BigInt(100 + names.indexOf(name)),
      mapKeySize: (map) => layoutOf(map)[0],
      mapValueSize: (map) => layoutOf(map)[1],
      mapSetMaxEntries: () => 0,
      programSetAutoload: () => 0,
      findProgram: () => 9n,
      objectLoad: async () => -22,
    });
    await expect(startSyscallCounter({ mode: 'tp_btf', nrExecve: 59, nrExecveat: 322, libbpf: lib })).rejects.toThrowError(
      'eBPF syscall counting unavailable (tp_btf: load BPF programs failed: EINVAL)',
    );
    expect(closed).toBe(1);
  });
});
