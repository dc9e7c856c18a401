/**
 * Debian's Chromium, driven headless by playwright-core (which never
 * downloads a browser here: it is given /usr/bin/chromium). Used by the
 * report-*.test.ts browser tests.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS } from '../../scripts/chromium.mjs';

// The page's own globals, for code that runs in the browser (no DOM typings here).
declare const document: any;

export { CHROMIUM };
export const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');

export function chromiumSkipReason(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (apt-get install chromium)`;
}

export interface ChromiumSession {
  context: BrowserContext;
  [Symbol.asyncDispose](): Promise<void>;
}

/** A fresh browser with its own new profile directory, removed afterwards; `width`: of the window. */
export async function startChromium(width = 1280): Promise<ChromiumSession> {
  const profile = mkdtempSync(join(tmpdir(), 'tsdenet-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width, height: 900 },
    deviceScaleFactor: 1,
  });
  return {
    context,
    async [Symbol.asyncDispose]() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface OpenedReport {
  page: Page;
  /** console.error messages and uncaught exceptions of the page. */
  errors: string[];
  /** Every request that was not for the file itself or a data: URL. */
  foreignRequests: string[];
}

/** Opens an HTML file from its file:// URL and waits until its script says it rendered. */
export async function openReport(session: ChromiumSession, htmlPath: string): Promise<OpenedReport> {
  const page = await session.context.newPage();
  const errors: string[] = [];
  const foreignRequests: string[] = [];
  const url = pathToFileURL(htmlPath).href;
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('request', (r) => {
    if (r.url() !== url && !r.url().startsWith('data:')) foreignRequests.push(r.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => document.body.dataset.rendered === 'true', undefined, { timeout: 20_000 });
  return { page, errors, foreignRequests };
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

// Re-exported so tests need no second import of playwright-core types.
export type { Browser, Page };
