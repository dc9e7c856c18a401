/** denet's monitoring flags on tsdenet's command line (parsed without running anything). */
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src/cli/parser.js';
import { UsageError } from '../../../src/errors.js';

describe('monitoring flags', () => {
  it("has denet's defaults", async () => {
    const parsed = await parseCommandLine(['run', '--', 'true']);
    expect(parsed.name === 'run' && parsed.options.monitor).toEqual({
      intervalMs: 100,
      maxIntervalMs: 1000,
      noUpdate: false,
      durationSecs: 0,
      sinceProcessStart: false,
      excludeChildren: false,
      statsFile: undefined,
      writeEnv: false,
      noPolling: false,
    });
  });

  it('--no-polling (denet\'s event-driven mode)', async () => {
    const parsed = await parseCommandLine(['--no-polling', 'run', '--', 'true']);
    expect(parsed.name === 'run' && parsed.options.monitor.noPolling).toBe(true);
  });

  it('reads the short and long forms', async () => {
    const parsed = await parseCommandLine(['-i', '50', '-m', '200', '-n', '-d', '1.5', '--since-process-start', '--exclude-children', '--stats', 's.json', '--write-env', '--json', 'attach', '42']);
    expect(parsed).toMatchObject({
      name: 'attach',
      pid: 42,
      options: { monitor: { intervalMs: 50, maxIntervalMs: 200, noUpdate: true, durationSecs: 1.5, sinceProcessStart: true, excludeChildren: true, statsFile: 's.json', writeEnv: true } },
    });
  });

  it('takes --no-update literally (yargs would read it as the negation of --update)', async () => {
    const parsed = await parseCommandLine(['--no-update', 'run', '--', 'true']);
    expect(parsed.name === 'run' && parsed.options.monitor.noUpdate).toBe(true);
  });

  it('parses stats FILE', async () => {
    expect(await parseCommandLine(['--json', 'stats', 'run.jsonl'])).toMatchObject({ name: 'stats', file: 'run.jsonl', options: { json: true } });
  });

  it.each([
    [['-i', '0', 'run', 'true'], /--interval must be a whole number from 1/],
    [['-i', '1.5', 'run', 'true'], /--interval must be a whole number/],
    [['-m', '-5', 'run', 'true'], /--max-interval must be a whole number/],
    [['-i', '2000', 'run', 'true'], /--interval \(2000 ms\) cannot be above --max-interval \(1000 ms\)/],
    [['-d', '-1', 'run', 'true'], /--duration must be a number of seconds from 0 to 2147483 \(got -1\)/],
    [['-d', 'NaN', 'run', 'true'], /--duration must be a number of seconds/],
    [['--stats'], /Not enough arguments following: stats/],
    [['attach', '-3'], /Unknown argument|attach needs a process id/],
    [['attach', '12x'], /attach needs a process id/],
    [['stats'], /stats needs FILE/],
    // The env record would go nowhere.
    [['--write-env', 'run', 'true'], /--write-env writes an `env` JSON record/],
  ])('rejects %j as a usage error (exit 2)', async (args, message) => {
    const error = await parseCommandLine(args).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as UsageError).message).toMatch(message);
  });
});
