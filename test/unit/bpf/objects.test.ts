/**
 * The committed objects: fresh (sources unchanged since the last build),
 * well-formed, and holding every program and map the code names. Opening an
 * object (without loading it) needs no privileges.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BPF_DIR } from '../../../src/bpf/counter.js';
import { loadLibbpf } from '../../../src/bpf/libbpf.js';
import { BTF_OBJECT, BTF_PROGRAMS, MAPS, TRACEPOINT_OBJECT, TRACEPOINT_PROGRAMS } from '../../../src/bpf/names.js';
import { BpfObject } from '../../../src/bpf/object.js';

const manifest = (dir?: string) =>
  spawnSync('node', ['scripts/bpf-manifest.mjs', '--check'], {
    encoding: 'utf8',
    env: { ...process.env, ...(dir ? { TSDENET_BPF_DIR: dir } : {}) },
  });

describe('committed BPF objects', () => {
  it('match their sources (npm run build:bpf was run after the last change)', () => {
    const result = manifest();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('are reported stale when a source changes without a rebuild', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdenet-bpf-'));
    cpSync(BPF_DIR, dir, { recursive: true });
    appendFileSync(join(dir, 'syscount.bpf.c'), '\n/* edited */\n');
    const result = manifest(dir + '/');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/stale.*bpf\/syscount\.bpf\.c.*npm run build:bpf/);
  });

  it('hold every program and map that src/bpf/names.ts names', () => {
    const lib = loadLibbpf();
    lib.setPrint(null);
    const expected: [string, string[], string[]][] = [
      [BTF_OBJECT, Object.values(BTF_PROGRAMS), [MAPS.counts, MAPS.tasks, MAPS.config, MAPS.stats, MAPS.procUsage, MAPS.usageTotal, MAPS.treeLive]],
      [TRACEPOINT_OBJECT, Object.values(TRACEPOINT_PROGRAMS), [MAPS.counts, MAPS.tasks, MAPS.config, MAPS.stats, MAPS.tracked]],
    ];
    for (const [file, programs, maps] of expected) {
      using object = BpfObject.open(lib, BPF_DIR + file);
      for (const name of programs) expect(object.program(name), `${file}: ${name}`).toBeTypeOf('bigint');
      for (const name of maps) expect(object.map(name).name).toBe(name);
      expect(() => object.program('no_such_program')).toThrowError(/find BPF program no_such_program failed/);
    }
  });

  it('refuses a corrupt or foreign object with a clear error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsdenet-bpf-'));
    const corrupt = join(dir, 'corrupt.o');
    writeFileSync(corrupt, 'not an ELF file at all');
    expect(() => BpfObject.open(loadLibbpf(), corrupt)).toThrowError(/is not a little-endian BPF object/);
    // A real ELF for another machine: the node binary itself.
    expect(() => BpfObject.open(loadLibbpf(), process.execPath)).toThrowError(/not a little-endian BPF object/);
    expect(() => BpfObject.open(loadLibbpf(), join(dir, 'missing.o'))).toThrowError(/cannot read BPF object/);
  });
});
