/**
 * The promise: the report of a one-hour run sampled every second
 * opens in under a second. A 3600-sample file shaped like tsdenet's (tree
 * records with three children and running eBPF counts, a summary with
 * 200 processes) is made here, turned into a report by the CLI, and opened
 * in Chromium three times; the time from navigation start to the frame
 * after the charts are drawn is measured in the page. The bound asserted is
 * generous (a loaded CI machine is slower); the numbers are printed and
 * kept in test-artifacts/load-time.json.
 */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { requireOrSkip } from '../helpers/privileges.js';
import { artifactPath, chromiumSkipReason, openReport, startChromium, type ChromiumSession } from './report-chromium.js';

const SAMPLES = 3600;
const CATEGORIES = ['file_io', 'memory', 'process', 'network', 'time', 'ipc', 'security', 'signal', 'system', 'other'];
const LOAD_BOUND_MS = 3000;

function metrics(ts: number, i: number, share: number) {
  const wave = Math.sin(i / 60);
  return {
    ts_ms: ts,
    cpu_usage: Math.max(0, 50 + 45 * wave) * share,
    mem_rss_kb: Math.round((200_000 + 50_000 * wave) * share),
    mem_vms_kb: Math.round(800_000 * share),
    disk_read_bytes: Math.round(i * 1_000_000 * share),
    disk_write_bytes: Math.round(i * 400_000 * share),
    syscall_read_bytes: Math.round(i * 2_000_000 * share),
    syscall_write_bytes: Math.round(i * 500_000 * share),
    page_faults_cached: i * 10,
    page_faults_disk: 0,
    sys_net_rx_bytes: i * 30_000,
    sys_net_tx_bytes: i * 9_000,
    thread_count: 4,
    uptime_secs: i,
    cpu_core: i % 2,
  };
}

/** One hour at 1 s: metadata, 3600 tree records, a summary. */
function hourLongRun(): string {
  const t0 = Date.UTC(2026, 0, 1);
  const lines: string[] = [JSON.stringify({ kind: 'metadata', pid: 1000, cmd: ['make', '-j4'], executable: '/usr/bin/make', t0_ms: t0 })];
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0]));
  let total = 0;
  for (let i = 0; i < SAMPLES; i++) {
    const ts = t0 + (i + 1) * 1000;
    CATEGORIES.forEach((c, k) => {
      const n = Math.round((10_000 / (k + 1)) * (1.2 + Math.sin(i / (30 + k))));
      byCategory[c]! += n;
      total += n;
    });
    const aggregated = {
      ...metrics(ts, i, 1),
      process_count: 4,
      ebpf: {
        syscalls: {
          total,
          by_category: { ...byCategory },
          top_syscalls: [{ name: 'read', count: Math.round(total / 3) }, { name: 'write', count: Math.round(total / 5) }],
          analysis: { syscall_rate_per_sec: total / (i + 1), io_intensity: byCategory.file_io! / total, memory_intensity: 0.1, cpu_intensity: 0.05, network_intensity: 0.02 },
        },
      },
    };
    const children = [1, 2, 3].map((c) => ({ pid: 1000 + c, command: 'cc1', metrics: metrics(ts, i, 0.25) }));
    lines.push(JSON.stringify({ kind: 'tree', ts_ms: ts, parent: metrics(ts, i, 0.25), children, aggregated }));
  }
  const names = Array.from({ length: 300 }, (_, k) => `syscall_${k}`);
  const processes = Array.from({ length: 200 }, (_, p) => ({
    pid: 1000 + p,
    ppid: p === 0 ? 1 : 1000,
    comm: p === 0 ? 'make' : 'cc1',
    argv: null,
    threads: 1,
    total: Math.round(total / 200),
    by_syscall: Object.fromEntries(names.slice(0, 20).map((n, k) => [n, 1000 - k])),
  }));
  lines.push(
    JSON.stringify({
      kind: 'summary',
      tsdenet_version: '0.1.0',
      ts_ms: t0 + SAMPLES * 1000 + 5,
      command: ['make', '-j4'],
      executable: '/usr/bin/make',
      pid: 1000,
      exit_code: 0,
      signal: null,
      exit_status: 0,
      interrupted: false,
      t0_ms: t0,
      wall_time_secs: SAMPLES + 0.005,
      kernel: '6.1.0',
      arch: 'x86_64',
      ebpf: {
        attach_mode: 'tp_btf',
        attach_point: 'tp_btf/sys_enter',
        syscalls: { total, by_category: byCategory, top_syscalls: [], by_syscall: Object.fromEntries(names.map((n, k) => [n, 100_000 - k])), processes, dropped: 0, untracked_threads: 0, lost_thread_info: 0 },
      },
    }),
  );
  return lines.join('\n') + '\n';
}

let session: ChromiumSession | undefined;
afterAll(async () => {
  await session?.[Symbol.asyncDispose]();
});

describe('the report of a one-hour run at 1 s samples', () => {
  it(`opens in Chromium in under ${LOAD_BOUND_MS} ms (the goal is 1 s)`, async (ctx) => {
    requireOrSkip(ctx, chromiumSkipReason());
    const dir = mkdtempSync(join(tmpdir(), 'tsdenet-report-'));
    const input = join(dir, 'hour.jsonl');
    writeFileSync(input, hourLongRun());
    const out = join(dir, 'hour.html');
    const built = performance.now();
    const result = await runCli(['-q', 'report', input, '-o', out]);
    const buildMs = performance.now() - built;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    session = await startChromium();
    const loads: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await openReport(session, out);
      expect(r.errors).toEqual([]);
      // Every sample is a point: 3600 is below the thinning limit.
      const points = await r.page.evaluate('JSON.parse(document.getElementById("report-data").textContent).timeline.t.length');
      expect(points).toBe(SAMPLES);
      expect(await r.page.locator('figure.chart .uplot canvas').count()).toBe(7);
      loads.push((await r.page.evaluate('window.tsdenetRenderedMs')) as number);
      if (i === 0) await r.page.screenshot({ path: artifactPath('report-hour.png'), clip: { x: 0, y: 0, width: 1280, height: 1900 } });
      await r.page.close();
    }
    const median = [...loads].sort((a, b) => a - b)[1]!;
    const measured = {
      samples: SAMPLES,
      inputBytes: statSync(input).size,
      htmlBytes: statSync(out).size,
      buildMs: Math.round(buildMs),
      loadToRenderedMs: loads.map((ms) => Math.round(ms)),
      medianLoadToRenderedMs: Math.round(median),
    };
    writeFileSync(artifactPath('load-time.json'), JSON.stringify(measured, null, 2) + '\n');
    console.log(`report of ${SAMPLES} samples: ${JSON.stringify(measured)}`);
    expect(median).toBeLessThan(LOAD_BOUND_MS);
  }, 120_000);
});
