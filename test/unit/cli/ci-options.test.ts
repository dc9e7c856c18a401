import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src/cli/parser.js';
import { UsageError } from '../../../src/errors.js';

const noEnv = {};

describe('compare on the command line', () => {
  it('takes BASE NEW, or several runs a side around --', async () => {
    expect(await parseCommandLine(['compare', 'a.jsonl', 'b.jsonl'], noEnv)).toMatchObject({ name: 'compare', base: ['a.jsonl'], new: ['b.jsonl'], markdown: false });
    expect(await parseCommandLine(['compare', 'a1', 'a2', '--', 'b1', 'b2', 'b3'], noEnv)).toMatchObject({ base: ['a1', 'a2'], new: ['b1', 'b2', 'b3'] });
    expect(await parseCommandLine(['--json', 'compare', '--format', 'markdown', '--budget', 'openat=+1', '--budget', 'total=+5%', 'a', 'b'], noEnv)).toMatchObject({
      options: { json: true },
      markdown: true,
      budgets: { specs: ['openat=+1', 'total=+5%'], anyCommand: false },
    });
  });

  it.each([
    [['compare', 'a'], /compare needs a base run and a new run/],
    [['compare', 'a', 'b', 'c'], /compare got 3 runs: put -- between the base runs and the new runs/],
    [['compare', '--', 'b'], /at least one base run before --/],
    [['compare', 'a', '--', 'b', '--budget', 'x=1'], /--budget comes after --, where only the new runs go/],
    [['compare', '--format', 'strace', 'a', 'b'], /compare --format is table or markdown, not strace/],
    [['run', '--format', 'markdown', '--', 'true'], /Invalid values/],
    [['run', '--budget', 'openat<=1', '--', 'true'], /--budget and --budget-file check syscall counts/],
    [['run', '--budget-file', '', '--', 'true'], /--budget-file needs a file name/],
    [['--enable-ebpf', 'run', '--budget-against', 'b.jsonl', '--', 'true'], /none is given/],
    [['run', '--prom-file', '', '--', 'true'], /--prom-file needs a file name/],
    [['run', '--pushgateway', 'http://h:9091', '--push-label', 'a=1', '--push-label', 'a=2', '--', 'true'], /--push-label a is given twice/],
    [['run', '--push-job', 'x', '--', 'true'], /--push-job labels pushed or written metrics/],
    [['run', '--pushgateway', 'http://h:9091', '--push-job', '', '--', 'true'], /--push-job needs a name/],
  ])('%j is a usage error', async (args, message) => {
    const error = await parseCommandLine(args, noEnv).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('Prometheus options of run', () => {
  it('reads the gateway from the flag or TSDENET_PUSHGATEWAY, the job and the labels', async () => {
    const parsed = await parseCommandLine(['run', '--push-label', 'commit=abc', '--push-label', 'host=ci=7', '--', 'true'], { TSDENET_PUSHGATEWAY: 'http://gw:9091' });
    expect(parsed).toMatchObject({ name: 'run', ci: { prometheus: { job: 'tsdenet', labels: [['commit', 'abc'], ['host', 'ci=7']], pushgateway: { shown: 'http://gw:9091' } } } });
    const flag = await parseCommandLine(['run', '--pushgateway', 'http://other:9091', '--push-job', 'build', '--', 'true'], { TSDENET_PUSHGATEWAY: 'http://gw:9091' });
    expect(flag).toMatchObject({ ci: { prometheus: { job: 'build', pushgateway: { shown: 'http://other:9091' } } } });
    expect(await parseCommandLine(['run', '--', 'true'], { TSDENET_PUSHGATEWAY: '' })).toMatchObject({ ci: { prometheus: { pushgateway: undefined } } });
  });
});
