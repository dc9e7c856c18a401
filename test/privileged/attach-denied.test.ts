/**
 * `attach PID` when /proc/PID/io cannot be read (EACCES): the message names
 * the file, the errno and the cause the kernel acted on, with its fix, for
 * each way it happens — reproduced for real as root: another user, root
 * without CAP_SYS_PTRACE, a process that is not dumpable, and a sandbox
 * (Landlock) that refuses root with CAP_SYS_PTRACE (as `attach 1` met in a VM
 * whose init ran outside the sandbox, and was told "it belongs to another user").
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, type TestContext } from 'vitest';
import { BIN, runProgram } from '../helpers/cli.js';
import { requireOrSkip, toolMissing } from '../helpers/privileges.js';

const LANDLOCKED = fileURLToPath(new URL('../fixtures/landlocked.py', import.meta.url));
const AS_NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) child.kill('SIGKILL');
});

function needsRoot(ctx: TestContext): void {
  requireOrSkip(ctx, process.getuid?.() === 0 ? undefined : 'needs root (it drops privileges with setpriv to make each case)');
  requireOrSkip(ctx, toolMissing('setpriv', ['--version'], 'util-linux'));
}

/** Starts file args and waits for its first line on stdout (it is ready). */
async function startTarget(file: string, args: string[]): Promise<number> {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  started.push(child);
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`${file} ${args.join(' ')} exited (${String(code)}) before it was ready`);
  });
  await Promise.race([once(child.stdout!, 'data'), exited]);
  return child.pid!;
}

const SLEEPER = ['-c', 'echo ready; exec sleep 30'];

async function attach(prefix: string[], pid: number): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const [file, ...args] = [...prefix, process.execPath, BIN, 'attach', String(pid)];
  return runProgram(file!, args);
}

describe('attach: what failed, and why', () => {
  it('a process of another user', async (ctx) => {
    needsRoot(ctx);
    const pid = await startTarget('sh', SLEEPER);
    const r = await attach(AS_NOBODY, pid);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`tsdenet: cannot read /proc/${pid}/io of process ${pid} (sleep): EACCES: it runs as root, tsdenet as nobody (uid 65534)\ntsdenet: fix: run tsdenet as root (sudo)\n`);
  });

  it('root without CAP_SYS_PTRACE, and a process that holds it', async (ctx) => {
    needsRoot(ctx);
    const pid = await startTarget('sh', SLEEPER);
    const r = await attach(['setpriv', '--bounding-set=-sys_ptrace', '--inh-caps=-sys_ptrace'], pid);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `tsdenet: cannot read /proc/${pid}/io of process ${pid} (sleep): EACCES: tsdenet runs as root without CAP_SYS_PTRACE, and the process holds capabilities tsdenet lacks (CAP_SYS_PTRACE)\n` +
        'tsdenet: fix: run tsdenet with CAP_SYS_PTRACE: as root (sudo), where root keeps that capability (a container or setpriv --bounding-set can drop it)\n',
    );
  });

  it('the same user, but the process made itself not dumpable', async (ctx) => {
    needsRoot(ctx);
    // Debian's, by its path: nobody may not run a python3 found first on root's PATH (pyenv's shims in /root).
    requireOrSkip(ctx, toolMissing('/usr/bin/python3', ['--version'], 'python3'));
    // PR_SET_DUMPABLE (4) to 0, as ssh-agent and gpg-agent do.
    const script = "import ctypes, sys, time; ctypes.CDLL(None).prctl(4, 0, 0, 0, 0); print('ready', flush=True); time.sleep(30)";
    const pid = await startTarget(AS_NOBODY[0]!, [...AS_NOBODY.slice(1), '/usr/bin/python3', '-c', script]);
    const r = await attach(AS_NOBODY, pid);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `tsdenet: cannot read /proc/${pid}/io of process ${pid} (python3): EACCES: tsdenet runs as nobody (uid 65534) without CAP_SYS_PTRACE, and the process is not dumpable (a setuid, setgid or file-capability program, or one that called prctl(PR_SET_DUMPABLE, 0))\n` +
        'tsdenet: fix: run tsdenet as root (sudo)\n',
    );
  });

  it('root with CAP_SYS_PTRACE, refused by a sandbox (Landlock)', async (ctx) => {
    needsRoot(ctx);
    requireOrSkip(ctx, toolMissing('python3', ['--version'], 'python3'));
    const probe = await runProgram('python3', [LANDLOCKED, 'true']);
    requireOrSkip(ctx, probe.code === 0 ? undefined : `the kernel has no Landlock (${probe.stderr.trim()})`);
    const pid = await startTarget('sh', SLEEPER);
    const r = await attach(['python3', LANDLOCKED], pid);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `tsdenet: cannot read /proc/${pid}/io of process ${pid} (sleep): EACCES, although tsdenet runs as root with CAP_SYS_PTRACE: a security module (Landlock, AppArmor, SELinux) or the sandbox or container tsdenet runs in refuses access to this process\n` +
        "tsdenet: fix: run tsdenet where it may observe the process (outside that sandbox, e.g. on the host), or allow it in the module's policy; the kernel or audit log names the denial\n",
    );
  });
});
