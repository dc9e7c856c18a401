/**
 * Pure: the syscall sections of the page as HTML, drawn here rather than
 * by the page script so that every number is text a reader can select and
 * a test can read: the top-syscalls bars with their values, the sortable
 * per-syscall table (calls, failures by errno, total/mean/max time), the
 * errno totals and the latency histograms with labelled buckets. Long
 * lists show their top rows; the rest are one click away.
 */
import { formatCount, formatPercent, formatTime } from './format.js';
import { escapeHtml } from './html.js';
import type { SyscallCount } from '../records/schema.js';
import type { ErrnoRow, HistogramBucket, SyscallDetail, SyscallDetailRow } from './syscall-detail.js';

/** Rows of the per-syscall table shown before "show all". */
export const SYSCALL_ROWS_SHOWN = 15;
/** Latency histograms shown open; the others are in a collapsed list. */
export const HISTOGRAMS_OPEN = 6;
/** errno rows shown before "show all". */
export const ERRNO_ROWS_SHOWN = 10;

/** "12.3 %", "< 0.1 %" for a small non-zero share (never a misleading 0.0 %). */
export function formatShare(fraction: number): string {
  if (fraction > 0 && fraction < 0.0005) return '< 0.1 %';
  return formatPercent(fraction, true);
}

/** A numeric cell: its text, and the exact value the page sorts by. */
function num(value: number | null, text: string, title?: string): string {
  const t = title ? ` title="${escapeHtml(title)}"` : '';
  return value === null
    ? `<td class="num muted" data-v=""${t}>${escapeHtml(text)}</td>`
    : `<td class="num" data-v="${value}"${t}>${escapeHtml(text)}</td>`;
}

function textCell(text: string, cls = ''): string {
  return `<td${cls ? ` class="${cls}"` : ''} data-v="${escapeHtml(text)}">${escapeHtml(text)}</td>`;
}

function header(columns: readonly { label: string; num?: boolean; title?: string }[]): string {
  const th = columns.map(
    (c) => `<th scope="col"${c.num ? ' class="num"' : ''}${c.title ? ` title="${escapeHtml(c.title)}"` : ''}><button type="button">${escapeHtml(c.label)}</button></th>`,
  );
  return `<thead><tr>${th.join('')}</tr></thead>`;
}

/** A sortable table showing its first `shown` rows; the page script adds the sorting and the "show all" button. */
function sortableTable(id: string, head: string, rows: readonly string[], shown: number, noun: string): string {
  const body = rows.map((r, i) => (i < shown ? `<tr>${r}</tr>` : `<tr hidden>${r}</tr>`)).join('');
  return `<div class="table-wrap"><table class="sortable compact" id="${id}" data-shown="${shown}" data-noun="${escapeHtml(noun)}">${head}<tbody>${body}</tbody></table></div>`;
}

/** Horizontal bars, largest first, each with its count and share printed (a small bar is never invisible). */
export function topSyscallBars(top: readonly SyscallCount[], total: number | null, subtitle: string): string {
  const max = Math.max(1, ...top.map((s) => s.count));
  const items = top.map((s) => {
    const width = (s.count / max) * 100;
    const share = total ? `<span class="bar-share">${formatShare(s.count / total)}</span>` : '';
    return `<li><span class="bar-name mono">${escapeHtml(s.name)}</span><span class="bar-track"><i style="width:${width.toFixed(2)}%"${s.count > 0 ? ' class="nz"' : ''}></i></span><span class="bar-value">${formatCount(s.count)}</span>${share}</li>`;
  });
  return `<figure class="barchart" id="chart-top-syscalls"><figcaption>Top syscalls <small>${escapeHtml(subtitle)}</small></figcaption><ol class="bars">${items.join('')}</ol></figure>`;
}

function errnoText(errnos: readonly { errno: string; count: number }[]): string {
  return errnos.map((e) => `${e.errno} ${formatCount(e.count)}`).join(' · ');
}

function syscallRow(r: SyscallDetailRow, d: SyscallDetail): string {
  const cells = [textCell(r.name, 'mono'), textCell(r.category), num(r.calls, formatCount(r.calls))];
  if (d.errors) {
    const errors = r.errors ?? 0;
    cells.push(num(errors, errors ? formatCount(errors) : ''), num(r.calls ? errors / r.calls : 0, errors && r.calls ? formatShare(errors / r.calls) : ''));
    cells.push(textCell(errnoText(r.errnos ?? []), 'wrap'));
  }
  if (d.latency) {
    if (r.totalSecs === null) {
      const why = 'no time measured: the call never returned (exit, exit_group, a successful execve of the old image)';
      cells.push(num(null, 'not timed', why), num(null, '', why), num(null, '', why), num(null, '', why));
    } else {
      const share = d.latency.totalSecs > 0 ? r.totalSecs / d.latency.totalSecs : 0;
      cells.push(num(r.totalSecs, formatTime(r.totalSecs)), num(share, formatShare(share)));
      cells.push(num(r.meanUsecs, formatTime((r.meanUsecs ?? 0) / 1e6)), num(r.maxUsecs, formatTime((r.maxUsecs ?? 0) / 1e6)));
    }
  }
  return cells.join('');
}

/** The per-syscall table: every syscall, the top ones shown. */
export function syscallTableSection(d: SyscallDetail | null): string {
  if (!d || d.rows.length === 0) return '';
  const columns: { label: string; num?: boolean; title?: string }[] = [{ label: 'Syscall' }, { label: 'Category' }, { label: 'Calls', num: true }];
  if (d.errors) {
    columns.push({ label: 'Failed', num: true, title: 'calls that returned an error' }, { label: 'Failed %', num: true, title: 'failed calls / calls' });
    columns.push({ label: 'Errors by errno' });
  }
  if (d.latency) {
    columns.push({ label: 'Total time', num: true, title: 'time in the call, summed over every call of every thread (a call that blocks counts its whole wait)' });
    columns.push({ label: 'Time share', num: true, title: 'of the time in all syscalls' });
    columns.push({ label: 'Mean', num: true }, { label: 'Max', num: true });
  }
  const order = d.latency ? 'longest total time first' : d.errors ? 'most failed calls first' : 'most calls first';
  const rows = d.rows.map((r) => syscallRow(r, d));
  return `<section id="syscall-table-section"><h2>Per syscall</h2><p class="small">${formatCount(d.rows.length)} syscalls, ${order}. Click a column to sort.</p>${sortableTable('syscall-table', header(columns), rows, SYSCALL_ROWS_SHOWN, 'syscalls')}</section>`;
}

function errnoRow(e: ErrnoRow, total: number): string {
  return [textCell(e.errno, 'mono'), num(e.count, formatCount(e.count)), num(total ? e.count / total : 0, formatShare(total ? e.count / total : 0)), textCell(e.syscalls, 'wrap')].join('');
}

/** Failed calls by errno, with the syscalls that failed with each. */
export function errorsSection(d: SyscallDetail | null): string {
  const e = d?.errors;
  if (!d || !e) return '';
  const of = d.totalCalls > 0 ? ` (${formatShare(e.total / d.totalCalls)} of ${formatCount(d.totalCalls)} calls)` : '';
  const lead = `<p><strong>${formatCount(e.total)}</strong> failed call${e.total === 1 ? '' : 's'}${of}.</p>`;
  if (e.byErrno.length === 0) return `<section id="errors"><h2>Syscall errors</h2>${lead}</section>`;
  const head = header([{ label: 'errno' }, { label: 'Failed calls', num: true }, { label: 'Share', num: true }, { label: 'Syscalls' }]);
  const table = sortableTable('errno-table', head, e.byErrno.map((row) => errnoRow(row, e.total)), ERRNO_ROWS_SHOWN, 'errno values');
  return `<section id="errors"><h2>Syscall errors</h2>${lead}${table}</section>`;
}

function histogramRow(b: HistogramBucket, max: number): string {
  const width = ((b.count / max) * 100).toFixed(2);
  const title = `${formatCount(b.count)} call${b.count === 1 ? '' : 's'} took ${b.label}`;
  // Several empty buckets shown as one: set apart, so the scale's steps are not misread.
  const merged = b.count === 0 && b.highNs > 2 * b.lowNs ? ' gap' : '';
  return `<div class="hrow${merged}" title="${escapeHtml(title)}"><span class="hlabel">${escapeHtml(b.label)}</span><span class="hbar"><i style="width:${width}%"${b.count > 0 ? ' class="nz"' : ''}></i></span><span class="hcount${b.count === 0 ? ' muted' : ''}">${formatCount(b.count)}</span></div>`;
}

function histogram(r: SyscallDetailRow & { histogram: HistogramBucket[] }): string {
  const max = Math.max(1, ...r.histogram.map((b) => b.count));
  const facts = `${formatCount(r.calls)} calls · total ${formatTime(r.totalSecs ?? 0)} · mean ${formatTime((r.meanUsecs ?? 0) / 1e6)} · max ${formatTime((r.maxUsecs ?? 0) / 1e6)}`;
  return `<figure class="histogram" data-syscall="${escapeHtml(r.name)}"><figcaption><code>${escapeHtml(r.name)}</code> <small>${facts}</small></figcaption><div class="hrows">${r.histogram.map((b) => histogramRow(b, max)).join('')}</div></figure>`;
}

/** Latency histograms, longest total time first: the top ones open, the rest collapsed. */
export function latencySection(d: SyscallDetail | null): string {
  const l = d?.latency;
  if (!d || !l) return '';
  const timed = d.rows.filter((r): r is SyscallDetailRow & { histogram: HistogramBucket[] } => r.histogram !== null && r.totalSecs !== null);
  timed.sort((a, b) => (b.totalSecs ?? 0) - (a.totalSecs ?? 0));
  const lead = `<p><strong>${formatTime(l.totalSecs)}</strong> in syscalls, summed over every call of every thread (a call that blocks counts its whole wait, so this can exceed the run's wall time). Each bar counts the calls whose time fell in its range.</p>`;
  const open = timed.slice(0, HISTOGRAMS_OPEN).map(histogram).join('');
  const rest = timed.slice(HISTOGRAMS_OPEN);
  const more = rest.length
    ? `<details id="more-histograms"><summary>Histograms of the other ${formatCount(rest.length)} syscall${rest.length === 1 ? '' : 's'}</summary><div class="histograms">${rest.map(histogram).join('')}</div></details>`
    : '';
  return `<section id="latency"><h2>Syscall latency</h2>${lead}<div class="histograms">${open}</div>${more}</section>`;
}
