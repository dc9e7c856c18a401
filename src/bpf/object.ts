/**
 * A BPF object file opened through libbpf: programs, maps, load, attach.
 * Lifetime follows libbpf's rule: links are destroyed before the object
 * is closed (close() does both, in that order).
 */
import { readFileSync } from 'node:fs';
import { BpfError } from '../errors.js';
import { checkInt, checkPtr } from './errors.js';
import type { Libbpf, Ptr } from './libbpf.js';
import { BpfMap } from './map.js';

const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
const EM_BPF = 247;

/** Checks the file is a BPF ELF object before libbpf sees it (clear error for a corrupt or foreign file). */
export function checkBpfElf(path: string): void {
  let head: Buffer;
  try {
    head = readFileSync(path).subarray(0, 20);
  } catch (cause) {
    throw new BpfError('open BPF object', 2, 'ENOENT', `cannot read BPF object ${path}`, {
      cause,
      hint: 'reinstall tsdenet: the bundled bpf/*.o files are part of the package',
    });
  }
  if (head.length < 20 || !head.subarray(0, 4).equals(ELF_MAGIC) || head.readUInt16LE(18) !== EM_BPF) {
    throw new BpfError('open BPF object', 8, 'ENOEXEC', `${path} is not a little-endian BPF object`, {
      hint: 'reinstall tsdenet, or rebuild the objects with npm run build:bpf',
    });
  }
}

export class BpfObject {
  readonly #lib: Libbpf;
  #obj: Ptr | null;
  readonly #links: Ptr[] = [];

  private constructor(lib: Libbpf, obj: Ptr) {
    this.#lib = lib;
    this.#obj = obj;
  }

  /** Opens (does not load) the object at path. */
  static open(lib: Libbpf, path: string): BpfObject {
    checkBpfElf(path);
    return new BpfObject(lib, checkPtr(lib, `open BPF object ${path}`, lib.objectOpenFile(path)));
  }

  get #handle(): Ptr {
    if (this.#obj === null) throw new Error('BPF object used after close');
    return this.#obj;
  }

  program(name: string): Ptr {
    return checkPtr(this.#lib, `find BPF program ${name}`, this.#lib.findProgram(this.#handle, name));
  }

  map(name: string, options: { perCpu?: boolean } = {}): BpfMap {
    const map = checkPtr(this.#lib, `find BPF map ${name}`, this.#lib.findMap(this.#handle, name));
    return new BpfMap(this.#lib, name, map, options);
  }

  /** Keeps a program out of load() (bpf_program__set_autoload, before load). */
  disable(name: string): void {
    checkInt(`disable ${name}`, this.#lib.programSetAutoload(this.program(name), false));
  }

  /** Loads maps and programs (on a worker thread; see Libbpf.objectLoad). */
  async load(): Promise<void> {
    checkInt('load BPF programs', await this.#lib.objectLoad(this.#handle));
  }

  /** Attaches a program at the point named in its SEC(); the link lives until close(). */
  attach(name: string): Ptr {
    const link = checkPtr(this.#lib, `attach ${name}`, this.#lib.programAttach(this.program(name)));
    this.#links.push(link);
    return link;
  }

  /** Attaches an iter/ program; the returned link fd creates iterator instances. */
  attachIter(name: string): number {
    const link = checkPtr(this.#lib, `attach iterator ${name}`, this.#lib.programAttachIter(this.program(name)));
    this.#links.push(link);
    return checkInt(`iterator ${name} fd`, this.#lib.linkFd(link));
  }

  close(): void {
    if (this.#obj === null) return;
    while (this.#links.length > 0) this.#lib.linkDestroy(this.#links.pop()!);
    this.#lib.objectClose(this.#obj);
    this.#obj = null;
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
