/**
 * Compiles test/fixtures/*.c once per test file into a temporary directory
 * (gcc, from Debian's build-essential) and gives the expected counts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
/** The benchmark's C workloads, whose counts are known by construction. */
export const BENCH_WORKLOADS = fileURLToPath(new URL('../../scripts/bench/c/', import.meta.url));
const built = new Map<string, string>();
let dir: string | undefined;

/** One directory per test process, removed when it exits. */
function fixtureDir(): string {
  if (!dir) {
    const created = mkdtempSync(join(tmpdir(), 'tsdenet-fixture-'));
    process.once('exit', () => rmSync(created, { recursive: true, force: true }));
    dir = created;
  }
  return dir;
}

/** Builds test/fixtures/NAME.c (or NAME.c in sourceDir: the benchmark's workloads). */
export function buildFixture(name: string, extraFlags: string[] = [], sourceDir = FIXTURES): string {
  const key = [sourceDir, name, ...extraFlags].join(' ');
  const cached = built.get(key);
  if (cached) return cached;
  const out = join(fixtureDir(), `${sourceDir === FIXTURES ? '' : 'bench-'}${name}${extraFlags.join('')}`);
  execFileSync('gcc', ['-O1', '-Wall', '-o', out, join(sourceDir, `${name}.c`), '-lpthread', ...extraFlags]);
  built.set(key, out);
  return out;
}

/** Calls the workload makes by construction (see test/fixtures/workload.c). */
export const WORKLOAD_COUNTS = {
  getppid: 1000,
  sched_yield: 2000,
  getpgid: 3000,
  getsid: 400,
  umask: 50,
  times: 7,
  execve: 2,
} as const;
