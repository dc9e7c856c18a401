/**
 * `tsdenet report` through the built CLI, as a user runs it: files
 * written, exit codes, messages (no browser here: report-browser.test.ts).
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/report');

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'tsdenet-report-'));
}

describe('tsdenet report', () => {
  it('writes the HTML to -o FILE and prints its file URL with --open', async () => {
    const dir = scratch();
    const out = join(dir, 'report.html');
    const result = await runCli(['report', join(FIXTURES, 'tsdenet-sampled.jsonl'), '-o', out, '--open']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${pathToFileURL(out).href}\n`);
    expect(result.stderr).toMatch(/^tsdenet: wrote .*report\.html \(\d+ KiB\)\n$/);
    const html = readFileSync(out, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('</html>');
    // Nothing but the report is left in the directory (the temporary file was renamed).
    expect(readdirSync(dir)).toEqual(['report.html']);
  });

  it('writes FILE.html beside the input by default, and prints what is missing', async () => {
    const dir = scratch();
    copyFileSync(join(FIXTURES, 'tsdenet-summary-only.jsonl'), join(dir, 'run.jsonl'));
    const result = await runCli(['report', join(dir, 'run.jsonl')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^tsdenet: missing: no samples: this file has no tree or sample records/);
    expect(statSync(join(dir, 'run.html')).size).toBeGreaterThan(50_000);
  });

  it('reads standard input with "-"', async () => {
    const out = join(scratch(), 'r.html');
    const result = await runCli(['-q', 'report', '-', '-o', out], { input: readFileSync(join(FIXTURES, 'denet-tree.jsonl'), 'utf8') });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(readFileSync(out, 'utf8')).toContain('python3 train.py --epochs 2');
  });

  it.each([
    ['no-such.jsonl', /^tsdenet: cannot read \S+no-such\.jsonl: no such file\ntsdenet: fix: give the JSON Lines file of a run/],
    ['empty.jsonl', /^tsdenet: \S+empty\.jsonl is empty\n/],
    ['not-jsonl.txt', /^tsdenet: \S+not-jsonl\.txt holds no tsdenet or denet record \(2 line\(s\) read; line 1: not JSON\)\n/],
  ])('exits 1 on %s with the problem named, no stack and no output file', async (name, message) => {
    const out = join(scratch(), 'r.html');
    const result = await runCli(['report', join(FIXTURES, name), '-o', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 1 when the report cannot be written', async () => {
    const result = await runCli(['report', join(FIXTURES, 'denet-tree.jsonl'), '-o', '/nonexistent-dir/r.html']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^tsdenet: cannot write \/nonexistent-dir\/r\.html: ENOENT\ntsdenet: fix: create the directory first/);
  });

  it('refuses to overwrite its input, and stdin without -o (exit 2)', async () => {
    const dir = scratch();
    copyFileSync(join(FIXTURES, 'denet-tree.jsonl'), join(dir, 'run.jsonl'));
    const same = await runCli(['report', join(dir, 'run.jsonl'), '-o', join(dir, 'run.jsonl')]);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/would overwrite the input/);
    expect(readFileSync(join(dir, 'run.jsonl'), 'utf8')).toBe(readFileSync(join(FIXTURES, 'denet-tree.jsonl'), 'utf8'));
    const stdin = await runCli(['report', '-'], { input: '' });
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toMatch(/reading standard input needs -o FILE/);
  });
});
