/**
 * Debian's real Prometheus Pushgateway and Prometheus, started by the tests
 * on loopback, on free ports, with temporary data directories, and stopped
 * afterwards (Debian's packages start them through systemd, which a CI
 * container does not have: the binaries are run directly).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PUSHGATEWAY_BIN = '/usr/bin/prometheus-pushgateway';
export const PROMETHEUS_BIN = '/usr/bin/prometheus';
export const PROMTOOL_BIN = '/usr/bin/promtool';

/** Why the Prometheus tests cannot run here, or undefined. */
export function prometheusSkipReason(): string | undefined {
  const missing = [PUSHGATEWAY_BIN, PROMETHEUS_BIN, PROMTOOL_BIN].filter((bin) => !existsSync(bin));
  return missing.length > 0 ? `${missing.join(', ')} not installed here (apt-get install prometheus-pushgateway prometheus)` : undefined;
}

/** A loopback port nothing listens on (now). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns a value (not undefined), or fails after `limitMs` naming `what`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, limitMs = 60_000): Promise<T> {
  const end = Date.now() + limitMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(250);
  }
  throw new Error(`${what}: not within ${limitMs / 1000} s${last ? ` (last error: ${String(last)})` : ''}`);
}

export interface Server {
  url: string;
  port: number;
  /** What it printed (for failure messages). */
  log: () => string;
  stop: () => Promise<void>;
}

async function startServer(bin: string, args: (port: number) => string[], dir: string | undefined): Promise<Server> {
  const port = await freePort();
  const child: ChildProcess = spawn(bin, args(port), { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
    await exited;
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await eventually(`${bin} ready on ${url}`, async () => {
      if (child.exitCode !== null) throw new Error(`exited ${child.exitCode}: ${output}`);
      const response = await fetch(`${url}/-/ready`);
      return response.ok ? true : undefined;
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, log: () => output, stop };
}

/** A Pushgateway without persistence (the package's default file is /var/lib/prometheus's). */
export function startPushgateway(): Promise<Server> {
  return startServer(PUSHGATEWAY_BIN, (port) => [`--web.listen-address=127.0.0.1:${port}`, '--persistence.file=', '--log.level=warn'], undefined);
}

/** A Prometheus that scrapes the Pushgateway every second, honouring its labels (job and the grouping key). */
export function startPrometheus(pushgateway: Server): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'tsdenet-prometheus-'));
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    ['global:', '  scrape_interval: 1s', 'scrape_configs:', '  - job_name: pushgateway', '    honor_labels: true', '    static_configs:', `      - targets: ['127.0.0.1:${pushgateway.port}']`, ''].join('\n'),
  );
  return startServer(
    PROMETHEUS_BIN,
    (port) => [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    dir,
  );
}

export interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant PromQL query through Prometheus' HTTP API. */
export async function promQuery(prometheus: Server, query: string): Promise<PromSample[]> {
  const response = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await response.json()) as { status: string; error?: string; data?: { resultType: string; result: PromSample[] } };
  if (body.status !== 'success') throw new Error(`query ${query}: ${body.error ?? response.status}`);
  return body.data?.result ?? [];
}
