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
