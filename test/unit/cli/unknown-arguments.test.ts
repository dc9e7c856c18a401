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

  it('takes an unknown first word for the command to profile, its options for its own, and points at run --', () => {
    expect(explain('Unknown arguments: l, a, ls', ['ls', '-la', 'dir'])).toEqual({
      message: 'unknown command ls',
      hint: 'to profile a command, put it after run --: tsdenet run -- ls -la dir (subcommands: run, doctor, attach, stats, report)',
    });
    // Global options stay where they were, typos among them named; words that need it are quoted.
    expect(explain('Unknown arguments: latncy, grep, color', ['--latncy', 'grep', '--color', 'a b'])).toEqual({
      message: 'unknown option --latncy (did you mean --latency?); unknown command grep',
      hint: "to profile a command, put it after run --: tsdenet --latncy run -- grep --color 'a b' (subcommands: run, doctor, attach, stats, report)",
    });
  });

  it('calls extra words after a subcommand unexpected', () => {
    expect(explain('Unknown argument: b', ['stats', 'a', 'b']).message).toBe('unexpected argument b');
  });
});
