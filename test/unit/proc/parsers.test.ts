import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAuxv, systemConstantsFrom } from '../../../src/proc/auxv.js';
import { parseIo } from '../../../src/proc/io.js';
import { parseNetDev } from '../../../src/proc/net-dev.js';
import { parseStat } from '../../../src/proc/stat.js';
import { ignoresSigchld, statusField } from '../../../src/proc/status.js';
import { parseUptime } from '../../../src/proc/uptime.js';

const captured = (name: string): string => readFileSync(new URL(`../../fixtures/proc/captured/${name}`, import.meta.url), 'latin1');

describe('parseStat', () => {
  it('reads a captured stat whose comm holds spaces and parentheses', () => {
    const stat = parseStat(captured('stat-odd-comm'));
    expect(stat).toMatchObject({
      pid: 2239,
      comm: 'we ird) (x',
      state: 'R',
      ppid: 2237,
      minflt: 3030,
      cminflt: 6509,
      majflt: 2,
      cmajflt: 0,
      utime: 3,
      stime: 1,
      cutime: 3,
      cstime: 0,
      numThreads: 1,
      starttime: 152877,
      vsizeBytes: 17285120,
      rssPages: 3439,
    });
    expect(Number.isInteger(stat?.processor)).toBe(true);
  });

  it('rejects text that is not a stat line', () => {
    expect(parseStat('')).toBeUndefined();
    expect(parseStat('12 (x) S 1')).toBeUndefined();
    expect(parseStat('garbage')).toBeUndefined();
  });

  it('gives null for the CPU when the line stops before field 39', () => {
    const short = '7 (a) S 1 7 7 0 -1 0 1 2 3 4 5 6 7 8 20 0 1 0 99 4096 2';
    expect(parseStat(short)).toMatchObject({ pid: 7, ppid: 1, utime: 5, cstime: 8, starttime: 99, rssPages: 2, processor: null });
  });
});

describe('parseIo', () => {
  it('reads the four counters of a captured io file', () => {
    expect(parseIo(captured('io'))).toEqual({ rchar: 1724100, wchar: 2427, readBytes: 897024, writeBytes: 12288 });
  });

  it('is undefined when a counter is missing', () => {
    expect(parseIo('rchar: 1\nwchar: 2\n')).toBeUndefined();
    expect(parseIo('')).toBeUndefined();
  });
});

describe('parseNetDev', () => {
  it('sums every interface but lo', () => {
    expect(parseNetDev(captured('net-dev'))).toEqual({ rxBytes: 290154386, txBytes: 489590 });
  });

  it('is zero for a namespace with loopback only', () => {
    const text = 'Inter-|   Receive\n face |bytes\n    lo:  100 1 0 0 0 0 0 0  100 1 0 0 0 0 0 0\n';
    expect(parseNetDev(text)).toEqual({ rxBytes: 0, txBytes: 0 });
  });
});

describe('status fields', () => {
  it('finds a field anywhere in the file', () => {
    expect(statusField(captured('status'), 'Cpus_allowed_list')).toBe('0-1');
    expect(statusField(captured('status'), 'Nope')).toBeUndefined();
  });

  it('tells a process that ignores SIGCHLD (bit 17 of SigIgn)', () => {
    expect(ignoresSigchld(captured('status-ignores-sigchld'))).toBe(true);
    expect(ignoresSigchld(captured('status'))).toBe(false);
    expect(ignoresSigchld('')).toBe(false);
  });
});

describe('auxv and uptime', () => {
  it('reads page size and clock ticks from a captured x86_64 auxv', () => {
    const auxv = parseAuxv(readFileSync(new URL('../../fixtures/proc/captured/auxv-x86_64', import.meta.url)));
    expect(systemConstantsFrom(auxv)).toEqual({ pageSize: 4096, clockTicks: 100 });
  });

  it('falls back to 4096 and 100 without auxv', () => {
    expect(systemConstantsFrom(new Map())).toEqual({ pageSize: 4096, clockTicks: 100 });
  });

  it('reads seconds since boot', () => {
    expect(parseUptime(captured('uptime'))).toBeGreaterThan(0);
    expect(parseUptime('12.5 40.1\n')).toBe(12.5);
  });
});
