/**
 * A one-hour run sampled every second, as tsdenet writes it: metadata, 3600
 * tree records (three children, running eBPF counts) and a summary with 200
 * processes. The input of the report's load-time benchmark
 * (report-load.mjs) and of its browser test (report-hour.test.ts).
 */

export const SAMPLES = 3600;
const CATEGORIES = ['file_io', 'memory', 'process', 'network', 'time', 'ipc', 'security', 'signal', 'system', 'other'];

function metrics(ts, i, share) {
  const wave = Math.sin(i / 60);
  return {
    ts_ms: ts,
    cpu_usage: Math.max(0, 50 + 45 * wave) * share,
    mem_rss_kb: Math.round((200_000 + 50_000 * wave) * share),
    mem_vms_kb: Math.round(800_000 * share),
    disk_read_bytes: Math.round(i * 1_000_000 * share),
    disk_write_bytes: Math.round(i * 400_000 * share),
    syscall_read_bytes: Math.round(i * 2_000_000 * share),
    syscall_write_bytes: Math.round(i * 500_000 * share),
    page_faults_cached: i * 10,
    page_faults_disk: 0,
    sys_net_rx_bytes: i * 30_000,
    sys_net_tx_bytes: i * 9_000,
    thread_count: 4,
    uptime_secs: i,
    cpu_core: i % 2,
  };
}

/** One hour at 1 s: metadata, 3600 tree records, a summary. */
export function hourLongRun() {
  return [...runLines(SAMPLES)].join('\n') + '\n';
}

/**
 * The lines of a run of `samples` samples 1 s apart, one at a time (a file
 * of millions of them is written without holding it: report-memory.mjs);
 * `children`: child processes listed in each tree record.
 */
export function* runLines(samples, children = 3) {
  const t0 = Date.UTC(2026, 0, 1);
  yield JSON.stringify({ kind: 'metadata', pid: 1000, cmd: ['make', '-j4'], executable: '/usr/bin/make', t0_ms: t0 });
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0]));
  let total = 0;
  for (let i = 0; i < samples; i++) {
    const ts = t0 + (i + 1) * 1000;
    CATEGORIES.forEach((c, k) => {
      const n = Math.round((10_000 / (k + 1)) * (1.2 + Math.sin(i / (30 + k))));
      byCategory[c] += n;
      total += n;
    });
    const aggregated = {
      ...metrics(ts, i, 1),
      process_count: 4,
      ebpf: {
        syscalls: {
          total,
          by_category: { ...byCategory },
          top_syscalls: [{ name: 'read', count: Math.round(total / 3) }, { name: 'write', count: Math.round(total / 5) }],
          analysis: { syscall_rate_per_sec: total / (i + 1), io_intensity: byCategory.file_io / total, memory_intensity: 0.1, cpu_intensity: 0.05, network_intensity: 0.02 },
        },
      },
    };
    const kids = Array.from({ length: children }, (_, c) => ({ pid: 1001 + c, command: 'cc1', metrics: metrics(ts, i, 0.25) }));
    yield JSON.stringify({ kind: 'tree', ts_ms: ts, parent: metrics(ts, i, 0.25), children: kids, aggregated });
  }
  const names = Array.from({ length: 300 }, (_, k) => `syscall_${k}`);
  const processes = Array.from({ length: 200 }, (_, p) => ({
    pid: 1000 + p,
    ppid: p === 0 ? 1 : 1000,
    comm: p === 0 ? 'make' : 'cc1',
    argv: null,
    threads: 1,
    total: Math.round(total / 200),
    by_syscall: Object.fromEntries(names.slice(0, 20).map((n, k) => [n, 1000 - k])),
  }));
  yield JSON.stringify({
    kind: 'summary',
    tsdenet_version: '0.1.0',
    ts_ms: t0 + samples * 1000 + 5,
    command: ['make', '-j4'],
    executable: '/usr/bin/make',
    pid: 1000,
    exit_code: 0,
    signal: null,
    exit_status: 0,
    interrupted: false,
    t0_ms: t0,
    wall_time_secs: samples + 0.005,
    kernel: '6.1.0',
    arch: 'x86_64',
    ebpf: {
      attach_mode: 'tp_btf',
      attach_point: 'tp_btf/sys_enter',
      syscalls: { total, by_category: byCategory, top_syscalls: [], by_syscall: Object.fromEntries(names.map((n, k) => [n, 100_000 - k])), processes, dropped: 0, untracked_threads: 0, lost_thread_info: 0 },
    },
  });
}
