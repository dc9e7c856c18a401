import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBudgets, limitOf, parseBudgetFile, parseBudgetSpec } from '../../../src/compare/budget.js';
import { BudgetSpecError } from '../../../src/compare/errors.js';
import { loadBudgets } from '../../../src/compare/load-budgets.js';

function failure(fn: () => unknown): BudgetSpecError {
  try {
    fn();
  } catch (error) {
    if (error instanceof BudgetSpecError) return error;
    throw error;
  }
  throw new Error('no BudgetSpecError');
}

describe('parseBudgetSpec', () => {
  it('reads the issue example: relative, percent and absolute limits', () => {
    expect(parseBudgetSpec('openat=+10%,total=+5%,category:network=0,execve<=4,command:cc1=+100,syscall:read=-5%')).toEqual([
      { text: 'openat=+10%', where: '--budget item 1 ("openat=+10%")', key: { kind: 'syscall', name: 'openat' }, limit: { kind: 'percent', percent: 10 } },
      { text: 'total=+5%', where: '--budget item 2 ("total=+5%")', key: { kind: 'total' }, limit: { kind: 'percent', percent: 5 } },
      { text: 'category:network=0', where: '--budget item 3 ("category:network=0")', key: { kind: 'category', name: 'network' }, limit: { kind: 'calls', calls: 0 } },
      { text: 'execve<=4', where: '--budget item 4 ("execve<=4")', key: { kind: 'syscall', name: 'execve' }, limit: { kind: 'max', max: 4 } },
      { text: 'command:cc1=+100', where: '--budget item 5 ("command:cc1=+100")', key: { kind: 'command', name: 'cc1' }, limit: { kind: 'calls', calls: 100 } },
      { text: 'syscall:read=-5%', where: '--budget item 6 ("syscall:read=-5%")', key: { kind: 'syscall', name: 'read' }, limit: { kind: 'percent', percent: -5 } },
    ]);
  });

  it.each([
    ['', /--budget is empty/],
    ['openat', /item 1 \("openat"\): "openat" has no limit/],
    ['openat=+10%,', /item 2 is empty/],
    ['openat=ten', /item 1 \("openat=ten"\): "ten" is no limit/],
    ['openat=+10%%', /"\+10%%" is no limit/],
    ['total=+5%,opnat=+1', /item 2 \("opnat=\+1"\): unknown syscall "opnat" \(did you mean openat/],
    ['category:netwrk=0', /unknown category "netwrk"/],
    ['cat:network=0', /unknown kind "cat:"/],
    ['execve<=-1', /"-1" is no call count/],
    ['execve<=1.5', /"1.5" is no call count/],
    ['=5', /no name before the limit/],
    ['command:=5', /command: needs a command name/],
    ['command:a-very-long-command-name=5', /longer than a command name can be \(15 bytes/],
    ['read=-101%', /fewer than no calls/],
    ['read=+1,syscall:read=+2', /item 2 .*a second budget for read \(the first: read=\+1\)/],
  ])('rejects %j, naming what is wrong', (spec, message) => {
    const error = failure(() => parseBudgetSpec(spec));
    expect(error.message).toMatch(message);
    expect(error.exitCode).toBe(2);
  });
});

describe('parseBudgetFile', () => {
  it('reads one or more items a line, comments and blank lines', () => {
    const budgets = parseBudgetFile('# budgets of the build\nopenat=+10%  # files\n\ntotal=+5%, category:network<=0\n', 'b.txt');
    expect(budgets.map((b) => b.text)).toEqual(['openat=+10%', 'total=+5%', 'category:network<=0']);
  });

  it('names the file and line of a bad item, and an empty file', () => {
    expect(failure(() => parseBudgetFile('openat=+1\n\nfutx=+2\n', 'b.txt')).message).toMatch(/^b\.txt:3: unknown syscall "futx"/);
    expect(failure(() => parseBudgetFile('openat=+1\nopenat=+2\n', 'b.txt')).message).toMatch(/^b\.txt:2: a second budget for openat/);
    expect(failure(() => parseBudgetFile('# nothing\n', 'b.txt')).message).toMatch(/b\.txt holds no budget/);
  });
});

describe('loadBudgets', () => {
  it('refuses one name budgeted in --budget and again in --budget-file, naming both places', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdenet-budget-'));
    try {
      const file = join(dir, 'b.txt');
      writeFileSync(file, 'total=+5%\nread<=3\n');
      expect(loadBudgets(['openat=+1'], file).map((b) => b.where)).toEqual(['--budget item 1 ("openat=+1")', `${file}:1`, `${file}:2`]);
      expect(failure(() => loadBudgets(['openat=+1,syscall:read=+2'], file)).message).toBe(`${file}:2: a second budget for read (the first: syscall:read=+2, --budget item 2 ("syscall:read=+2"))`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('checkBudgets', () => {
  it('computes each limit from the base and flags the counts above it', () => {
    expect(limitOf({ kind: 'percent', percent: 10 }, 1000)).toBeCloseTo(1100);
    expect(limitOf({ kind: 'calls', calls: -5 }, 20)).toBe(15);
    expect(limitOf({ kind: 'max', max: 3 }, 1000)).toBe(3);
    const budgets = parseBudgetSpec('openat=+10%,total=0,execve<=2');
    const figures = { openat: { base: 10, new: 11 }, total: { base: 100, new: 101 }, execve: { base: 1, new: 3 } } as const;
    const results = checkBudgets(budgets, (key) => ({ ...figures[(key.kind === 'total' ? 'total' : (key as { name: 'openat' | 'execve' }).name)], varies: false }));
    expect(results.map((r) => [r.budget.text, r.limit, r.exceeded])).toEqual([
      ['openat=+10%', 11, false],
      ['total=0', 100, true],
      ['execve<=2', 2, true],
    ]);
  });

  it('gives a relative budget on a name the base never called no room (0 + 10% of 0)', () => {
    const [r] = checkBudgets(parseBudgetSpec('connect=+10%'), () => ({ base: 0, new: 1, varies: false }));
    expect(r).toMatchObject({ limit: 0, exceeded: true });
  });

  it('refuses a relative budget without a base run', () => {
    expect(failure(() => checkBudgets(parseBudgetSpec('openat=+10%'), () => ({ new: 1, varies: false }))).message).toMatch(/openat=\+10% compares with a base run, and there is none/);
    expect(checkBudgets(parseBudgetSpec('openat<=1'), () => ({ new: 1, varies: false }))[0]!.exceeded).toBe(false);
  });
});

describe('budget parsing, property-based', () => {
  it('any text is budgets or a BudgetSpecError (exit 2), never another exception', async () => {
    const fc = await import('fast-check');
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        try {
          parseBudgetSpec(text);
          parseBudgetFile(text, 'f');
        } catch (error) {
          if (!(error instanceof BudgetSpecError)) throw error;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a well-formed item reads back as written', async () => {
    const fc = await import('fast-check');
    const key = fc.constantFrom('total', 'openat', 'syscall:read', 'category:network', 'command:cc1');
    const limit = fc.oneof(
      fc.tuple(fc.constantFrom('=+', '=', '=-'), fc.nat(1_000_000), fc.constantFrom('', '%')).map(([op, n, pct]) => `${op}${pct && op === '=-' ? Math.min(n, 100) : n}${pct}`),
      fc.nat(1_000_000).map((n) => `<=${n}`),
    );
    fc.assert(
      fc.property(fc.uniqueArray(key, { minLength: 1, maxLength: 5 }), fc.array(limit, { minLength: 5, maxLength: 5 }), (keys, limits) => {
        const spec = keys.map((k, i) => `${k}${limits[i]}`).join(',');
        expect(parseBudgetSpec(spec).map((b) => b.text).join(',')).toBe(spec);
      }),
    );
  });
});
