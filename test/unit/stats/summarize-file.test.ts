import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../../../src/stats/errors.js';
import { summarizeFile } from '../../../src/stats/summarize-file.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/proc/${name}`, import.meta.url));

function tempFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tsdenet-stats-')), 'run.jsonl');
  writeFileSync(path, text);
  return path;
}

describe('summarizeFile on denet files', () => {
  it('reads tagged records: env and metadata are known, tree aggregates are the samples', async () => {
    const { statistics, unparsed, lines } = await summarizeFile(fixture('denet-tagged.jsonl'));
    expect(unparsed).toBe(0);
    expect(lines).toBe(5);
    expect(statistics).toMatchObject({
      total_time_secs: 0.2,
      sample_count: 3,
      max_processes: 3,
      max_threads: 4,
      total_disk_read_bytes: 8192,
      total_disk_write_bytes: 4096,
      total_syscall_read_bytes: 205,
      total_syscall_write_bytes: 20,
      peak_page_faults_cached: 80,
      peak_page_faults_disk: 1,
      total_sys_net_rx_bytes: 900,
      total_sys_net_tx_bytes: 80,
      peak_mem_rss_kb: 30000,
    });
    // denet's plain mean of the samples (0, 150, 50), and the time-weighted
    // mean under its own name: 150 % for 100 ms, 50 % for 100 ms.
    expect(statistics.avg_cpu_usage).toBeCloseTo(200 / 3, 9);
    expect(statistics.time_weighted_cpu_usage).toBeCloseTo(100, 9);
    expect(statistics.syscalls?.avg_syscall_rate_per_sec).toBeCloseTo(3500 / 3, 9);
    expect(statistics.syscalls?.avg_io_syscall_fraction).toBeCloseTo(1 / 3, 9);
    expect(statistics.syscalls?.avg_memory_syscall_fraction).toBeCloseTo(0.15, 9);
    expect(statistics.syscalls?.avg_cpu_syscall_fraction).toBe(0);
    expect(statistics.syscalls?.avg_network_syscall_fraction).toBeCloseTo(0.55 / 3, 9);
  });

  it('reads legacy untagged metrics lines with the old net_* names', async () => {
    const { statistics, unparsed } = await summarizeFile(fixture('denet-legacy.jsonl'));
    expect(unparsed).toBe(0);
    expect(statistics).toEqual({
      total_time_secs: 3,
      sample_count: 3,
      max_processes: 1,
      max_threads: 1,
      total_disk_read_bytes: 2048,
      total_disk_write_bytes: 1024,
      total_sys_net_rx_bytes: 700,
      total_sys_net_tx_bytes: 70,
      peak_mem_rss_kb: 4096,
      avg_cpu_usage: 66.5,
      time_weighted_cpu_usage: (99.5 * 1000 + 100 * 2000) / 3000,
    });
  });

  it('reads legacy untagged trees; a tree without aggregate is no sample', async () => {
    const { statistics, unparsed } = await summarizeFile(fixture('denet-legacy-tree.jsonl'));
    expect(unparsed).toBe(0);
    expect(statistics).toMatchObject({ sample_count: 2, max_processes: 2, max_threads: 4, total_time_secs: 1, avg_cpu_usage: 30, time_weighted_cpu_usage: 60, total_sys_net_rx_bytes: 5 });
  });

  it('reads --exclude-children files (sample records)', async () => {
    const { statistics } = await summarizeFile(fixture('denet-exclude-children.jsonl'));
    expect(statistics).toMatchObject({ sample_count: 2, max_processes: 1, total_time_secs: 0.4, avg_cpu_usage: 1.25, time_weighted_cpu_usage: 2.5, total_syscall_read_bytes: 832, total_sys_net_rx_bytes: 42 });
  });
});

describe('summarizeFile on damaged input', () => {
  it('counts lines that do not parse and goes on', async () => {
    const good = '{"kind":"sample","ts_ms":1000,"cpu_usage":10,"mem_rss_kb":5}';
    const path = tempFile(['not json', good, '', '{"kind":"mystery"}', '[1,2]', '{"ts_ms":1', good.replace('1000', '2000')].join('\n'));
    const result = await summarizeFile(path);
    expect(result).toMatchObject({ lines: 7, unparsed: 4, firstUnparsed: { kind: 'not-json', line: 1 } });
    expect(result.statistics).toMatchObject({ sample_count: 2, total_time_secs: 1, peak_mem_rss_kb: 5 });
  });

  it('prefers tree aggregates over single-process samples, as denet does', async () => {
    const sample = '{"kind":"sample","ts_ms":1000,"cpu_usage":10,"mem_rss_kb":99999}';
    const tree = '{"kind":"tree","ts_ms":1000,"parent":null,"children":[],"aggregated":{"ts_ms":1000,"cpu_usage":1,"mem_rss_kb":7,"process_count":4}}';
    const { statistics } = await summarizeFile(tempFile(`${sample}\n${tree}\n`));
    expect(statistics).toMatchObject({ sample_count: 1, peak_mem_rss_kb: 7, max_processes: 4 });
  });

  it('skips a line longer than the limit without keeping it in memory', async () => {
    const { readLines } = await import('../../../src/records/read-lines.js');
    const path = tempFile(`short\n${'x'.repeat(5000)}\nlast`);
    const lines = [];
    for await (const line of readLines(path, 1000)) lines.push(line);
    expect(lines).toEqual([
      { number: 1, text: 'short' },
      { number: 2, text: '', overlong: true },
      { number: 3, text: 'last' },
    ]);
  });

  it('fails with exit 1 when no line is a sample', async () => {
    const path = tempFile('garbage\n{"kind":"metadata","pid":1,"cmd":["x"],"executable":"","t0_ms":1}\n');
    const error = await summarizeFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StatsInputError);
    expect((error as StatsInputError).exitCode).toBe(1);
    expect((error as StatsInputError).message).toMatch(/no samples in .* \(2 lines, 1 not a tsdenet or denet record\)/);
  });

  it('names the file and the fix when it cannot be read', async () => {
    const error = await summarizeFile('/nonexistent/run.jsonl').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StatsInputError);
    expect((error as StatsInputError).message).toBe('cannot read /nonexistent/run.jsonl: ENOENT');
    expect((error as StatsInputError).hint).toMatch(/tsdenet -o FILE/);
  });
});
