#!/usr/bin/env node
// The benchmark's floor: holds bpf/floor.bpf.o's empty program attached to
// the same event tsdenet counts on, so the benchmark can time a workload
// with "something attached to sys_enter that does nothing".
//
//   node scripts/bench/floor-holder.mjs [tp_btf|tracepoint]
//
// Opens the object, loads only the program for the chosen attach point,
// attaches it, prints "ready" on stdout, and detaches when stdin closes
// (or on SIGTERM/SIGINT). Uses the built dist/ (npx tsc -p tsconfig.build.json).
import { fileURLToPath } from 'node:url';

const ROOT = new URL('../../', import.meta.url);
const { BpfObject } = await import(new URL('dist/bpf/object.js', ROOT).href);
const { loadLibbpf } = await import(new URL('dist/bpf/libbpf.js', ROOT).href);
const { FLOOR_OBJECT, FLOOR_PROGRAMS } = await import(new URL('dist/bpf/names.js', ROOT).href);

const mode = process.argv[2] ?? 'tp_btf';
if (!Object.hasOwn(FLOOR_PROGRAMS, mode)) {
  process.stderr.write(`floor-holder: mode must be one of ${Object.keys(FLOOR_PROGRAMS).join(', ')}\n`);
  process.exit(2);
}

const lib = loadLibbpf();
lib.setPrint(null);
const path = fileURLToPath(new URL(`bpf/${FLOOR_OBJECT}`, ROOT));
const obj = BpfObject.open(lib, path);
let closed = false;
function close() {
  if (closed) return;
  closed = true;
  obj.close();
}
try {
  for (const [m, prog] of Object.entries(FLOOR_PROGRAMS)) if (m !== mode) obj.disable(prog);
  await obj.load();
  obj.attach(FLOOR_PROGRAMS[mode]);
} catch (err) {
  close();
  process.stderr.write(`floor-holder: ${err?.message ?? err}\n`);
  process.exit(1);
}

const done = () => {
  close();
  process.exit(0);
};
process.on('SIGTERM', done);
process.on('SIGINT', done);
process.stdin.on('end', done);
process.stdin.on('close', done);
process.stdin.resume();
process.stdout.write(`ready ${FLOOR_PROGRAMS[mode]}\n`);
