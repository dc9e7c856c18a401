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

  it.each([
    // -o, -n, -j, -d are tsdenet's options too: after the command's first word they are the command's.
    [['run', 'sort', '-o', 'out', 'in'], ['sort', '-o', 'out', 'in'], { out: undefined }],
    [['-q', 'run', 'echo', '-n', 'hi'], ['echo', '-n', 'hi'], { quiet: true, monitor: { noUpdate: false } }],
    [['run', 'ls', '-la', 'dir'], ['ls', '-la', 'dir'], {}],
    // Options between run and the command are tsdenet's.
    [['run', '-q', '--top', '5', 'grep', '-i', 'x'], ['grep', '-i', 'x'], { quiet: true, top: 5 }],
    [['--attach-mode', 'tracepoint', '-u', 'nobody', 'run', 'id', '-u'], ['id', '-u'], { attachMode: 'tracepoint', user: 'nobody' }],
    [['run', 'ls', '--', 'x'], ['ls', '--', 'x'], {}],
    // Flags (aliases and bundles too) take no value: run is the subcommand, not -j's value.
    [['-jq', 'run', 'ls', '-o'], ['ls', '-o'], { json: true, quiet: true }],
    [['-o', 'f.jsonl', '--format', 'strace', '--enable-ebpf', 'run', 'ls', '-j'], ['ls', '-j'], { out: 'f.jsonl', json: false }],
  ])('without --, %j runs the command with its own options', async (args, command, options) => {
    expect(await parseCommandLine(args)).toMatchObject({ name: 'run', command, options });
  });

  it('turns TSDENET_REQUIRE_EBPF=1 into --require-ebpf (which implies --enable-ebpf)', async () => {
    const parsed = await parseCommandLine(['run', '--', 'true'], { TSDENET_REQUIRE_EBPF: '1' });
    expect(parsed).toMatchObject({ options: { requireEbpf: true, enableEbpf: true } });
  });

  it.each([
    [['--bogus', 'run', '--', 'true'], /^unknown option --bogus$/],
    [['--top', '0', 'run', '--', 'true'], /--top must be a whole number from 1/],
    [['--max-entries', 'lots', 'run', '--', 'true'], /--max-entries must be a whole number/],
    [['--attach-mode', 'kprobe', 'run', '--', 'true'], /Invalid values/],
    [['run'], /run needs a command/],
    [[], /give a subcommand/],
    // -o takes `run` as its file name: nothing would run.
    [['-o', 'run', '--', 'touch', 'x'], /give a subcommand before --/],
    [['--json', '--', 'ls'], /give a subcommand before --/],
    // They would be ignored without eBPF.
    [['--format', 'strace', 'run', '--', 'true'], /--format strace measures syscalls with eBPF/],
    [['--errors', '--per-thread', 'run', '--', 'true'], /--errors, --per-thread measure syscalls/],
    [['--enable-ebpf', '--syscalls', '', 'run', '--', 'true'], /--syscalls needs at least one name/],
    [['--enable-ebpf', '--syscalls', 'foo,read,reed', 'run', '--', 'true'], /unknown syscalls "foo".*"reed" \(did you mean read/],
  ])('rejects %j as a usage error', async (args, message) => {
    await expect(parseCommandLine(args)).rejects.toThrowError(UsageError);
    await expect(parseCommandLine(args)).rejects.toThrowError(message);
  });

  it('takes -h and -V as --help and --version', async () => {
    expect(await parseCommandLine(['-h'])).toMatchObject({ name: 'none', output: expect.stringMatching(/Run a command and profile it/) });
    expect(await parseCommandLine(['-V'])).toMatchObject({ name: 'none', output: expect.stringMatching(/^tsdenet \d+\.\d+\.\d+$/) });
  });

  it('returns help text instead of exiting', async () => {
    const parsed = await parseCommandLine(['--help']);
    expect(parsed.name).toBe('none');
    expect(parsed.name === 'none' && parsed.output).toMatch(/Run a command and profile it/);
  });
});
