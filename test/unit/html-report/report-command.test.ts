import { describe, expect, it } from 'vitest';
import { defaultReportPath } from '../../../src/cli/commands/report.js';
import { parseCommandLine } from '../../../src/cli/parser.js';

describe('tsdenet report on the command line', () => {
  it('takes the file, -o after or before the subcommand, and --open', async () => {
    for (const args of [
      ['report', 'run.jsonl', '-o', 'out.html', '--open'],
      ['-o', 'out.html', 'report', '--open', 'run.jsonl'],
      ['report', '--out=out.html', 'run.jsonl', '--open'],
    ]) {
      const parsed = await parseCommandLine(args, {});
      expect(parsed, args.join(' ')).toMatchObject({ name: 'report', file: 'run.jsonl', open: true, options: { out: 'out.html' } });
    }
  });

  it('reads standard input for "-"', async () => {
    expect(await parseCommandLine(['report', '-', '-o', 'r.html'], {})).toMatchObject({ name: 'report', file: '-' });
  });

  it('needs a file', async () => {
    await expect(parseCommandLine(['report'], {})).rejects.toThrow(/report needs FILE\.jsonl\|-/);
  });

  it('has no --open unless asked, and no output file unless given', async () => {
    expect(await parseCommandLine(['report', 'run.jsonl'], {})).toMatchObject({ name: 'report', open: false, options: { out: undefined } });
  });

  it('writes FILE.html beside the input by default', () => {
    expect(defaultReportPath('/tmp/x/run.jsonl')).toBe('/tmp/x/run.html');
    expect(defaultReportPath('metrics.json')).toBe('metrics.html');
    expect(defaultReportPath('out.ndjson')).toBe('out.html');
    expect(defaultReportPath('data/run.log')).toBe('data/run.log.html');
  });
});
