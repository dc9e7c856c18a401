/**
 * `tsdenet stats FILE` of an eBPF run shows its syscalls: the total, the top
 * syscalls and the categories, in the tables and in --json, the same numbers
 * as the run's summary record (and, for the known-count workload, the
 * numbers it makes by construction). A denet file's come from its last sample.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { requireBpf } from '../helpers/privileges.js';
import { buildFixture, WORKLOAD_COUNTS } from '../helpers/workload.js';
import { tempDir, type Rec } from '../reliability/helpers.js';

/** The rows of the bordered tables in text: first cell → second cell (a number). */
function tableRows(text: string): [string, number][] {
  return [...text.matchAll(/^│ (\S+) +│ +(\d+) │/gm)].map((m) => [m[1]!, Number(m[2])]);
}

/** The top table's rows, then the categories'. */
function shownCounts(stdout: string): { total: number; top: [string, number][]; categories: [string, number][] } {
  const section = stdout.slice(stdout.indexOf('\nSYSCALLS (eBPF): '));
  const total = Number(/^\nSYSCALLS \(eBPF\): (\d+) calls\n/.exec(section)?.[1]);
  const [topTable, categoryTable] = section.split(/\n(?=┌)/).slice(1);
  return { total, top: tableRows(topTable ?? ''), categories: tableRows(categoryTable ?? '') };
}

describe('stats FILE shows the syscalls of an eBPF run', () => {
  it('the summary record\'s total, top syscalls and categories, in the tables and in --json', async (ctx) => {
    requireBpf(ctx);
    const dir = tempDir('stats-syscalls');
    const file = join(dir, 'run.jsonl');
    const statsFile = join(dir, 'stats.json');
    const run = await runCli(['--enable-ebpf', '--require-ebpf', '-q', '-o', file, '--stats', statsFile, 'run', '--', buildFixture('workload')]);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'run.tsdenet.jsonl'), 'utf8').trim().split('\n').at(-1)!) as Rec;
    const sc = summary.ebpf.syscalls;

    const human = await runCli(['stats', file]);
    expect(human.code, human.stderr).toBe(0);
    const shown = shownCounts(human.stdout);
    expect(shown.total).toBe(sc.total);
    expect(shown.top).toEqual(sc.top_syscalls.map((s: Rec) => [s.name, s.count]));
    expect(Object.fromEntries(shown.categories)).toEqual(sc.by_category);
    // What the workload makes by construction.
    expect(shown.top.slice(0, 4)).toEqual([
      ['getpgid', WORKLOAD_COUNTS.getpgid],
      ['sched_yield', WORKLOAD_COUNTS.sched_yield],
      ['getppid', WORKLOAD_COUNTS.getppid],
      ['getsid', WORKLOAD_COUNTS.getsid],
    ]);

    const json = await runCli(['--json', 'stats', file]);
    expect(json.code, json.stderr).toBe(0);
    // Where the summary record has them: jq .ebpf.syscalls.top_syscalls works on both.
    expect((JSON.parse(json.stdout) as Rec).ebpf).toEqual({ syscalls: { total: sc.total, by_category: sc.by_category, top_syscalls: sc.top_syscalls, by_syscall: sc.by_syscall } });
    // run --stats FILE holds what `stats --json` prints for the run's -o file: one document, one set of numbers.
    expect(JSON.parse(readFileSync(statsFile, 'utf8'))).toEqual(JSON.parse(json.stdout));
  });

  it("a denet file's: the last sample's cumulative counts", async () => {
    const file = join(ROOT, 'test/fixtures/report/denet-tree.jsonl');
    const lastTree = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Rec).filter((r) => r.kind === 'tree' && r.aggregated?.ebpf).at(-1)!;
    const counts = lastTree.aggregated.ebpf.syscalls;
    const json = await runCli(['--json', 'stats', file]);
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as Rec).ebpf).toEqual({ syscalls: { total: counts.total, by_category: counts.by_category, top_syscalls: counts.top_syscalls } });
    const shown = shownCounts((await runCli(['stats', file])).stdout);
    expect(shown.total).toBe(counts.total);
    expect(shown.top).toEqual(counts.top_syscalls.map((s: Rec) => [s.name, s.count]));
  });

  it('a run without eBPF shows no syscall section', async () => {
    const dir = tempDir('stats-no-ebpf');
    const file = join(dir, 'run.jsonl');
    expect((await runCli(['-q', '-o', file, 'run', '--', 'true'])).code).toBe(0);
    const human = await runCli(['stats', file]);
    expect(human.stdout).not.toContain('SYSCALLS');
    expect((JSON.parse((await runCli(['--json', 'stats', file])).stdout) as Rec).ebpf).toBeUndefined();
  });
});
