import { describe, expect, it } from 'vitest';
import { genericTables } from '../../../src/html-report/generic-tables.js';

describe('genericTables', () => {
  it('shows nothing for an absent section', () => {
    expect(genericTables('Errors', null)).toEqual([]);
    expect(genericTables('Errors', undefined)).toEqual([]);
  });

  it('turns a name → count object into a table, largest first', () => {
    expect(genericTables('Errors', { EPERM: 1, ENOENT: 9 })).toEqual([{ title: 'Errors', columns: ['name', 'value'], rows: [['ENOENT', 9], ['EPERM', 1]], omitted: 0 }]);
  });

  it('keeps mixed scalars in file order and nests objects', () => {
    expect(genericTables('Latency', { unit: 'ns', p50: 5, by: { read: 3 } })).toEqual([
      { title: 'Latency', columns: ['name', 'value'], rows: [['unit', 'ns'], ['p50', 5]], omitted: 0 },
      { title: 'Latency › by', columns: ['name', 'value'], rows: [['read', 3]], omitted: 0 },
    ]);
  });

  it('gives an array of objects one column per field', () => {
    expect(genericTables('X', [{ a: 1 }, { b: 'two', a: [3] }])).toEqual([{ title: 'X', columns: ['a', 'b'], rows: [[1, ''], ['[3]', 'two']], omitted: 0 }]);
  });

  it('shows a scalar as one value, and caps long tables', () => {
    expect(genericTables('X', 7)).toEqual([{ title: 'X', columns: ['value'], rows: [[7]], omitted: 0 }]);
    const many = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`s${i}`, i]));
    const [table] = genericTables('X', many);
    expect(table?.rows).toHaveLength(50);
    expect(table?.rows[0]).toEqual(['s59', 59]);
    expect(table?.omitted).toBe(10);
  });
});
