/** Which pressure file each sample reads (monitor/psi.ts), on a /proc and cgroup tree laid out in a temporary directory. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PsiReader } from '../../../src/monitor/psi.js';

let root: string;
afterEach(() => rmSync(root, { recursive: true, force: true }));

function layout(cgroupLine: string): { proc: string; cg: string } {
  root = mkdtempSync(join(tmpdir(), 'tsdenet-psi-'));
  const proc = join(root, 'proc');
  const cg = join(root, 'cgroup');
  mkdirSync(join(proc, 'self'), { recursive: true });
  mkdirSync(join(proc, '42'), { recursive: true });
  mkdirSync(join(proc, 'pressure'), { recursive: true });
  mkdirSync(join(cg, 'job'), { recursive: true });
  writeFileSync(join(proc, 'self/mountinfo'), `40 30 0:37 / ${cg} rw,relatime - cgroup2 cgroup2 rw\n`);
  writeFileSync(join(proc, 'pressure/memory'), 'some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n');
  writeFileSync(join(cg, 'job/memory.pressure'), 'some avg10=12.50 avg60=3.00 avg300=1.00 total=99\nfull avg10=4.25 avg60=1.00 avg300=0.00 total=9\n');
  writeFileSync(join(proc, '42/cgroup'), cgroupLine);
  return { proc, cg };
}

describe('PsiReader', () => {
  it('the command\'s own cgroup: its memory.pressure', () => {
    const { proc } = layout('0::/job\n');
    const psi = new PsiReader(42, proc);
    expect(psi.capability()).toEqual({ system: true, per_process: true });
    expect(psi.read()).toEqual({ some_avg10: 12.5, full_avg10: 4.25 });
  });

  it('the root cgroup: the system file, and the reason', () => {
    const { proc } = layout('0::/\n');
    const psi = new PsiReader(42, proc);
    expect(psi.capability()).toEqual({ system: true, per_process: false, reason: "per-process PSI unavailable: the command is in the root cgroup (none of its own); the system's /proc/pressure/memory is used" });
    expect(psi.read()).toEqual({ some_avg10: 0, full_avg10: 0 });
  });

  it('once the command has gone, the file it last had', () => {
    const { proc } = layout('0::/job\n');
    const psi = new PsiReader(42, proc);
    psi.read();
    rmSync(join(proc, '42'), { recursive: true });
    expect(psi.read()).toEqual({ some_avg10: 12.5, full_avg10: 4.25 });
  });
});
