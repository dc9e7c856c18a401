import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadChartAssets } from '../../../src/html-report/assets.js';
import { CLIENT_SCRIPT } from '../../../src/html-report/client-script.js';
import { readModel, readModelFromFile } from '../../../src/html-report/read-model.js';
import { escapeHtml, jsonForScript, renderHtml } from '../../../src/html-report/render-html.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/report');

async function page(fixture: string): Promise<string> {
  return renderHtml(await readModelFromFile(join(FIXTURES, fixture)), loadChartAssets(), { source: fixture, version: '9.9.9' });
}

/** The text of every <script> element, in order. */
function scripts(html: string): { attrs: string; body: string }[] {
  return [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)].map((m) => ({ attrs: m[1]!, body: m[2]! }));
}

describe('renderHtml', async () => {
  const html = await page('tsdenet-future-fields.jsonl');

  it('is one self-contained page: uPlot inline, no reference to any other file or host', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain(loadChartAssets().script.slice(0, 200));
    const markup = html.replace(/<script[^>]*>[\s\S]*?<\/script>/g, '');
    expect(markup).not.toMatch(/\b(src|href)\s*=|url\(|@import|<link\b|<iframe\b/i);
    expect(scripts(html).map((s) => s.attrs)).toEqual([' type="application/json" id="report-data"', '', '']);
  });

  it('allows only its own two scripts and no network, by Content-Security-Policy', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    const hashes = scripts(html)
      .slice(1)
      .map((s) => `'sha256-${createHash('sha256').update(s.body).digest('base64')}'`);
    expect(csp).toBe(`default-src 'none'; script-src ${hashes.join(' ')}; style-src 'unsafe-inline'; img-src data:`);
  });

  it('never lets text from the file become markup', () => {
    // Two process names in the fixture are HTML; they travel only inside the escaped data block.
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('</script><b>');
    const data = JSON.parse(scripts(html)[0]!.body) as { processes: { comm: string }[] };
    expect(data.processes.map((p) => p.comm)).toEqual(['ls', '<img src=x onerror=alert(1)>', '</script><b>x']);
  });

  it('shows the header, the notes, a row per syscall, the errno totals and labelled latency histograms', () => {
    expect(html).toContain('<p class="command"><code>ls -R /usr/share/doc</code></p>');
    expect(html).toContain('<li class="warning">17 syscalls were counted but lost');
    // getdents64: 1,696 calls, none failed, 3.39 ms in all (99.5 % of 3.41 ms), mean 2.00 µs, max 41.0 µs.
    expect(html).toContain(
      '<td class="mono" data-v="getdents64">getdents64</td><td data-v="file_io">file_io</td><td class="num" data-v="1696">1,696</td>' +
        '<td class="num" data-v="0"></td><td class="num" data-v="0"></td><td class="wrap" data-v=""></td>' +
        '<td class="num" data-v="0.003391">3.39 ms</td><td class="num" data-v="0.995479098168154">99.5 %</td>' +
        '<td class="num" data-v="1.9994103773584906">2.00 µs</td><td class="num" data-v="41">41.0 µs</td>',
    );
    expect(html).toContain('<td class="wrap" data-v="ENOENT 10 · EACCES 1">ENOENT 10 · EACCES 1</td>');
    expect(html).toContain('<p><strong>12</strong> failed calls (0.2 % of 6,195 calls).</p>');
    expect(html).toContain('<td class="mono" data-v="ENOENT">ENOENT</td><td class="num" data-v="10">10</td>');
    expect(html).toContain('<span class="hlabel">1.0–2.0 µs</span>');
    expect(html).not.toContain("by_syscall ›");
  });

  it('has a place for each chart that has data, and none for the others', async () => {
    const summaryOnly = await page('tsdenet-summary-only.jsonl');
    expect(summaryOnly).toContain('id="chart-top-syscalls"');
    expect(summaryOnly).not.toMatch(/id="chart-(cpu|memory|disk|network|processes|syscall-rate)"/);
    expect(summaryOnly).toContain('id="process-table"');
    const denet = await page('denet-legacy-tree.jsonl');
    expect(denet).toMatch(/id="chart-cpu".*id="chart-memory".*id="chart-disk".*id="chart-network".*id="chart-processes"/s);
    expect(denet).not.toMatch(/id="(chart-syscall-rate|chart-top-syscalls|process-table|errors|latency)"/);
  });

  it('is the same page for the same file', async () => {
    expect(await page('denet-tree.jsonl')).toBe(await page('denet-tree.jsonl'));
  });
});

describe('escaping', () => {
  it('escapes HTML text and attribute characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;');
  });

  it('keeps JSON inside a script element inert and parseable', () => {
    const value = { s: '</script><!-- \u2028 \u2029' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('the page script', () => {
  it('is valid JavaScript and fits in its template literal', () => {
    expect(() => new Function(CLIENT_SCRIPT)).not.toThrow();
    expect(CLIENT_SCRIPT).not.toMatch(/`|\$\{|<\/script/i);
  });

  it('keeps syscall and errno names from the file as text in the tables, bars and histograms', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const quote = '"><b>x';
    const summary = {
      kind: 'summary', tsdenet_version: '0.1.0', ts_ms: 2, command: ['x'], executable: '/x', pid: 1, exit_code: 0, signal: null, exit_status: 0, mode: 'run',
      interrupted: false, t0_ms: 1, wall_time_secs: 0.001, kernel: 'k', arch: 'x86_64',
      ebpf: { syscalls: {
        total: 3, by_category: { other: 3 }, by_syscall: { [evil]: 3 }, processes: [], dropped: 0, untracked_threads: 0, lost_thread_info: 0,
        errors: { total: 1, by_errno: { [quote]: 1 }, by_syscall: { [evil]: { total: 1, by_errno: { [quote]: 1 } } }, lost: 0 },
        latency: { total_secs: 1e-6, by_syscall: { [evil]: { calls: 3, total_secs: 1e-6, usecs_per_call: 0.3, max_usecs: 0.5, histogram_log2_ns: [0, 0, 0, 0, 0, 0, 0, 0, 3] } } },
      } },
    };
    async function* lines() {
      yield { text: JSON.stringify(summary), number: 1 };
    }
    const m = await readModel(lines(), 'evil.jsonl', { fileLabel: 'evil.jsonl' });
    const out = renderHtml(m, loadChartAssets(), { source: 'evil.jsonl', version: '9.9.9' }).replace(/<script[^>]*>[\s\S]*?<\/script>/g, '');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('<b>');
    expect(out).toContain(escapeHtml(evil));
    expect(out).toContain(`data-syscall="${escapeHtml(evil)}"`);
    expect(out).toContain(escapeHtml(quote));
  });
});
