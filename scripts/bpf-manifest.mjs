#!/usr/bin/env node
// Records (--write) or checks (--check) the sha256 of every BPF source and
// header and of each committed object in bpf/MANIFEST.json. --check exits 1
// when a source or object differs from what the manifest says: a source
// changed without `npm run build:bpf`, or an object was replaced by hand.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.TSDENET_BPF_DIR ?? new URL('../bpf/', import.meta.url).pathname;
const manifestPath = join(dir, 'MANIFEST.json');
const sha = (file) => createHash('sha256').update(readFileSync(join(dir, file))).digest('hex');

function currentHashes() {
  const files = readdirSync(dir).sort();
  const sources = files.filter((f) => f.endsWith('.c') || f.endsWith('.h'));
  const objects = files.filter((f) => f.endsWith('.o'));
  return {
    sources: Object.fromEntries(sources.map((f) => [f, sha(f)])),
    objects: Object.fromEntries(objects.map((f) => [f, sha(f)])),
  };
}

const mode = process.argv[2];
if (mode === '--write') {
  const clang = execFileSync(process.env.CLANG ?? 'clang', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  const manifest = { comment: 'written by npm run build:bpf; checked by test/unit/bpf/objects.test.ts', clang, ...currentHashes() };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  console.log(`wrote ${manifestPath}`);
} else if (mode === '--check') {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const now = currentHashes();
  const problems = [];
  for (const kind of ['sources', 'objects']) {
    const names = new Set([...Object.keys(manifest[kind]), ...Object.keys(now[kind])]);
    for (const name of names) {
      if (manifest[kind][name] !== now[kind][name]) problems.push(`bpf/${name}`);
    }
  }
  if (problems.length > 0) {
    console.error(`BPF objects are stale or edited by hand (${problems.join(', ')}): run npm run build:bpf and commit bpf/`);
    process.exit(1);
  }
  console.log('bpf objects match their sources');
} else {
  console.error('usage: bpf-manifest.mjs --write | --check');
  process.exit(2);
}
