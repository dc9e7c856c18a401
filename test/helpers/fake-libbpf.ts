/**
 * A libbpf stand-in for unit tests of error paths (aya's override_syscall
 * idea): each call returns what the test scripted, nothing touches a kernel.
 */
import type { Libbpf } from '../../src/bpf/libbpf.js';

export function fakeLibbpf(overrides: Partial<Libbpf> = {}): Libbpf {
  const unexpected = (name: string) => (): never => {
    throw new Error(`fake libbpf: unexpected call to ${name}`);
  };
  return {
    version: 'fake',
    lastErrno: () => 0,
    possibleCpus: () => 2,
    setPrint: () => undefined,
    objectOpenFile: unexpected('objectOpenFile'),
    objectLoad: unexpected('objectLoad'),
    objectClose: () => undefined,
    findProgram: unexpected('findProgram'),
    findMap: unexpected('findMap'),
    programSetAutoload: unexpected('programSetAutoload'),
    programAttach: unexpected('programAttach'),
    programAttachIter: unexpected('programAttachIter'),
    linkDestroy: () => 0,
    linkFd: unexpected('linkFd'),
    iterCreate: unexpected('iterCreate'),
    mapFd: () => 42,
    mapSetMaxEntries: unexpected('mapSetMaxEntries'),
    mapKeySize: () => 4,
    mapValueSize: () => 8,
    mapUpdateElem: unexpected('mapUpdateElem'),
    mapLookupElem: unexpected('mapLookupElem'),
    mapDeleteElem: unexpected('mapDeleteElem'),
    mapLookupAndDeleteElem: unexpected('mapLookupAndDeleteElem'),
    mapGetNextKey: unexpected('mapGetNextKey'),
    mapLookupBatch: unexpected('mapLookupBatch'),
    ...overrides,
  };
}

/** A fake hash map of u32 keys → u64 values, iterable by get_next_key. */
export function fakeHashMap(entries: [number, bigint][]): Pick<Libbpf, 'mapGetNextKey' | 'mapLookupElem'> {
  const keys = entries.map(([k]) => k);
  const values = new Map(entries);
  return {
    mapGetNextKey: (_fd, key, next) => {
      const index = key === null ? 0 : keys.indexOf(key.readUInt32LE(0)) + 1;
      const nextKey = keys[index];
      if (nextKey === undefined) return -2; // ENOENT: end of map
      next.writeUInt32LE(nextKey, 0);
      return 0;
    },
    mapLookupElem: (_fd, key, value) => {
      const v = values.get(key.readUInt32LE(0));
      if (v === undefined) return -2;
      value.writeBigUInt64LE(v, 0);
      return 0;
    },
  };
}

/**
 * Fake maps by name, for the counter's parts (loader, drivers, reader):
 * findMap, sizes, lookup, update, delete, lookup_and_delete and get_next_key over Buffers keyed
 * by their hex; batch lookups are refused (EINVAL), so readAll iterates.
 */
export function fakeMaps(layouts: Record<string, [keySize: number, valueSize: number]>): {
  lib: Partial<Libbpf>;
  entries: (name: string) => Map<string, Buffer>;
} {
  const names = Object.keys(layouts);
  const stores = new Map(names.map((n) => [n, new Map<string, Buffer>()]));
  const nameOf = (map: bigint): string => names[Number(map) - 100]!;
  const storeOf = (fd: number): Map<string, Buffer> => stores.get(names[fd - 1000]!)!;
  return {
    entries: (name) => stores.get(name)!,
    lib: {
      findMap: (_obj, name) => (names.includes(name) ? BigInt(100 + names.indexOf(name)) : null),
      mapFd: (map) => 1000 + Number(map) - 100,
      mapKeySize: (map) => layouts[nameOf(map)]![0],
      mapValueSize: (map) => layouts[nameOf(map)]![1],
      mapLookupBatch: () => -22,
      mapLookupElem: (fd, key, value) => {
        const v = storeOf(fd).get(key.toString('hex'));
        if (!v) return -2;
        v.copy(value);
        return 0;
      },
      mapUpdateElem: (fd, key, value) => {
        storeOf(fd).set(key.toString('hex'), Buffer.from(value));
        return 0;
      },
      mapDeleteElem: (fd, key) => (storeOf(fd).delete(key.toString('hex')) ? 0 : -2),
      mapLookupAndDeleteElem: (fd, key, value) => {
        const v = storeOf(fd).get(key.toString('hex'));
        if (!v) return -2;
        v.copy(value);
        storeOf(fd).delete(key.toString('hex'));
        return 0;
      },
      mapGetNextKey: (fd, key, next) => {
        const keys = [...storeOf(fd).keys()];
        const index = key === null ? 0 : keys.indexOf(key.toString('hex')) + 1;
        const nextKey = keys[index];
        if (nextKey === undefined) return -2;
        Buffer.from(nextKey, 'hex').copy(next);
        return 0;
      },
    },
  };
}
