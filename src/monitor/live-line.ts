/**
 * Pure: the text of the live status line (denet's compact in-place text
 * and its fuller one-line-per-sample text), as coloured segments.
 */
import { formatBytes, formatRate } from '../stats/format.js';
import type { AggregatedMetrics } from '../records/schema.js';

export type Color = 'green' | 'yellow' | 'red' | 'cyan' | 'gray';

export interface Segment {
  text: string;
  color?: Color;
}

export interface LiveInput {
  aggregated: AggregatedMetrics;
  elapsedSecs: number;
  /** Syscalls per second over the last interval, when eBPF counts. */
  syscallRate?: number;
  /** Without the tree prefix (--exclude-children). */
  single: boolean;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

function cpuColor(cpu: number): Color {
  return cpu < 10 ? 'green' : cpu < 50 ? 'yellow' : 'red';
}

function memColor(kb: number): Color {
  const mb = kb / 1024;
  return mb < 100 ? 'green' : mb < 500 ? 'yellow' : 'red';
}

/** The segments of one line; `full` is the -n form, else the compact in-place form. */
export function liveSegments(input: LiveInput, full: boolean, frame: number): Segment[] {
  const a = input.aggregated;
  const sep = { text: ' | ' };
  const segments: Segment[] = [];
  if (full) segments.push({ text: `[${input.elapsedSecs.toFixed(1)}s] `, color: 'gray' });
  else segments.push({ text: SPINNER[frame % SPINNER.length] ?? '', color: 'cyan' }, { text: ` [${input.elapsedSecs.toFixed(1)}s] `, color: 'gray' });
  if (!input.single) segments.push({ text: full ? `Tree (${a.process_count} procs): ` : `Tree(${a.process_count}): ` });
  const rd = formatBytes(a.disk_read_bytes);
  const wr = formatBytes(a.disk_write_bytes);
  const rx = formatBytes(a.sys_net_rx_bytes);
  const tx = formatBytes(a.sys_net_tx_bytes);
  segments.push(
    { text: full ? 'CPU: ' : 'CPU ' },
    { text: `${a.cpu_usage.toFixed(1)}%`, color: cpuColor(a.cpu_usage) },
    sep,
    { text: full ? 'Memory: ' : 'Mem ' },
    { text: formatBytes(a.mem_rss_kb * 1024), color: memColor(a.mem_rss_kb) },
    sep,
    { text: full ? `Threads: ${a.thread_count}` : `Threads ${a.thread_count}` },
    sep,
    { text: full ? 'Disk: ' : 'Disk ' },
    { text: `${rd} rd, ${wr} wr`, color: 'cyan' },
    sep,
    { text: full ? 'Sys Net: ' : 'Sys Net ' },
    { text: `${rx} rx, ${tx} tx`, color: 'green' },
  );
  if (input.syscallRate !== undefined) segments.push(sep, { text: `${full ? 'Syscalls: ' : 'Syscalls '}${formatRate(input.syscallRate)}` });
  if (full) segments.push(sep, { text: `Uptime: ${a.uptime_secs}s` });
  return segments;
}

const CODES: Record<Color, string> = { green: '32', yellow: '33', red: '31', cyan: '36', gray: '90' };

/** Joins segments, cut to `width` visible characters, with ANSI colours if asked. */
export function renderSegments(segments: readonly Segment[], color: boolean, width = Infinity): string {
  let out = '';
  let room = width;
  for (const { text, color: c } of segments) {
    if (room <= 0) break;
    const chars = [...text];
    const piece = chars.length > room ? chars.slice(0, room).join('') : text;
    room -= Math.min(chars.length, room);
    out += color && c ? `\x1b[${CODES[c]}m${piece}\x1b[0m` : piece;
  }
  return out;
}

/** NO_COLOR (no-color.org): any non-empty value turns colours off. */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}
