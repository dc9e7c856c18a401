/**
 * Every jq example the user is shown (README.md, docs/*.md, `tsdenet
 * --help`) run as written against a real run, with the documented command
 * (make, ./test.sh…) replaced by the C workload whose counts are known by
 * construction: each must print what its text says it prints, and no `null`
 * (`jq .ebpf.syscalls.top_syscalls` on the whole stream printed one null per
 * tree record before the answer).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/syscalls/categories.js';
import { BIN, ROOT, runProgram } from '../helpers/cli.js';
import { requireBpf, requireOrSkip, toolMissing } from '../helpers/privileges.js';
import { buildFixture, WORKLOAD_COUNTS } from '../helpers/workload.js';

interface Example {
  where: string;
  /** The shell line(s), as documented. */
  text: string;
  /** An earlier line of the same block that writes the file this one reads (`tsdenet -o run.jsonl …`). */
  setup?: string;
}

/** Lines of the ```sh blocks; a line with an open single quote goes on with the next. */
function shellLines(markdown: string): string[][] {
  const blocks: string[][] = [];
  for (const match of markdown.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const lines: string[] = [];
    let pending = '';
    for (const line of match[1]!.split('\n')) {
      pending = pending === '' ? line : `${pending}\n${line}`;
      if ((pending.match(/'/g) ?? []).length % 2 === 0) {
        lines.push(pending);
        pending = '';
      }
    }
    blocks.push(lines.filter((l) => l.trim() !== ''));
  }
  return blocks;
}

/** The line without its trailing `# comment` (none of the examples has # inside quotes). */
function withoutComment(line: string): string {
  return line.replace(/\s+#[^'"]*$/, '').trim();
}

function documentedExamples(): Example[] {
  const files = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join('docs', f))];
  const examples: Example[] = [];
  for (const file of files) {
    for (const block of shellLines(readFileSync(join(ROOT, file), 'utf8'))) {
      block.forEach((raw, i) => {
        const text = withoutComment(raw);
        if (!/\bjq\b/.test(text)) return;
        const setup = text.startsWith('jq') ? block.slice(0, i).map(withoutComment).reverse().find((l) => / -o \S+ /.test(l) && !/\bjq\b/.test(l)) : undefined;
        examples.push({ where: file, text, setup });
      });
    }
  }
  // --help: each example on its own line (the test fails if one wraps, as its quotes would not close).
  const help = execFileSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' });
  for (const line of help.slice(help.indexOf('\nExamples:\n')).split('\n')) {
    if (/^ {2}tsdenet .*\bjq\b/.test(line)) examples.push({ where: '--help', text: line.trim() });
  }
  return examples;
}

/**
 * `run -- make -j2 | jq …` → `run -- WORKLOAD | jq …`. Unless piped (--json
 * sends it to stderr), the workload's own output is its stdout: not jq's.
 */
function withWorkload(text: string, workload: string): string {
  return text.replace(/ run -- [^|&\n]*?(\s*)(\||&&|$)/g, (_, space: string, next: string) => ` run -- ${workload}${next === '|' ? '' : ' > /dev/null'}${space}${next}`);
}

/** The jq filter of an example: the quoted one, or the bare word after jq. */
function filterOf(text: string): string {
  const quoted = /\bjq (?:-\w+ )*'([^']*)'/.exec(text);
  return (quoted ? quoted[1]! : /\bjq (\S+)/.exec(text)![1]!).replace(/\s+/g, ' ').trim();
}

type Values = unknown[];

function single(values: Values): unknown {
  expect(values).toHaveLength(1);
  return values[0];
}

const TOP = `${WORKLOAD_COUNTS.getpgid} getpgid, ${WORKLOAD_COUNTS.sched_yield} sched_yield, ${WORKLOAD_COUNTS.getppid} getppid first`;

function checkTopSyscalls(values: Values): void {
  const top = single(values) as { name: string; count: number }[];
  expect(top.slice(0, 3)).toEqual([
    { name: 'getpgid', count: WORKLOAD_COUNTS.getpgid },
    { name: 'sched_yield', count: WORKLOAD_COUNTS.sched_yield },
    { name: 'getppid', count: WORKLOAD_COUNTS.getppid },
  ]);
  expect(top).toHaveLength(10);
}

/** What each documented filter says it prints, checked on the workload's run. */
const CLAIMS: Record<string, { says: string; check: (values: Values) => void }> = {
  'select(.kind == "summary") | .ebpf.syscalls.top_syscalls': { says: `the ten most frequent syscalls: ${TOP}`, check: checkTopSyscalls },
  'select(.kind == "summary").ebpf.syscalls.top_syscalls': { says: `the ten most frequent syscalls: ${TOP}`, check: checkTopSyscalls },
  // (It was sort_by(-.by_syscall.openat): jq fails on a process that made no openat.)
  'select(.kind == "summary") | .ebpf.syscalls.processes | map({pid, comm, openat: (.by_syscall.openat // 0)}) | sort_by(-.openat) | .[0:5]': {
    says: 'up to five processes of the tree, most openat first',
    check: (values) => {
      const rows = single(values) as { pid: number; comm: string; openat: number }[];
      // The workload: its root, the child (forked, then exec'd) and the grandchild.
      expect(rows).toHaveLength(3);
      for (const row of rows) expect(row).toEqual({ pid: expect.any(Number), comm: expect.any(String), openat: expect.any(Number) });
      const counts = rows.map((r) => r.openat);
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
      expect(counts[0]).toBeGreaterThan(0);
    },
  },
  'select(.kind == "summary") | .ebpf.syscalls.by_category': {
    says: 'calls per category, all ten',
    check: (values) => {
      const byCategory = single(values) as Record<string, number>;
      expect(Object.keys(byCategory).sort()).toEqual([...CATEGORIES].sort());
      expect(byCategory.process).toBeGreaterThanOrEqual(WORKLOAD_COUNTS.getpgid + WORKLOAD_COUNTS.getppid + WORKLOAD_COUNTS.getsid);
    },
  },
  '.syscall_rate_per_sec': {
    says: 'the run\'s one syscall rate, from the sidecar',
    check: (values) => expect(single(values)).toBeGreaterThan(0),
  },
  'select(.kind=="tree") | .aggregated.cpu_usage': {
    says: 'the CPU usage of every sample',
    check: (values) => {
      expect(values.length).toBeGreaterThan(1);
      for (const v of values) expect(typeof v).toBe('number');
    },
  },
  'select(.kind == "summary") | .ebpf.offcpu': {
    says: "the run's off-CPU time, denet's shape and the split by reason",
    check: (values) => {
      const o = single(values) as Record<string, any>;
      expect(Object.keys(o)).toEqual(['total_time_ns', 'total_events', 'avg_time_ns', 'max_time_ns', 'top_blocking_threads', 'sleeping_ns', 'runnable_ns']);
      expect(o.total_time_ns).toBe(o.sleeping_ns + o.runnable_ns);
      expect(o.total_events).toBeGreaterThan(0);
      expect(o.top_blocking_threads.length).toBeGreaterThan(0);
    },
  },
  'select(.kind == "summary")': {
    says: 'the summary record',
    check: (values) => expect(single(values)).toMatchObject({ kind: 'summary', ebpf: { syscalls: { total: expect.any(Number) } } }),
  },
};

const examples = documentedExamples();
const work = mkdtempSync(join(tmpdir(), 'tsdenet-jq-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('documented jq examples', () => {
  it('are found (README, docs, --help), and each has a claim here', () => {
    expect(examples.filter((e) => e.where === 'README.md').length).toBeGreaterThanOrEqual(3);
    expect(examples.filter((e) => e.where === '--help')).toHaveLength(1);
    for (const example of examples) expect(CLAIMS, `${example.where}: no claim for ${example.text}`).toHaveProperty([filterOf(example.text)]);
  });

  it.for(examples.map((e) => [e.where, e.text, e] as const))('%s: %s', async ([, , example], ctx) => {
    requireBpf(ctx);
    requireOrSkip(ctx, toolMissing('jq', ['--version'], 'jq'));
    const workload = buildFixture('workload');
    // `tsdenet` on PATH is the built CLI; each example runs in its own directory (run.jsonl).
    const dir = mkdtempSync(join(work, 'example-'));
    writeFileSync(join(dir, 'tsdenet'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
    chmodSync(join(dir, 'tsdenet'), 0o755);
    const script = [example.setup, example.text].filter((l) => l !== undefined).map((l) => withWorkload(l, workload)).join(' && ');
    // jq -c: one value per line, to count them (a null included).
    const r = await runProgram('bash', ['-c', `set -eo pipefail; (${script}) | jq -c .`], {
      cwd: dir,
      env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}` },
    });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n').filter((l) => l !== '');
    expect(lines, 'jq printed nothing').not.toHaveLength(0);
    expect(lines, 'jq printed null').not.toContain('null');
    CLAIMS[filterOf(example.text)]!.check(lines.map((l) => JSON.parse(l) as unknown));
  });
});
