/**
 * The report of a one-hour run sampled every second (scripts/bench/hour-run.mjs)
 * is built by the CLI and opened in Chromium: every sample is a point, every
 * chart is drawn, nothing fails in the page. How fast it opens (the goal:
 * under a second) is measured by `npm run bench:report`, not timed here.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hourLongRun, SAMPLES } from '../../scripts/bench/hour-run.mjs';
import { runCli } from '../helpers/cli.js';
import { requireOrSkip } from '../helpers/privileges.js';
import { artifactPath, chromiumSkipReason, openReport, startChromium, type ChromiumSession } from './report-chromium.js';

let session: ChromiumSession | undefined;
afterAll(async () => {
  await session?.[Symbol.asyncDispose]();
});

describe('the report of a one-hour run at 1 s samples', () => {
  it('opens in Chromium with every sample and every chart', async (ctx) => {
    requireOrSkip(ctx, chromiumSkipReason());
    const dir = mkdtempSync(join(tmpdir(), 'tsdenet-report-'));
    const input = join(dir, 'hour.jsonl');
    writeFileSync(input, hourLongRun());
    const out = join(dir, 'hour.html');
    const result = await runCli(['-q', 'report', input, '-o', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);

    session = await startChromium(1400);
    const r = await openReport(session, out);
    expect(r.errors).toEqual([]);
    // Every sample is a point: 3600 is below the thinning limit.
    const points = await r.page.evaluate('JSON.parse(document.getElementById("report-data").textContent).timeline.t.length');
    expect(points).toBe(SAMPLES);
    expect(await r.page.locator('figure.chart .uplot canvas').count()).toBe(6);
    expect(await r.page.locator('#chart-top-syscalls li').count()).toBe(25);
    await r.page.screenshot({ path: artifactPath('report-hour.png'), fullPage: true });
    await r.page.close();
  }, 120_000);
});
