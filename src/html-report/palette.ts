/**
 * Colours of the syscall categories (the same in the stacked chart and the
 * table) and of the other series. Tableau 10: distinct, and readable by
 * most colour-blind readers.
 */
export const CATEGORY_COLORS: Readonly<Record<string, string>> = {
  file_io: '#4e79a7',
  memory: '#f28e2b',
  process: '#e15759',
  network: '#76b7b2',
  time: '#59a14f',
  ipc: '#edc948',
  security: '#b07aa1',
  signal: '#ff9da7',
  system: '#9c755f',
  other: '#bab0ac',
  total: '#4e79a7',
};

const EXTRA = ['#17becf', '#bcbd22', '#8c564b', '#7f7f7f'];

export function categoryColor(name: string, index: number): string {
  return CATEGORY_COLORS[name] ?? EXTRA[index % EXTRA.length]!;
}
