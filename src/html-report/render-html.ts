/**
 * Pure: the report model → one self-contained HTML page. Text from the file
 * (command lines, process names) is escaped here or set with textContent by
 * the page script; the data block escapes every "<", so no value can close
 * its <script>. A Content-Security-Policy allows only this page's own two
 * scripts (by hash) and no network access at all.
 */
import { createHash } from 'node:crypto';
import type { ChartAssets } from './assets.js';
import { CLIENT_SCRIPT } from './client-script.js';
import { formatBytes, formatCount, formatNanos, formatPercent, formatTime } from './format.js';
import { escapeHtml } from './html.js';
import type { ReportModel } from './model.js';
import { categoryColor } from './palette.js';
import { errorsSection, formatShare, latencySection, syscallTableSection, topSyscallBars } from './render-syscalls.js';
import { REPORT_CSS } from './styles.js';
import type { Series } from './timeline.js';

export { escapeHtml };

/** Fewer points than this: the samples are listed in a table instead of drawn as lines (a rate of three samples is a line of two points). */
export const MIN_CHART_POINTS = 4;

export interface RenderMeta {
  /** The input, as the user named it. */
  source: string;
  version: string;
}

/** JSON that is safe inside <script type="application/json">. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** An inline script's text: "</script" inside it would end the element early. */
function scriptText(code: string): string {
  return code.replace(/<\/(script)/gi, '<\\/$1');
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

function facts(items: readonly { label: string; value: string }[], id: string): string {
  const rows = items.map((i) => `<div><dt>${escapeHtml(i.label)}</dt><dd>${escapeHtml(i.value)}</dd></div>`).join('');
  return `<dl class="facts" id="${id}">${rows}</dl>`;
}

function figure(id: string, title: string, subtitle = '', wide = false): string {
  const small = subtitle ? ` <small>${escapeHtml(subtitle)}</small>` : '';
  return `<figure class="chart${wide ? ' wide' : ''}" id="${id}"><figcaption>${escapeHtml(title)}${small}</figcaption><div class="plot"></div></figure>`;
}

/** A run of a few samples: what they hold, as a table (a line of a point or two shows nothing). */
function sampleTable(m: ReportModel): string {
  const t = m.timeline!;
  const columns: [string, Series | null, (v: number) => string][] = [
    ['CPU', t.cpuPercent, (v) => formatPercent(v)],
    ['RSS', t.rssBytes, formatBytes],
    ['Processes', t.processes, formatCount],
    ['Threads', t.threads, formatCount],
    ['Disk read', t.diskReadRate, (v) => `${formatBytes(v)}/s`],
    ['Disk written', t.diskWriteRate, (v) => `${formatBytes(v)}/s`],
    ['Network received', t.netRxRate, (v) => `${formatBytes(v)}/s`],
    ['Network sent', t.netTxRate, (v) => `${formatBytes(v)}/s`],
    ['Syscalls', syscallRateTotal(m), (v) => `${formatCount(v)} /s`],
    ['Off CPU, sleeping', t.offcpuSleepingSecs, (v) => formatNanos(v * 1e9)],
    ['Off CPU, runnable', t.offcpuRunnableSecs, (v) => formatNanos(v * 1e9)],
  ];
  const shown = columns.filter(([, series]) => series !== null);
  const head = `<tr><th>Elapsed</th>${shown.map(([label]) => `<th class="num">${escapeHtml(label)}</th>`).join('')}</tr>`;
  const rows = t.t.map((secs, i) => {
    const cells = shown.map(([, series, format]) => {
      const v = series![i];
      // The first sample has no rate: there is no interval before it.
      return `<td class="num">${v === null || v === undefined ? '<span class="muted">no interval yet</span>' : escapeHtml(format(v))}</td>`;
    });
    return `<tr><td>${escapeHtml(formatTime(secs))}</td>${cells.join('')}</tr>`;
  });
  const n = t.t.length;
  const why = n === 1 ? 'one sample: a line needs two points, and a rate two samples' : `${n} samples: each rate is over the interval before its sample`;
  return `<p class="small" id="few-samples">Too short for timelines (${why}). The samples:</p><div class="table-wrap"><table class="compact" id="sample-table"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** Calls per second of all categories together, per point. */
function syscallRateTotal(m: ReportModel): Series | null {
  const sr = m.syscallRate;
  if (!sr) return null;
  return sr.t.map((_, i) => {
    let sum: number | null = null;
    for (const series of sr.rates) {
      const v = series[i];
      if (v !== null && v !== undefined) sum = (sum ?? 0) + v;
    }
    return sum;
  });
}

function tooFewPoints(m: ReportModel): boolean {
  return m.timeline !== null && m.timeline.t.length < MIN_CHART_POINTS;
}

function timelineSection(m: ReportModel): string {
  const t = m.timeline;
  if (!t) return '';
  if (tooFewPoints(m)) return `<section id="timelines"><h2>Timelines</h2>${sampleTable(m)}</section>`;
  const figures = [
    t.cpuPercent ? figure('chart-cpu', 'CPU', '% of one core, whole tree') : '',
    t.rssBytes ? figure('chart-memory', 'Memory', 'resident set size (RSS)') : '',
    t.diskReadRate || t.diskWriteRate ? figure('chart-disk', 'Disk I/O', 'bytes per second') : '',
    t.netRxRate || t.netTxRate ? figure('chart-network', 'Network I/O', "bytes per second, the network namespace's") : '',
    t.processes || t.threads ? figure('chart-processes', t.processes ? 'Processes and threads' : 'Threads', 'count') : '',
  ].join('');
  return `<section id="timelines"><h2>Timelines</h2><div class="charts">${figures}</div></section>`;
}

function categoryTable(m: ReportModel): string {
  if (!m.categories) return '';
  const rows = m.categories
    .map(
      (c, i) =>
        `<tr><td><span class="swatch" style="background:${categoryColor(c.name, i)}"></span>${escapeHtml(c.name)}</td><td class="num">${formatCount(c.count)}</td><td class="num">${formatShare(c.share)}</td></tr>`,
    )
    .join('');
  return `<div><h3>By category</h3><table id="category-table"><thead><tr><th>category</th><th class="num">calls</th><th class="num">share</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function syscallSection(m: ReportModel): string {
  if (!m.syscallRate && !m.topSyscalls && !m.categories) return '';
  const rate = m.syscallRate && !tooFewPoints(m)
    ? figure('chart-syscall-rate', 'Syscall rate by category', m.syscallRate.names.length === 1 ? 'calls per second' : 'calls per second, stacked', true)
    : '';
  const of = m.distinctSyscalls !== null && m.topSyscalls ? `top ${m.topSyscalls.length} of ${formatCount(m.distinctSyscalls)} distinct` : 'the most frequent';
  const total = m.categories ? m.categories.reduce((n, c) => n + c.count, 0) : null;
  const top = m.topSyscalls ? topSyscallBars(m.topSyscalls, total, of) : '';
  const charts = rate ? `<div class="charts">${rate}</div>` : '';
  return `<section id="syscalls"><h2>Syscalls</h2>${charts}<div class="syscall-grid"><div>${top}</div>${categoryTable(m)}</div></section>`;
}

/**
 * --offcpu: the tree's off-CPU time so far, stacked by reason, then the
 * totals, each process's share and denet's top blocking threads (static
 * tables: every name escaped here).
 */
function offcpuSection(m: ReportModel): string {
  const o = m.offcpu;
  if (!o) return '';
  const t = m.timeline;
  const chart = t && !tooFewPoints(m) && (t.offcpuSleepingSecs || t.offcpuRunnableSecs)
    ? `<div class="charts">${figure('chart-offcpu', 'Off-CPU time so far', 'seconds, stacked: sleeping or blocked, then preempted while runnable (waiting for a CPU)', true)}</div>`
    : '';
  const processes = o.processes
    ? `<div><h3>By process</h3><div class="table-wrap"><table class="compact" id="offcpu-process-table"><thead><tr><th class="num">pid</th><th>name</th><th class="num">sleeping or blocked</th><th class="num">preempted, runnable</th><th class="num">intervals</th><th class="num">share</th></tr></thead><tbody>${o.processes
        .map((p) => `<tr><td class="num">${p.pid}</td><td>${escapeHtml(p.comm)}</td><td class="num">${formatNanos(p.sleepingNs)}</td><td class="num">${formatNanos(p.runnableNs)}</td><td class="num">${formatCount(p.events)}</td><td class="num">${formatShare(p.share)}</td></tr>`)
        .join('')}</tbody></table></div></div>`
    : '';
  const threads = o.threads.length > 0
    ? `<div><h3>Threads off CPU the longest</h3><table class="compact" id="offcpu-thread-table"><thead><tr><th class="num">tid</th><th class="num">pid</th><th class="num">off CPU</th><th class="num">share</th></tr></thead><tbody>${o.threads
        .map((th) => `<tr><td class="num">${th.tid}</td><td class="num">${th.pid}</td><td class="num">${formatNanos(th.time_ms * 1e6)}</td><td class="num">${th.percentage.toFixed(2)} %</td></tr>`)
        .join('')}</tbody></table></div>`
    : '';
  return `<section id="offcpu"><h2>Off-CPU time</h2>${chart}${facts(o.facts, 'offcpu-facts')}<div class="syscall-grid">${processes}${threads}</div></section>`;
}

function processSection(m: ReportModel): string {
  if (!m.processes) return '';
  return `<section id="processes"><h2>Processes</h2><p class="small" id="process-table-info"></p><div class="table-wrap"><table id="process-table"><tbody></tbody></table></div></section>`;
}

/** The whole page. */
export function renderHtml(m: ReportModel, assets: ChartAssets, meta: RenderMeta): string {
  const pageData = {
    timeline: m.timeline,
    syscallRate: m.syscallRate,
    rateColors: m.syscallRate?.names.map((n, i) => categoryColor(n, i)) ?? [],
    processes: m.processes,
  };
  const library = scriptText(assets.script);
  const client = scriptText(CLIENT_SCRIPT);
  const csp = `default-src 'none'; script-src ${sha256(library)} ${sha256(client)}; style-src 'unsafe-inline'; img-src data:`;
  const command = m.header.find((h) => h.label === 'Command')?.value ?? '';
  const notes = m.notes.length
    ? `<ul class="notes" id="notes">${m.notes.map((n) => `<li class="${n.level}">${escapeHtml(n.text)}</li>`).join('')}</ul>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="generator" content="tsdenet ${escapeHtml(meta.version)}">
<title>${escapeHtml(m.title)}</title>
<style>${assets.style}</style>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<header id="run-header">
<h1>tsdenet report</h1>
<p class="command"><code>${escapeHtml(command)}</code></p>
${facts(m.header.filter((h) => h.label !== 'Command'), 'run-facts')}
${notes}
</header>
<section id="summary"><h2>Summary</h2>${facts(m.stats, 'run-stats')}</section>
${timelineSection(m)}
${syscallSection(m)}
${syscallTableSection(m.detail)}
${errorsSection(m.detail)}
${latencySection(m.detail)}
${offcpuSection(m)}
${processSection(m)}
<footer>Made by tsdenet ${escapeHtml(meta.version)} from ${escapeHtml(meta.source)}. Charts: uPlot (MIT licence), included in this file; the page loads nothing from the network.</footer>
</main>
<script type="application/json" id="report-data">${jsonForScript(pageData)}</script>
<script>${library}</script>
<script>${client}</script>
</body>
</html>
`;
}
