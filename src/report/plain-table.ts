/**
 * The borderless cli-table3 table every terminal section uses (syscalls,
 * processes, off-CPU time, compare), so they line up alike.
 */
import Table from 'cli-table3';

export function plainTable(head: string[], align: ('left' | 'right')[]): Table.Table {
  return new Table({ head, colAligns: align, style: { head: [], border: [], compact: true } });
}
