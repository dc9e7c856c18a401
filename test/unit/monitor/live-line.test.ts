import { describe, expect, it } from 'vitest';
import { liveSegments, renderSegments, useColor, type LiveInput } from '../../../src/monitor/live-line.js';
import type { AggregatedMetrics } from '../../../src/records/schema.js';

const aggregated: AggregatedMetrics = {
  ts_ms: 0,
  cpu_usage: 12.34,
  mem_rss_kb: 46182,
  mem_vms_kb: 0,
  disk_read_bytes: 1258291,
  disk_write_bytes: 0,
  sys_net_rx_bytes: 3481,
  sys_net_tx_bytes: 1024,
  thread_count: 7,
  process_count: 3,
  uptime_secs: 12,
};
const input: LiveInput = { aggregated, elapsedSecs: 4.25, single: false };

describe('live line', () => {
  it("has denet's compact in-place text", () => {
    expect(renderSegments(liveSegments(input, false, 0), false)).toBe(
      '⠋ [4.3s] Tree(3): CPU 12.3% | Mem 45.1MB | Threads 7 | Disk 1.2MB rd, 0B wr | Sys Net 3.4KB rx, 1.0KB tx',
    );
  });

  it("has denet's fuller text for one line per sample, with the syscall rate under eBPF", () => {
    expect(renderSegments(liveSegments({ ...input, syscallRate: 12345 }, true, 0), false)).toBe(
      '[4.3s] Tree (3 procs): CPU: 12.3% | Memory: 45.1MB | Threads: 7 | Disk: 1.2MB rd, 0B wr | Sys Net: 3.4KB rx, 1.0KB tx | Syscalls: 12.3k/s | Uptime: 12s',
    );
  });

  it('leaves out the tree prefix for a single process', () => {
    expect(renderSegments(liveSegments({ ...input, single: true }, true, 0), false)).toMatch(/^\[4\.3s\] CPU: 12\.3%/);
  });

  it('colours CPU by level and cuts to the width without breaking an escape', () => {
    const red = renderSegments(liveSegments({ ...input, aggregated: { ...aggregated, cpu_usage: 180 } }, false, 0), true);
    expect(red).toContain('\x1b[31m180.0%\x1b[0m');
    const cut = renderSegments(liveSegments(input, false, 0), true, 12);
    expect(cut.replace(/\x1b\[[0-9;]*m/g, '')).toBe('⠋ [4.3s] Tre');
    expect(cut.match(/\x1b\[(3\d|90)m/g)?.length).toBe(cut.match(/\x1b\[0m/g)?.length);
  });

  it('uses colours only on a terminal and never with NO_COLOR set', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
  });
});
