/**
 * A BPF map seen from user space: sized keys and values as Buffers, and a
 * full read that costs O(entries) syscalls / batch calls.
 */
import { checkInt, errnoName } from './errors.js';
import type { Libbpf, Ptr } from './libbpf.js';
import { BpfError } from '../errors.js';

const BPF_ANY = 0;
const ENOENT = 2;
const ENOSPC = 28;
const BATCH_ENTRIES = 4096;

export class BpfMap {
  readonly #lib: Libbpf;
  readonly name: string;
  readonly #map: Ptr;
  /** false after the kernel refused batch lookups once (before Linux 5.6 or an unsupported map type). */
  #batchWorks = true;
  /** Per-CPU maps: each value is one 8-byte aligned slot per possible CPU. */
  readonly #cpus: number;

  constructor(lib: Libbpf, name: string, map: Ptr, options: { perCpu?: boolean } = {}) {
    this.#lib = lib;
    this.name = name;
    this.#map = map;
    this.#cpus = options.perCpu ? lib.possibleCpus() : 1;
  }

  /** Bytes of one entry's value as user space sees it (all CPUs for a per-CPU map). */
  get #valueStride(): number {
    return this.#cpus === 1 ? this.valueSize : Math.ceil(this.valueSize / 8) * 8 * this.#cpus;
  }

  get fd(): number {
    return checkInt(`fd of map ${this.name}`, this.#lib.mapFd(this.#map));
  }

  get keySize(): number {
    return this.#lib.mapKeySize(this.#map);
  }

  get valueSize(): number {
    return this.#lib.mapValueSize(this.#map);
  }

  /** Before load only. */
  setMaxEntries(n: number): void {
    checkInt(`resize map ${this.name}`, this.#lib.mapSetMaxEntries(this.#map, n));
  }

  /** Like aya's check_kv_size: a layout mismatch is a bug, caught before any read. */
  checkLayout(keySize: number, valueSize: number): void {
    if (this.keySize !== keySize || this.valueSize !== valueSize) {
      throw new BpfError('check map layout', 22, 'EINVAL',
        `map ${this.name} has key/value sizes ${this.keySize}/${this.valueSize}, expected ${keySize}/${valueSize}`,
        { hint: 'the BPF object does not match this tsdenet version: rebuild with npm run build:bpf' });
    }
  }

  update(key: Buffer, value: Buffer, flags = BPF_ANY): void {
    checkInt(`update map ${this.name}`, this.#lib.mapUpdateElem(this.fd, key, value, flags));
  }

  /** Deletes key; false when it was not there. */
  delete(key: Buffer): boolean {
    const ret = this.#lib.mapDeleteElem(this.fd, key);
    if (ret === -ENOENT) return false;
    checkInt(`delete from map ${this.name}`, ret);
    return true;
  }

  /** Removes key and returns the value it had at that moment, or undefined when absent. */
  take(key: Buffer): Buffer | undefined {
    return this.#valueOf('take from', (fd, value) => this.#lib.mapLookupAndDeleteElem(fd, key, value));
  }

  /** The value for key, or undefined when absent. */
  lookup(key: Buffer): Buffer | undefined {
    return this.#valueOf('look up', (fd, value) => this.#lib.mapLookupElem(fd, key, value));
  }

  #valueOf(what: string, op: (fd: number, value: Buffer) => number): Buffer | undefined {
    const value = Buffer.alloc(this.#valueStride);
    const ret = op(this.fd, value);
    if (ret === -ENOENT) return undefined;
    checkInt(`${what} map ${this.name}`, ret);
    return value;
  }

  /**
   * Every entry, as one Buffer of keys and one of values (entry i at
   * i * size). Batch lookup first; on EINVAL/ENOTSUPP/EPERM fall back to
   * get_next_key + lookup, which may miss or repeat a key deleted or added
   * meanwhile (bcc's syscount accepts the same race).
   */
  readAll(): { count: number; keys: Buffer; values: Buffer } {
    if (this.#batchWorks) {
      const result = this.#readBatched();
      if (result) return result;
      this.#batchWorks = false;
    }
    return this.#readIterating();
  }

  #readBatched(): { count: number; keys: Buffer; values: Buffer } | undefined {
    const fd = this.fd;
    const { keySize } = this;
    const valueSize = this.#valueStride;
    const keyChunks: Buffer[] = [];
    const valueChunks: Buffer[] = [];
    let total = 0;
    let chunk = BATCH_ENTRIES;
    let inBatch: Buffer | null = null;
    // For hash maps the batch cursor is a bucket index, at least 4 bytes.
    const outBatch = Buffer.alloc(Math.max(keySize, 8));
    for (;;) {
      const keys = Buffer.alloc(chunk * keySize);
      const values = Buffer.alloc(chunk * valueSize);
      const count = new Uint32Array([chunk]);
      const ret = this.#lib.mapLookupBatch(fd, inBatch, outBatch, keys, values, count);
      const n = count[0] ?? 0;
      if (ret < 0 && -ret !== ENOENT) {
        if (-ret === ENOSPC && n === 0) {
          chunk *= 2; // one bucket holds more entries than the chunk: ask for more
          continue;
        }
        const name = errnoName(-ret);
        if (total === 0 && ['EINVAL', 'ENOTSUP', 'EOPNOTSUPP', 'EPERM'].includes(name)) return undefined;
        checkInt(`batch read map ${this.name}`, ret);
      }
      total += n;
      keyChunks.push(keys.subarray(0, n * keySize));
      valueChunks.push(values.subarray(0, n * valueSize));
      if (ret < 0) break; // ENOENT: all entries read
      inBatch = Buffer.from(outBatch);
    }
    return { count: total, keys: Buffer.concat(keyChunks), values: Buffer.concat(valueChunks) };
  }

  #readIterating(): { count: number; keys: Buffer; values: Buffer } {
    const { keySize } = this;
    const valueSize = this.#valueStride;
    const fd = this.fd;
    const keys: Buffer[] = [];
    const values: Buffer[] = [];
    let prev: Buffer | null = null;
    for (;;) {
      const next = Buffer.alloc(keySize);
      const ret = this.#lib.mapGetNextKey(fd, prev, next);
      if (ret === -ENOENT) break;
      checkInt(`iterate map ${this.name}`, ret);
      const value = Buffer.alloc(valueSize);
      const got = this.#lib.mapLookupElem(fd, next, value);
      if (got === 0) {
        keys.push(next);
        values.push(value);
      } else if (got !== -ENOENT) {
        checkInt(`look up map ${this.name}`, got);
      }
      prev = next;
    }
    return { count: keys.length, keys: Buffer.concat(keys), values: Buffer.concat(values) };
  }
}
