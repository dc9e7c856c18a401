#!/usr/bin/env node
// tsdenet benchmark (issue 5): tsdenet --enable-ebpf side by side with an
// empty BPF program on the same event (the floor), bpftrace, strace -c and
// perf trace -s, on four workloads. Not a test: run it by hand as root.
//
//   npm run bench -- [--reps N] [--quick] [--soak N] [options]
//
// Fairness: every condition runs the same wrapper (c/benchtime.c), which
// times the workload from inside the traced tree, so tool start-up
// (Node for tsdenet, compilation for bpftrace) is not counted as counting
// overhead; start-up is measured separately. Conditions alternate
// round-robin within each repetition (the starting condition rotates) to
// cancel drift. Results: bench-results/bench-<date>.{json,md}.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HERE = fileURLToPath(new URL('./', import.meta.url));
const TSDENET = join(ROOT, 'bin', 'tsdenet.js');
const BPFTRACE_PROG = 'tracepoint:raw_syscalls:sys_enter /pid == cpid/ { @[args->id] = count(); }';
const started = Date.now();

// ---------------------------------------------------------------- options

const USAGE = `usage: npm run bench -- [options]

  --reps N             repetitions per condition (default 7)
  --quick              3 repetitions, fewer start-up runs, shorter sampler run
  --slow-reps N        conditions whose first run takes longer than
                       --slow-threshold get at most N repetitions (default 3,
                       1 with --quick): strace on dd takes ~2 min a run
  --slow-threshold S   seconds (default 30)
  --workloads LIST     comma-separated subset of: dd,fork,thread,switch,tar,fork100k
  --conditions LIST    comma-separated subset of: untraced,floor,floor-tp,
                       tsdenet,tsdenet-tp,tsdenet-offcpu,tsdenet-tp-offcpu,
                       bpftrace,strace,perf-trace
  --soak N             also run N consecutive 'tsdenet --enable-ebpf run -- true'
                       and check nothing leaks (BPF programs, maps, links,
                       file descriptors, memory)
  --no-startup         skip the start-up measurement
  --no-sampler         skip the sampler CPU measurement
  --no-build           do not rebuild dist/ first
  --out DIR            results directory (default bench-results/)
  --help`;

let opts;
try {
  ({ values: opts } = parseArgs({
    options: {
      reps: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'slow-reps': { type: 'string' },
      'slow-threshold': { type: 'string', default: '30' },
      workloads: { type: 'string' },
      conditions: { type: 'string' },
      soak: { type: 'string' },
      'no-startup': { type: 'boolean', default: false },
      'no-sampler': { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      out: { type: 'string', default: join(ROOT, 'bench-results') },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  }));
} catch (err) {
  process.stderr.write(`bench: ${err.message}\n${USAGE}\n`);
  process.exit(2);
}
if (opts.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

function positiveInt(name, value, fallback) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`bench: --${name} must be a positive integer, got ${value}\n`);
    process.exit(2);
  }
  return n;
}
const QUICK = opts.quick;
const REPS = positiveInt('reps', opts.reps, QUICK ? 3 : 7);
const SLOW_REPS = positiveInt('slow-reps', opts['slow-reps'], QUICK ? 1 : 3);
const SLOW_THRESHOLD_NS = Number(opts['slow-threshold']) * 1e9;
const SOAK = opts.soak === undefined ? 0 : positiveInt('soak', opts.soak, 0);
const STARTUP_REPS = QUICK ? 5 : 15;
const SAMPLER_SECS = QUICK ? 5 : 10;

if (process.getuid?.() !== 0) {
  process.stderr.write('bench: run as root (BPF programs, bpftrace, perf trace need it)\n');
  process.exit(1);
}

const log = (msg) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${msg}\n`);
const notes = [];
const note = (msg) => {
  notes.push(msg);
  log(`NOTE: ${msg}`);
};

// ---------------------------------------------------------------- helpers

function sh(cmd) {
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}
const have = (tool) => sh(`command -v ${tool}`);

function median(xs) {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function sha256(path) {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
  } catch {
    return null;
  }
}

function bpfObjectHashes() {
  const dir = join(ROOT, 'bpf');
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.o'))
      .sort()
      .map((f) => [f, sha256(join(dir, f))]),
  );
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Keeps the last `limit` bytes of a stream. */
function tail(stream, limit) {
  let chunks = [];
  let size = 0;
  stream.on('data', (d) => {
    chunks.push(d);
    size += d.length;
    while (size > limit && chunks.length > 1) size -= chunks.shift().length;
  });
  return () => Buffer.concat(chunks).toString('utf8');
}

/**
 * Runs a command to completion. stdout is kept whole when keepStdout,
 * otherwise only its end; stderr's end is kept for error messages.
 */
function run(cmd, args, { keepStdout = false, timeoutMs = 30 * 60 * 1000, env } = {}) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env });
    const out = tail(child.stdout, keepStdout ? Infinity : 64 * 1024);
    const err = tail(child.stderr, 16 * 1024);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout: '', stderr: String(e), wallNs: 0, timedOut, pid: child.pid });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallNs = Number(process.hrtime.bigint() - t0);
      resolve({ code, signal, stdout: out(), stderr: err(), wallNs, timedOut, pid: child.pid });
    });
  });
}

/** Waits for benchtime's result file (its watcher may finish just after the tool exits). */
async function readResult(path, waitMs = 10000) {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (existsSync(path)) {
      const ns = Number(readFileSync(path, 'utf8').trim());
      rmSync(path, { force: true });
      return Number.isFinite(ns) && ns > 0 ? ns : null;
    }
    if (Date.now() > deadline) return null;
    await sleep(5);
  }
}

// ---------------------------------------------------------------- quiet machine

const TRACING_TYPES = new Set(['tracing', 'tracepoint', 'raw_tracepoint', 'raw_tracepoint_writable', 'kprobe', 'perf_event']);
const BUSY_MAX = 0.15; // fraction of all CPUs busy in the 250 ms before a run
const HAVE_BPFTOOL = have('bpftool') !== null;

/** Tracing BPF programs loaded right now (anyone else's cost on every syscall lands in our numbers). */
function tracingPrograms() {
  if (!HAVE_BPFTOOL) return [];
  const r = spawnSync('bpftool', ['-j', 'prog', 'list'], { encoding: 'utf8' });
  try {
    return JSON.parse(r.stdout)
      .filter((p) => TRACING_TYPES.has(p.type))
      .map((p) => `${p.id}:${p.name ?? '?'}`);
  } catch {
    return [];
  }
}

function cpuTimes() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + (f[4] ?? 0);
  return { idle, total: f.reduce((a, b) => a + b, 0) };
}

async function cpuBusy(ms) {
  const a = cpuTimes();
  await sleep(ms);
  const b = cpuTimes();
  const total = b.total - a.total;
  return total > 0 ? 1 - (b.idle - a.idle) / total : 0;
}

/**
 * Waits (up to maxMs) until no tracing BPF program is loaded and the CPUs
 * are idle, so a run is not measured while someone else (tests, builds, a
 * profiler) is using the machine. Returns what it saw last.
 */
async function waitQuiet(maxMs = 180000) {
  const t0 = Date.now();
  let warned = false;
  for (;;) {
    const foreign = tracingPrograms();
    const busy = await cpuBusy(250);
    const quiet = foreign.length === 0 && busy < BUSY_MAX;
    const waited = (Date.now() - t0) / 1000;
    if (quiet || Date.now() - t0 > maxMs) return { quiet, busy: Math.round(busy * 100) / 100, foreign, waited_s: waited };
    if (!warned && waited > 5) {
      log(`  waiting for a quiet machine (busy ${(busy * 100).toFixed(0)}%, tracing programs: ${foreign.join(', ') || 'none'})`);
      warned = true;
    }
    await sleep(foreign.length ? 250 : 750);
  }
}

// ---------------------------------------------------------------- build

if (!opts['no-build']) {
  log('building dist/ (tsc -p tsconfig.build.json)');
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    // tsc still emits on type errors (no noEmitOnError): other work in
    // progress in src/ should not stop the benchmark, but it is recorded.
    const first = `${r.stdout}${r.stderr}`.trim().split('\n').slice(0, 3).join(' | ');
    if (!existsSync(join(ROOT, 'dist/cli/main.js'))) {
      process.stderr.write(`bench: build failed and there is no dist/: ${first}\n`);
      process.exit(1);
    }
    note(`tsc reported type errors (dist/ emitted anyway): ${first}`);
  }
  // bin/tsdenet.js runs the bundle made from tsc's output (npm run build does both).
  log('bundling the CLI (scripts/bundle-cli.mjs)');
  const bundled = spawnSync(process.execPath, [join(ROOT, 'scripts/bundle-cli.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (bundled.status !== 0) {
    process.stderr.write(`bench: bundling the CLI failed: ${`${bundled.stdout}${bundled.stderr}`.trim()}\n`);
    process.exit(1);
  }
}
const { syscallName, currentArch } = await import(new URL('dist/syscalls/names.js', `file://${ROOT}`).href);
const ARCH = currentArch();

if (!have('gcc')) {
  process.stderr.write('bench: gcc is needed to build the workloads (apt-get install gcc libc6-dev)\n');
  process.exit(1);
}
const WORK = mkdtempSync(join(tmpdir(), 'tsdenet-bench-'));
const bin = {};
for (const name of ['benchtime', 'forkmany', 'threadmany', 'pingpong']) {
  bin[name] = join(WORK, name);
  execFileSync('gcc', ['-O2', '-Wall', '-o', bin[name], join(HERE, 'c', `${name}.c`), '-lpthread']);
}

// ---------------------------------------------------------------- cgroup CPU accounting

/**
 * The workload tree's CPU time (user + sys, BPF programs on sys_enter
 * included, the tracer's own process not) from a fresh cgroup per run that
 * benchtime joins before execve. Less sensitive than wall time to other load
 * on a small machine. cgroup v2 cpu.stat, else v1 cpuacct.
 */
function findCgroup() {
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
  const mountOf = (pred) => {
    for (const l of mounts) {
      const [pre, post] = l.split(' - ');
      if (!post) continue;
      const [fstype, , superOpts] = post.split(' ');
      if (pred(fstype, superOpts ?? '')) return pre.split(' ')[4];
    }
    return null;
  };
  const v2 = mountOf((t) => t === 'cgroup2');
  const v1 = mountOf((t, o) => t === 'cgroup' && o.split(',').includes('cpuacct'));
  for (const [kind, root] of [
    ['v2', v2],
    ['v1', v1],
  ]) {
    if (!root) continue;
    const probe = join(root, `tsdenet-bench-${process.pid}-probe`);
    try {
      mkdirSync(probe);
      const ok = existsSync(join(probe, kind === 'v2' ? 'cpu.stat' : 'cpuacct.usage'));
      rmdirSync(probe);
      if (ok) return { kind, root };
    } catch {
      /* next */
    }
  }
  return null;
}
const CGROUP = findCgroup();
if (!CGROUP) note('workload CPU time not measured: no cgroup v2 or v1 cpuacct hierarchy to create a cgroup in');

function makeCgroup(tag) {
  if (!CGROUP) return null;
  const dir = join(CGROUP.root, `tsdenet-bench-${process.pid}-${tag}`);
  try {
    mkdirSync(dir);
    return dir;
  } catch {
    return null;
  }
}

/** CPU seconds used in the cgroup: { cpu, user, sys } (user/sys null on v1 at 10 ms resolution: not kept). */
function readCgroupCpu(dir) {
  try {
    if (CGROUP.kind === 'v2') {
      const st = Object.fromEntries(
        readFileSync(join(dir, 'cpu.stat'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => l.split(' '))
          .map(([k, v]) => [k, Number(v)]),
      );
      return { cpu: st.usage_usec / 1e6, user: st.user_usec / 1e6, sys: st.system_usec / 1e6 };
    }
    return { cpu: Number(readFileSync(join(dir, 'cpuacct.usage'), 'utf8')) / 1e9, user: null, sys: null };
  } catch {
    return null;
  }
}

async function removeCgroup(dir) {
  for (let i = 0; i < 100; i++) {
    try {
      rmdirSync(dir);
      return true;
    } catch (err) {
      if (err.code === 'ENOENT') return true;
    }
    await sleep(20);
  }
  note(`could not remove cgroup ${dir} (still populated?)`);
  return false;
}

// ---------------------------------------------------------------- workloads

// Issue 14: the fork storm and the thread storm at 20,000, and 100,000
// processes (past the counts map's capacity before user space drained it).
const FORKS = 20000;
const MANY_FORKS = 100000;
const THREADS = 20000;
const CALLS_PER_THREAD = 20;
const THREADS_ALIVE = 64;
const TAR_LOOPS = 10;
const PINGPONGS = 100000;

/**
 * What benchtime itself adds to the tree (see c/benchtime.c): only syscalls
 * that happen before the workload exits (the watcher's last calls race with
 * the end of tsdenet's run, so exit_group and the file writes are not checked).
 */
const WRAPPER_COUNTS = { clone: 2, wait4: 1, execve: 1, pidfd_open: 1, poll: 1 };

writeFileSync(
  join(WORK, 'tarloop.sh'),
  `#!/bin/sh\n# ${TAR_LOOPS} x tar of node_modules through a pipe (tar skips reading files when its archive is /dev/null)\n` +
    `i=0\nwhile [ $i -lt ${TAR_LOOPS} ]; do /usr/bin/tar -C ${ROOT} -cf - node_modules | /usr/bin/cat >/dev/null; i=$((i + 1)); done\n`,
);

const WORKLOADS = [
  {
    id: 'dd',
    title: 'syscall-dense',
    shown: 'dd if=/dev/zero of=/dev/null bs=1 count=3000000',
    argv: ['/usr/bin/dd', 'if=/dev/zero', 'of=/dev/null', 'bs=1', 'count=3000000'],
    // Not exact by construction (libc start-up adds a read); informational.
    atLeast: { read: 3000000, write: 3000000 },
  },
  {
    id: 'fork',
    title: 'fork-heavy',
    shown: `forkmany ${FORKS} (C: ${FORKS} x fork; child: getsid, exit_group; parent: wait4)`,
    argv: [bin.forkmany, String(FORKS)],
    // forkmany: getsid N, wait4 N, clone N (glibc 2.36 fork), execve 1 (its own).
    expected: { getsid: FORKS, wait4: FORKS, clone: FORKS, execve: 1 },
    // Each child's getsid in the per-process breakdown (pids are reused past pid_max: summed over processes).
    perProcess: { getsid: FORKS },
  },
  {
    id: 'thread',
    title: 'thread-heavy',
    shown: `threadmany ${THREADS} ${CALLS_PER_THREAD} ${THREADS_ALIVE} (C: ${THREADS} pthreads, ${THREADS_ALIVE} alive at a time, x ${CALLS_PER_THREAD} getppid)`,
    argv: [bin.threadmany, String(THREADS), String(CALLS_PER_THREAD), String(THREADS_ALIVE)],
    // threadmany: getppid N*CALLS, clone3 N (glibc 2.36 pthread_create), exit N (thread exits).
    expected: { getppid: THREADS * CALLS_PER_THREAD, clone3: THREADS, exit: THREADS, execve: 1 },
  },
  {
    id: 'switch',
    title: 'context-switch-heavy',
    shown: `pingpong ${PINGPONGS} (C: parent and child pass a byte ${PINGPONGS} times through two pipes)`,
    argv: [bin.pingpong, String(PINGPONGS)],
    // pingpong: read 2N, write 2N (each round trip blocks both sides: --offcpu's cost).
    atLeast: { read: 2 * PINGPONGS, write: 2 * PINGPONGS },
  },
  {
    id: 'fork100k',
    title: '100,000 processes',
    shown: `forkmany ${MANY_FORKS} (as fork-heavy; more (process, syscall) entries than the counts map held before it was drained)`,
    argv: [bin.forkmany, String(MANY_FORKS)],
    expected: { getsid: MANY_FORKS, wait4: MANY_FORKS, clone: MANY_FORKS, execve: 1 },
    perProcess: { getsid: MANY_FORKS },
  },
  {
    id: 'tar',
    title: 'realistic',
    shown: `${TAR_LOOPS} x (tar -cf - node_modules | cat >/dev/null)`,
    argv: ['/bin/sh', join(WORK, 'tarloop.sh')],
  },
];
for (const w of WORKLOADS) {
  if (!w.expected) continue;
  w.expectedTree = { ...w.expected };
  for (const [k, v] of Object.entries(WRAPPER_COUNTS)) w.expectedTree[k] = (w.expectedTree[k] ?? 0) + v;
}

// ---------------------------------------------------------------- conditions

function versionOf(cmd) {
  const v = sh(`${cmd} 2>&1`);
  return v ? v.split('\n')[0].trim() : null;
}

/** Starts floor-holder.mjs and resolves once the empty program is attached. */
function startHolder(mode) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(HERE, 'floor-holder.mjs'), mode], { stdio: ['pipe', 'pipe', 'pipe'] });
    const err = tail(child.stderr, 8192);
    let buf = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`floor-holder ${mode}: no "ready" within 30 s: ${err()}`));
    }, 30000);
    child.stdout.on('data', (d) => {
      buf += d;
      if (buf.includes('ready')) {
        clearTimeout(timer);
        resolve({
          stop: () =>
            new Promise((res) => {
              if (child.exitCode !== null) return res();
              child.on('exit', () => res());
              child.stdin.end();
            }),
        });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (!buf.includes('ready')) reject(new Error(`floor-holder ${mode} exited ${code}: ${err()}`));
    });
  });
}

function parseTsdenet(stdout) {
  const lines = stdout.split('\n').filter((l) => l.startsWith('{'));
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      const j = JSON.parse(lines[i]);
      if (j.kind === 'summary') return j;
    } catch {
      /* not JSON */
    }
  }
  return null;
}

function parseBpftrace(stdout) {
  const counts = {};
  for (const m of stdout.matchAll(/^@\[(\d+)\]: (\d+)$/gm)) {
    const name = ARCH ? syscallName(Number(m[1]), ARCH) : `syscall_${m[1]}`;
    counts[name] = (counts[name] ?? 0) + Number(m[2]);
  }
  return { counts };
}

function parseStrace(text) {
  const counts = {};
  for (const line of text.split('\n')) {
    const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?([a-z_0-9]+)\s*$/.exec(line);
    if (m && m[2] !== 'total') counts[m[2]] = (counts[m[2]] ?? 0) + Number(m[1]);
  }
  return { counts };
}

function parsePerfTrace(text) {
  const counts = {};
  let lost = 0;
  for (const line of text.split('\n')) {
    const l = /LOST (\d+) events!/.exec(line);
    if (l) lost += Number(l[1]);
    const m = /^\s+([a-z_0-9]+)\s+(\d+)\s+(?:\d+\s+)?\d+\.\d+\s/.exec(line);
    if (m && m[1] !== 'syscall') counts[m[1]] = (counts[m[1]] ?? 0) + Number(m[2]);
  }
  return { counts, lost };
}

const CONDITIONS = [
  { id: 'untraced', label: 'untraced', kind: 'base', cmd: (w) => w },
  { id: 'floor', label: 'floor (empty prog, tp_btf)', kind: 'floor', mode: 'tp_btf', cmd: (w) => w },
  { id: 'floor-tp', label: 'floor (empty prog, tracepoint)', kind: 'floor', mode: 'tracepoint', cmd: (w) => w },
  {
    id: 'tsdenet',
    label: 'tsdenet --enable-ebpf',
    kind: 'tsdenet',
    wantMode: 'tp_btf',
    cmd: (w) => [process.execPath, TSDENET, '--enable-ebpf', '--require-ebpf', '--json', 'run', '--', ...w],
  },
  {
    id: 'tsdenet-tp',
    label: 'tsdenet --attach-mode tracepoint',
    kind: 'tsdenet',
    wantMode: 'tracepoint',
    cmd: (w) => [
      process.execPath,
      TSDENET,
      '--enable-ebpf',
      '--require-ebpf',
      '--json',
      '--attach-mode',
      'tracepoint',
      'run',
      '--',
      ...w,
    ],
  },
  // --offcpu adds a program on sched_switch (every context switch of the machine).
  {
    id: 'tsdenet-offcpu',
    label: 'tsdenet --enable-ebpf --offcpu',
    kind: 'tsdenet',
    wantMode: 'tp_btf',
    cmd: (w) => [process.execPath, TSDENET, '--enable-ebpf', '--require-ebpf', '--offcpu', '--json', 'run', '--', ...w],
  },
  {
    id: 'tsdenet-tp-offcpu',
    label: 'tsdenet --attach-mode tracepoint --offcpu',
    kind: 'tsdenet',
    wantMode: 'tracepoint',
    cmd: (w) => [process.execPath, TSDENET, '--enable-ebpf', '--require-ebpf', '--offcpu', '--json', '--attach-mode', 'tracepoint', 'run', '--', ...w],
  },
  {
    id: 'bpftrace',
    label: 'bpftrace (direct child only)',
    kind: 'peer',
    tool: 'bpftrace',
    // -c takes one string (split on spaces): every path here is free of spaces.
    cmd: (w) => ['bpftrace', '-e', BPFTRACE_PROG, '-c', w.join(' ')],
    parse: (r) => parseBpftrace(r.stdout),
  },
  {
    id: 'strace',
    label: 'strace -f -c',
    kind: 'peer',
    tool: 'strace',
    // The summary goes to a file, not /dev/null, so its counts can be compared;
    // strace writes it after the traced tree has exited (outside the timed part).
    cmd: (w, side) => ['strace', '-f', '-c', '-o', side, ...w],
    parse: (r, side) => parseStrace(readSide(side)),
  },
  {
    id: 'perf-trace',
    label: 'perf trace -s',
    kind: 'peer',
    tool: 'perf',
    cmd: (w, side) => ['perf', 'trace', '-s', '-o', side, '--', ...w],
    parse: (r, side) => parsePerfTrace(readSide(side)),
  },
];

function readSide(path) {
  try {
    const t = readFileSync(path, 'utf8');
    rmSync(path, { force: true });
    return t;
  } catch {
    return '';
  }
}

const wantWorkloads = opts.workloads?.split(',').map((s) => s.trim());
const wantConditions = opts.conditions?.split(',').map((s) => s.trim());
for (const [what, list, all] of [
  ['workload', wantWorkloads, WORKLOADS],
  ['condition', wantConditions, CONDITIONS],
]) {
  for (const id of list ?? []) {
    if (all.some((x) => x.id === id)) continue;
    process.stderr.write(`bench: unknown ${what} ${id} (one of ${all.map((x) => x.id).join(', ')})\n`);
    process.exit(2);
  }
}
const workloads = WORKLOADS.filter((w) => !wantWorkloads || wantWorkloads.includes(w.id));
const skipped = {};
let conditions = CONDITIONS.filter((c) => !wantConditions || wantConditions.includes(c.id));
conditions = conditions.filter((c) => {
  if (c.tool && !have(c.tool)) {
    skipped[c.id] = `${c.tool} is not installed (apt-get install ${c.tool === 'perf' ? 'linux-perf' : c.tool})`;
    note(`skipping ${c.id}: ${skipped[c.id]}`);
    return false;
  }
  return true;
});

// ---------------------------------------------------------------- machine

function machineInfo() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const osRelease = readFileSync('/etc/os-release', 'utf8');
  const hypervisor = /^flags\s*:.*\bhypervisor\b/m.test(cpuinfo);
  let libbpf = null;
  try {
    libbpf = execFileSync(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import(${JSON.stringify(new URL('dist/bpf/libbpf.js', `file://${ROOT}`).href)}); console.log(m.loadLibbpf().version)`],
      { encoding: 'utf8' },
    ).trim();
  } catch {
    /* reported as null */
  }
  return {
    cpu_model: model,
    cores: cpus().length,
    virtualized: hypervisor,
    mem_total_mb: Math.round(Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024),
    kernel: sh('uname -r'),
    kernel_version: sh('uname -v'),
    arch: sh('uname -m'),
    os: /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1] ?? null,
    versions: {
      node: process.version,
      tsdenet: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
      libbpf,
      bpftrace: have('bpftrace') ? versionOf('bpftrace --version') : null,
      strace: have('strace') ? versionOf('strace -V') : null,
      perf: have('perf') ? versionOf('perf version') : null,
      gcc: versionOf('gcc --version'),
      glibc: versionOf('ldd --version'),
      tar: versionOf('tar --version'),
      bpftool: have('bpftool') ? versionOf('bpftool version') : null,
    },
    git: {
      commit: sh(`git -C ${ROOT} rev-parse --short HEAD`),
      dirty: (sh(`git -C ${ROOT} status --porcelain -- src bpf bin`) ?? '') !== '',
    },
  };
}

/** Other BPF programs loaded when the bench starts (the lead's tests running in parallel add noise). */
function bpfProgramNames() {
  const out = have('bpftool') ? sh('bpftool -j prog list') : null;
  if (!out) return null;
  try {
    return JSON.parse(out).map((p) => `${p.type}:${p.name ?? '?'}`);
  } catch {
    return null;
  }
}

const bpfStatsEnabled = () => sh('cat /proc/sys/kernel/bpf_stats_enabled');
const machine = machineInfo();
machine.bpf_stats_enabled_at_start = bpfStatsEnabled();
if (machine.bpf_stats_enabled_at_start === '1')
  note('kernel.bpf_stats_enabled is 1: every BPF program run is timed by the kernel, which inflates the floor, tsdenet and bpftrace alike');
const bpfAtStart = bpfObjectHashes();
log(`machine: ${machine.cpu_model}, ${machine.cores} cores, kernel ${machine.kernel}, ${machine.os}`);
const otherProgs = bpfProgramNames();
if (otherProgs?.some((p) => p.startsWith('tracing:') || p.startsWith('tracepoint:') || p.startsWith('raw_tracepoint')))
  note(`BPF tracing programs already loaded at start (someone else is tracing; expect noise): ${otherProgs.join(', ')}`);

// ---------------------------------------------------------------- one run

async function runOnce(cond, w, tag) {
  const outFile = join(WORK, `t-${tag}`);
  const side = join(WORK, `side-${tag}`);
  rmSync(outFile, { force: true });
  const cg = makeCgroup(tag);
  const wrapped = [bin.benchtime, outFile, ...(cg ? ['--cgroup', cg] : []), ...w.argv];
  const [cmd, ...args] = cond.cmd(wrapped, side);
  const gate = await waitQuiet();
  let holder = null;
  if (cond.kind === 'floor') holder = await startHolder(cond.mode);
  let r;
  try {
    r = await run(cmd, args, { keepStdout: cond.kind === 'tsdenet' || cond.id === 'bpftrace' });
  } finally {
    if (holder) await holder.stop();
  }
  const ns = await readResult(outFile);
  const cpu = cg ? readCgroupCpu(cg) : null;
  if (cg) await removeCgroup(cg);
  const rec = { ns, cpu_s: cpu?.cpu ?? null, user_s: cpu?.user ?? null, sys_s: cpu?.sys ?? null, tool_exit: r.code, tool_signal: r.signal, tool_wall_ns: r.wallNs, gate };
  if (!gate.quiet) log(`  (run started on a busy machine: busy ${gate.busy}, tracing programs ${gate.foreign.join(', ') || 'none'})`);
  const problems = [];
  if (ns === null) problems.push('no timing from benchtime');
  if (r.timedOut) problems.push('timed out');
  if (cond.kind === 'base' || cond.kind === 'floor' || cond.kind === 'tsdenet' || cond.id === 'strace') {
    if (r.code !== 0) problems.push(`exit ${r.code ?? r.signal}`);
  }
  if (cond.kind === 'tsdenet') {
    const j = parseTsdenet(r.stdout);
    if (!j) problems.push('no tsdenet summary on stdout');
    else {
      const s = j.ebpf?.syscalls ?? {};
      rec.attach_mode = j.ebpf?.attach_mode ?? null;
      rec.total = s.total ?? null;
      rec.dropped = s.dropped ?? null;
      rec.untracked_threads = s.untracked_threads ?? null;
      rec.lost_thread_info = s.lost_thread_info ?? null;
      rec.processes = s.processes?.length ?? null;
      rec.records = {};
      for (const m of r.stdout.matchAll(/^\{"kind":"([^"]+)"/gm)) rec.records[m[1]] = (rec.records[m[1]] ?? 0) + 1;
      const keys = Object.keys({ ...(w.expectedTree ?? {}), ...(w.atLeast ?? {}) });
      rec.counts = Object.fromEntries(keys.map((k) => [k, s.by_syscall?.[k] ?? 0]));
      if (rec.attach_mode !== cond.wantMode) problems.push(`attach_mode ${rec.attach_mode}, wanted ${cond.wantMode}`);
      rec.mismatches = [];
      for (const [k, v] of Object.entries(w.expectedTree ?? {}))
        if (rec.counts[k] !== v) rec.mismatches.push({ syscall: k, expected: v, counted: rec.counts[k] });
      for (const [k, v] of Object.entries(w.atLeast ?? {}))
        if (rec.counts[k] < v) rec.mismatches.push({ syscall: k, expected_at_least: v, counted: rec.counts[k] });
      if (rec.dropped !== 0) rec.mismatches.push({ field: 'dropped', expected: 0, counted: rec.dropped });
      // The per-process breakdown is complete: its totals add up to the run's, and every expected call is in it.
      rec.breakdown_total = (s.processes ?? []).reduce((n, p) => n + p.total, 0);
      if (rec.breakdown_total !== rec.total) rec.mismatches.push({ field: 'per-process total', expected: rec.total, counted: rec.breakdown_total });
      for (const [k, v] of Object.entries(w.perProcess ?? {})) {
        const inBreakdown = (s.processes ?? []).reduce((n, p) => n + (p.by_syscall?.[k] ?? 0), 0);
        if (inBreakdown !== v) rec.mismatches.push({ field: `per-process ${k}`, expected: v, counted: inBreakdown });
      }
      for (const m of rec.mismatches)
        log(`!!!!! EXACTNESS MISMATCH ${cond.id} on ${w.id}: ${m.syscall ?? m.field} expected ${m.expected ?? `>= ${m.expected_at_least}`}, counted ${m.counted} !!!!!`);
    }
  }
  if (cond.parse) {
    const p = cond.parse(r, side);
    const keys = Object.keys({ ...(w.expectedTree ?? {}), ...(w.atLeast ?? {}) });
    rec.counts = Object.fromEntries(keys.map((k) => [k, p.counts[k] ?? 0]));
    rec.total = Object.values(p.counts).reduce((a, b) => a + b, 0);
    if (p.lost !== undefined) rec.lost_events = p.lost;
  }
  rmSync(side, { force: true });
  if (problems.length) {
    rec.error = problems.join('; ');
    rec.stderr_tail = r.stderr.slice(-2000);
  }
  return rec;
}

// ---------------------------------------------------------------- workloads x conditions

const results = {};
for (const w of workloads) {
  log(`workload ${w.id} (${w.title}): ${w.shown}`);
  // Warm-up (page cache, binaries), not recorded.
  await runOnce(CONDITIONS[0], w, `${w.id}-warmup`);
  const per = Object.fromEntries(conditions.map((c) => [c.id, { runs: [], capped: false, failed: null }]));
  const load0 = loadavg()[0];
  for (let rep = 0; rep < REPS; rep++) {
    const order = conditions.map((_, i) => conditions[(i + rep) % conditions.length]);
    for (const c of order) {
      const slot = per[c.id];
      if (slot.failed || slot.capped) continue;
      const rec = await runOnce(c, w, `${w.id}-${c.id}-${rep}`);
      rec.rep = rep;
      slot.runs.push(rec);
      const secs = rec.ns === null ? '   -   ' : (rec.ns / 1e9).toFixed(3);
      const cpuTxt = rec.cpu_s === null ? '' : ` (cpu ${rec.cpu_s.toFixed(3)} s)`;
      log(`  rep ${rep + 1}/${REPS} ${c.id.padEnd(11)} ${secs} s${cpuTxt}${rec.error ? `  ERROR: ${rec.error}` : ''}`);
      if (rec.error && slot.runs.filter((x) => !x.error).length === 0) {
        slot.failed = rec.error;
        note(`${c.id} on ${w.id} failed (${rec.error}); skipped for this workload. stderr: ${rec.stderr_tail?.trim().split('\n').slice(-3).join(' | ')}`);
      }
      const good = slot.runs.filter((x) => x.ns !== null);
      if (!slot.capped && good.length >= SLOW_REPS && good[0].ns > SLOW_THRESHOLD_NS && rep + 1 < REPS) {
        slot.capped = true;
        note(`${c.id} on ${w.id} takes ${(good[0].ns / 1e9).toFixed(0)} s a run: capped at ${SLOW_REPS} repetition(s)`);
      }
    }
  }
  const load1 = loadavg()[0];
  const summary = {};
  for (const c of conditions) {
    const good = per[c.id].runs.filter((x) => x.ns !== null && !x.error);
    const ns = good.map((x) => x.ns);
    const cpu = good.map((x) => x.cpu_s).filter((x) => x !== null);
    summary[c.id] = {
      label: c.label,
      n: ns.length,
      median_s: ns.length ? median(ns) / 1e9 : null,
      min_s: ns.length ? Math.min(...ns) / 1e9 : null,
      max_s: ns.length ? Math.max(...ns) / 1e9 : null,
      cpu_median_s: cpu.length ? median(cpu) : null,
      cpu_min_s: cpu.length ? Math.min(...cpu) : null,
      cpu_max_s: cpu.length ? Math.max(...cpu) : null,
      failed: per[c.id].failed,
      capped: per[c.id].capped,
      unquiet_runs: per[c.id].runs.filter((x) => !x.gate?.quiet).length,
      runs: per[c.id].runs,
    };
  }
  results[w.id] = {
    title: w.title,
    command: w.shown,
    expected_counts: w.expectedTree
      ? { tree: w.expectedTree, workload: w.expected, wrapper: WRAPPER_COUNTS }
      : w.atLeast
        ? { at_least: w.atLeast }
        : null,
    loadavg_1m: { start: load0, end: load1 },
    conditions: summary,
  };
}

// ---------------------------------------------------------------- ratios

const RATIOS = [
  ['tsdenet / floor', 'tsdenet', 'floor'],
  ['tsdenet / untraced', 'tsdenet', 'untraced'],
  ['floor / untraced', 'floor', 'untraced'],
  ['tsdenet-tp / floor-tp', 'tsdenet-tp', 'floor-tp'],
  ['tsdenet-tp / untraced', 'tsdenet-tp', 'untraced'],
  ['tsdenet-offcpu / tsdenet', 'tsdenet-offcpu', 'tsdenet'],
  ['tsdenet-tp-offcpu / tsdenet-tp', 'tsdenet-tp-offcpu', 'tsdenet-tp'],
  ['floor-tp / untraced', 'floor-tp', 'untraced'],
  ['bpftrace / tsdenet', 'bpftrace', 'tsdenet'],
  ['strace / tsdenet', 'strace', 'tsdenet'],
  ['perf-trace / tsdenet', 'perf-trace', 'tsdenet'],
  ['bpftrace / untraced', 'bpftrace', 'untraced'],
  ['strace / untraced', 'strace', 'untraced'],
  ['perf-trace / untraced', 'perf-trace', 'untraced'],
];
// On the tree's CPU time only the in-kernel tools compare (strace's and perf's
// own processes are outside the cgroup).
const CPU_RATIOS = RATIOS.filter(([, a, b]) => ![a, b].some((x) => x === 'strace' || x === 'perf-trace'));
for (const w of workloads) {
  const s = results[w.id].conditions;
  const med = (id) => s[id]?.median_s ?? null;
  results[w.id].ratios = {};
  for (const [name, a, b] of RATIOS) {
    if (med(a) !== null && med(b) !== null) results[w.id].ratios[name] = med(a) / med(b);
  }
  const cmed = (id) => s[id]?.cpu_median_s ?? null;
  results[w.id].cpu_ratios = {};
  for (const [name, a, b] of CPU_RATIOS) {
    if (cmed(a) !== null && cmed(b) !== null) results[w.id].cpu_ratios[name] = cmed(a) / cmed(b);
  }
  // Cost per syscall over the untraced run, using tsdenet's count of the tree's syscalls.
  const totals = s.tsdenet?.runs.map((r) => r.total).filter((x) => typeof x === 'number') ?? [];
  const syscalls = median(totals);
  results[w.id].syscalls_in_tree = syscalls;
  if (syscalls && med('untraced') !== null) {
    results[w.id].overhead_ns_per_syscall = Object.fromEntries(
      Object.keys(s)
        .filter((id) => id !== 'untraced' && med(id) !== null)
        .map((id) => [id, ((med(id) - med('untraced')) * 1e9) / syscalls]),
    );
  }
  if (syscalls && cmed('untraced') !== null) {
    results[w.id].cpu_overhead_ns_per_syscall = Object.fromEntries(
      Object.keys(s)
        .filter((id) => id !== 'untraced' && cmed(id) !== null && !['strace', 'perf-trace'].includes(id))
        .map((id) => [id, ((cmed(id) - cmed('untraced')) * 1e9) / syscalls]),
    );
  }
}

// ---------------------------------------------------------------- start-up

async function measureStartup() {
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  if (!timeBin) note('start-up peak RSS not measured: /usr/bin/time missing (apt-get install time)');
  // node -e 0 is the yardstick of the issue's goals: measured in the same
  // runs, next to tsdenet-ebpf in each round, so the ratio is taken pair by pair.
  const cases = [
    { id: 'harness', label: '/usr/bin/time true (harness baseline)', argv: ['/usr/bin/true'] },
    { id: 'node', label: 'node -e 0', argv: [process.execPath, '-e', '0'] },
    {
      id: 'tsdenet-ebpf',
      label: 'tsdenet --enable-ebpf --json run -- true',
      argv: [process.execPath, TSDENET, '--enable-ebpf', '--require-ebpf', '--json', 'run', '--', 'true'],
    },
    { id: 'tsdenet-no-ebpf', label: 'tsdenet --json run -- true (no eBPF)', argv: [process.execPath, TSDENET, '--json', 'run', '--', 'true'] },
    // What the fixed choices (Node, koffi, libbpf 1.1, the tp_btf object) cost before any of tsdenet's own code: the floor under the goals.
    { id: 'stack-floor', label: 'stack floor: node, koffi, libbpf load + attach, true (stack-floor.mjs)', argv: [process.execPath, join(HERE, 'stack-floor.mjs')] },
  ];
  if (have('bpftrace'))
    cases.push({ id: 'bpftrace', label: `bpftrace -e '${BPFTRACE_PROG}' -c /usr/bin/true`, argv: ['bpftrace', '-e', BPFTRACE_PROG, '-c', '/usr/bin/true'] });
  else note('bpftrace start-up not measured: bpftrace not installed');
  const runs = Object.fromEntries(cases.map((c) => [c.id, []]));
  const rssFile = join(WORK, 'rss');
  for (let rep = 0; rep < STARTUP_REPS; rep++) {
    for (let i = 0; i < cases.length; i++) {
      const c = cases[(i + rep) % cases.length];
      rmSync(rssFile, { force: true });
      const [cmd, ...args] = timeBin ? [timeBin, '-f', '%M', '-o', rssFile, ...c.argv] : c.argv;
      const r = await run(cmd, args);
      let rssKb = null;
      if (timeBin) {
        const m = /(\d+)\s*$/.exec(existsSync(rssFile) ? readFileSync(rssFile, 'utf8') : '');
        rssKb = m ? Number(m[1]) : null;
      }
      runs[c.id].push({ wall_ns: r.wallNs, peak_rss_kb: rssKb, exit: r.code });
      if (r.code !== 0) log(`  start-up ${c.id}: exit ${r.code}: ${r.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    }
  }
  const out = {};
  for (const c of cases) {
    const ok = runs[c.id].filter((r) => r.exit === 0);
    out[c.id] = {
      label: c.label,
      n: ok.length,
      wall_ms_median: ok.length ? median(ok.map((r) => r.wall_ns)) / 1e6 : null,
      wall_ms_min: ok.length ? Math.min(...ok.map((r) => r.wall_ns)) / 1e6 : null,
      peak_rss_mb_median: ok.some((r) => r.peak_rss_kb) ? median(ok.map((r) => r.peak_rss_kb)) / 1024 : null,
      runs: runs[c.id],
    };
    log(`  start-up ${c.id.padEnd(16)} wall ${out[c.id].wall_ms_median?.toFixed(0)} ms, peak RSS ${out[c.id].peak_rss_mb_median?.toFixed(1)} MB`);
  }
  out.vs_node = startupVsNode(runs['tsdenet-ebpf'], runs.node);
  out.stack_floor_vs_node = startupVsNode(runs['stack-floor'], runs.node);
  for (const [id, v] of [['tsdenet-ebpf', out.vs_node], ['stack-floor', out.stack_floor_vs_node]])
    if (v) log(`  start-up ${id} / node: wall ${v.wall_ratio_median.toFixed(2)}x (min ${v.wall_ratio_min.toFixed(2)}, max ${v.wall_ratio_max.toFixed(2)}), peak RSS node + ${v.rss_over_node_mb_median?.toFixed(1) ?? '–'} MB`);
  return out;
}

/** The issue's start-up goals. */
const STARTUP_GOAL = { wallRatio: 1.5, rssOverNodeMb: 20 };

/** A command (tsdenet-ebpf, the stack floor) against node -e 0, round by round (both exited 0): medians of the ratios and of the RSS differences. */
function startupVsNode(command, node) {
  const pairs = command.map((t, rep) => [t, node[rep]]).filter(([t, n]) => t.exit === 0 && n?.exit === 0);
  if (pairs.length === 0) return null;
  const ratios = pairs.map(([t, n]) => t.wall_ns / n.wall_ns);
  const rss = pairs.filter(([t, n]) => t.peak_rss_kb && n.peak_rss_kb).map(([t, n]) => (t.peak_rss_kb - n.peak_rss_kb) / 1024);
  const wall = median(ratios);
  const rssOver = rss.length ? median(rss) : null;
  return {
    n: pairs.length,
    wall_ratio_median: wall,
    wall_ratio_min: Math.min(...ratios),
    wall_ratio_max: Math.max(...ratios),
    rss_over_node_mb_median: rssOver,
    rss_over_node_mb_min: rss.length ? Math.min(...rss) : null,
    rss_over_node_mb_max: rss.length ? Math.max(...rss) : null,
    goal_wall_ratio_le_1_5: wall <= STARTUP_GOAL.wallRatio,
    goal_rss_over_node_le_20mb: rssOver === null ? null : rssOver <= STARTUP_GOAL.rssOverNodeMb,
  };
}

let startup = null;
if (!opts['no-startup']) {
  log(`start-up: ${STARTUP_REPS} runs each, alternating`);
  startup = await measureStartup();
}

// ---------------------------------------------------------------- sampler CPU

function statTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14, 15)
  } catch {
    return null;
  }
}

/** Counts JSON Lines records by kind as they stream past. */
function kindCounter(stream) {
  const kinds = {};
  let rest = '';
  stream.on('data', (d) => {
    const lines = (rest + d).split('\n');
    rest = lines.pop();
    for (const l of lines) {
      const k = /^\{"kind":"([^"]+)"/.exec(l)?.[1] ?? (l.trim() ? 'other' : null);
      if (k) kinds[k] = (kinds[k] ?? 0) + 1;
    }
  });
  return kinds;
}

async function measureSampler() {
  const help = spawnSync(process.execPath, [TSDENET, 'run', '--help'], { encoding: 'utf8' });
  const hasInterval = /--interval\b/.test(`${help.stdout}${help.stderr}`);
  const todo = (why) => {
    const msg = `not measured: sampler not available (${why})`;
    note(`sampler CPU ${msg}`);
    return { measured: false, todo: `TODO: ${msg}` };
  };
  if (!hasInterval) return todo('tsdenet run has no -i/--interval yet');
  // Does it sample? A short run must emit records besides the summary.
  const probe = await run(process.execPath, [TSDENET, '--json', 'run', '--', '/bin/sleep', '1'], { keepStdout: true });
  const probeKinds = {};
  for (const m of probe.stdout.matchAll(/^\{"kind":"([^"]+)"/gm)) probeKinds[m[1]] = (probeKinds[m[1]] ?? 0) + 1;
  const sampleKinds = Object.keys(probeKinds).filter((k) => k !== 'summary');
  if (probe.code !== 0 || sampleKinds.length === 0)
    return todo(
      `--interval is accepted but 'tsdenet --json run -- sleep 1' emitted no sample records (kinds: ${JSON.stringify(probeKinds)}, exit ${probe.code})`,
    );
  // tsdenet's own utime+stime from /proc/<pid>/stat between 2 s and
  // 2 + SAMPLER_SECS s (start-up excluded) while it monitors 100 sleeping
  // processes at the default interval (adaptive: it slows down after 10 s).
  const clkTck = Number(sh('getconf CLK_TCK') ?? 100);
  const tree = `i=0; while [ $i -lt 100 ]; do sleep ${SAMPLER_SECS + 4} & i=$((i + 1)); done; wait`;
  const child = spawn(process.execPath, [TSDENET, '--json', 'run', '--', '/bin/sh', '-c', tree], { stdio: ['ignore', 'pipe', 'pipe'] });
  const kinds = kindCounter(child.stdout);
  const err = tail(child.stderr, 8192);
  const exited = new Promise((res) => child.on('close', (code) => res(code)));
  await sleep(2000);
  const a = statTicks(child.pid);
  const ta = process.hrtime.bigint();
  await sleep(SAMPLER_SECS * 1000);
  const b = statTicks(child.pid);
  const tb = process.hrtime.bigint();
  const code = await exited;
  if (a === null || b === null) {
    note(`sampler CPU not measured: tsdenet exited early (exit ${code}): ${err().trim().split('\n').slice(-2).join(' | ')}`);
    return { measured: false, todo: 'TODO: sampler run failed, see notes' };
  }
  const cpuSecs = (b - a) / clkTck;
  const wallSecs = Number(tb - ta) / 1e9;
  return {
    measured: true,
    processes: 100,
    interval: 'default',
    window_s: wallSecs,
    cpu_s: cpuSecs,
    percent_of_one_core: (cpuSecs / wallSecs) * 100,
    resolution_percent: (1 / clkTck / wallSecs) * 100,
    records: kinds,
    exit: code,
  };
}

let sampler = null;
if (!opts['no-sampler']) {
  log('sampler CPU');
  sampler = await measureSampler();
}

// ---------------------------------------------------------------- soak

function pinnedBpf() {
  const out = sh('find /sys/fs/bpf -mindepth 1 ! -name maps.debug ! -name progs.debug 2>/dev/null');
  return out ? out.split('\n').filter(Boolean).sort() : [];
}

function countsNow() {
  const j = (cmd) => {
    const out = sh(`${cmd} 2>/dev/null`);
    try {
      return out ? JSON.parse(out) : null;
    } catch {
      return null;
    }
  };
  const progs = j('bpftool -j prog list');
  const maps = j('bpftool -j map list');
  const links = j('bpftool -j link list');
  const meminfo = readFileSync('/proc/meminfo', 'utf8');
  const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(meminfo)?.[1] ?? NaN);
  return {
    bpf_progs: progs?.length ?? null,
    bpf_maps: maps?.length ?? null,
    bpf_links: links?.length ?? null,
    bpf_map_memlock_bytes: maps ? maps.reduce((a, m) => a + (m.bytes_memlock ?? 0), 0) : null,
    bpf_pinned: pinnedBpf().length,
    files_allocated: Number(readFileSync('/proc/sys/fs/file-nr', 'utf8').split(/\s+/)[0]),
    mem_available_kb: kb('MemAvailable'),
    slab_kb: kb('Slab'),
  };
}

/**
 * N consecutive runs of tsdenet --enable-ebpf run -- true. Every run is its
 * own process, so what can outlive it is only what the kernel keeps after the
 * last fd closes (pinned objects) or what a surviving process holds: BPF
 * programs, maps and links are compared on a quiet machine before and after,
 * pins in /sys/fs/bpf are listed, and each run's own open fds (counted by its
 * command through /proc/<tsdenet>/fd) and peak RSS must not grow from the
 * first runs to the last.
 */
async function soak(n) {
  if (!HAVE_BPFTOOL) note('soak: bpftool missing, BPF object counts not checked');
  const gateBefore = await waitQuiet(120000);
  const pinsBefore = pinnedBpf();
  const before = countsNow();
  const rssFile = join(WORK, 'soak-rss');
  const rss = [];
  const walls = [];
  const fds = [];
  let failures = 0;
  let firstFailure = null;
  // The command counts tsdenet's open fds while tsdenet waits for it.
  const probe = ['/bin/sh', '-c', 'ls /proc/$PPID/fd | wc -l >&2'];
  for (let i = 0; i < n; i++) {
    rmSync(rssFile, { force: true });
    const argv = [process.execPath, TSDENET, '--enable-ebpf', '--require-ebpf', '--json', 'run', '--'];
    const r = await run('/usr/bin/time', ['-f', '%M', '-o', rssFile, ...argv, ...(i % 10 === 0 ? probe : ['true'])]);
    if (r.code !== 0) {
      failures++;
      firstFailure ??= r.stderr.trim().split('\n').slice(-20).join('\n');
    }
    walls.push(r.wallNs / 1e6);
    if (i % 10 === 0) {
      const m = /^(\d+)$/m.exec(r.stderr);
      if (m) fds.push(Number(m[1]));
    }
    const m = /(\d+)\s*$/.exec(existsSync(rssFile) ? readFileSync(rssFile, 'utf8') : '');
    if (m) rss.push(Number(m[1]));
    if ((i + 1) % 100 === 0) log(`  soak ${i + 1}/${n}`);
  }
  // BPF objects are freed after an RCU grace period: waitQuiet waits for the programs to go.
  const gateAfter = await waitQuiet(120000);
  const after = countsNow();
  const pinsAfter = pinnedBpf();
  const k = Math.min(10, Math.floor(rss.length / 2));
  const kf = Math.min(5, Math.floor(fds.length / 2));
  const conclusive = gateBefore.quiet && gateAfter.quiet;
  const result = {
    runs: n,
    failures,
    first_failure: firstFailure,
    conclusive,
    gate_before: gateBefore,
    gate_after: gateAfter,
    before,
    after,
    delta: Object.fromEntries(Object.keys(before).map((key) => [key, after[key] === null || before[key] === null ? null : after[key] - before[key]])),
    new_pins: pinsAfter.filter((p) => !pinsBefore.includes(p)),
    tsdenet_open_fds: { samples: fds.length, first: fds.slice(0, kf), last: fds.slice(-kf) },
    peak_rss_mb_first10_median: k ? median(rss.slice(0, k)) / 1024 : null,
    peak_rss_mb_last10_median: k ? median(rss.slice(-k)) / 1024 : null,
    wall_ms_first10_median: k ? median(walls.slice(0, k)) : null,
    wall_ms_last10_median: k ? median(walls.slice(-k)) : null,
  };
  const leaks = [];
  if (conclusive) {
    for (const key of ['bpf_progs', 'bpf_maps', 'bpf_links'])
      if (result.delta[key] > 0) leaks.push(`${result.delta[key]} ${key.replace('bpf_', 'BPF ')}`);
  }
  if (result.new_pins.length) leaks.push(`pinned: ${result.new_pins.join(', ')}`);
  // A sample can catch a transient fd (the sampler reading /proc): compare medians.
  if (kf && median(fds.slice(-kf)) > median(fds.slice(0, kf))) leaks.push(`tsdenet's open fds grew from ${fds.slice(0, kf)} to ${fds.slice(-kf)}`);
  if (k && result.peak_rss_mb_last10_median > result.peak_rss_mb_first10_median * 1.1) leaks.push('peak RSS of the last runs > 110% of the first runs');
  result.leaks = leaks;
  result.ok = failures === 0 && leaks.length === 0;
  if (!conclusive) note('soak: the machine was not quiet before/after (other tracing programs or CPU load): BPF object counts inconclusive');
  if (!result.ok) log(`!!!!! SOAK: ${failures} failed runs; leaks: ${leaks.join(', ') || 'none'} !!!!!${firstFailure ? `\nfirst failure:\n${firstFailure}` : ''}`);
  return result;
}

let soakResult = null;
if (SOAK > 0) {
  log(`soak: ${SOAK} x tsdenet --enable-ebpf --json run -- true`);
  soakResult = await soak(SOAK);
}

// ---------------------------------------------------------------- report

const bpfAtEnd = bpfObjectHashes();
machine.bpf_stats_enabled_at_end = bpfStatsEnabled();
if (machine.bpf_stats_enabled_at_end !== machine.bpf_stats_enabled_at_start)
  note(`kernel.bpf_stats_enabled changed during the run (${machine.bpf_stats_enabled_at_start} -> ${machine.bpf_stats_enabled_at_end})`);
const unquiet = workloads.flatMap((w) => Object.entries(results[w.id].conditions).filter(([, c]) => c.unquiet_runs).map(([id, c]) => `${w.id}/${id}: ${c.unquiet_runs}`));
if (unquiet.length) note(`runs that started on a busy machine after waiting 180 s (other tracing BPF programs or CPU load): ${unquiet.join(', ')}`);
const bpfChanged = JSON.stringify(bpfAtStart) !== JSON.stringify(bpfAtEnd);
if (bpfChanged) note('!!! the BPF objects in bpf/ changed during the run: the numbers mix two versions; re-run !!!');

const benchNotes = [
  'Times are the workload\'s own wall time, measured inside the traced tree by scripts/bench/c/benchtime.c (the process the tool starts execs the workload; a watcher times it from just before execve to its exit through a pidfd), so tool start-up is excluded.',
  'bpftrace uses `/pid == cpid/`: it counts only the direct child (dd, forkmany, threadmany and its threads, the tar loop\'s /bin/sh), not the children it forks; its program still runs on every syscall of the machine.',
  'The realistic workload pipes tar into cat instead of `tar -cf /dev/null`: GNU tar does not read the files when its archive is /dev/null (that run takes ~5 ms and ~5,000 syscalls).',
  'strace -c and perf trace -s write their summaries to a file (read for the peer counts) instead of /dev/null; both write it after the traced tree has exited, outside the timed part.',
  'Workload CPU time: user+sys of a fresh cgroup per run that benchtime joins just before execve, so it covers the workload and all its descendants, including BPF programs run in their syscalls; not the tracer processes (tsdenet\'s Node, bpftrace, strace, perf) nor benchtime\'s watcher. It is much less sensitive than wall time to other load on the machine, and it is the better measure of counting overhead for the in-kernel tools.',
  'The tsdenet conditions run tsdenet as a user would, with its defaults: besides counting with eBPF it samples the tree from /proc (tree records, every 100 ms at first); that sampling runs in the tsdenet process, on the other core when one is free.',
  'perf trace -s streams every event through a ring buffer and loses some under load (LOST events): its counts are lower than the real ones.',
  'Exactness: expected counts are by construction (forkmany.c, threadmany.c) plus what benchtime itself makes before the workload ends (2 clone, 1 wait4, 1 execve, 1 pidfd_open, 1 poll); exit_group is not checked (the watcher\'s own exit_group can race with the end of the run). tsdenet\'s per-process breakdown must add up to its total, with every child\'s getsid in it (fork-heavy, 100,000 processes; pids are reused past pid_max, so summed over processes).',
];
if (machine.virtualized) benchNotes.push(`Virtual machine (${machine.cores} cores): expect a few percent of noise between runs; compare the min–max spread with the ratios before reading anything into differences under ~5%.`);

const exactness = [];
for (const w of workloads) {
  for (const cid of ['tsdenet', 'tsdenet-tp']) {
    const c = results[w.id].conditions[cid];
    if (!c) continue;
    const runs = c.runs.filter((r) => r.counts);
    const bad = runs.filter((r) => r.mismatches?.length);
    exactness.push({
      workload: w.id,
      condition: cid,
      runs: runs.length,
      exact_runs: runs.length - bad.length,
      expected: w.expectedTree ?? (w.atLeast ? Object.fromEntries(Object.entries(w.atLeast).map(([k, v]) => [k, `>= ${v}`])) : {}),
      counted_first_run: runs[0]?.counts ?? null,
      dropped: [...new Set(runs.map((r) => r.dropped))],
      untracked_threads: [...new Set(runs.map((r) => r.untracked_threads))],
      lost_thread_info: [...new Set(runs.map((r) => r.lost_thread_info))],
      mismatches: bad.flatMap((r) => r.mismatches.map((m) => ({ rep: r.rep, ...m }))),
    });
  }
}

const finishedAt = new Date();
const report = {
  tool: 'tsdenet benchmark (scripts/bench/bench.mjs)',
  date: finishedAt.toISOString(),
  duration_s: (Date.now() - started) / 1000,
  options: { reps: REPS, quick: QUICK, slow_reps: SLOW_REPS, slow_threshold_s: SLOW_THRESHOLD_NS / 1e9, soak: SOAK },
  machine,
  bpf_objects: { at_start: bpfAtStart, at_end: bpfAtEnd, changed_during_run: bpfChanged },
  bpf_programs_loaded_at_start: otherProgs,
  skipped,
  goal: null,
  workloads: results,
  exactness,
  startup,
  sampler,
  soak: soakResult,
  notes: [...benchNotes, ...notes],
};
const dd = results.dd?.ratios?.['tsdenet / floor'];
if (dd !== undefined)
  report.goal = {
    'tsdenet / floor on dd <= 1.10': dd <= 1.1,
    value: dd,
    cpu_value: results.dd?.cpu_ratios?.['tsdenet / floor'] ?? null,
    startup_wall_le_1_5x_node: startup?.vs_node?.goal_wall_ratio_le_1_5 ?? null,
    startup_rss_le_node_plus_20mb: startup?.vs_node?.goal_rss_over_node_le_20mb ?? null,
  };

// Markdown
const f3 = (x) => (x === null || x === undefined ? '–' : x.toFixed(3));
const fr = (x) => (x === null || x === undefined ? '–' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const md = [];
md.push(`# tsdenet benchmark, ${finishedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
md.push('');
md.push(
  `Machine: ${machine.cpu_model}, ${machine.cores} cores${machine.virtualized ? ' (VM)' : ''}, ${machine.mem_total_mb} MB; ` +
    `Linux ${machine.kernel} (${machine.arch}), ${machine.os}. ` +
    `tsdenet ${machine.versions.tsdenet} (git ${machine.git.commit}${machine.git.dirty ? ', uncommitted changes in src/bpf/bin' : ''}), ` +
    `node ${machine.versions.node}, libbpf ${machine.versions.libbpf}; ${[machine.versions.bpftrace, machine.versions.strace, machine.versions.perf].filter(Boolean).join(', ')}.`,
);
md.push('');
md.push(
  `${REPS} repetitions${QUICK ? ' (--quick)' : ''}, conditions alternating round-robin; medians of the workload's own wall time ` +
    `(tool start-up excluded). Benchmark took ${(report.duration_s / 60).toFixed(1)} min.`,
);
md.push('');
md.push('## Workload time (seconds: median, [min–max], n)');
md.push('');
md.push(`| condition | ${workloads.map((w) => `${w.id} (${w.title})`).join(' | ')} |`);
md.push(`|---|${workloads.map(() => '---:').join('|')}|`);
for (const c of conditions) {
  const cells = workloads.map((w) => {
    const s = results[w.id].conditions[c.id];
    if (s.failed) return `failed`;
    if (s.n === 0) return '–';
    return `${f3(s.median_s)} [${f3(s.min_s)}–${f3(s.max_s)}] n=${s.n}${s.unquiet_runs ? ` (${s.unquiet_runs} on a busy machine)` : ''}`;
  });
  md.push(`| ${c.label} | ${cells.join(' | ')} |`);
}
for (const id of Object.keys(skipped)) md.push(`| ${id} | ${workloads.map(() => 'skipped (see notes)').join(' | ')} |`);
md.push('');
if (CGROUP) {
  md.push('');
  md.push(`## Workload CPU time (user+sys of the workload tree from a cgroup ${CGROUP.kind}, seconds: median, [min–max]; BPF programs included, a tracer's own process not)`);
  md.push('');
  md.push(`| condition | ${workloads.map((w) => w.id).join(' | ')} |`);
  md.push(`|---|${workloads.map(() => '---:').join('|')}|`);
  for (const c of conditions) {
    const cells = workloads.map((w) => {
      const s = results[w.id].conditions[c.id];
      if (s.cpu_median_s === null) return '–';
      return `${f3(s.cpu_median_s)} [${f3(s.cpu_min_s)}–${f3(s.cpu_max_s)}]`;
    });
    md.push(`| ${c.label} | ${cells.join(' | ')} |`);
  }
}
md.push('');
md.push('## Ratios of medians (wall time)');
md.push('');
md.push(`| ratio | ${workloads.map((w) => w.id).join(' | ')} |`);
md.push(`|---|${workloads.map(() => '---:').join('|')}|`);
for (const [name] of RATIOS) {
  if (!workloads.some((w) => results[w.id].ratios[name] !== undefined)) continue;
  md.push(`| ${name} | ${workloads.map((w) => fr(results[w.id].ratios[name])).join(' | ')} |`);
}
if (workloads.some((w) => results[w.id].overhead_ns_per_syscall)) {
  md.push(`| syscalls in the tree (tsdenet's count) | ${workloads.map((w) => results[w.id].syscalls_in_tree ?? '–').join(' | ')} |`);
  for (const c of conditions.filter((c) => c.id !== 'untraced'))
    md.push(
      `| ns per syscall over untraced: ${c.id} | ${workloads.map((w) => fr(results[w.id].overhead_ns_per_syscall?.[c.id])).join(' | ')} |`,
    );
}
if (CGROUP) {
  md.push('');
  md.push('## Ratios of medians (workload CPU time; in-kernel tools only)');
  md.push('');
  md.push(`| ratio | ${workloads.map((w) => w.id).join(' | ')} |`);
  md.push(`|---|${workloads.map(() => '---:').join('|')}|`);
  for (const [name] of CPU_RATIOS) {
    if (!workloads.some((w) => results[w.id].cpu_ratios[name] !== undefined)) continue;
    md.push(`| ${name} | ${workloads.map((w) => fr(results[w.id].cpu_ratios[name])).join(' | ')} |`);
  }
  for (const c of conditions.filter((c) => c.id !== 'untraced' && c.kind !== 'peer' || c.id === 'bpftrace'))
    md.push(
      `| CPU ns per syscall over untraced: ${c.id} | ${workloads.map((w) => fr(results[w.id].cpu_overhead_ns_per_syscall?.[c.id])).join(' | ')} |`,
    );
}
md.push('');
if (report.goal) {
  md.push(
    `**Goal "counting overhead within 10% of the floor on the syscall-dense workload": tsdenet / floor on dd = ${report.goal.value.toFixed(3)} (wall) → ${report.goal['tsdenet / floor on dd <= 1.10'] ? 'MET' : 'NOT MET'}` +
      (report.goal.cpu_value !== null
        ? `; on the tree's CPU time ${report.goal.cpu_value.toFixed(3)} → ${report.goal.cpu_value <= 1.1 ? 'MET' : 'NOT MET'}`
        : '') +
      '.**',
  );
  md.push('');
}
md.push('## Exactness (tsdenet --json, counts of syscalls made a known number of times)');
md.push('');
md.push('| workload | condition | exact runs | syscall: expected / counted (first run) | dropped | untracked threads | lost thread info |');
md.push('|---|---|---:|---|---|---|---|');
for (const e of exactness) {
  const pairs = Object.entries(e.expected)
    .map(([k, v]) => `${k}: ${v} / ${e.counted_first_run?.[k] ?? '–'}`)
    .join(', ');
  md.push(
    `| ${e.workload} | ${e.condition} | ${e.exact_runs}/${e.runs}${e.mismatches.length ? ' **MISMATCH**' : ''} | ${pairs} | ${e.dropped.join(',')} | ${e.untracked_threads.join(',')} | ${e.lost_thread_info.join(',')} |`,
  );
}
const allMismatches = exactness.flatMap((e) => e.mismatches.map((m) => ({ ...m, workload: e.workload, condition: e.condition })));
if (allMismatches.length) {
  md.push('');
  md.push(`**${allMismatches.length} MISMATCHES**: ${allMismatches.map((m) => `${m.workload}/${m.condition} rep ${m.rep}: ${m.syscall ?? m.field} expected ${m.expected ?? m.expected_at_least} counted ${m.counted}`).join('; ')}`);
}
md.push('');
md.push('Peer counts of the same syscalls (first run; bpftrace sees only the direct child):');
md.push('');
md.push('| workload | peer | counted | lost events |');
md.push('|---|---|---|---:|');
for (const w of workloads) {
  for (const c of conditions.filter((c) => c.kind === 'peer')) {
    const r = results[w.id].conditions[c.id].runs.find((x) => x.counts);
    if (!r) continue;
    md.push(`| ${w.id} | ${c.id} | ${Object.entries(r.counts).map(([k, v]) => `${k}: ${v}`).join(', ')} | ${r.lost_events ?? '–'} |`);
  }
}
md.push('');
md.push('## Start-up (median over alternating runs; wall includes spawning /usr/bin/time, see the harness row)');
md.push('');
if (startup) {
  md.push('| command | wall ms (median, min) | peak RSS MB (median) | n |');
  md.push('|---|---:|---:|---:|');
  for (const [id, s] of Object.entries(startup))
    if (!id.endsWith('vs_node')) md.push(`| \`${s.label}\` | ${s.wall_ms_median?.toFixed(0) ?? '–'} (${s.wall_ms_min?.toFixed(0) ?? '–'}) | ${s.peak_rss_mb_median?.toFixed(1) ?? '–'} | ${s.n} |`);
  const v = startup.vs_node;
  const met = (ok) => (ok === null ? 'not measured' : ok ? 'MET' : 'NOT MET');
  const againstNode = (what, r) =>
    r
      ? `${what} against node -e 0, round by round (${r.n} pairs): wall ${r.wall_ratio_median.toFixed(2)}x (min ${r.wall_ratio_min.toFixed(2)}, max ${r.wall_ratio_max.toFixed(2)}), peak RSS node + ${r.rss_over_node_mb_median?.toFixed(1) ?? '–'} MB (min ${r.rss_over_node_mb_min?.toFixed(1) ?? '–'}, max ${r.rss_over_node_mb_max?.toFixed(1) ?? '–'}).`
      : `${what} against node -e 0: no pair where both exited 0.`;
  const f = startup.stack_floor_vs_node;
  md.push(
    '',
    againstNode('tsdenet --enable-ebpf --json run -- true', v),
    '',
    `Goal "start-up ≤ ${STARTUP_GOAL.wallRatio}x node -e 0 wall, ≤ node + ${STARTUP_GOAL.rssOverNodeMb} MB peak RSS": wall ${met(v ? v.goal_wall_ratio_le_1_5 : null)}, RSS ${met(v ? v.goal_rss_over_node_le_20mb : null)}.`,
    '',
    againstNode('The stack floor (scripts/bench/stack-floor.mjs: Node, koffi, libbpf 1.1 loading and attaching the default tp_btf object, then `true`, and none of tsdenet\'s own code)', f),
    f ? `The same goal for the floor alone: wall ${met(f.goal_wall_ratio_le_1_5)}, RSS ${met(f.goal_rss_over_node_le_20mb)}. A goal the floor does not meet cannot be met by tsdenet's code; tsdenet's start-up over the floor is its own.` : '',
  );
} else md.push('not measured (--no-startup)');
md.push('');
md.push('## Sampler CPU (100 sleeping processes, default interval)');
md.push('');
if (!sampler) md.push('not measured (--no-sampler)');
else if (!sampler.measured) md.push(`**${sampler.todo}**`);
else
  md.push(
    `${sampler.percent_of_one_core.toFixed(2)}% of one core (${sampler.cpu_s.toFixed(2)} s CPU over ${sampler.window_s.toFixed(1)} s after the first 2 s, ` +
      `resolution ${sampler.resolution_percent.toFixed(2)}%; records: ${Object.entries(sampler.records).map(([k, v]) => `${v} ${k}`).join(', ')})`,
  );
if (soakResult) {
  md.push('');
  md.push(`## Soak (${soakResult.runs} x tsdenet --enable-ebpf --json run -- true)`);
  md.push('');
  md.push(
    `${soakResult.ok ? 'OK' : '**LEAK OR FAILURE**'}: ${soakResult.failures} failed runs; leaks: ${soakResult.leaks.join(', ') || 'none'}` +
      `${soakResult.conclusive ? '' : ' (BPF object counts inconclusive: the machine was not quiet)'}; ` +
      `tsdenet's own open fds during a run: first ${soakResult.tsdenet_open_fds.first.join(',')}, last ${soakResult.tsdenet_open_fds.last.join(',')}.`,
  );
  md.push('');
  md.push('| | before | after | delta |');
  md.push('|---|---:|---:|---:|');
  for (const k of Object.keys(soakResult.before)) md.push(`| ${k} | ${soakResult.before[k]} | ${soakResult.after[k]} | ${soakResult.delta[k]} |`);
  if (soakResult.first_failure) md.push('', 'First failure (stderr):', '', '```', soakResult.first_failure, '```');
  md.push(
    '',
    `Peak RSS per run: first 10 ${soakResult.peak_rss_mb_first10_median?.toFixed(1)} MB, last 10 ${soakResult.peak_rss_mb_last10_median?.toFixed(1)} MB; wall: first 10 ${soakResult.wall_ms_first10_median?.toFixed(0)} ms, last 10 ${soakResult.wall_ms_last10_median?.toFixed(0)} ms.`,
  );
}
md.push('');
md.push('## Notes');
md.push('');
for (const n of report.notes) md.push(`- ${n}`);
md.push('');
const mdText = md.join('\n');

mkdirSync(opts.out, { recursive: true });
const stamp = finishedAt.toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
const base = join(opts.out, `bench-${stamp}`);
writeFileSync(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${base}.md`, mdText);
rmSync(WORK, { recursive: true, force: true });
process.stdout.write(`${mdText}\n`);
log(`wrote ${base}.json and ${base}.md`);
if (allMismatches.length) process.exitCode = 1;
