import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src/cli/parser.js';
import { UsageError } from '../../../src/errors.js';

describe('parseCommandLine', () => {
  it('takes global flags before the subcommand and the command after --', async () => {
    const parsed = await parseCommandLine(['--enable-ebpf', '-j', '--top', '5', 'run', '--', 'ls', '-la', '--color']);
    expect(parsed).toMatchObject({
      name: 'run',
      command: ['ls', '-la', '--color'],
      options: { enableEbpf: true, json: true, top: 5, attachMode: 'auto', requireEbpf: false },
    });
  });

  it('accepts a plain command without --', async () => {
    expect(await parseCommandLine(['run', 'true'])).toMatchObject({ name: 'run', command: ['true'] });
  });

  it('turns TSDENET_REQUIRE_EBPF=1 into --require-ebpf (which implies --enable-ebpf)', async () => {
    const parsed = await parseCommandLine(['run', '--', 'true'], { TSDENET_REQUIRE_EBPF: '1' });
    expect(parsed).toMatchObject({ options: { requireEbpf: true, enableEbpf: true } });
  });

  it.each([
    [['--bogus', 'run', '--', 'true'], /Unknown argument: bogus/],
    [['--top', '0', 'run', '--', 'true'], /--top must be a whole number from 1/],
    [['--max-entries', 'lots', 'run', '--', 'true'], /--max-entries must be a whole number/],
    [['--attach-mode', 'kprobe', 'run', '--', 'true'], /Invalid values/],
    [['run'], /run needs a command/],
    [[], /give a subcommand/],
  ])('rejects %j as a usage error', async (args, message) => {
    await expect(parseCommandLine(args)).rejects.toThrowError(UsageError);
    await expect(parseCommandLine(args)).rejects.toThrowError(message);
  });

  it('returns help text instead of exiting', async () => {
    const parsed = await parseCommandLine(['--help']);
    expect(parsed.name).toBe('none');
    expect(parsed.name === 'none' && parsed.output).toMatch(/Run a command and profile it/);
  });
});
