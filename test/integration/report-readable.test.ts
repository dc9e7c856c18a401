/**
 * The report as a person reads it, in Debian's Chromium at 1400 px wide,
 * for the three cases of issue 12: a run of a fraction of a second, a
 * 2 s multi-process run with --enable-ebpf --errors --latency, and long
 * rates in the millions. Each point the issue names is measured on the
 * drawn page: histograms have bucket labels, y-axis labels lie inside the
 * chart, legends hold no "-" placeholders, exited processes have a command
 * cell, numbers are rounded and equal the summary record's, long lists are
 * cut to their top rows, and the page height stays bounded. Screenshots go
 * to test-artifacts/ (report-short.png, report-errors-latency.png).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { formatCount, formatTime } from '../../src/html-report/format.js';
import { HISTOGRAMS_OPEN, SYSCALL_ROWS_SHOWN } from '../../src/html-report/render-syscalls.js';
import { bucketLabel } from '../../src/html-report/syscall-detail.js';
import type { SummaryRecord } from '../../src/records/schema.js';
import { runCli } from '../helpers/cli.js';
import { bpfSkipReason, requireOrSkip } from '../helpers/privileges.js';
import { artifactPath, chromiumSkipReason, openReport, startChromium, type ChromiumSession, type OpenedReport } from './report-chromium.js';

// In-page code below runs in the browser; this project compiles without the DOM typings.
declare const document: any;
declare const window: any;

type Page = OpenedReport['page'];

let session: Promise<ChromiumSession> | undefined;
async function browser(ctx: TestContext): Promise<ChromiumSession> {
  requireOrSkip(ctx, chromiumSkipReason());
  session ??= startChromium(1400);
  return session;
}
afterAll(async () => {
  if (session) await (await session)[Symbol.asyncDispose]();
});

async function report(ctx: TestContext, input: string): Promise<OpenedReport> {
  const s = await browser(ctx);
  const out = input.replace(/\.jsonl$/, '.html');
  const result = await runCli(['-q', 'report', input, '-o', out]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const r = await openReport(s, out);
  expect(r.errors).toEqual([]);
  expect(r.foreignRequests).toEqual([]);
  return r;
}

/** The text of every legend while the cursor is on no chart: series names only, never "-". */
async function idleLegends(page: Page): Promise<string[]> {
  await page.mouse.move(0, 0);
  return page.evaluate(() => [...document.querySelectorAll('.u-legend')].map((l: any) => l.innerText as string));
}

/**
 * For every uPlot chart, the box of each y-axis label (uPlot draws them on
 * its canvas, right-aligned a tick and a gap left of the plot area),
 * measured with the canvas's own font, against the chart's box: a clipped
 * label ("…,500,000 /s") starts left of the canvas.
 */
async function yLabelBoxes(page: Page): Promise<{ id: string; labels: string[]; left: number; canvasLeft: number; figureLeft: number }[]> {
  return page.evaluate(() =>
    window.tsdenetCharts.map((u: any) => {
      const ratio = window.devicePixelRatio || 1;
      const axis = u.axes[1];
      const canvas = u.root.querySelector('canvas');
      const figure = u.root.closest('figure');
      const ctx = canvas.getContext('2d');
      ctx.font = axis.font[0];
      const right = u.bbox.left / ratio - axis.ticks.size - axis.gap;
      const labels: string[] = axis._values.map(String);
      const left = Math.min(...labels.map((l) => right - ctx.measureText(l).width / ratio));
      return { id: figure.id, labels, left, canvasLeft: canvas.getBoundingClientRect().left, figureLeft: figure.getBoundingClientRect().left };
    }),
  );
}

/** Visible text with a number of more than three decimals, or in exponent form (1180.8775469924813, 9.52e-7). */
const UNROUNDED = /\d\.\d{4,}|\de[-+]?\d/;

describe('a run of a fraction of a second', () => {
  it('lists its samples as a table instead of drawing empty charts (screenshot: test-artifacts/report-short.png)', async (ctx) => {
    await browser(ctx);
    const dir = mkdtempSync(join(tmpdir(), 'tsdenet-report-'));
    const input = join(dir, 'short.jsonl');
    // Sampling every second: a run this short has its opening and closing samples only, however busy the machine.
    const run = await runCli(['-q', '-i', '1000', '-m', '1000', '-o', input, 'run', '--', 'sh', '-c', 'ls / > /dev/null']);
    expect(run.code, run.stderr).toBe(0);
    const r = await report(ctx, input);
    const samples = (await r.page.locator('#sample-table tbody tr').allInnerTexts()).length;
    // The opening and the closing sample; a line needs more points than that.
    expect(samples).toBeGreaterThanOrEqual(1);
    expect(samples).toBeLessThan(3);
    expect(await r.page.locator('#timelines .uplot').count()).toBe(0);
    expect(await r.page.locator('#few-samples').innerText()).toMatch(/^Too short for timelines/);
    // The header row names each column; every cell holds a value or says why there is none.
    const cells = await r.page.locator('#sample-table td').allInnerTexts();
    expect(cells.every((c) => c.trim() !== '' && c.trim() !== '-')).toBe(true);
    await r.page.screenshot({ path: artifactPath('report-short.png'), fullPage: true });
  });

  it('labels the elapsed axis of a short run without repeating a tick', async (ctx) => {
    // Five samples 0.025 s apart: ticks every 0.005 or 0.01 s must not all round to "0.01 s".
    const dir = mkdtempSync(join(tmpdir(), 'tsdenet-report-'));
    const input = join(dir, 'fast.jsonl');
    const t0 = Date.UTC(2026, 0, 1);
    const lines = [JSON.stringify({ kind: 'metadata', pid: 1, cmd: ['x'], executable: '/x', t0_ms: t0 })];
    for (let i = 0; i < 5; i++) {
      lines.push(JSON.stringify({ kind: 'tree', ts_ms: t0 + 10 + i * 25, parent: null, children: [], aggregated: { ts_ms: t0 + 10 + i * 25, cpu_usage: 10 * i, mem_rss_kb: 1000 + i, process_count: 1, thread_count: 1 } }));
    }
    writeFileSync(input, lines.join('\n') + '\n');
    const r = await report(ctx, input);
    const ticks: string[][] = await r.page.evaluate(() => window.tsdenetCharts.map((u: any) => u.axes[0]._values));
    expect(ticks.length).toBeGreaterThan(0);
    for (const labels of ticks) {
      expect(labels.length).toBeGreaterThan(2);
      expect(new Set(labels).size, labels.join(' ')).toBe(labels.length);
    }
  });
});

describe('rates in the millions, and one syscall that dwarfs the others', () => {
  it('keeps every y-axis label inside its chart and prints each bar\'s value', async (ctx) => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdenet-report-'));
    const input = join(dir, 'getpid.jsonl');
    const t0 = Date.UTC(2026, 0, 1);
    const lines = [JSON.stringify({ kind: 'metadata', pid: 1, cmd: ['getpid-loop'], executable: '/x', t0_ms: t0 })];
    // 2.5 M getpid a second for 8 s, and a few other calls.
    for (let i = 0; i <= 8; i++) {
      const process = i * 2_500_000;
      const by_category = { file_io: 3 * i, memory: 2 * i, process };
      lines.push(JSON.stringify({ kind: 'tree', ts_ms: t0 + i * 1000, parent: null, children: [], aggregated: { ts_ms: t0 + i * 1000, cpu_usage: 99, mem_rss_kb: 2_000_000, process_count: 1, thread_count: 1, disk_read_bytes: i * 3e9, ebpf: { syscalls: { total: process + 5 * i, by_category } } } }));
    }
    const by_syscall = { getpid: 20_000_000, read: 24, mmap: 16, close: 1 };
    lines.push(JSON.stringify({ kind: 'summary', tsdenet_version: '0.1.0', ts_ms: t0 + 8001, command: ['getpid-loop'], executable: '/x', pid: 1, exit_code: 0, signal: null, exit_status: 0, mode: 'run', interrupted: false, t0_ms: t0, wall_time_secs: 8, kernel: '6.1.0', arch: 'x86_64', ebpf: { attach_mode: 'tp_btf', syscalls: { total: 20_000_041, by_category: { file_io: 25, memory: 16, process: 20_000_000 }, by_syscall, processes: [], dropped: 0, untracked_threads: 0, lost_thread_info: 0 } } }));
    writeFileSync(input, lines.join('\n') + '\n');
    const r = await report(ctx, input);

    const boxes = await yLabelBoxes(r.page);
    expect(boxes.map((c) => c.id).sort()).toEqual(['chart-cpu', 'chart-disk', 'chart-memory', 'chart-processes', 'chart-syscall-rate']);
    expect(boxes.find((c) => c.id === 'chart-syscall-rate')?.labels).toContain('2,500,000 /s');
    for (const c of boxes) {
      // Every label starts inside the canvas, which lies inside its figure.
      expect(c.left, `${c.id}: ${c.labels.join(' ')}`).toBeGreaterThanOrEqual(0);
      expect(c.canvasLeft, c.id).toBeGreaterThanOrEqual(c.figureLeft);
    }

    const bars = await r.page.evaluate(() =>
      [...document.querySelectorAll('#chart-top-syscalls li')].map((li: any) => ({
        name: li.querySelector('.bar-name').textContent,
        value: li.querySelector('.bar-value').textContent,
        width: li.querySelector('.bar-track i').getBoundingClientRect().width,
      })),
    );
    expect(bars.map((b) => [b.name, b.value])).toEqual(Object.entries(by_syscall).map(([name, n]) => [name, formatCount(n)]));
    // Every bar with calls is visible, however small beside 20 M.
    for (const b of bars) expect(b.width, b.name).toBeGreaterThanOrEqual(2);
    expect(await idleLegends(r.page)).not.toContainEqual(expect.stringMatching(/(^|\s|:)-(\s|$)/));
  });
});

describe('a 2 s multi-process run with --errors --latency (screenshot: test-artifacts/report-errors-latency.png)', async () => {
  let opened: { r: OpenedReport; summary: SummaryRecord } | undefined;
  async function errorsLatencyRun(ctx: TestContext): Promise<{ r: OpenedReport; summary: SummaryRecord }> {
    requireOrSkip(ctx, bpfSkipReason());
    await browser(ctx);
    if (opened) return opened;
    const dir = mkdtempSync(join(tmpdir(), 'tsdenet-report-'));
    const input = join(dir, 'run.jsonl');
    // Processes that start and end during the run (their command lines are gone by the summary), failing opens and execs.
    const work = 'for i in 1 2 3 4 5 6; do ls -R /usr/share/doc > /dev/null; cat /nonexistent 2>/dev/null; no-such-command 2>/dev/null; sleep 0.25; done';
    const run = await runCli(['--enable-ebpf', '--require-ebpf', '--errors', '--latency', '-q', '-o', input, 'run', '--', 'sh', '-c', work]);
    expect(run.code, run.stderr).toBe(0);
    const sidecar = readFileSync(join(dir, 'run.tsdenet.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string });
    const summary = sidecar.find((rec) => rec.kind === 'summary') as SummaryRecord;
    opened = { r: await report(ctx, input), summary };
    await opened.r.page.screenshot({ path: artifactPath('report-errors-latency.png'), fullPage: true });
    return opened;
  }

  it('is a page of bounded height with its numbers rounded', async (ctx) => {
    const { r } = await errorsLatencyRun(ctx);
    const height: number = await r.page.evaluate(() => document.documentElement.scrollHeight);
    expect(height).toBeLessThan(9000);
    const text = await r.page.locator('main').innerText();
    expect(text).not.toMatch(UNROUNDED);
    expect(text).not.toContain('by_syscall');
    expect(await idleLegends(r.page)).not.toContainEqual(expect.stringMatching(/(^|\s|:)-(\s|$)/));
  });

  it('has a per-syscall table with the summary\'s numbers, its top rows shown, sortable', async (ctx) => {
    const { r, summary } = await errorsLatencyRun(ctx);
    const sc = summary.ebpf!.syscalls!;
    const rows: { name: string; calls: string; failed: string; errnos: string; total: string; callsValue: number }[] = await r.page.evaluate(() =>
      [...document.querySelectorAll('#syscall-table tbody tr')].map((tr: any) => ({
        name: tr.cells[0].textContent,
        calls: tr.cells[2].textContent,
        callsValue: Number(tr.cells[2].dataset.v),
        failed: tr.cells[3].textContent,
        errnos: tr.cells[5].textContent,
        total: tr.cells[6].textContent,
      })),
    );
    expect(rows.map((row) => row.name).sort()).toEqual(Object.keys(sc.by_syscall).sort());
    for (const row of rows) {
      expect(row.calls, row.name).toBe(formatCount(sc.by_syscall[row.name]!));
      const e = sc.errors!.by_syscall[row.name];
      expect(row.failed, row.name).toBe(e ? formatCount(e.total) : '');
      expect(row.errnos, row.name).toBe(Object.entries(e?.by_errno ?? {}).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([n, c]) => `${n} ${formatCount(c)}`).join(' · '));
      const l = sc.latency!.by_syscall[row.name];
      expect(row.total, row.name).toBe(l ? formatTime(l.total_secs) : 'not timed');
    }
    // The failures of the run: cat's openat and the shell's execve of a command that does not exist.
    expect(rows.find((row) => row.name === 'openat')?.errnos).toMatch(/ENOENT/);
    expect(await r.page.locator('#syscall-table tbody tr:not([hidden])').count()).toBe(Math.min(SYSCALL_ROWS_SHOWN, rows.length));
    await r.page.locator('#syscall-table-section button.show-all').click();
    expect(await r.page.locator('#syscall-table tbody tr:not([hidden])').count()).toBe(rows.length);
    const calls = r.page.locator('#syscall-table th', { hasText: /^Calls$/ });
    await calls.locator('button').click();
    expect(await calls.getAttribute('aria-sort')).toBe('descending');
    const sorted: number[] = await r.page.evaluate(() => [...document.querySelectorAll('#syscall-table tbody tr')].map((tr: any) => Number(tr.cells[2].dataset.v)));
    expect(sorted).toEqual([...sorted].sort((a, b) => b - a));
    expect(await r.page.locator('#errors').innerText()).toContain(`${formatCount(sc.errors!.total)} failed calls`);
  });

  it('draws each latency histogram with labelled buckets, the top ones open and the rest collapsed', async (ctx) => {
    const { r, summary } = await errorsLatencyRun(ctx);
    const latency = summary.ebpf!.syscalls!.latency!;
    const histograms: { name: string; rows: { label: string; count: string; width: number }[]; open: boolean }[] = await r.page.evaluate(() =>
      [...document.querySelectorAll('figure.histogram')].map((f: any) => ({
        name: f.dataset.syscall,
        open: f.checkVisibility() as boolean,
        rows: [...f.querySelectorAll('.hrow')].map((row: any) => ({
          label: row.querySelector('.hlabel').textContent,
          count: row.querySelector('.hcount').textContent,
          width: row.querySelector('.hbar i').getBoundingClientRect().width,
        })),
      })),
    );
    const timed = Object.entries(latency.by_syscall).filter(([, l]) => l.histogram_log2_ns.some((c) => c > 0));
    expect(histograms.map((h) => h.name).sort()).toEqual(timed.map(([name]) => name).sort());
    expect(histograms.filter((h) => h.open)).toHaveLength(Math.min(HISTOGRAMS_OPEN, timed.length));
    expect(await r.page.locator('#more-histograms').getAttribute('open')).toBeNull();
    for (const h of histograms) {
      const log2 = latency.by_syscall[h.name]!.histogram_log2_ns;
      // Every bucket is labelled with its range, e.g. "16–33 µs", and holds the summary's count.
      for (const row of h.rows) expect(row.label, h.name).toMatch(/^\d+(\.\d)?( (ns|µs|ms|s))?–\d+(\.\d)? (ns|µs|ms|s)$/);
      // Each bucket with calls has its own row, labelled with its range, holding the summary's count.
      const filled = log2.flatMap((c, b) => (c > 0 ? [[bucketLabel(2 ** b, 2 ** (b + 1)), formatCount(c)]] : []));
      expect(h.rows.filter((row) => row.count !== '0').map((row) => [row.label, row.count]), h.name).toEqual(filled);
      expect(h.rows.reduce((n, row) => n + Number(row.count.replaceAll(',', '')), 0), h.name).toBe(latency.by_syscall[h.name]!.calls);
      if (h.open) for (const row of h.rows) if (row.count !== '0') expect(row.width, `${h.name} ${row.label}`).toBeGreaterThanOrEqual(2);
    }
  });

  it('shows a command line or the name of every process, including those that ended', async (ctx) => {
    const { r, summary } = await errorsLatencyRun(ctx);
    const showAll = r.page.locator('#processes button.show-all');
    if ((await showAll.count()) > 0) await showAll.click();
    const cells: { pid: string; comm: string; command: string }[] = await r.page.evaluate(() =>
      [...document.querySelectorAll('#process-table tbody tr')].map((tr: any) => ({ pid: tr.cells[0].textContent, comm: tr.cells[2].textContent, command: tr.cells[7].textContent })),
    );
    const processes = summary.ebpf!.syscalls!.processes;
    expect(cells).toHaveLength(processes.length);
    const ended = processes.filter((p) => p.argv === null);
    // ls, cat and sleep ended long before the summary was written.
    expect(ended.length).toBeGreaterThan(0);
    for (const c of cells) {
      const p = processes.find((q) => String(q.pid) === c.pid)!;
      if (p.argv === null) expect(c.command, c.pid).toBe(p.comm ? `[${p.comm}]` : 'not read');
      expect(c.command.trim(), c.pid).not.toBe('');
    }
  });
});
