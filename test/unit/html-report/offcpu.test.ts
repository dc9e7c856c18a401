/** The report's off-CPU section: the chart's series from the tree records, the summary's numbers, names escaped. */
import { describe, expect, it } from 'vitest';
import { loadChartAssets } from '../../../src/html-report/assets.js';
import { readModel } from '../../../src/html-report/read-model.js';
import { escapeHtml, renderHtml } from '../../../src/html-report/render-html.js';
import { summarizeOffcpu } from '../../../src/records/offcpu.js';

const evil = '<img src=x onerror=alert(1)>';
const thread = (tid: number, sleeping: number, runnable: number) => ({ tid, pid: tid, sleeping_ns: sleeping, runnable_ns: runnable, events: 1, max_ns: Math.max(sleeping, runnable) });

function tree(i: number) {
  const offcpu = summarizeOffcpu([thread(10, i * 100e6, 0), thread(11, 0, i * 50e6)]);
  return { kind: 'tree', ts_ms: 1000 + i * 100, parent: null, children: [], aggregated: { ts_ms: 1000 + i * 100, cpu_usage: 50, mem_rss_kb: 100, thread_count: 2, process_count: 2, ebpf: { syscalls: { total: i, by_category: { other: i }, top_syscalls: [] }, offcpu } } };
}

describe('off-CPU in the report', () => {
  it('charts the cumulative time by reason, and shows the summary\'s figures, per process and per thread', async () => {
    const final = summarizeOffcpu([thread(10, 600e6, 0), thread(11, 0, 300e6)]);
    const proc = (pid: number, comm: string, sleeping: number, runnable: number) => ({ pid, ppid: 1, comm, argv: null, threads: 1, total: 1, by_syscall: { read: 1 }, offcpu: { sleeping_ns: sleeping, runnable_ns: runnable, events: 1 } });
    const summary = {
      kind: 'summary', tsdenet_version: '0.1.0', ts_ms: 2000, command: ['x'], executable: '/x', pid: 10, exit_code: 0, signal: null, exit_status: 0, mode: 'run', interrupted: false, t0_ms: 1000, wall_time_secs: 1, kernel: 'k', arch: 'x86_64',
      ebpf: { attach_mode: 'tp_btf', syscalls: { total: 2, by_category: { other: 2 }, by_syscall: { read: 2 }, processes: [proc(11, evil, 0, 300e6), proc(10, 'sleeper', 600e6, 0)], dropped: 0, untracked_threads: 0, lost_thread_info: 0 }, offcpu: final },
    };
    const records = [...Array.from({ length: 6 }, (_, i) => tree(i + 1)), summary];
    async function* lines() {
      let n = 0;
      for (const r of records) yield { text: JSON.stringify(r), number: ++n };
    }
    const m = await readModel(lines(), 'run.jsonl', { fileLabel: 'run.jsonl' });
    expect(m.timeline!.offcpuSleepingSecs).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6].map((v) => expect.closeTo(v, 9)));
    expect(m.timeline!.offcpuRunnableSecs).toEqual([0.05, 0.1, 0.15, 0.2, 0.25, 0.3].map((v) => expect.closeTo(v, 9)));
    expect(m.offcpu!.facts).toEqual([
      { label: 'Off CPU, all threads', value: '900 ms' },
      { label: 'Sleeping or blocked', value: '600 ms (66.7 %)' },
      { label: 'Preempted while runnable', value: '300 ms (33.3 %)' },
      { label: 'Intervals off CPU', value: '2' },
      { label: 'Mean interval', value: '450 ms' },
      { label: 'Longest interval', value: '600 ms' },
    ]);
    expect(m.offcpu!.processes!.map((p) => [p.pid, p.share])).toEqual([[10, 600 / 900], [11, 300 / 900]]);
    expect(m.offcpu!.threads).toEqual(final.top_blocking_threads);
    const html = renderHtml(m, loadChartAssets(), { source: 'run.jsonl', version: '9.9.9' });
    const markup = html.replace(/<script[^>]*>[\s\S]*?<\/script>/g, '');
    expect(markup).toContain('<section id="offcpu"><h2>Off-CPU time</h2>');
    expect(markup).toContain('id="chart-offcpu"');
    expect(markup).not.toContain('<img');
    expect(markup).toContain(escapeHtml(evil));
  });

  it('has no off-CPU section for a run without --offcpu', async () => {
    async function* lines() {
      yield { text: JSON.stringify({ ...tree(1), aggregated: { ...tree(1).aggregated, ebpf: { syscalls: { total: 1, by_category: {}, top_syscalls: [] } } } }), number: 1 };
    }
    const m = await readModel(lines(), 'run.jsonl', { fileLabel: 'run.jsonl' });
    expect(m.offcpu).toBeNull();
    expect(m.timeline!.offcpuSleepingSecs).toBeNull();
    expect(renderHtml(m, loadChartAssets(), { source: 'run.jsonl', version: '9.9.9' })).not.toContain('id="offcpu"');
  });
});
