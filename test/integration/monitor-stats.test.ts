/** `tsdenet stats FILE` with the built CLI: denet's files, damaged files, a big file in little memory. */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/proc/${name}`, import.meta.url));

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tsdenet-stats-'));
  dirs.push(dir);
  return dir;
}

describe('tsdenet stats', () => {
  it("summarizes denet's tagged file as pretty JSON, like denet's stats --json", async () => {
    const r = await runCli(['--json', 'stats', fixture('denet-tagged.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\{\n {2}"total_time_secs": 0\.2,\n/);
    // denet's own definitions: the plain mean of the samples (0, 150, 50); the time-weighted mean under its own name.
    const summary = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({ sample_count: 3, max_processes: 3, time_weighted_cpu_usage: 100, syscalls: { avg_cpu_syscall_fraction: 0 } });
    expect(summary.avg_cpu_usage).toBeCloseTo(200 / 3, 9);
  });

  it('reads standard input for -, the same as the file', async () => {
    const file = fixture('denet-tagged.jsonl');
    const piped = await runCli(['--json', 'stats', '-'], { input: readFileSync(file, 'utf8') });
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stdout).toBe((await runCli(['--json', 'stats', file])).stdout);
    const empty = await runCli(['stats', '-'], { input: '' });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/^tsdenet: standard input is empty\n/);
  });

  it("summarizes denet's legacy untagged lines as a table", async () => {
    const r = await runCli(['stats', fixture('denet-legacy.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('FILE STATISTICS\nDuration          3.00 seconds\nSamples           3\n');
    expect(r.stdout).toMatch(/Network Received +700B \(namespace, not lo\)\n/);
  });

  it('reports lines it cannot parse on stderr and summarizes the rest', async () => {
    const file = join(tempDir(), 'mixed.jsonl');
    writeFileSync(file, `${readFileSync(fixture('denet-legacy.jsonl'), 'utf8')}{"truncated": \nplain text\n`);
    const r = await runCli(['--json', 'stats', file]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`tsdenet: skipped 2 of 6 lines of ${file} that are no tsdenet or denet record (first: line 5)\n`);
    expect(JSON.parse(r.stdout)).toMatchObject({ sample_count: 3 });
  });

  it('fails with exit 1 when nothing parses, or when the file is missing', async () => {
    const file = join(tempDir(), 'junk.txt');
    writeFileSync(file, 'hello\nworld\n');
    const junk = await runCli(['stats', file]);
    expect(junk.code).toBe(1);
    expect(junk.stderr).toMatch(/^tsdenet: no samples in .*junk\.txt \(2 lines, 2 not a tsdenet or denet record\)\ntsdenet: fix: /);
    const missing = await runCli(['stats', '/nonexistent/run.jsonl']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^tsdenet: cannot read \/nonexistent\/run\.jsonl: ENOENT\n/);
  });

  it('writes the summary to -o FILE instead of stdout', async () => {
    const out = join(tempDir(), 'summary.json');
    const r = await runCli(['--json', '-o', out, 'stats', fixture('denet-exclude-children.jsonl')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toMatchObject({ sample_count: 2, avg_cpu_usage: 1.25, time_weighted_cpu_usage: 2.5 });
  });

  it('streams: a 60 MB file is summarized with a 32 MB heap', async () => {
    const file = join(tempDir(), 'big.jsonl');
    const aggregated = { ts_ms: 0, cpu_usage: 50, mem_rss_kb: 1000, mem_vms_kb: 2000, disk_read_bytes: 0, disk_write_bytes: 0, sys_net_rx_bytes: 0, sys_net_tx_bytes: 0, thread_count: 1, process_count: 1, uptime_secs: 0 };
    const fd = openSync(file, 'w');
    let lines = 0;
    for (let block = 0; block < 240; block++) {
      let text = '';
      for (let i = 0; i < 1000; i++, lines++) text += JSON.stringify({ kind: 'tree', ts_ms: lines * 10, parent: null, children: [], aggregated: { ...aggregated, ts_ms: lines * 10, mem_rss_kb: lines } }) + '\n';
      writeSync(fd, text);
    }
    closeSync(fd);
    const r = await runCli(['--json', 'stats', file], { env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=32' } });
    expect(r.code, r.stderr.slice(0, 500)).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ sample_count: lines, peak_mem_rss_kb: lines - 1, avg_cpu_usage: 50 });
  });

  it('points from a sidecar (the summary alone) to the -o file beside it', async () => {
    const file = join(tempDir(), 'run.tsdenet.jsonl');
    writeFileSync(file, '{"kind":"summary","command":["true"],"exit_code":0}\n');
    const r = await runCli(['stats', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^tsdenet: no samples in \S+run\.tsdenet\.jsonl .*\ntsdenet: fix: this is the sidecar of a -o file .*give the -o file beside it, e\.g\. \S+\/run\.jsonl\n/);
  });
});
