/**
 * The charting library, read from its npm package at report time and
 * inlined into the page: the report must open offline, from a file, years
 * later, so nothing is fetched from a CDN.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ReportAssetError } from './errors.js';

export interface ChartAssets {
  /** uPlot's IIFE build (defines the global `uPlot`). */
  script: string;
  style: string;
}

let cached: ChartAssets | undefined;

export function loadChartAssets(): ChartAssets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  try {
    cached = {
      script: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      style: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    };
  } catch (error) {
    throw new ReportAssetError('cannot read the charting library uPlot that the report includes', {
      hint: 'reinstall tsdenet with its dependencies (npm install); uplot is one of them',
      cause: error,
    });
  }
  return cached;
}
