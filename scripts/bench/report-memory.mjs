#!/usr/bin/env node
/**
 * `npm run bench:report-memory`: peak RSS and wall time of `tsdenet report`
 * (and of `tsdenet stats`, for comparison) on long runs, measured with
 * GNU time (/usr/bin/time -v). Goal (issue 14): the report of a
 * 1.9 M-record file in at most 300 MB RSS and in time linear in its length.
 * The files are written by hour-run.mjs's generator, one line at a time:
 * tree records 1 s apart (--children children each, default 1, and
 * running eBPF counts: ~1.8 KB a line, 3.4 GB for 1.9 M), a metadata record
 * and a summary. The report is measured at a quarter, half and the whole
 * of --records, to show that its time grows linearly. Each size is measured --reps
 * times; medians and min–max go to bench-results/report-memory-<time>.json.
 *
 *   npm run bench:report-memory -- [--records 1900000] [--reps 3] [--children 1] [--keep DIR]
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runLines } from './hour-run.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const GOAL_RSS_MB = 300;
const { values: opts } = parseArgs({
  options: {
    records: { type: 'string', default: '1900000' },
    reps: { type: 'string', default: '3' },
    children: { type: 'string', default: '1' },
    out: { type: 'string', default: join(ROOT, 'bench-results') },
    keep: { type: 'string' },
  },
});
const records = Number(opts.records);
const reps = Number(opts.reps);
const children = Number(opts.children);
if (!Number.isInteger(records) || records < 4 || !Number.isInteger(reps) || reps < 1 || !Number.isInteger(children) || children < 0) {
  process.stderr.write('bench:report-memory: --records (>= 4), --reps (>= 1) and --children (>= 0) must be whole numbers\n');
  process.exit(2);
}
if (!existsSync('/usr/bin/time')) {
  process.stderr.write('bench:report-memory: needs GNU time (apt-get install time)\n');
  process.exit(1);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (msg) => process.stderr.write(`[bench:report-memory] ${msg}\n`);

/** Writes a run of `samples` tree records (plus metadata and summary) to `path`, line by line. */
async function writeRun(path, samples) {
  const out = createWriteStream(path);
  for (const line of runLines(samples, children)) {
    if (!out.write(line + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Peak RSS (MB), wall time and CPU time (user + system, s) of one tsdenet invocation, from GNU time -v. */
function measure(args) {
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, join(ROOT, 'bin/tsdenet.js'), ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`tsdenet ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const kb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(r.stderr);
  const secs = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
  const cpu = Number(/User time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1]) + Number(/System time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1]);
  return { rssMb: kb / 1024, secs, cpuSecs: cpu };
}

function summarize(runs) {
  const pick = (k) => runs.map((r) => r[k]);
  const stat = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs) });
  return { rssMb: stat(pick('rssMb')), secs: stat(pick('secs')), cpuSecs: stat(pick('cpuSecs')) };
}

const work = opts.keep ?? mkdtempSync(join(tmpdir(), 'tsdenet-bench-report-memory-'));
mkdirSync(work, { recursive: true });
const sizes = [Math.round(records / 4), Math.round(records / 2), records];
const results = [];
try {
  for (const samples of sizes) {
    const input = join(work, `run-${samples}-${children}.jsonl`);
    if (!existsSync(input)) {
      log(`writing ${samples.toLocaleString('en-US')} records to ${input}`);
      await writeRun(input, samples);
    }
    const bytes = statSync(input).size;
    const report = [];
    const stats = [];
    for (let i = 0; i < reps; i++) {
      report.push(measure(['-q', 'report', input, '-o', join(work, 'out.html')]));
      stats.push(measure(['--json', 'stats', input]));
      log(`${samples} records, run ${i + 1}: report ${report.at(-1).rssMb.toFixed(0)} MB ${report.at(-1).secs.toFixed(1)} s (CPU ${report.at(-1).cpuSecs.toFixed(1)} s); stats ${stats.at(-1).rssMb.toFixed(0)} MB ${stats.at(-1).secs.toFixed(1)} s (CPU ${stats.at(-1).cpuSecs.toFixed(1)} s)`);
    }
    const html = statSync(join(work, 'out.html')).size;
    results.push({ records: samples + 2, fileMB: bytes / 1e6, htmlKB: html / 1024, report: summarize(report), stats: summarize(stats) });
  }
} finally {
  if (!opts.keep) rmSync(work, { recursive: true, force: true });
}

const full = results.at(-1);
const quarter = results[0];
const result = {
  kind: 'report-memory',
  date: new Date().toISOString(),
  node: process.version,
  reps,
  childrenPerRecord: children,
  goal: { rssMb: GOAL_RSS_MB, time: 'linear in the number of records' },
  sizes: results,
  /** CPU time per record at the full size over that at a quarter: 1.0 is linear (CPU time, as wall time depends on other load). */
  timePerRecordRatio: full.report.cpuSecs.median / full.records / (quarter.report.cpuSecs.median / quarter.records),
  withinGoal: full.report.rssMb.max <= GOAL_RSS_MB,
};
mkdirSync(opts.out, { recursive: true });
const file = join(opts.out, `report-memory-${result.date.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
for (const s of results) {
  process.stdout.write(
    `${s.records.toLocaleString('en-US').padStart(10)} records (${s.fileMB.toFixed(0)} MB): report ${s.report.rssMb.median.toFixed(0)} MB RSS (${s.report.rssMb.min.toFixed(0)}–${s.report.rssMb.max.toFixed(0)}), ` +
      `${s.report.secs.median.toFixed(1)} s (${s.report.secs.min.toFixed(1)}–${s.report.secs.max.toFixed(1)}), CPU ${s.report.cpuSecs.median.toFixed(1)} s; ` +
      `stats ${s.stats.rssMb.median.toFixed(0)} MB, ${s.stats.secs.median.toFixed(1)} s, CPU ${s.stats.cpuSecs.median.toFixed(1)} s\n`,
  );
}
process.stdout.write(`CPU time per record, full size / quarter: ${result.timePerRecordRatio.toFixed(2)} (1.00 = linear); peak RSS ${full.report.rssMb.max.toFixed(0)} MB, goal ${GOAL_RSS_MB} MB: ${result.withinGoal ? 'met' : 'NOT met'}\n`);
process.stdout.write(`wrote ${file}\n`);
