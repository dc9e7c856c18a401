import { describe, expect, it } from 'vitest';
import { BpfMap } from '../../../src/bpf/map.js';
import { BpfError } from '../../../src/errors.js';
import { fakeHashMap, fakeLibbpf } from '../../helpers/fake-libbpf.js';

const ENOENT = 2;
const EINVAL = 22;
const ENOSPC = 28;
const EFAULT = 14;

function valuesOf(read: { count: number; keys: Buffer; values: Buffer }): [number, bigint][] {
  const out: [number, bigint][] = [];
  for (let i = 0; i < read.count; i++) out.push([read.keys.readUInt32LE(i * 4), read.values.readBigUInt64LE(i * 8)]);
  return out;
}

describe('BpfMap.readAll', () => {
  const entries: [number, bigint][] = [
    [1, 10n],
    [2, 20n],
    [3, 30n],
  ];

  it('falls back to get_next_key iteration when the kernel rejects batch lookups (EINVAL)', () => {
    let batchCalls = 0;
    const lib = fakeLibbpf({
      ...fakeHashMap(entries),
      mapLookupBatch: () => {
        batchCalls++;
        return -EINVAL;
      },
    });
    const map = new BpfMap(lib, 'counts', 1n);
    expect(valuesOf(map.readAll())).toEqual(entries);
    expect(valuesOf(map.readAll())).toEqual(entries);
    // The kernel said no once: later reads do not ask again.
    expect(batchCalls).toBe(1);
  });

  it('reads in batches until ENOENT, growing the chunk on ENOSPC', () => {
    const calls: number[] = [];
    let served = 0;
    const lib = fakeLibbpf({
      mapLookupBatch: (_fd, _in, _out, keys, values, count) => {
        calls.push(count[0]!);
        if (calls.length === 1) {
          count[0] = 0;
          return -ENOSPC; // a bucket bigger than the chunk
        }
        const n = Math.min(2, entries.length - served);
        for (let i = 0; i < n; i++) {
          const [k, v] = entries[served + i]!;
          keys.writeUInt32LE(k, i * 4);
          values.writeBigUInt64LE(v, i * 8);
        }
        served += n;
        count[0] = n;
        return served === entries.length ? -ENOENT : 0;
      },
    });
    const read = new BpfMap(lib, 'counts', 1n).readAll();
    expect(valuesOf(read)).toEqual(entries);
    expect(calls[1]).toBe(calls[0]! * 2);
  });

  it('turns other batch errors into a BpfError naming the map and errno', () => {
    const lib = fakeLibbpf({ mapLookupBatch: () => -EFAULT });
    expect(() => new BpfMap(lib, 'counts', 1n).readAll()).toThrowError(/batch read map counts failed: EFAULT/);
  });

  it('rejects a map whose key or value size is not what the code decodes', () => {
    const lib = fakeLibbpf({ mapKeySize: () => 8, mapValueSize: () => 8 });
    const check = () => new BpfMap(lib, 'counts', 1n).checkLayout(16, 8);
    expect(check).toThrowError(BpfError);
    expect(check).toThrowError(/key\/value sizes 8\/8, expected 16\/8/);
  });

  it('lookup returns undefined for a missing key and throws on other errors', () => {
    const missing = new BpfMap(fakeLibbpf({ mapLookupElem: () => -ENOENT }), 'stats', 1n);
    expect(missing.lookup(Buffer.alloc(4))).toBeUndefined();
    const broken = new BpfMap(fakeLibbpf({ mapLookupElem: () => -EFAULT }), 'stats', 1n);
    expect(() => broken.lookup(Buffer.alloc(4))).toThrowError(/EFAULT/);
  });
});

describe('BpfMap.delete', () => {
  it('says whether the key was there, and throws on any other error', () => {
    const results = [0, -ENOENT, -EFAULT];
    const lib = fakeLibbpf({ mapDeleteElem: () => results.shift()! });
    const map = new BpfMap(lib, 'proc_usage', 1n);
    expect(map.delete(Buffer.alloc(16))).toBe(true);
    expect(map.delete(Buffer.alloc(16))).toBe(false);
    expect(() => map.delete(Buffer.alloc(16))).toThrowError(BpfError);
  });
});
