/**
 * GPU (denet's `gpu` feature, NVML) through the real binding (koffi,
 * src/ffi/nvml.ts) against a fake libnvidia-ml.so.1 with known values
 * (test/fixtures/fake-nvml.c, built here with gcc): there is no GPU on the
 * test machines. Also: which library is loaded, and that a library path
 * from the environment is ignored while tsdenet holds capabilities (root)
 * and honoured without them (nobody).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { BIN, runCli, runProgram } from '../helpers/cli.js';
import { requireOrSkip, toolMissing } from '../helpers/privileges.js';

type Rec = Record<string, any>;
const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
let dir: string;
let libDir: string;
let library: string;
let gccMissing: string | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tsdenet-gpu-'));
  // Readable by nobody (the unprivileged case).
  chmodSync(dir, 0o755);
  libDir = join(dir, 'lib');
  library = join(libDir, 'libnvidia-ml.so.1');
  gccMissing = toolMissing('gcc', ['--version'], 'gcc libc6-dev');
  if (gccMissing) return;
  execFileSync('mkdir', ['-m', '755', libDir]);
  execFileSync('gcc', ['-shared', '-fPIC', '-Wall', '-O1', '-o', library, fileURLToPath(new URL('../fixtures/fake-nvml.c', import.meta.url))]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function records(text: string): Rec[] {
  return text.trim().split('\n').map((line) => JSON.parse(line) as Rec);
}

function needs(ctx: TestContext, root = false): void {
  requireOrSkip(ctx, gccMissing ?? (root && process.getuid?.() !== 0 ? 'needs root (runs tsdenet with and without capabilities)' : undefined));
}

const DEVICES = [
  { device_index: 0, name: 'Fake GPU 0', system_utilization_gpu: 37, system_utilization_memory: 12, memory_total: 8 * GIB, memory_used: 3 * GIB, memory_free: 5 * GIB, temperature: 55, power_usage: 120000 },
  { device_index: 1, name: 'Fake GPU 1', system_utilization_gpu: 5, system_utilization_memory: 1, memory_total: 16 * GIB, memory_used: 1 * GIB, memory_free: 15 * GIB, temperature: 40, power_usage: null },
];

/** The command writes its pid where the fake NVML reads its GPU processes, then lives a while. */
function gpuCommand(pidsFile: string): string[] {
  writeFileSync(pidsFile, '');
  return ['sh', '-c', `echo $$ > ${pidsFile}; sleep 0.4`];
}

describe('GPU through NVML (fake libnvidia-ml.so.1)', () => {
  it('per-sample gpu and the summary, in denet\'s shape, with the known values; stats of the file agrees', async (ctx) => {
    needs(ctx);
    const pids = join(dir, 'pids');
    const out = join(dir, 'gpu.jsonl');
    const env = { ...process.env, LD_LIBRARY_PATH: libDir, FAKE_NVML_PIDS: pids };
    const r = await runCli(['--json', '-i', '50', '-m', '50', '-o', out, 'run', '--', ...gpuCommand(pids)], { env });
    expect(r.code, r.stderr).toBe(0);
    const recs = records(r.stdout);
    const pid = recs[0]!.pid as number;
    expect(recs[0]!.capabilities.gpu).toEqual({ available: true, device_count: 2, library: 'libnvidia-ml.so.1' });
    const trees = recs.filter((x) => x.kind === 'tree');
    // Every sample after the opening one (nothing runs yet at the opening) carries gpu.
    for (const t of trees.slice(1)) expect(t.aggregated.gpu.system_metrics).toEqual(DEVICES);
    // Once the command has written its pid: 256 MiB of compute and 16 MiB of graphics memory, on device 0.
    const holding = { pid, gpu_utilization: null, memory_usage: 272 * MIB, memory_utilization: null };
    const withProcess = trees.filter((t) => t.parent?.gpu?.has_process_data);
    expect(withProcess.length).toBeGreaterThan(0);
    for (const t of withProcess) {
      expect(t.parent.gpu).toEqual({ system_metrics: DEVICES, process_data: [holding], has_process_data: true, collection_method: 'nvml-memory-only' });
      expect(t.aggregated.gpu.process_data).toEqual([holding]);
      // Children carry none (denet).
      for (const c of t.children) expect(c.metrics.gpu).toBeUndefined();
    }
    const gpu = { enabled: true, device_count: 2, total_memory_gb: 24, peak_used_memory_gb: 4, max_system_gpu_utilization: 37, max_process_gpu_utilization: null, process_memory_usage_gb: 272 / 1024 };
    expect(recs.at(-1)!.gpu).toEqual(gpu);
    const stats = await runCli(['--json', 'stats', out]);
    expect(JSON.parse(stats.stdout).gpu).toEqual(gpu);
    expect(records(readFileSync(out, 'utf8'))[0]!.capabilities.gpu.available).toBe(true);
  });

  it('no library: capabilities.gpu says why, and no record carries gpu', async (ctx) => {
    needs(ctx);
    if (readFileSync('/etc/ld.so.cache').includes('libnvidia-ml.so.1')) ctx.skip('an NVIDIA driver is installed here');
    const env: NodeJS.ProcessEnv = { ...process.env, LD_LIBRARY_PATH: join(dir, 'empty') };
    delete env.TSDENET_NVML_LIBRARY;
    const r = await runCli(['--json', 'run', '--', 'true'], { env });
    const recs = records(r.stdout);
    expect(recs[0]!.capabilities.gpu).toEqual({ available: false, reason: 'libnvidia-ml.so.1 not found (no NVIDIA driver installed)' });
    expect(r.stdout).not.toContain('"gpu":{"system_metrics"');
    expect(recs.at(-1)!.gpu).toBeUndefined();
  });

  it('a library that fails to initialise: NVML\'s error named', async (ctx) => {
    needs(ctx);
    const r = await runCli(['--json', 'run', '--', 'true'], { env: { ...process.env, LD_LIBRARY_PATH: libDir, FAKE_NVML_INIT_ERROR: '9' } });
    expect(records(r.stdout)[0]!.capabilities.gpu).toEqual({ available: false, reason: 'NVML initialization failed: NVML_ERROR_DRIVER_NOT_LOADED' });
  });

  it('TSDENET_NVML_LIBRARY: honoured as root and as a plain user, ignored by a user holding capabilities (as TSDENET_LIBBPF)', async (ctx) => {
    needs(ctx, true);
    const env: NodeJS.ProcessEnv = { ...process.env, TSDENET_NVML_LIBRARY: library };
    delete env.LD_LIBRARY_PATH;
    const honoured = { available: true, device_count: 2, library };
    const asRoot = await runCli(['--json', 'run', '--', 'true'], { env });
    expect(records(asRoot.stdout)[0]!.capabilities.gpu).toEqual(honoured);
    const user = ['--reuid=65534', '--regid=65534', '--clear-groups'];
    const asNobody = await runProgram('setpriv', [...user, '--inh-caps=-all', process.execPath, BIN, '--json', 'run', '--', 'true'], { env, cwd: '/' });
    expect(asNobody.code, asNobody.stderr).toBe(0);
    expect(records(asNobody.stdout)[0]!.capabilities.gpu).toEqual(honoured);
    // What setup/tracefs.sh's launcher does: a user with CAP_BPF and CAP_PERFMON (ambient, so node keeps them).
    const caps = '+bpf,+perfmon';
    const withCaps = await runProgram('setpriv', [...user, `--inh-caps=${caps}`, `--ambient-caps=${caps}`, process.execPath, BIN, '--json', 'run', '--', 'true'], { env, cwd: '/' });
    expect(withCaps.code, withCaps.stderr).toBe(0);
    expect(records(withCaps.stdout)[0]!.capabilities.gpu).toEqual({
      available: false,
      reason: "libnvidia-ml.so.1 not found (no NVIDIA driver installed); TSDENET_NVML_LIBRARY ignored: tsdenet holds capabilities as a user (a capability launcher): the environment is the user's",
    });
  });
});
