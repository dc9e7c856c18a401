/**
 * Pure: any JSON value → tables, for sections whose exact shape is not
 * fixed yet (`ebpf.syscalls.errors`, `ebpf.syscalls.latency`). The report
 * shows what the file holds instead of guessing a schema: scalars of an
 * object become a name/value table, an array of objects a table with one
 * column per field, nested objects a table each.
 */

export type Cell = string | number;

export interface GenericTable {
  title: string;
  columns: string[];
  rows: Cell[][];
  /** Rows left out to keep the page small. */
  omitted: number;
}

const MAX_ROWS = 50;
const MAX_DEPTH = 4;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cell(value: unknown): Cell {
  if (typeof value === 'number' || typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

function limited(title: string, columns: string[], rows: Cell[][]): GenericTable {
  return { title, columns, rows: rows.slice(0, MAX_ROWS), omitted: Math.max(0, rows.length - MAX_ROWS) };
}

function fromArray(title: string, items: unknown[]): GenericTable {
  if (!items.every(isObject)) return limited(title, ['value'], items.map((v) => [cell(v)]));
  const columns = [...new Set(items.flatMap((o) => Object.keys(o)))];
  return limited(title, columns, items.map((o) => columns.map((c) => (o[c] === undefined ? '' : cell(o[c])))));
}

function collect(title: string, value: unknown, depth: number, out: GenericTable[]): void {
  if (Array.isArray(value)) {
    out.push(fromArray(title, value));
    return;
  }
  if (!isObject(value) || depth >= MAX_DEPTH) {
    out.push(limited(title, ['value'], [[cell(value)]]));
    return;
  }
  const scalars = Object.entries(value).filter(([, v]) => !isObject(v) && !Array.isArray(v));
  // Name → count maps read best largest first, like the rest of the report.
  if (scalars.length > 0 && scalars.every(([, v]) => typeof v === 'number')) {
    scalars.sort((a, b) => (b[1] as number) - (a[1] as number));
  }
  if (scalars.length > 0) out.push(limited(title, ['name', 'value'], scalars.map(([k, v]) => [k, cell(v)])));
  for (const [key, v] of Object.entries(value)) {
    if (isObject(v) || Array.isArray(v)) collect(`${title} › ${key}`, v, depth + 1, out);
  }
}

/** Tables for `value`, titled `title`; none for null or undefined. */
export function genericTables(title: string, value: unknown): GenericTable[] {
  if (value === null || value === undefined) return [];
  const out: GenericTable[] = [];
  collect(title, value, 0, out);
  return out;
}
