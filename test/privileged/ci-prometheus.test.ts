/**
 * --pushgateway and --prom-file with real runs, against Debian's real
 * prometheus-pushgateway and a real Prometheus scraping it (both started
 * here on loopback, stopped afterwards), checked with PromQL through
 * Prometheus' HTTP API; the queries of docs/fleet.md are run as written
 * there. promtool checks the --prom-file text.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer, type Server as HttpServer } from 'node:http';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../helpers/cli.js';
import { bpfSkipReason, requireBpf, requireOrSkip } from '../helpers/privileges.js';
import { eventually, freePort, prometheusSkipReason, promQuery, PROMTOOL_BIN, startPrometheus, startPushgateway, type Server } from '../helpers/prometheus.js';
import { buildFixture } from '../helpers/workload.js';

const skip = (): string | undefined => bpfSkipReason() ?? prometheusSkipReason();

let dir: string;
let scaled: string;
let gateway: Server | undefined;
let prometheus: Server | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsdenet-prom-'));
  if (skip() !== undefined) return;
  scaled = buildFixture('scaled');
  gateway = await startPushgateway();
  prometheus = await startPrometheus(gateway);
}, 120_000);

afterAll(async () => {
  await prometheus?.stop();
  await gateway?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

function env(getppid: number, openat: number, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, SCALED_GETPPID: String(getppid), SCALED_OPENAT: String(openat), SCALED_NOISE: '0', SCALED_EXIT: '0', ...extra };
}

function sortRows(rows: (string | number | undefined)[][]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}

/** The value of the one sample a query returns. */
async function single(query: string): Promise<number> {
  const result = await promQuery(prometheus!, query);
  expect(result, query).toHaveLength(1);
  return Number(result[0]!.value[1]);
}

/** Waits until Prometheus has scraped what the query needs (a non-empty answer). */
function scraped(query: string): Promise<unknown> {
  return eventually(`Prometheus answers ${query}`, async () => ((await promQuery(prometheus!, query)).length > 0 ? true : undefined));
}

describe('--pushgateway (real Pushgateway and Prometheus)', () => {
  it("pushes a run's exact counts, errors and figures under its grouping key", async (ctx) => {
    requireBpf(ctx);
    requireOrSkip(ctx, prometheusSkipReason());
    const out = join(dir, 'pushed.jsonl');
    const r = await runCli(
      ['--enable-ebpf', '--require-ebpf', '--errors', '-q', '-o', out, 'run', '--pushgateway', gateway!.url, '--push-job', 'ci-push', '--push-label', 'commit=c1', '--push-label', 'branch=feature/x', '--', scaled],
      { env: env(123, 17) },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'pushed.tsdenet.jsonl'), 'utf8').trim().split('\n').pop()!);
    // What the gateway holds, in its own exposition.
    const exposed = await (await fetch(`${gateway!.url}/metrics`)).text();
    expect(exposed).toContain('tsdenet_syscalls_total{branch="feature/x",category="process",commit="c1",instance="",job="ci-push",syscall="getppid"} 123');
    // Through Prometheus, with PromQL: the same numbers as the run's summary.
    await scraped('tsdenet_syscalls_total{job="ci-push"}');
    expect(await single('tsdenet_syscalls_total{job="ci-push",commit="c1",branch="feature/x",syscall="getppid"}')).toBe(123);
    expect(await single('tsdenet_syscall_errors_total{job="ci-push",commit="c1",syscall="openat",errno="ENOENT"}')).toBe(17);
    expect(await single('sum(tsdenet_syscalls_total{job="ci-push",commit="c1"})')).toBe(summary.ebpf.syscalls.total);
    expect(await single('sum by (category) (tsdenet_syscalls_total{job="ci-push",commit="c1",category="file_io"})')).toBe(summary.ebpf.syscalls.by_category.file_io);
    expect(await single('tsdenet_exit_status{job="ci-push",commit="c1"}')).toBe(0);
    expect(await single('tsdenet_wall_time_seconds{job="ci-push",commit="c1"}')).toBe(summary.wall_time_seconds ?? summary.wall_time_secs);
    expect(await single('tsdenet_peak_rss_bytes{job="ci-push",commit="c1"}')).toBe(summary.peak_mem_rss_kb * 1024);
    expect(await single('tsdenet_max_processes{job="ci-push",commit="c1"}')).toBe(summary.max_processes);
    expect(await single('tsdenet_processes_total{job="ci-push",commit="c1"}')).toBe(summary.ebpf.syscalls.processes.length);
    expect(await single('tsdenet_cpu_seconds_total{job="ci-push",commit="c1"}')).toBeCloseTo((summary.time_weighted_cpu_usage / 100) * summary.total_time_secs, 9);
  });

  it('the queries of docs/fleet.md, as written there, on runs of two commits', async (ctx) => {
    requireBpf(ctx);
    requireOrSkip(ctx, prometheusSkipReason());
    const summaries: Record<string, any> = {};
    // TSDENET_PUSHGATEWAY instead of the flag; the first push of 3f2a9c1 is replaced by the second
    // (one group per job, instance and commit). 8e1d0b4 adds 15 openat calls and a thread.
    for (const [commit, openat, noise] of [['3f2a9c1', 99, 0], ['3f2a9c1', 40, 0], ['8e1d0b4', 55, 1]] as const) {
      const out = join(dir, `fleet-${commit}.jsonl`);
      const r = await runCli(['--enable-ebpf', '--require-ebpf', '-q', '-o', out, 'run', '--push-job', 'build', '--push-label', 'instance=ci-1', '--push-label', `commit=${commit}`, '--', scaled], {
        env: env(500, openat, { TSDENET_PUSHGATEWAY: gateway!.url, SCALED_NOISE: String(noise) }),
      });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      summaries[commit] = JSON.parse(readFileSync(out.replace(/\.jsonl$/, '.tsdenet.jsonl'), 'utf8').trim().split('\n').pop()!).ebpf.syscalls.by_syscall;
    }
    const failed = await runCli(['--enable-ebpf', '-q', 'run', '--pushgateway', gateway!.url, '--push-job', 'nightly', '--', scaled], { env: env(1, 1, { SCALED_EXIT: '4' }) });
    expect(failed.code).toBe(4);
    const [old, next] = [summaries['3f2a9c1']!, summaries['8e1d0b4']!];
    const queries = [...readFileSync(join(ROOT, 'docs/fleet.md'), 'utf8').matchAll(/```promql\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
    expect(queries).toHaveLength(6);
    const [top, regression, added, shares, failing, stale] = queries as [string, string, string, string, string, string];
    // Until Prometheus has scraped the last pushes: the regression is exactly the runs' own differences.
    const expected = Object.keys(next).filter((name) => name in old && next[name] !== old[name]).map((name) => [name, next[name] - old[name]]);
    expect(expected).toContainEqual(['openat', 15]);
    const rows = await eventually('both commits scraped with their last push', async () => {
      const result = await promQuery(prometheus!, regression);
      const got = result.map((s) => [s.metric.syscall, Number(s.value[1])]);
      return JSON.stringify(sortRows(got)) === JSON.stringify(sortRows(expected)) ? got : undefined;
    });
    expect(rows).toContainEqual(['openat', 15]);
    const newOnly = Object.keys(next).filter((name) => !(name in old));
    expect(newOnly.length).toBeGreaterThan(0);
    expect(sortRows((await promQuery(prometheus!, added)).map((s) => [s.metric.syscall, Number(s.value[1])]))).toEqual(sortRows(newOnly.map((name) => [name, next[name]])));
    const build = (await promQuery(prometheus!, top)).filter((s) => s.metric.job === 'build');
    expect(build).toHaveLength(10);
    expect(build.find((s) => s.metric.syscall === 'getppid')?.value[1]).toBe('1000');
    const shareSum = (await promQuery(prometheus!, shares)).filter((s) => s.metric.instance === 'ci-1').reduce((a, s) => a + Number(s.value[1]), 0);
    expect(shareSum).toBeCloseTo(1, 9);
    await scraped('tsdenet_exit_status{job="nightly"}');
    expect((await promQuery(prometheus!, failing)).map((s) => [s.metric.job, s.value[1]])).toEqual([['nightly', '4']]);
    expect(await promQuery(prometheus!, stale)).toEqual([]);
  });

  it('an unreachable gateway and one that answers 500: one warning, the report kept, the exit status unchanged', async (ctx) => {
    requireBpf(ctx);
    const failing: HttpServer = createServer((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('storage on fire\n');
    });
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', () => resolve()));
    const port = (failing.address() as { port: number }).port;
    const closed = await freePort();
    try {
      for (const [url, warning] of [
        [`http://127.0.0.1:${closed}`, `tsdenet: warning: cannot reach the Pushgateway at http://127.0.0.1:${closed}: ECONNREFUSED; the metrics were not pushed (the run and its report are unaffected)\n`],
        [`http://user:secret@127.0.0.1:${port}`, `tsdenet: warning: the Pushgateway at http://127.0.0.1:${port} answered 500 Internal Server Error: storage on fire; the metrics were not pushed (the run and its report are unaffected)\n`],
      ] as const) {
        const out = join(dir, `failed-push-${port}.jsonl`);
        rmSync(out, { force: true });
        const r = await runCli(['--enable-ebpf', '--require-ebpf', '-q', '-o', out, 'run', '--pushgateway', url, '--', scaled], { env: env(10, 1, { SCALED_EXIT: '5' }) });
        expect(r.stderr).toBe(warning);
        expect(r.code).toBe(5);
        const summary = JSON.parse(readFileSync(out.replace(/\.jsonl$/, '.tsdenet.jsonl'), 'utf8').trim().split('\n').pop()!);
        expect(summary.ebpf.syscalls.by_syscall.getppid).toBe(10);
        expect(summary.exit_status).toBe(5);
      }
    } finally {
      await new Promise((resolve) => failing.close(resolve));
    }
  });

  it('bad Prometheus options are usage errors before the command runs', async () => {
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [['run', '--pushgateway', 'pushgateway:9091', '--', 'true'], {}, /--pushgateway: pushgateway: is no protocol a Pushgateway speaks/],
      [['run', '--', 'true'], { TSDENET_PUSHGATEWAY: 'nonsense' }, /TSDENET_PUSHGATEWAY: "nonsense" is no URL/],
      [['run', '--pushgateway', 'http://h:1', '--push-label', '2x=1', '--', 'true'], {}, /--push-label 2x=1: "2x" is no Prometheus label name/],
      [['run', '--pushgateway', 'http://h:1', '--push-label', '__x=1', '--', 'true'], {}, /reserves/],
      [['run', '--pushgateway', 'http://h:1', '--push-label', 'job=x', '--', 'true'], {}, /--push-job/],
      [['run', '--pushgateway', 'http://h:1', '--push-label', 'novalue', '--', 'true'], {}, /--push-label novalue is no NAME=VALUE/],
      [['run', '--push-label', 'commit=1', '--', 'true'], {}, /--push-label labels pushed or written metrics, and none are/],
    ];
    for (const [args, extra, message] of cases) {
      const r = await runCli(args, { env: { ...process.env, TSDENET_PUSHGATEWAY: '', ...extra } });
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.code, args.join(' ')).toBe(2);
    }
  });
});

describe('--prom-file (node_exporter textfile collector)', () => {
  it('writes the same metrics atomically, with the labels, and promtool accepts them', async (ctx) => {
    requireBpf(ctx);
    requireOrSkip(ctx, prometheusSkipReason());
    const file = join(dir, 'tsdenet.prom');
    const r = await runCli(['--enable-ebpf', '--require-ebpf', '--errors', '-q', 'run', '--prom-file', file, '--push-label', 'commit=c"3', '--', scaled], { env: env(77, 4) });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('tsdenet_syscalls_total{commit="c\\"3",syscall="getppid",category="process"} 77\n');
    expect(text).toContain('tsdenet_syscall_errors_total{commit="c\\"3",syscall="openat",errno="ENOENT"} 4\n');
    expect(text).not.toContain('job=');
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const check = spawnSync(PROMTOOL_BIN, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
    // promtool is no rubber stamp: a broken line fails it.
    expect(() => execFileSync(PROMTOOL_BIN, ['check', 'metrics'], { input: text + 'tsdenet_syscalls_total{syscall="x" 1\n', stdio: 'pipe' })).toThrow();
  });

  it('a --prom-file that cannot be written fails before the command runs', async () => {
    const r = await runCli(['run', '--prom-file', join(dir, 'no-such-dir', 'x.prom'), '--', 'sh', '-c', 'echo ran']);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/cannot write .*x\.prom: ENOENT/);
    expect(r.code).toBe(1);
  });
});
