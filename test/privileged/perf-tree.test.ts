/**
 * perf_event_open for a whole process tree (src/monitor/perf-counters.ts,
 * the code behind the samples' `perf`) on the real kernel. This machine
 * has no hardware PMU, so the tree-wide counting is shown with software
 * events: the context switches and CPU time of children forked after the
 * counters were opened on their parent, against the kernel's own rusage
 * of them. And what the hardware path says here.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PerfOpenError, PERF_TYPE_SOFTWARE } from '../../src/ffi/perf-event.js';
import { HARDWARE_EVENTS, noHardwarePmu, openHardwareCounters, TreeCounters, type NamedEvent } from '../../src/monitor/perf-counters.js';
import { requireOrSkip, toolMissing } from '../helpers/privileges.js';
import { buildFixture } from '../helpers/workload.js';

const sw = (name: string, config: number, inherit = true): NamedEvent => ({ name, spec: { type: PERF_TYPE_SOFTWARE, config, inherit, userOnly: false }, required: true });
/** PERF_COUNT_SW_TASK_CLOCK 1, PERF_COUNT_SW_CONTEXT_SWITCHES 3. */
const EVENTS = [sw('task-clock', 1), sw('context-switches', 3)];

/** Runs the gated workload with counters opened on it before it starts its children. */
async function countTree(events: NamedEvent[]): Promise<{ counts: Map<string, number>; children: number; self: number; childrenCpuNs: number }> {
  const child = spawn(buildFixture('ctxswitch'), [], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const counters = TreeCounters.open(events, [child.pid!]);
  try {
    child.stdin.end('go\n');
    await exited;
    const [children, self, cpuUs] = out.trim().split(' ').map(Number) as [number, number, number];
    return { counts: counters.read(), children, self, childrenCpuNs: cpuUs * 1000 };
  } finally {
    counters.close();
  }
}

describe('perf_event_open on a process tree', () => {
  it('counts the children forked after opening (inherit): context switches as the kernel\'s rusage, CPU time as well', async (ctx) => {
    requireOrSkip(ctx, toolMissing('gcc', ['--version'], 'gcc libc6-dev') ?? (process.getuid?.() === 0 ? undefined : 'needs root (kernel events with perf_event_paranoid 2)'));
    const { counts, children, self, childrenCpuNs } = await countTree(EVENTS);
    const switches = counts.get('context-switches')!;
    // 4 children × 200 sleeps: at least 800 switches, all in the children.
    expect(children).toBeGreaterThanOrEqual(800);
    // perf and rusage count the same switches (in __schedule), but for each
    // child's last ones, after its counter was detached at exit (about one
    // per child, racing with the parent's wait): within 2 per child and 2.
    expect(Math.abs(switches - (children + self))).toBeLessThanOrEqual(2 * 4 + 2);
    const cpu = counts.get('task-clock')!;
    // rusage's CPU time of the children (which also holds each child's fork
    // and exit, around its counter's life), plus the parent's own short run.
    expect(cpu).toBeGreaterThanOrEqual(childrenCpuNs * 0.8);
    expect(cpu).toBeLessThanOrEqual(childrenCpuNs * 1.05 + 20e6);
  });

  it('without inherit only the parent is counted: the children are what the tree adds', async (ctx) => {
    requireOrSkip(ctx, toolMissing('gcc', ['--version'], 'gcc libc6-dev') ?? (process.getuid?.() === 0 ? undefined : 'needs root'));
    const { counts, children } = await countTree([sw('context-switches', 3, false)]);
    // The parent's own few (it forks and waits); the children's 800+ are not there.
    expect(children).toBeGreaterThanOrEqual(800);
    expect(counts.get('context-switches')!).toBeGreaterThan(0);
    expect(counts.get('context-switches')!).toBeLessThan(50);
  });

  it('hardware counters: available with a PMU; without one, the reason says so, and the kernel agrees', () => {
    if (noHardwarePmu()) {
      // What the probe skips: the kernel refuses the cycles counter (ENOENT).
      let error: unknown;
      try {
        TreeCounters.open(HARDWARE_EVENTS, [process.pid]).close();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(PerfOpenError);
      expect((error as PerfOpenError).errnoName).toBe('ENOENT');
    }
    const hw = openHardwareCounters([process.pid]);
    try {
      if (!noHardwarePmu()) {
        expect(hw.capability).toMatchObject({ available: true });
        expect(hw.capability.events).toEqual(expect.arrayContaining(['cycles', 'instructions']));
      } else {
        expect(hw.capability).toEqual({
          available: false,
          events: [],
          reason: 'hardware counter not available on this CPU: no hardware PMU here (the kernel lists only software event sources in /sys/bus/event_source/devices; a VM without a virtual PMU)',
        });
      }
    } finally {
      hw.counters?.close();
    }
  });
});
