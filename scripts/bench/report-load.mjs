#!/usr/bin/env node
/**
 * `npm run bench:report`: how fast the report of a one-hour run at 1 s
 * samples (hour-run.mjs) is built and opens in Debian's Chromium. Goal
 * (issue 8): it opens in under a second. Measured in the page, from
 * navigation start to the frame after the last chart is drawn
 * (window.tsdenetRenderedMs); median of --loads loads in one browser.
 * Writes bench-results/report-load-<time>.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS } from '../chromium.mjs';
import { hourLongRun, SAMPLES } from './hour-run.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const GOAL_MS = 1000;
const { values: opts } = parseArgs({ options: { loads: { type: 'string', default: '7' }, out: { type: 'string', default: join(ROOT, 'bench-results') } } });
const loads = Number(opts.loads);
if (!Number.isInteger(loads) || loads < 1) {
  process.stderr.write('bench:report: --loads must be a whole number >= 1\n');
  process.exit(2);
}
if (!existsSync(CHROMIUM)) {
  process.stderr.write(`bench:report: no Chromium at ${CHROMIUM} (apt-get install chromium, or set TSDENET_CHROMIUM)\n`);
  process.exit(1);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const work = mkdtempSync(join(tmpdir(), 'tsdenet-bench-report-'));
try {
  const input = join(work, 'hour.jsonl');
  const html = join(work, 'hour.html');
  writeFileSync(input, hourLongRun());
  const builds = [];
  for (let i = 0; i < 3; i++) {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/tsdenet.js'), '-q', 'report', input, '-o', html], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tsdenet report failed (${r.status}): ${r.stderr}`);
    builds.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const profile = join(work, 'profile');
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, viewport: { width: 1280, height: 900 } });
  const rendered = [];
  try {
    for (let i = 0; i < loads; i++) {
      const page = await context.newPage();
      await page.goto(pathToFileURL(html).href, { waitUntil: 'load' });
      await page.waitForFunction(() => document.body.dataset.rendered === 'true', undefined, { timeout: 30_000 });
      rendered.push(await page.evaluate(() => window.tsdenetRenderedMs));
      await page.close();
    }
  } finally {
    await context.close();
  }
  const result = {
    samples: SAMPLES,
    input_bytes: statSync(input).size,
    html_bytes: statSync(html).size,
    build_ms: builds.map(Math.round),
    build_ms_median: Math.round(median(builds)),
    load_to_rendered_ms: rendered.map(Math.round),
    load_to_rendered_ms_median: Math.round(median(rendered)),
    goal_ms: GOAL_MS,
    goal_met: median(rendered) < GOAL_MS,
  };
  mkdirSync(opts.out, { recursive: true });
  const file = join(opts.out, `report-load-${new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '')}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(
    `report of a one-hour run (${SAMPLES} samples, ${(result.input_bytes / 1e6).toFixed(1)} MB in, ${(result.html_bytes / 1e6).toFixed(1)} MB HTML):\n` +
      `  build (tsdenet report): median ${result.build_ms_median} ms of ${builds.length}\n` +
      `  open in Chromium to charts drawn: median ${result.load_to_rendered_ms_median} ms of ${loads} (${result.load_to_rendered_ms.join(', ')})\n` +
      `  goal under ${GOAL_MS} ms: ${result.goal_met ? 'MET' : 'NOT MET'}\n  written to ${file}\n`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
