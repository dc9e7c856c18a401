/**
 * Reliability with the real eBPF counter (root): SIGKILL of tsdenet leaves
 * no BPF program, link or map and no command behind; --wait-tree follows a
 * daemon orphaned at once; the counts stay exact with and without the
 * setpriv wrapper; a kernel without BTF, a damaged or foreign BPF object
 * each end in a clear message.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BIN, lastRecord, ROOT, runCli, runProgram } from '../helpers/cli.js';
import { ensureTracefs, requireBpf, requireOrSkip, toolMissing } from '../helpers/privileges.js';
import { buildFixture, WORKLOAD_COUNTS } from '../helpers/workload.js';
import { startCli } from '../integration/helpers/streaming-cli.js';
import { killOnFinish, tempDir, waitUntilGone, type Rec } from './helpers.js';

function expectWorkloadCounts(summary: Rec): void {
  const bySyscall = summary.ebpf.syscalls.by_syscall as Record<string, number>;
  for (const [name, count] of Object.entries(WORKLOAD_COUNTS)) expect(bySyscall[name], name).toBe(count);
}


/** BPF objects a process holds, by kind, from its descriptors' fdinfo. */
function heldBpfObjects(pid: number): { prog: number[]; map: number[]; link: number[] } {
  const held = { prog: [] as number[], map: [] as number[], link: [] as number[] };
  for (const fd of readdirSync(`/proc/${pid}/fdinfo`)) {
    let info: string;
    try {
      info = readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8');
    } catch {
      continue;
    }
    for (const kind of ['prog', 'map', 'link'] as const) {
      const m = new RegExp(`^${kind}_id:\\s*(\\d+)`, 'm').exec(info);
      if (m) held[kind].push(Number(m[1]));
    }
  }
  return held;
}

/** Whether bpftool still finds the object (ids are never reused). */
function bpfObjectExists(kind: 'prog' | 'map' | 'link', id: number): boolean {
  try {
    execFileSync('bpftool', [kind, 'show', 'id', String(id)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('SIGKILL of tsdenet with the counter loaded', () => {
  it('leaves no BPF program, link, map or pin, and no command behind', async (ctx) => {
    requireBpf(ctx);
    requireOrSkip(ctx, toolMissing('bpftool', ['version'], 'bpftool'));
    const pinnedBefore = readdirSync('/sys/fs/bpf').sort();
    const cli = startCli(['--enable-ebpf', '--require-ebpf', '--json', 'run', '--', 'sleep', '60']);
    const metadata = await cli.waitForRecord((r) => r.kind === 'metadata');
    await cli.waitForRecord((r) => r.kind === 'tree');
    killOnFinish(() => [metadata.pid]);
    const held = heldBpfObjects(cli.child.pid!);
    expect(held.prog.length, 'programs loaded').toBeGreaterThanOrEqual(3);
    expect(held.link.length, 'programs attached').toBeGreaterThanOrEqual(3);
    for (const id of held.prog) expect(bpfObjectExists('prog', id), `prog ${id} before`).toBe(true);
    cli.child.kill('SIGKILL');
    await cli.done;
    expect(await waitUntilGone(metadata.pid), 'the command dies with tsdenet').toBe(true);
    // The kernel frees them once the last descriptor is closed (after an RCU grace period).
    const end = Date.now() + 5000;
    const remaining = (): string[] => (['prog', 'link', 'map'] as const).flatMap((kind) => held[kind].filter((id) => bpfObjectExists(kind, id)).map((id) => `${kind} ${id}`));
    while (remaining().length > 0 && Date.now() < end) await sleep(50);
    expect(remaining()).toEqual([]);
    expect(readdirSync('/sys/fs/bpf').sort()).toEqual(pinnedBefore);
  });
});

describe('--wait-tree with the eBPF counter', () => {
  it('waits for a daemon orphaned at once (no /proc sample could link it) and counts its calls', async (ctx) => {
    requireBpf(ctx);
    const daemon = 'setsid sh -c "sleep 0.6; exec true" </dev/null >/dev/null 2>&1 & exit 0';
    const result = await runCli(['--enable-ebpf', '--require-ebpf', '--json', '--wait-tree', 'run', '--', 'sh', '-c', daemon]);
    expect(result.code, result.stderr).toBe(0);
    const summary = lastRecord(result.stdout);
    expect(summary.wall_time_secs).toBeGreaterThanOrEqual(0.55);
    const comms = (summary.ebpf.syscalls.processes as Rec[]).map((p) => p.comm);
    expect(comms).toEqual(expect.arrayContaining(['sleep', 'true']));
  });
});

describe('how the command is started', () => {
  it('counts exactly when setpriv is missing: the command is started directly', async (ctx) => {
    requireBpf(ctx);
    const workload = buildFixture('workload');
    // /dev/null (not executable) over setpriv, in a mount namespace of this command only.
    const script = 'mount --bind /dev/null /usr/bin/setpriv && exec "$@"';
    const r = await runProgram('unshare', ['-m', 'sh', '-c', script, 'sh', process.execPath, BIN, '--enable-ebpf', '--require-ebpf', '--json', '--debug', 'run', '--', workload]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('setpriv with --pdeathsig (util-linux >= 2.33) not found: the command is started directly');
    const summary = lastRecord(r.stdout);
    expectWorkloadCounts(summary);
    expect(summary.ebpf.syscalls.processes[0].argv).toEqual([workload]);
  });
});

describe('a kernel without BTF (hidden from libbpf in a mount namespace)', () => {
  const hideBtf = 'mount -t tmpfs none /sys/kernel/btf && exec "$@"';

  it('names the missing BTF and the fix when tp_btf is required', async (ctx) => {
    requireBpf(ctx);
    const r = await runProgram('unshare', ['-m', 'sh', '-c', hideBtf, 'sh', process.execPath, BIN, '--enable-ebpf', '--require-ebpf', '--attach-mode', 'tp_btf', 'run', '--', 'true']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'tsdenet: eBPF syscall counting unavailable: the kernel has no BTF (/sys/kernel/btf/vmlinux is missing), which the tp_btf counter needs\n' +
        'tsdenet: fix: use a kernel built with CONFIG_DEBUG_INFO_BTF=y, or the classic tracepoints: --attach-mode tracepoint (or auto) with tracefs mounted (mount -t tracefs nodev /sys/kernel/tracing)\n',
    );
  });

  it('falls back to the classic tracepoint in auto mode and counts exactly', async (ctx) => {
    requireBpf(ctx);
    ensureTracefs();
    const workload = buildFixture('workload');
    const r = await runProgram('unshare', ['-m', 'sh', '-c', hideBtf, 'sh', process.execPath, BIN, '--enable-ebpf', '--require-ebpf', '--json', 'run', '--', workload]);
    expect(r.code, r.stderr).toBe(0);
    const summary = lastRecord(r.stdout);
    expect(summary.ebpf.attach_mode).toBe('tracepoint');
    expectWorkloadCounts(summary);
  });
});

/**
 * A copy of the installed package (bin, dist) whose bpf/ holds the given
 * objects: dist/bpf/counter.js finds its objects at ../../bpf.
 */
function packageWithObjects(objects: { btf: Buffer; tracepoint: Buffer }): string {
  const dir = tempDir('package');
  for (const part of ['bin', 'dist', 'package.json']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  mkdirSync(join(dir, 'bpf'));
  writeFileSync(join(dir, 'bpf', 'syscount.bpf.o'), objects.btf);
  writeFileSync(join(dir, 'bpf', 'syscount_tp.bpf.o'), objects.tracepoint);
  return join(dir, 'bin', 'tsdenet.js');
}

describe('a damaged or foreign BPF object', () => {
  it('is one clear error with a fix under --require-ebpf, and a warning otherwise', async (ctx) => {
    requireBpf(ctx);
    const real = { btf: readFileSync(join(ROOT, 'bpf', 'syscount.bpf.o')), tracepoint: readFileSync(join(ROOT, 'bpf', 'syscount_tp.bpf.o')) };
    const floor = readFileSync(join(ROOT, 'bpf', 'floor.bpf.o'));
    const notBpf = readFileSync(readlinkSync('/proc/self/exe'));
    const cases = {
      truncated: { btf: real.btf.subarray(0, 2000), tracepoint: real.tracepoint.subarray(0, 2000) },
      foreign: { btf: floor, tracepoint: floor },
      'not BPF': { btf: notBpf.subarray(0, 100_000), tracepoint: Buffer.from('garbage\n') },
    };
    for (const [name, objects] of Object.entries(cases)) {
      const bin = packageWithObjects(objects);
      const required = await runProgram(process.execPath, [bin, '--enable-ebpf', '--require-ebpf', 'run', '--', 'true']);
      expect(required.code, name).toBe(1);
      const lines = required.stderr.trimEnd().split('\n');
      expect(lines, `${name}: ${required.stderr}`).toHaveLength(2);
      expect(lines[0], name).toMatch(/^tsdenet: eBPF syscall counting unavailable \(tp_btf: .+; tracepoint: .+\)$/);
      expect(lines[1], name).toMatch(/^tsdenet: fix: /);
      const optional = await runProgram(process.execPath, [bin, '--enable-ebpf', '--json', 'run', '--', 'sh', '-c', 'exit 4']);
      expect(optional.code, name).toBe(4);
      expect(optional.stderr, name).toMatch(/^tsdenet: warning: eBPF profiling disabled: /);
      expect(optional.stderr, name).not.toMatch(/internal error|\n {4}at /);
      expect(lastRecord(optional.stdout).ebpf.error, name).toMatch(/eBPF syscall counting unavailable/);
    }
  });
});

describe('names that are not UTF-8', () => {
  it('are reported with U+FFFD in place of the invalid bytes (lossy, never a crash)', async (ctx) => {
    requireBpf(ctx);
    const dir = tempDir('latin1');
    // A program whose file name (and so its comm and argv[0]) is Latin-1,
    // created and run by a shell: the bytes never pass through tsdenet's argv.
    copyFileSync('/bin/true', join(dir, 'seed'));
    const script = `cd ${dir} && cp seed "$(printf 'caf\\351')" && exec ./"$(printf 'caf\\351')"`;
    const r = await runCli(['--enable-ebpf', '--require-ebpf', '--json', 'run', '--', 'sh', '-c', script]);
    expect(r.code, r.stderr).toBe(0);
    const processes = lastRecord(r.stdout).ebpf.syscalls.processes as Rec[];
    expect(processes.map((p) => p.comm)).toContain('caf\uFFFD');
  });
});
