/**
 * The charting library, read from its npm package at report time and
 * inlined into the page: the report must open offline, from a file, years
 * later, so nothing is fetched from a CDN.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export interface ChartAssets {
  /** uPlot's IIFE build (defines the global `uPlot`). */
  script: string;
  style: string;
}

let cached: ChartAssets | undefined;

export function loadChartAssets(): ChartAssets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  cached = {
    script: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    style: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
  return cached;
}
