/** Compiles test/fixtures/proc/<name>.c once per test file (gcc) into a temporary directory. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../../fixtures/proc/', import.meta.url));
const built = new Map<string, string>();

export function buildProcFixture(name: 'spin' | 'touch'): string {
  let out = built.get(name);
  if (!out) {
    out = join(mkdtempSync(join(tmpdir(), 'tsdenet-proc-')), name);
    execFileSync('gcc', ['-O1', '-Wall', '-o', out, join(DIR, `${name}.c`), '-lpthread']);
    built.set(name, out);
  }
  return out;
}
