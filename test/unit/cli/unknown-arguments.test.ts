/** The message for words tsdenet does not know (pure; the real CLI: test/integration/cli-messages.test.ts). */
import { describe, expect, it } from 'vitest';
import { explainUnknownArguments, unknownNames } from '../../../src/cli/unknown-arguments.js';

const vocabulary = { options: ['enable-ebpf', 'require-ebpf', 'json', 'out', 'errors', 'latency', 'open'], commands: ['run', 'doctor', 'attach', 'stats', 'report'] };

function explain(message: string, args: string[]): { message: string; hint: string | undefined } {
  const error = explainUnknownArguments(unknownNames(message), args, vocabulary);
  return { message: error.message, hint: error.hint };
}

describe('explainUnknownArguments', () => {
  it("reads yargs' list, blank names included", () => {
    expect(unknownNames('Unknown arguments: enable-epbf, enableEpbf')).toEqual(['enable-epbf', 'enableEpbf']);
    expect(unknownNames('Unknown argument: " "')).toEqual([' ']);
  });

  it('drops the camelCase twin and suggests the closest option', () => {
    expect(explain('Unknown arguments: enable-epbf, enableEpbf', ['--enable-epbf', 'run', '--', 'true'])).toEqual({
      message: 'unknown option --enable-epbf (did you mean --enable-ebpf?)',
      hint: undefined,
    });
  });

  it('keeps a camelCase name the user typed himself', () => {
    expect(explain('Unknown argument: enableEbpf', ['--enableEbpf', 'run', '--', 'true']).message).toBe('unknown option --enableEbpf (did you mean --enable-ebpf?)');
  });

  it('names --no-X and --X=value as typed', () => {
    expect(explain('Unknown arguments: jsno', ['--jsno=1', 'stats', 'f']).message).toBe('unknown option --jsno (did you mean --json?)');
    expect(explain('Unknown arguments: erors', ['--no-erors', 'run', 'true']).message).toMatch(/^unknown option --no-erors \(did you mean --errors\?\)/);
  });

  it('suggests the closest subcommand', () => {
    expect(explain('Unknown argument: rnu', ['rnu', '--', 'true'])).toEqual({
      message: 'unknown command rnu (did you mean run?)',
      hint: 'give a subcommand: run, doctor, attach, stats, report',
    });
    expect(explain('Unknown argument: frobnicate', ['frobnicate']).message).toBe('unknown command frobnicate');
  });

  it('points at run -- CMD when the command\'s options were taken as tsdenet\'s', () => {
    expect(explain('Unknown arguments: l, a', ['run', 'ls', '-la', 'dir'])).toEqual({
      message: "unknown options -l, -a: tsdenet takes every option before -- as its own",
      hint: 'put the command after --: tsdenet run -- ls -la dir',
    });
    // Global options stay where they were; words that need it are quoted.
    expect(explain('Unknown arguments: color', ['--enable-ebpf', 'run', 'grep', '--color', 'a b']).hint).toBe("put the command after --: tsdenet --enable-ebpf run -- grep --color 'a b'");
  });

  it('does not point at -- for an unknown option before run', () => {
    expect(explain('Unknown argument: latncy', ['--latncy', 'run', '--', 'ls', '-la']).hint).toBeUndefined();
  });

  it('calls extra words after a subcommand unexpected', () => {
    expect(explain('Unknown argument: b', ['stats', 'a', 'b']).message).toBe('unexpected argument b');
  });
});
