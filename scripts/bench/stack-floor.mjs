#!/usr/bin/env node
// The start-up floor of tsdenet's fixed stack (issue 14), for the bench's
// start-up section: what `tsdenet --enable-ebpf run -- true` cannot avoid
// whatever its own code does. Node starts, requires koffi, dlopens
// libbpf.so.1, opens bpf/syscount.bpf.o, sizes its maps and disables the
// programs a default run leaves out (as src/bpf/counter-loader.ts does),
// loads it (libbpf 1.1 parses the kernel's BTF; the kernel creates the
// maps and verifies the programs), attaches what a default run attaches,
// and runs `true`. No option parsing, no monitoring, no output: a lower
// bound, not a model of a run. Names and sizes come from dist/ so the two
// cannot drift apart. Exit 0 when everything loaded and attached.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const { BTF_OBJECT, BTF_PROGRAMS, MAPS } = await import(`${ROOT}dist/bpf/names.js`);
const { DEFAULT_MAX_ENTRIES, DEFAULT_USAGE_ENTRIES, tasksCapacity } = await import(`${ROOT}dist/bpf/map-sizes.js`);
const koffi = createRequire(import.meta.url)('koffi');

const lib = koffi.load('libbpf.so.1');
const openFile = lib.func('void *bpf_object__open_file(const char *path, const void *opts)');
const load = lib.func('int bpf_object__load(void *obj)');
const program = lib.func('void *bpf_object__find_program_by_name(void *obj, const char *name)');
const map = lib.func('void *bpf_object__find_map_by_name(void *obj, const char *name)');
const setAutoload = lib.func('int bpf_program__set_autoload(void *prog, bool autoload)');
const setMaxEntries = lib.func('int bpf_map__set_max_entries(void *map, uint32_t max_entries)');
const attach = lib.func('void *bpf_program__attach(void *prog)');
const printNothing = lib.func('void *libbpf_set_print(void *fn)');

function fail(what) {
  process.stderr.write(`stack-floor: ${what} failed (run as root, with bpf/ built)\n`);
  process.exit(1);
}

printNothing(null);
const object = openFile(`${ROOT}bpf/${BTF_OBJECT}`, null);
if (!object) fail('open');
const { sysExit, findSeed, seed, offcpu, offcpuDump, offcpuSeed } = BTF_PROGRAMS;
for (const name of [sysExit, findSeed, seed, offcpu, offcpuDump, offcpuSeed]) setAutoload(program(object, name), false);
setMaxEntries(map(object, MAPS.counts), DEFAULT_MAX_ENTRIES);
setMaxEntries(map(object, MAPS.tasks), tasksCapacity(false));
setMaxEntries(map(object, MAPS.procUsage), DEFAULT_USAGE_ENTRIES);
setMaxEntries(map(object, MAPS.latency), 1);
if (load(object) !== 0) fail('load');
const { exit, finish, fork, exec, sysEnter } = BTF_PROGRAMS;
for (const name of [exit, finish, fork, exec, sysEnter]) if (!attach(program(object, name))) fail(`attach ${name}`);
if (spawnSync('true').status !== 0) fail('true');
