/**
 * The counter's object loaded ahead (bpf/early-load.ts, started by
 * cli/main.ts before the options are parsed) on the real kernel: tsdenet's
 * own bpf() calls are traced with strace, so the test sees how many counts
 * maps were created and how big, and the workload's calls (known by
 * construction) must come out exact whichever object was used.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, type TestContext } from 'vitest';
import { DEFAULT_MAX_ENTRIES } from '../../src/bpf/map-sizes.js';
import { BIN, lastRecord, runProgram } from '../helpers/cli.js';
import { requireBpf, requireOrSkip, toolMissing } from '../helpers/privileges.js';
import { buildFixture, WORKLOAD_COUNTS } from '../helpers/workload.js';

interface Traced {
  summary: ReturnType<typeof lastRecord>;
  stderr: string;
  /** max_entries of every counts map tsdenet created, in order. */
  countsMaps: number[];
}

function requireTools(ctx: TestContext): void {
  requireBpf(ctx);
  requireOrSkip(ctx, toolMissing('strace', ['-V'], 'strace'));
}

/** tsdenet ARGS run -- workload, its bpf() calls (every thread: the load runs on koffi's) logged by strace. */
async function traced(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Traced> {
  const dir = mkdtempSync(join(tmpdir(), 'tsdenet-early-'));
  try {
    const log = join(dir, 'bpf.log');
    const workload = buildFixture('workload');
    const result = await runProgram('strace', ['-f', '-qq', '-e', 'trace=bpf', '-o', log, process.execPath, BIN, ...args, 'run', '--', workload], { env });
    expect(result.stderr).not.toMatch(/internal error|warning/);
    expect(result.code).toBe(0);
    const countsMaps = [...readFileSync(log, 'utf8').matchAll(/BPF_MAP_CREATE, \{[^}]*max_entries=(\d+)[^}]*map_name="counts"/g)].map((m) => Number(m[1]));
    return { summary: lastRecord(result.stdout), stderr: result.stderr, countsMaps };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function expectExact(summary: Traced['summary']): void {
  expect(summary.ebpf.attach_mode).toBe('tp_btf');
  const bySyscall = summary.ebpf.syscalls.by_syscall as Record<string, number>;
  for (const [name, count] of Object.entries(WORKLOAD_COUNTS)) expect(bySyscall[name], name).toBe(count);
  expect(summary.ebpf.syscalls.dropped).toBe(0);
}

describe('run --enable-ebpf: the object loaded ahead', () => {
  it('is the one used: one counts map, exact counts', async (ctx) => {
    requireTools(ctx);
    const run = await traced(['--enable-ebpf', '--json']);
    expect(run.countsMaps).toEqual([DEFAULT_MAX_ENTRIES]);
    expectExact(run.summary);
  });

  it('TSDENET_REQUIRE_EBPF=1 loads ahead too', async (ctx) => {
    requireTools(ctx);
    const run = await traced(['--json'], { ...process.env, TSDENET_REQUIRE_EBPF: '1' });
    expect(run.countsMaps).toEqual([DEFAULT_MAX_ENTRIES]);
    expectExact(run.summary);
  });

  it('a wrong guess is closed and the asked-for object loaded (--maxEntries is not read before parsing)', async (ctx) => {
    requireTools(ctx);
    const run = await traced(['--enable-ebpf', '--maxEntries', '4096', '--json']);
    expect(run.countsMaps).toEqual([DEFAULT_MAX_ENTRIES, 4096]);
    expectExact(run.summary);
  });

  it('options that change the object are not guessed at: --max-entries loads once, at its size', async (ctx) => {
    requireTools(ctx);
    const run = await traced(['--enable-ebpf', '--max-entries', '4096', '--json']);
    expect(run.countsMaps).toEqual([4096]);
    expectExact(run.summary);
  });

  it('--debug loads nothing ahead: libbpf logs the whole load', async (ctx) => {
    requireTools(ctx);
    const run = await traced(['--enable-ebpf', '--debug', '--json']);
    expect(run.countsMaps).toEqual([DEFAULT_MAX_ENTRIES]);
    expect(run.stderr).toMatch(/libbpf: loading object from .*syscount\.bpf\.o/);
    expectExact(run.summary);
  });
});
