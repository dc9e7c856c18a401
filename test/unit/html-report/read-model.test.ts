/**
 * The reader and the model on the fixture files (test/fixtures/report,
 * described in its README): what the report says about each kind of file.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReportInputError } from '../../../src/html-report/errors.js';
import type { ReportModel } from '../../../src/html-report/model.js';
import { readModel, readModelFromFile } from '../../../src/html-report/read-model.js';
import type { Line } from '../../../src/records/read-lines.js';

/** Lines as the file reader gives them. */
async function* linesOf(texts: readonly string[]): AsyncGenerator<Line> {
  let number = 0;
  for (const text of texts) yield { number: ++number, text };
}

const FIXTURES = join(import.meta.dirname, '../../fixtures/report');

function read(name: string): Promise<ReportModel> {
  return readModelFromFile(join(FIXTURES, name));
}

function header(m: ReportModel): Record<string, string> {
  return Object.fromEntries(m.header.map((h) => [h.label, h.value]));
}

function stats(m: ReportModel): Record<string, string> {
  return Object.fromEntries(m.stats.map((h) => [h.label, h.value]));
}

function notes(m: ReportModel, level: 'missing' | 'warning'): string[] {
  return m.notes.filter((n) => n.level === level).map((n) => n.text);
}

describe('a real tsdenet run with samples', async () => {
  const m = await read('tsdenet-sampled.jsonl');

  it('has the run header from the summary', () => {
    expect(header(m)).toMatchObject({ Executable: '/usr/bin/sh', PID: '5378', Exit: 'exit code 0', 'Wall time': '1.5 s', Kernel: '6.18.44-fc-v595 (x86_64)', 'Attach mode': 'tp_btf (tp_btf/sys_enter)', 'Written by': 'tsdenet 0.1.0' });
    expect(header(m).Command).toMatch(/^sh -c 'for i in 1 2 3; do ls -R/);
  });

  it('draws every timeline and the syscall rate from the tree records', () => {
    expect(m.timeline?.t).toHaveLength(29);
    for (const key of ['cpuPercent', 'rssBytes', 'diskReadRate', 'diskWriteRate', 'netRxRate', 'processes', 'threads'] as const) {
      expect(m.timeline?.[key], key).not.toBeNull();
    }
    expect(m.syscallRate?.names).toEqual(['file_io', 'memory', 'process', 'network', 'time', 'ipc', 'security', 'signal', 'system', 'other']);
    // The rates add up to the counts: Σ rate × interval over the run = last cumulative − first.
    const t = m.syscallRate!.t;
    const fileIo = m.syscallRate!.rates[0]!;
    const counted = fileIo.reduce<number>((sum, r, i) => sum + (r ?? 0) * (i === 0 ? 0 : t[i]! - t[i - 1]!), 0);
    // (first and last tree records of the file: 8,852 and 64,304 file_io calls)
    expect(counted).toBeCloseTo(64_304 - 8_852, 6);
  });

  it('lists every process and the top syscalls from the summary', () => {
    expect(m.processes).toHaveLength(11);
    expect(m.processes?.[0]).toMatchObject({ pid: 5378, comm: 'sh', total: 193 });
    expect(m.processes?.reduce((a, p) => a + p.share, 0)).toBeCloseTo(1, 6);
    expect(m.topSyscalls?.[0]).toEqual({ name: 'getdents64', count: 20_775 });
    expect(m.distinctSyscalls).toBe(41);
    expect(m.categories?.find((c) => c.name === 'file_io')).toEqual({ name: 'file_io', count: 64_304, share: 64_304 / 64_883 });
  });

  it('computes the summary numbers from the samples', () => {
    expect(stats(m)).toMatchObject({ Samples: '29', 'Sampling interval': '50 ms (median)', 'Max processes': '2', Syscalls: '64,883', 'Peak RSS': '8.59 MiB', 'Disk written': '62.9 MiB' });
  });

  it('has nothing missing', () => {
    expect(m.notes).toEqual([]);
    // Per-syscall counts but neither --errors nor --latency.
    expect(m.detail?.errors).toBeNull();
    expect(m.detail?.latency).toBeNull();
    expect(m.detail?.rows[0]).toMatchObject({ name: 'getdents64', category: 'file_io', calls: 20_775, errors: null, totalSecs: null, histogram: null });
  });
});

describe('a tsdenet run without samples', async () => {
  const m = await read('tsdenet-summary-only.jsonl');

  it('says that there are no samples, and still shows the syscalls', () => {
    expect(notes(m, 'missing')).toEqual([expect.stringMatching(/^no samples: this file has no tree or sample records/)]);
    expect(m.timeline).toBeNull();
    expect(m.syscallRate).toBeNull();
    expect(m.topSyscalls).toHaveLength(24);
    expect(m.processes).toEqual([
      { pid: 2188, ppid: 2177, comm: 'ls', command: 'ls -R /usr/share/doc', threads: 1, total: 5255, share: 1, top: 'getdents64 1,696 · openat 881 · close 870' },
    ]);
    // A summary written before syscall_rate_per_sec existed gives no rate: none is made up from another time.
    expect(stats(m)).toEqual({ Syscalls: '5,255' });
  });
});

describe('future fields', async () => {
  const m = await read('tsdenet-future-fields.jsonl');

  it('gives one row per syscall with its failures by errno and its times, as the summary holds them', () => {
    const d = m.detail!;
    expect(d.totalCalls).toBe(6195);
    expect(d.errors).toEqual({
      total: 12,
      lost: 0,
      byErrno: [
        { errno: 'ENOENT', count: 10, syscalls: 'openat 10' },
        { errno: 'EACCES', count: 1, syscalls: 'openat 1' },
        { errno: 'ECONNREFUSED', count: 1, syscalls: 'connect 1' },
      ],
    });
    expect(d.latency).toEqual({ totalSecs: 0.0034064 });
    // Longest total time first; the syscalls never timed after them.
    expect(d.rows.slice(0, 3).map((r) => r.name)).toEqual(['getdents64', 'read', 'openat']);
    expect(d.rows[0]).toEqual({
      name: 'getdents64',
      category: 'file_io',
      calls: 1696,
      errors: 0,
      errnos: [],
      totalSecs: 0.003391,
      meanUsecs: 1.9994103773584906,
      maxUsecs: 41,
      histogram: [
        { label: '1.0–2.0 µs', lowNs: 1024, highNs: 2048, count: 1600 },
        { label: '2.0–4.1 µs', lowNs: 2048, highNs: 4096, count: 90 },
        { label: '4.1–8.2 µs', lowNs: 4096, highNs: 8192, count: 6 },
      ],
    });
    expect(d.rows.find((r) => r.name === 'openat')).toMatchObject({ calls: 881, errors: 11, errnos: [{ errno: 'ENOENT', count: 10 }, { errno: 'EACCES', count: 1 }], totalSecs: null });
    // Every syscall the summary names has its row: the 24 of by_syscall, and connect, which only failed.
    expect(d.rows).toHaveLength(25);
    expect(d.rows.find((r) => r.name === 'connect')).toMatchObject({ calls: 0, errors: 1 });
  });

  it('warns about lost counts', () => {
    expect(notes(m, 'warning')).toContain('17 syscalls were counted but lost because the counts map was full (raise --max-entries)');
  });
});

describe('denet files', () => {
  it('reads a denet tree file: header from env and metadata, rates, and what denet does not record', async () => {
    const m = await read('denet-tree.jsonl');
    expect(header(m)).toMatchObject({
      Command: 'python3 train.py --epochs 2',
      Executable: '/usr/bin/python3.11',
      PID: '4242',
      Exit: 'not recorded (no summary record)',
      Started: '2026-01-01 00:00:00 UTC',
      Kernel: '6.1.0-28-amd64',
      Host: 'build-host',
      CPU: 'Example CPU @ 3.00GHz',
      'Attach mode': 'not recorded',
    });
    expect(m.timeline?.t).toEqual([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
    expect(m.timeline?.processes).toEqual([1, 2, 3, 3, 2, 1]);
    // file_io: 10 → 510 in 0.1 s = 5000/s; the shrinking step (4510 → 4000) is left blank.
    expect(m.syscallRate?.rates[0]).toEqual([null, 5000, 20000, 20000, null, 6000]);
    expect(m.topSyscalls?.[0]).toEqual({ name: 'read', count: 2760 });
    // denet's total_time_secs: last sample − first.
    expect(stats(m)).toMatchObject({ Duration: '0.500 s', Syscalls: '4,678', 'Disk read': '2.00 MiB', 'Network received (namespace)': '8.79 KiB' });
    expect(notes(m, 'missing')).toEqual([
      `no summary record: the exit status and per-process counts are unknown (the run may not have finished, its summary is in ${join(FIXTURES, 'denet-tree.tsdenet.jsonl')}, not found, or this is a denet file)`,
      'no per-process syscall counts (denet files do not record them)',
    ]);
    expect(notes(m, 'warning')).toEqual([
      '1 tree record(s) had no aggregated metrics (the root process was unreadable) and were skipped',
      // file_io 4510 → 4000 and memory 62 → 60 (and the total) in the one interval when a child left.
      expect.stringMatching(/^a cumulative counter went down in 1 interval\(s\)/),
    ]);
  });

  it('reads legacy untagged tree lines', async () => {
    const m = await read('denet-legacy-tree.jsonl');
    expect(header(m).Command).toBe('make -j2');
    expect(m.timeline?.netRxRate).toEqual([null, 10_000, 20_000, 30_000]);
    expect(notes(m, 'missing')).toContain('no eBPF data: run with --enable-ebpf to count syscalls');
  });

  it('reads legacy untagged metrics lines and says they are one process', async () => {
    const m = await read('denet-legacy-metrics.jsonl');
    expect(m.timeline?.cpuPercent).toEqual([0, 55.5, 98, 80, 20, 5]);
    expect(m.timeline?.processes).toBeNull();
    expect(notes(m, 'missing')).toContainEqual(expect.stringMatching(/^single-process samples \(--exclude-children\)/));
  });

  it('reads --exclude-children sample records', async () => {
    const m = await read('denet-exclude-children.jsonl');
    expect(m.timeline?.rssBytes?.[2]).toBe(16384 * 1024);
    expect(m.processes).toBeNull();
    expect(notes(m, 'missing')).toContainEqual(expect.stringMatching(/^single-process samples/));
  });
});

describe('bad and partial files', () => {
  it('reports the lines it could not read and reads the rest', async () => {
    const m = await read('wrong-types.jsonl');
    expect(m.timeline?.cpuPercent).toEqual([12.5]);
    expect(notes(m, 'warning')).toEqual([
      'line 2: tree record: aggregated.cpu_usage is a string, not a number (ignored)',
      'line 4: an array instead of a JSON object (ignored)',
      '1 line(s) skipped: record kind "gpu_sample" is not one tsdenet reads',
    ]);
  });

  it('says when the last line was cut short', async () => {
    const m = await read('truncated.jsonl');
    expect(m.timeline?.t).toHaveLength(2);
    // Said once, as what it is.
    expect(notes(m, 'warning')).toEqual(['line 5: the last line is cut short: was the run or the copy interrupted? (ignored)']);
  });

  it('says when several runs share a file', async () => {
    const lines = ['{"kind":"tree","ts_ms":5000,"aggregated":{"ts_ms":5000,"cpu_usage":1,"mem_rss_kb":1,"process_count":1}}', '{"kind":"tree","ts_ms":1000,"aggregated":{"ts_ms":1000,"cpu_usage":1,"mem_rss_kb":1,"process_count":1}}', '{"kind":"summary","command":["a"]}', '{"kind":"summary","command":["b"]}'];
    const m = await readModel(linesOf(lines), 'x', { fileLabel: 'x' });
    expect(header(m).Command).toBe('b');
    expect(notes(m, 'warning')).toEqual([
      '1 sample(s) went back in time and were left out of the charts (is this several runs in one file?)',
      '2 summary records (several runs in one file?): the header shows the last',
    ]);
  });

  it('lists at most five bad lines, then counts the rest', async () => {
    const lines = ['{"kind":"summary","command":["a"]}', ...Array.from({ length: 8 }, () => 'garbage')];
    const m = await readModel(linesOf(lines), 'x', { fileLabel: 'x' });
    const warnings = notes(m, 'warning');
    expect(warnings.slice(0, 5)).toEqual([2, 3, 4, 5, 6].map((n) => `line ${n}: not JSON (ignored)`));
    expect(warnings.slice(5)).toEqual(['and 3 more invalid line(s) (ignored)']);
  });

  it.each([
    ['empty.jsonl', /^\S+empty\.jsonl is empty$/],
    ['not-jsonl.txt', /^\S+not-jsonl\.txt holds no tsdenet or denet record \(2 line\(s\) read; line 1: not JSON\)$/],
    ['no-such-file.jsonl', /^cannot read \S+no-such-file\.jsonl: no such file$/],
  ])('refuses %s with a message that names the problem', async (name, message) => {
    const error = await read(name).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReportInputError);
    expect((error as ReportInputError).message).toMatch(message);
    expect((error as ReportInputError).exitCode).toBe(1);
    expect((error as ReportInputError).hint).toMatch(/tsdenet --json run/);
  });

  it('refuses a directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdenet-report-'));
    await expect(readModelFromFile(dir)).rejects.toThrow(`cannot read ${dir}: it is a directory`);
  });

  it('refuses JSON that holds no record', async () => {
    await expect(readModel(linesOf(['{"a":1}', '[]']), 'x.jsonl', { fileLabel: 'x' })).rejects.toThrow(
      'x.jsonl holds no tsdenet or denet record (2 line(s) read; line 1: a JSON object with no "kind" that is no denet record)',
    );
  });
});
