/**
 * denet 0.6's memory signals on the real kernel: metadata.capabilities.psi
 * and perf_hw, each sample's psi_mem (the command's own cgroup's
 * memory.pressure when it has one, else /proc/pressure/memory) and perf,
 * and memory_characterization in the summary and in `stats`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { requireOrSkip } from '../helpers/privileges.js';
import { cgroup2MountPoint } from '../../src/proc/pressure.js';
import { noHardwarePmu } from '../../src/monitor/perf-counters.js';

type Rec = Record<string, any>;
const dir = mkdtempSync(join(tmpdir(), 'tsdenet-mem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function records(text: string): Rec[] {
  return text.trim().split('\n').map((line) => JSON.parse(line) as Rec);
}

const HAS_PMU = !noHardwarePmu();

describe('memory signals', () => {
  it('capabilities, psi_mem on every sample, memory_characterization from them (the summary and stats alike)', async (ctx) => {
    requireOrSkip(ctx, existsSync('/proc/pressure/memory') ? undefined : 'this kernel has no PSI (/proc/pressure/memory)');
    const out = join(dir, 'run.jsonl');
    const r = await runCli(['--json', '-i', '50', '-m', '50', '-o', out, 'run', '--', 'sh', '-c', 'sleep 0.6 & wait']);
    expect(r.code, r.stderr).toBe(0);
    const recs = records(r.stdout);
    const caps = recs[0]!.capabilities;
    expect(caps.psi.system).toBe(true);
    if (HAS_PMU) {
      expect(caps.perf_hw).toMatchObject({ available: true, events: expect.arrayContaining(['cycles', 'instructions']) });
    } else {
      expect(caps.perf_hw).toEqual({
        available: false,
        events: [],
        reason: 'hardware counter not available on this CPU: no hardware PMU here (the kernel lists only software event sources in /sys/bus/event_source/devices; a VM without a virtual PMU)',
      });
    }
    // denet's order: psi, perf_hw first.
    expect(Object.keys(caps).slice(0, 2)).toEqual(['psi', 'perf_hw']);
    const samples = recs.filter((x) => x.kind === 'tree').slice(1);
    expect(samples.length).toBeGreaterThanOrEqual(2);
    for (const t of samples) {
      expect(t.aggregated.psi_mem).toEqual({ some_avg10: expect.any(Number), full_avg10: expect.any(Number) });
      if (t.parent) expect(t.parent.psi_mem).toEqual(t.aggregated.psi_mem);
      for (const c of t.children) expect(c.metrics.psi_mem).toBeUndefined();
      if (HAS_PMU) expect(t.aggregated.perf).toEqual(expect.objectContaining({ cycles: expect.any(Number) }));
      else expect(t.aggregated.perf).toBeUndefined();
    }
    const fraction = samples.filter((t) => t.aggregated.psi_mem.some_avg10 > 0).length / samples.length;
    const summary = recs.at(-1)!;
    if (!HAS_PMU) expect(summary.memory_characterization).toEqual({ psi_some_fraction: fraction, verdict: fraction > 0.5 ? 'memory-bound' : 'insufficient-data' });
    const stats = await runCli(['--json', 'stats', out]);
    expect(JSON.parse(stats.stdout).memory_characterization).toEqual(summary.memory_characterization);
  });

  it('the command\'s own cgroup: per-process PSI, from its memory.pressure', async (ctx) => {
    const mount = cgroup2MountPoint(readFileSync('/proc/self/mountinfo', 'utf8'));
    requireOrSkip(ctx, process.getuid?.() !== 0 ? 'needs root (creates a cgroup)' : mount === undefined ? 'no cgroup v2 hierarchy mounted' : existsSync('/proc/pressure/memory') ? undefined : 'no PSI');
    const cgroup = join(mount!, `tsdenet-test-${process.pid}`);
    mkdirSync(cgroup);
    try {
      // tsdenet starts in the cgroup, and so does the command it forks.
      const r = execFileSync('sh', ['-c', `echo $$ > ${cgroup}/cgroup.procs && exec "$0" "$@"`, process.execPath, BIN, '--json', '-i', '50', '-m', '50', 'run', '--', 'sleep', '0.3'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const recs = records(r);
      expect(recs[0]!.capabilities.psi).toEqual({ system: true, per_process: true });
      const pressure = readFileSync(join(cgroup, 'memory.pressure'), 'utf8');
      expect(pressure).toMatch(/^some avg10=/);
      for (const t of recs.filter((x) => x.kind === 'tree').slice(1)) expect(t.aggregated.psi_mem).toEqual({ some_avg10: expect.any(Number), full_avg10: expect.any(Number) });
    } finally {
      rmdirSync(cgroup);
    }
  });
});
