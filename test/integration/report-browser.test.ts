/**
 * The report in a real browser: Debian's Chromium, headless, loads each
 * report from its file:// URL. The charts must be drawn (canvases of
 * non-zero size with the series' colour on them), the page must log no
 * error and ask the network for nothing, and the process table must sort.
 * Screenshots are kept in test-artifacts/. Without Chromium the tests
 * skip here and fail under CI=true.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, type TestContext } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { bpfSkipReason, requireOrSkip } from '../helpers/privileges.js';
import { artifactPath, chromiumSkipReason, openReport, startChromium, type ChromiumSession, type OpenedReport } from './report-chromium.js';

// In-page code below runs in the browser; this project compiles without the DOM typings.
declare const document: any;

const FIXTURES = join(import.meta.dirname, '../fixtures/report');

let session: Promise<ChromiumSession> | undefined;

async function browser(ctx: TestContext): Promise<ChromiumSession> {
  requireOrSkip(ctx, chromiumSkipReason());
  session ??= startChromium();
  return session;
}

afterAll(async () => {
  if (session) await (await session)[Symbol.asyncDispose]();
});

/** Runs `tsdenet report` on a file and opens the result. */
async function report(ctx: TestContext, input: string): Promise<OpenedReport> {
  const s = await browser(ctx);
  const out = join(mkdtempSync(join(tmpdir(), 'tsdenet-report-')), 'report.html');
  const result = await runCli(['-q', 'report', input, '-o', out]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return openReport(s, out);
}

/** Series colours of each chart, as the page draws them (a later series may cover an earlier one). */
const CHART_COLORS: Record<string, [number, number, number][]> = {
  'chart-cpu': [[0xe1, 0x57, 0x59]],
  'chart-memory': [[0x4e, 0x79, 0xa7]],
  'chart-disk': [[0x59, 0xa1, 0x4f], [0xf2, 0x8e, 0x2b]],
  'chart-network': [[0x76, 0xb7, 0xb2], [0xb0, 0x7a, 0xa1]],
  'chart-processes': [[0x9c, 0x75, 0x5f], [0xba, 0xb0, 0xac]],
  'chart-syscall-rate': [[0x4e, 0x79, 0xa7]],
};
const ALL_CHARTS = Object.keys(CHART_COLORS);

interface ChartState {
  id: string;
  width: number;
  height: number;
  /** Pixels of the canvas in the series' colour: the data was drawn, not only the axes. */
  colored: number;
}

/** The top-syscalls bars (HTML, not a canvas): each bar's name and printed value. */
async function topBars(page: OpenedReport['page']): Promise<string[]> {
  return page.locator('#chart-top-syscalls li').evaluateAll((items: any[]) =>
    items.map((li) => `${li.querySelector('.bar-name').textContent} ${li.querySelector('.bar-value').textContent}`),
  );
}

async function charts(page: OpenedReport['page']): Promise<ChartState[]> {
  return page.evaluate((colors: Record<string, [number, number, number][]>) => {
    const out: { id: string; width: number; height: number; colored: number }[] = [];
    for (const figure of document.querySelectorAll('figure.chart')) {
      const canvas = figure.querySelector('.uplot canvas');
      if (!canvas) {
        out.push({ id: figure.id, width: 0, height: 0, colored: 0 });
        continue;
      }
      const box = canvas.getBoundingClientRect();
      const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let colored = 0;
      for (let i = 0; i < pixels.length; i += 4) {
        const near = (c: [number, number, number]) => Math.abs(pixels[i] - c[0]) < 30 && Math.abs(pixels[i + 1] - c[1]) < 30 && Math.abs(pixels[i + 2] - c[2]) < 30;
        if (pixels[i + 3] > 100 && (colors[figure.id] ?? []).some(near)) colored++;
      }
      out.push({ id: figure.id, width: box.width, height: box.height, colored });
    }
    return out;
  }, CHART_COLORS);
}

async function expectCharts(page: OpenedReport['page'], expected: string[]): Promise<void> {
  const states = await charts(page);
  expect(states.map((c) => c.id).sort()).toEqual([...expected].sort());
  for (const c of states) {
    expect(c.width, c.id).toBeGreaterThan(200);
    expect(c.height, c.id).toBeGreaterThan(80);
    expect(c.colored, `${c.id}: pixels in the series colour`).toBeGreaterThan(50);
  }
}

function tableColumn(page: OpenedReport['page'], column: number): Promise<string[]> {
  return page.evaluate(
    (i: number) => [...document.querySelectorAll('#process-table tbody tr')].map((tr: any) => tr.children[i].textContent as string),
    column,
  );
}

function expectClean(r: OpenedReport): void {
  expect(r.errors).toEqual([]);
  expect(r.foreignRequests).toEqual([]);
}

describe('the report in Chromium', () => {
  it('draws every chart of a real sampled tsdenet run (screenshot: test-artifacts/report.png)', async (ctx) => {
    const r = await report(ctx, join(FIXTURES, 'tsdenet-sampled.jsonl'));
    expectClean(r);
    await expectCharts(r.page, ALL_CHARTS);
    expect(await topBars(r.page)).toContain('getdents64 20,775');
    expect(await tableColumn(r.page, 0)).toHaveLength(11);
    expect(await r.page.locator('#run-facts').innerText()).toContain('exit code 0');
    await r.page.screenshot({ path: artifactPath('report.png'), fullPage: true });
  });

  it('sorts the process table on click, numbers as numbers, and shows hostile names as text', async (ctx) => {
    const r = await report(ctx, join(FIXTURES, 'tsdenet-future-fields.jsonl'));
    expectClean(r);
    // File order first: the command, then the others as the summary lists them.
    expect(await tableColumn(r.page, 0)).toEqual(['2188', '70001', '9']);
    const syscalls = r.page.locator('#process-table th[data-key="total"]');
    await syscalls.locator('button').click();
    expect(await syscalls.getAttribute('aria-sort')).toBe('descending');
    expect(await tableColumn(r.page, 4)).toEqual(['5,255', '900', '40']);
    await syscalls.locator('button').click();
    expect(await syscalls.getAttribute('aria-sort')).toBe('ascending');
    expect(await tableColumn(r.page, 4)).toEqual(['40', '900', '5,255']);
    const pid = r.page.locator('#process-table th[data-key="pid"]');
    await pid.locator('button').click();
    expect(await pid.getAttribute('aria-sort')).toBe('descending');
    expect(await syscalls.getAttribute('aria-sort')).toBeNull();
    expect(await tableColumn(r.page, 0)).toEqual(['70001', '2188', '9']);
    await pid.locator('button').click();
    expect(await tableColumn(r.page, 0)).toEqual(['9', '2188', '70001']);
    await r.page.locator('#process-table th[data-key="comm"] button').click();
    expect(await tableColumn(r.page, 2)).toEqual(['</script><b>x', '<img src=x onerror=alert(1)>', 'ls']);
    expect(await r.page.locator('#process-table img, #process-table b').count()).toBe(0);
    // The errors and latency: one table row per syscall, one row per errno, one histogram per timed syscall.
    expect(await r.page.locator('#syscall-table tbody tr').count()).toBe(25);
    expect(await r.page.locator('#errno-table tbody tr').count()).toBe(3);
    expect(await r.page.locator('#latency figure.histogram').count()).toBe(2);
    await r.page.screenshot({ path: artifactPath('report-future-fields.png'), fullPage: true });
  });

  it('says what is missing in a run without samples, and still draws the syscalls', async (ctx) => {
    const r = await report(ctx, join(FIXTURES, 'tsdenet-summary-only.jsonl'));
    expectClean(r);
    await expectCharts(r.page, []);
    expect(await topBars(r.page)).toHaveLength(24);
    expect(await r.page.locator('#notes li.missing').allInnerTexts()).toEqual([expect.stringMatching(/^no samples: this file has no tree or sample records/)]);
    await r.page.screenshot({ path: artifactPath('report-no-samples.png'), fullPage: true });
  });

  it.for([
    ['denet-tree.jsonl', ALL_CHARTS],
    ['denet-legacy-tree.jsonl', ['chart-cpu', 'chart-memory', 'chart-disk', 'chart-network', 'chart-processes']],
    ['denet-legacy-metrics.jsonl', ['chart-cpu', 'chart-memory', 'chart-disk', 'chart-network', 'chart-processes']],
    ['denet-exclude-children.jsonl', ['chart-cpu', 'chart-memory', 'chart-disk', 'chart-network', 'chart-processes']],
  ] as const)('draws the charts of %s', async ([name, expected], ctx) => {
    const r = await report(ctx, join(FIXTURES, name));
    expectClean(r);
    await expectCharts(r.page, [...expected]);
    if (name === 'denet-tree.jsonl') await r.page.screenshot({ path: artifactPath('report-denet.png'), fullPage: true });
  });

  it('shows each category\'s own rate under the cursor (not the stacked sum), at the same moment in every chart', async (ctx) => {
    const r = await report(ctx, join(FIXTURES, 'denet-tree.jsonl'));
    const over = r.page.locator('#chart-syscall-rate .u-over');
    await over.scrollIntoViewIfNeeded();
    const box = (await over.boundingBox())!;
    // The x range is 0.1 s to 0.6 s: 40 % of the way is t = 0.3 s.
    await r.page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2);
    // denet-tree.jsonl, 0.2 s → 0.3 s: file_io 510 → 2510, memory 22 → 42, network 4 → 8 in 0.1 s.
    expect(await r.page.locator('#chart-syscall-rate .u-legend').innerText()).toMatch(/elapsed\s*0\.30 s\s*file_io\s*20,000 \/s\s*memory\s*200 \/s\s*network\s*40 \/s/);
    expect(await r.page.locator('#chart-cpu .u-legend').innerText()).toMatch(/elapsed\s*0\.30 s\s*CPU\s*98\.0 %/);
    expectClean(r);
  });

  it('redraws the charts at the width of the window', async (ctx) => {
    const r = await report(ctx, join(FIXTURES, 'denet-tree.jsonl'));
    const wide = (await charts(r.page)).find((c) => c.id === 'chart-syscall-rate')!.width;
    await r.page.setViewportSize({ width: 640, height: 900 });
    await r.page.waitForFunction(() => document.querySelector('#chart-syscall-rate canvas').getBoundingClientRect().width < 640);
    const narrow = (await charts(r.page)).find((c) => c.id === 'chart-syscall-rate')!;
    expect(narrow.width).toBeLessThan(wide);
    expect(narrow.colored).toBeGreaterThan(50);
    expectClean(r);
  });

  it('reports a run profiled here and now (screenshot: test-artifacts/report-live.png)', async (ctx) => {
    requireOrSkip(ctx, bpfSkipReason());
    const dir = mkdtempSync(join(tmpdir(), 'tsdenet-report-'));
    const runFile = join(dir, 'run.jsonl');
    const work = `for i in 1 2 3 4 5; do ls -R /usr/share/doc > /dev/null; head -c 4000000 /dev/urandom > ${dir}/junk; sleep 0.1; done`;
    // Sampling (-i) arrived with monitoring; a build without it still has the summary's syscalls.
    const samples = (await runCli(['--help'])).stdout.includes('--interval');
    const sampling = samples ? ['-i', '20', '-m', '50'] : [];
    const run = await runCli(['--enable-ebpf', '--require-ebpf', '-q', ...sampling, '-o', runFile, 'run', '--', 'sh', '-c', work]);
    expect(run.code, run.stderr).toBe(0);
    const r = await report(ctx, runFile);
    expectClean(r);
    await expectCharts(r.page, samples ? ALL_CHARTS : []);
    expect((await topBars(r.page)).length).toBeGreaterThan(5);
    expect((await tableColumn(r.page, 2)).sort()).toEqual(expect.arrayContaining(['head', 'ls', 'sh', 'sleep']));
    await r.page.screenshot({ path: artifactPath('report-live.png'), fullPage: true });
  });
});
