/** Pure: numbers as the report's header and tables print them. */

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1024-based, three significant digits: "512 B", "1.50 KiB", "23.4 MiB". */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** Whole numbers with thousands separators: "1,234,567". */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "0.037 s", "12.3 s", "2 min 05 s", "1 h 02 min 03 s". */
export function formatDuration(secs: number): string {
  if (secs < 1) return `${secs.toFixed(3)} s`;
  if (secs < 60) return `${secs.toFixed(1)} s`;
  const whole = Math.round(secs);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h} h ${pad(m)} min ${pad(s)} s` : `${m} min ${pad(s)} s`;
}

const TIME_UNITS: readonly [number, string][] = [[1e-9, 'ns'], [1e-6, 'µs'], [1e-3, 'ms'], [1, 's']];

/** The unit a time reads best in, and the time in it: 0.000718 s → [718, "µs"]. */
function timeUnit(secs: number): [number, string] {
  let chosen = TIME_UNITS[0]!;
  for (const unit of TIME_UNITS) if (Math.abs(secs) >= unit[0]) chosen = unit;
  return [secs / chosen[0], chosen[1]];
}

/** Three significant digits in the unit that fits: "952 ns", "29.6 µs", "7.12 s"; a minute or more as formatDuration. */
export function formatTime(secs: number): string {
  if (secs === 0) return '0 s';
  if (secs >= 60) return formatDuration(secs);
  // Rounded before the unit is chosen: 0.9995 s is "1.00 s", not "1000 ms".
  const [value, unit] = timeUnit(Number(secs.toPrecision(3)));
  return `${value >= 100 ? Math.round(value) : value.toFixed(value >= 10 ? 1 : 2)} ${unit}`;
}

/** Two significant digits below 10 of a unit, else whole: "512 ns", "4.1 µs", "33 µs", "131 µs", "1.1 s" (bucket edges); none at all is "0". */
export function formatNanos(ns: number): string {
  if (ns === 0) return '0';
  const [value, unit] = timeUnit(ns / 1e9);
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}

/** "12.3 %" from a percentage, "45.0 %" from a share when `fraction` is set. */
export function formatPercent(value: number, fraction = false): string {
  return `${(fraction ? value * 100 : value).toFixed(1)} %`;
}

/** A command line as a shell would take it back: words with special characters in single quotes. */
export function shellJoin(argv: readonly string[]): string {
  return argv.map((a) => (a !== '' && /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/** UTC, to the second, so the same file always gives the same report. */
export function formatClock(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}
