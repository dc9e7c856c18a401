/**
 * The only module that touches koffi: binds the libbpf.so.1 calls tsdenet
 * needs (Debian package libbpf1, libbpf >= 1.1). Everything else uses the
 * Libbpf interface, so unit tests can pass a fake (test/helpers/fake-libbpf.ts).
 *
 * Error conventions of libbpf >= 1.0: functions returning a pointer return
 * NULL and set errno; functions returning int return -errno.
 */
import koffi, { type LibraryHandle } from 'koffi';
import { LibbpfMissingError } from '../errors.js';
import { configureKoffiStacks, loadLibc } from '../ffi/koffi.js';
import { libraryOverrideRefusal } from '../privileges/launch-environment.js';

/** An opaque libbpf pointer (koffi 3 represents pointers as bigint). */
export type Ptr = bigint;

export interface Libbpf {
  readonly version: string;
  /** libbpf_num_possible_cpus: per-CPU map values hold one slot per possible CPU. */
  possibleCpus(): number;
  /** errno right after a call that returned NULL. */
  lastErrno(): number;
  /** libbpf_set_print: null silences libbpf, a function receives each formatted line. */
  setPrint(sink: ((level: number, line: string) => void) | null): void;
  objectOpenFile(path: string): Ptr | null;
  /**
   * bpf_object__load on one of koffi's worker threads: parsing the kernel's
   * BTF and verifying the programs (~20 ms) overlap with the main thread's
   * own start-up. No other libbpf call may run until it settles.
   */
  objectLoad(obj: Ptr): Promise<number>;
  objectClose(obj: Ptr): void;
  findProgram(obj: Ptr, name: string): Ptr | null;
  findMap(obj: Ptr, name: string): Ptr | null;
  programSetAutoload(prog: Ptr, autoload: boolean): number;
  programAttach(prog: Ptr): Ptr | null;
  programAttachIter(prog: Ptr): Ptr | null;
  linkDestroy(link: Ptr): number;
  linkFd(link: Ptr): number;
  iterCreate(linkFd: number): number;
  mapFd(map: Ptr): number;
  mapSetMaxEntries(map: Ptr, maxEntries: number): number;
  mapKeySize(map: Ptr): number;
  mapValueSize(map: Ptr): number;
  mapUpdateElem(fd: number, key: Buffer, value: Buffer, flags: number): number;
  mapLookupElem(fd: number, key: Buffer, value: Buffer): number;
  mapDeleteElem(fd: number, key: Buffer): number;
  /** Reads and deletes in one step (hash maps: Linux 5.14): nothing added in between is lost. */
  mapLookupAndDeleteElem(fd: number, key: Buffer, value: Buffer): number;
  mapGetNextKey(fd: number, key: Buffer | null, nextKey: Buffer): number;
  /** bpf_map_lookup_batch; count is in/out (entries asked for / read). */
  mapLookupBatch(
    fd: number,
    inBatch: Buffer | null,
    outBatch: Buffer,
    keys: Buffer,
    values: Buffer,
    count: Uint32Array,
  ): number;
}

const SYSTEM_LIBRARY = 'libbpf.so.1';
let loaded: Libbpf | undefined;

/**
 * TSDENET_LIBBPF names another libbpf.so.1 (packagers, tests); the dynamic
 * loader's search otherwise. Ignored where the environment may not choose
 * code to load (libraryOverrideRefusal: capabilities held as a user,
 * setuid, secure mode): a library's constructor runs at load.
 */
export function libbpfPath(env: NodeJS.ProcessEnv = process.env, privileged: () => boolean = () => libraryOverrideRefusal() !== undefined): string {
  const override = env.TSDENET_LIBBPF;
  if (override === undefined || override === '' || privileged()) return SYSTEM_LIBRARY;
  return override;
}

/** Loads libbpf.so.1 once; throws LibbpfMissingError naming the package when absent. */
export function loadLibbpf(): Libbpf {
  loaded ??= bindLibbpf(libbpfPath());
  return loaded;
}


/** Binds the libbpf at `path` (a file name the dynamic loader resolves, or a path). */
export function bindLibbpf(path: string): Libbpf {
  configureKoffiStacks(koffi);
  let lib: LibraryHandle;
  try {
    lib = koffi.load(path);
  } catch (cause) {
    throw new LibbpfMissingError(path, { cause });
  }
  try {
    return bindFunctions(lib);
  } catch (cause) {
    // A library that loads but lacks a libbpf >= 1.1 function (another
    // library under TSDENET_LIBBPF, an older libbpf): no eBPF, not a bug.
    const missing = /Cannot find function '([^']+)'/.exec(String((cause as Error)?.message ?? cause))?.[1];
    if (missing === undefined) throw cause;
    throw new LibbpfMissingError(path, { cause }, `is not libbpf >= 1.1: it has no ${missing}()`);
  }
}

/** The libbpf calls tsdenet makes, bound from `lib` (throws when one is missing). */
function bindFunctions(lib: LibraryHandle): Libbpf {
  // libbpf.h: const char *libbpf_version_string(void)
  const versionString = lib.func('const char *libbpf_version_string(void)');
  // libbpf.h: libbpf_print_fn_t libbpf_set_print(libbpf_print_fn_t fn)
  const PrintFn = koffi.proto('int tsdenet_libbpf_print_fn(int level, const char *fmt, void *args)');
  const setPrint = lib.func('libbpf_set_print', 'void *', [koffi.pointer(PrintFn)]);
  // libbpf.h: struct bpf_object *bpf_object__open_file(const char *path, const struct bpf_object_open_opts *opts)
  const openFile = lib.func('void *bpf_object__open_file(const char *path, const void *opts)');
  // libbpf.h: int bpf_object__load(struct bpf_object *obj)
  const objectLoad = lib.func('int bpf_object__load(void *obj)');
  // libbpf.h: void bpf_object__close(struct bpf_object *obj)
  const objectClose = lib.func('void bpf_object__close(void *obj)');
  // libbpf.h: struct bpf_program *bpf_object__find_program_by_name(const struct bpf_object *obj, const char *name)
  const findProgram = lib.func('void *bpf_object__find_program_by_name(void *obj, const char *name)');
  // libbpf.h: struct bpf_map *bpf_object__find_map_by_name(const struct bpf_object *obj, const char *name)
  const findMap = lib.func('void *bpf_object__find_map_by_name(void *obj, const char *name)');
  // libbpf.h: int bpf_program__set_autoload(struct bpf_program *prog, bool autoload)
  const setAutoload = lib.func('int bpf_program__set_autoload(void *prog, bool autoload)');
  // libbpf.h: struct bpf_link *bpf_program__attach(const struct bpf_program *prog)
  const attach = lib.func('void *bpf_program__attach(void *prog)');
  // libbpf.h: struct bpf_link *bpf_program__attach_iter(const struct bpf_program *prog, const struct bpf_iter_attach_opts *opts)
  const attachIter = lib.func('void *bpf_program__attach_iter(void *prog, const void *opts)');
  // libbpf.h: int bpf_link__destroy(struct bpf_link *link)
  const linkDestroy = lib.func('int bpf_link__destroy(void *link)');
  // libbpf.h: int bpf_link__fd(const struct bpf_link *link)
  const linkFd = lib.func('int bpf_link__fd(void *link)');
  // bpf.h: int bpf_iter_create(int link_fd)
  const iterCreate = lib.func('int bpf_iter_create(int link_fd)');
  // libbpf.h: int bpf_map__fd(const struct bpf_map *map)
  const mapFd = lib.func('int bpf_map__fd(void *map)');
  // libbpf.h: int bpf_map__set_max_entries(struct bpf_map *map, __u32 max_entries)
  const setMaxEntries = lib.func('int bpf_map__set_max_entries(void *map, uint32_t max_entries)');
  // libbpf.h: __u32 bpf_map__key_size(const struct bpf_map *map)
  const keySize = lib.func('uint32_t bpf_map__key_size(void *map)');
  // libbpf.h: __u32 bpf_map__value_size(const struct bpf_map *map)
  const valueSize = lib.func('uint32_t bpf_map__value_size(void *map)');
  // bpf.h: int bpf_map_update_elem(int fd, const void *key, const void *value, __u64 flags)
  const updateElem = lib.func('int bpf_map_update_elem(int fd, const void *key, const void *value, uint64_t flags)');
  // bpf.h: int bpf_map_lookup_elem(int fd, const void *key, void *value)
  const lookupElem = lib.func('int bpf_map_lookup_elem(int fd, const void *key, void *value)');
  // bpf.h: int bpf_map_delete_elem(int fd, const void *key)
  const deleteElem = lib.func('int bpf_map_delete_elem(int fd, const void *key)');
  // bpf.h: int bpf_map_lookup_and_delete_elem(int fd, const void *key, void *value)
  const lookupAndDeleteElem = lib.func('int bpf_map_lookup_and_delete_elem(int fd, const void *key, void *value)');
  // bpf.h: int bpf_map_get_next_key(int fd, const void *key, void *next_key)
  const getNextKey = lib.func('int bpf_map_get_next_key(int fd, const void *key, void *next_key)');
  // bpf.h: int bpf_map_lookup_batch(int fd, void *in_batch, void *out_batch, void *keys, void *values, __u32 *count, const struct bpf_map_batch_opts *opts)
  const lookupBatch = lib.func(
    'int bpf_map_lookup_batch(int fd, void *in_batch, void *out_batch, void *keys, void *values, _Inout_ uint32_t *count, const void *opts)',
  );

  // libbpf.h: int libbpf_num_possible_cpus(void)
  const numPossibleCpus = lib.func('int libbpf_num_possible_cpus(void)');

  let registeredPrint: bigint | null = null;
  const libc = loadLibc();
  // stdio.h: int vsnprintf(char *str, size_t size, const char *format, va_list ap)
  const vsnprintf = libc.func('int vsnprintf(_Out_ uint8_t *str, size_t size, const char *format, void *ap)');

  return {
    version: String(versionString()),
    lastErrno: () => koffi.errno(),
    possibleCpus: () => numPossibleCpus() as number,
    setPrint(sink) {
      if (registeredPrint) koffi.unregister(registeredPrint);
      registeredPrint = null;
      if (!sink) {
        setPrint(null);
        return;
      }
      registeredPrint = koffi.register((level: number, fmt: string, args: unknown) => {
        const buf = Buffer.alloc(4096);
        const n = vsnprintf(buf, buf.length, fmt, args) as number;
        sink(level, buf.subarray(0, Math.max(0, Math.min(n, buf.length - 1))).toString('utf8').trimEnd());
        return 0;
      }, koffi.pointer(PrintFn));
      setPrint(registeredPrint);
    },
    objectOpenFile: (path) => openFile(path, null) as Ptr | null,
    objectLoad: (obj) =>
      new Promise((resolve, reject) => {
        objectLoad.async(obj, (error: unknown, result: number) => (error ? reject(error) : resolve(result)));
      }),
    objectClose: (obj) => void objectClose(obj),
    findProgram: (obj, name) => findProgram(obj, name) as Ptr | null,
    findMap: (obj, name) => findMap(obj, name) as Ptr | null,
    programSetAutoload: (prog, autoload) => setAutoload(prog, autoload) as number,
    programAttach: (prog) => attach(prog) as Ptr | null,
    programAttachIter: (prog) => attachIter(prog, null) as Ptr | null,
    linkDestroy: (link) => linkDestroy(link) as number,
    linkFd: (link) => linkFd(link) as number,
    iterCreate: (fd) => iterCreate(fd) as number,
    mapFd: (map) => mapFd(map) as number,
    mapSetMaxEntries: (map, n) => setMaxEntries(map, n) as number,
    mapKeySize: (map) => keySize(map) as number,
    mapValueSize: (map) => valueSize(map) as number,
    mapUpdateElem: (fd, key, value, flags) => updateElem(fd, key, value, BigInt(flags)) as number,
    mapLookupElem: (fd, key, value) => lookupElem(fd, key, value) as number,
    mapDeleteElem: (fd, key) => deleteElem(fd, key) as number,
    mapLookupAndDeleteElem: (fd, key, value) => lookupAndDeleteElem(fd, key, value) as number,
    mapGetNextKey: (fd, key, next) => getNextKey(fd, key, next) as number,
    mapLookupBatch: (fd, inBatch, outBatch, keys, values, count) =>
      lookupBatch(fd, inBatch, outBatch, keys, values, count, null) as number,
  };
}
