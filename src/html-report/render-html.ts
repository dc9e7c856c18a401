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
import { formatCount, formatPercent } from './format.js';
import type { Cell, GenericTable } from './generic-tables.js';
import type { ReportModel } from './model.js';
import { categoryColor } from './palette.js';
import { REPORT_CSS } from './styles.js';

export interface RenderMeta {
  /** The input, as the user named it. */
  source: string;
  version: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
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

function genericTable(t: GenericTable): string {
  const head = t.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const td = (c: Cell) =>
    typeof c === 'number' ? `<td class="num">${Number.isInteger(c) ? formatCount(c) : String(c)}</td>` : `<td>${escapeHtml(c)}</td>`;
  const body = t.rows.map((r) => `<tr>${r.map(td).join('')}</tr>`).join('');
  const more = t.omitted > 0 ? `<p class="small">and ${formatCount(t.omitted)} more row(s) not shown</p>` : '';
  return `<h3>${escapeHtml(t.title)}</h3><div class="table-wrap"><table class="compact"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>${more}`;
}

function timelineSection(m: ReportModel): string {
  const t = m.timeline;
  if (!t) return '';
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
        `<tr><td><span class="swatch" style="background:${categoryColor(c.name, i)}"></span>${escapeHtml(c.name)}</td><td class="num">${formatCount(c.count)}</td><td class="num">${formatPercent(c.share, true)}</td></tr>`,
    )
    .join('');
  return `<div><h3>By category</h3><table id="category-table"><thead><tr><th>category</th><th class="num">calls</th><th class="num">share</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function topSyscallTable(m: ReportModel): string {
  if (!m.topSyscalls) return '';
  const rows = m.topSyscalls.map((s) => `<tr><td class="mono">${escapeHtml(s.name)}</td><td class="num">${formatCount(s.count)}</td></tr>`).join('');
  return `<details><summary>as a table</summary><table id="top-syscall-table"><thead><tr><th>syscall</th><th class="num">calls</th></tr></thead><tbody>${rows}</tbody></table></details>`;
}

function syscallSection(m: ReportModel): string {
  if (!m.syscallRate && !m.topSyscalls && !m.categories) return '';
  const rate = m.syscallRate
    ? figure('chart-syscall-rate', 'Syscall rate by category', m.syscallRate.names.length === 1 ? 'calls per second' : 'calls per second, stacked', true)
    : '';
  const of = m.distinctSyscalls !== null && m.topSyscalls ? `top ${m.topSyscalls.length} of ${formatCount(m.distinctSyscalls)} distinct` : 'the most frequent';
  const top = m.topSyscalls ? `${figure('chart-top-syscalls', 'Top syscalls', of)}${topSyscallTable(m)}` : '';
  return `<section id="syscalls"><h2>Syscalls</h2><div class="charts">${rate}</div><div class="syscall-grid"><div>${top}</div>${categoryTable(m)}</div></section>`;
}

function processSection(m: ReportModel): string {
  if (!m.processes) return '';
  return `<section id="processes"><h2>Processes</h2><p class="small" id="process-table-info"></p><div class="table-wrap"><table id="process-table"><tbody></tbody></table></div></section>`;
}

function genericSection(id: string, title: string, tables: readonly GenericTable[]): string {
  if (tables.length === 0) return '';
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2>${tables.map(genericTable).join('')}</section>`;
}

/** The whole page. */
export function renderHtml(m: ReportModel, assets: ChartAssets, meta: RenderMeta): string {
  const pageData = {
    timeline: m.timeline,
    syscallRate: m.syscallRate,
    rateColors: m.syscallRate?.names.map((n, i) => categoryColor(n, i)) ?? [],
    topSyscalls: m.topSyscalls,
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
${processSection(m)}
${genericSection('errors', 'Syscall errors', m.errors)}
${genericSection('latency', 'Syscall latency', m.latency)}
<footer>Made by tsdenet ${escapeHtml(meta.version)} from ${escapeHtml(meta.source)}. Charts: uPlot (MIT licence), included in this file; the page loads nothing from the network.</footer>
</main>
<script type="application/json" id="report-data">${jsonForScript(pageData)}</script>
<script>${library}</script>
<script>${client}</script>
</body>
</html>
`;
}
