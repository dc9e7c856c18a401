/**
 * x86_64: a 32-bit program's calls, and a 64-bit program's int 0x80 calls,
 * are named with the i386 table, never misnamed with the 64-bit one (i386
 * 20 is getpid, x86_64 20 is writev), and reported apart as i386:NAME.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { lastRecord, runCli } from '../helpers/cli.js';
import { ensureTracefs, requireBpf, requireOrSkip } from '../helpers/privileges.js';
import { buildFixture } from '../helpers/workload.js';

function multilibSkipReason(): string | undefined {
  if (process.arch !== 'x64') return 'ia32 programs exist only on x86_64';
  try {
    buildFixture('compat32', ['-m32']);
    return undefined;
  } catch {
    return 'cannot build 32-bit programs (apt-get install gcc-multilib)';
  }
}

/**
 * A kernel booted without ia32 emulation (ia32_emulation=off, or built with
 * IA32_EMULATION_DEFAULT_DISABLED) refuses to run any 32-bit program
 * (ENOEXEC): there is then no 32-bit call to count. That is no missing tool
 * or privilege a CI machine could be given, so it skips even under CI=true.
 */
function ia32DisabledReason(program: string): string | undefined {
  // execv, not Node's spawn: libuv (like glibc's execvp) hands a file the kernel refuses to /bin/sh.
  const run = spawnSync('python3', ['-c', 'import errno, os, sys\ntry: os.execv(sys.argv[1], [sys.argv[1]])\nexcept OSError as e: sys.exit(99 if e.errno == errno.ENOEXEC else 98)', program], { stdio: 'ignore' });
  return run.status === 99 ? 'this kernel runs no 32-bit program (ia32 emulation is off: boot with ia32_emulation=on)' : undefined;
}

describe('32-bit programs on x86_64', () => {
  // tp_btf reads the code segment; the classic tracepoints read TS_COMPAT (kernel >= 5.11).
  for (const mode of ['tp_btf', 'tracepoint'] as const) {
    it(`are counted under their i386 names (${mode})`, async (ctx) => {
      requireBpf(ctx);
      requireOrSkip(ctx, multilibSkipReason());
      if (mode === 'tracepoint') ensureTracefs();
      const program = buildFixture('compat32', ['-m32']);
      expect(execFileSync('file', ['-b', program], { encoding: 'utf8' })).toMatch(/32-bit/);
      const disabled = ia32DisabledReason(program);
      if (disabled) ctx.skip(disabled);
      const result = await runCli(['--enable-ebpf', '--require-ebpf', '--attach-mode', mode, '--errors', '--json', 'run', '--', program]);
      expect(result.code, result.stderr).toBe(0);
      const sc = lastRecord(result.stdout).ebpf.syscalls;
      expect(sc.by_syscall['i386:getpid']).toBe(123);
      expect(sc.by_syscall['i386:_llseek']).toBe(77);
      expect(sc.by_syscall.writev).toBeUndefined();
      expect(sc.by_syscall.getpriority).toBeUndefined();
      expect(sc.by_syscall['i386:mmap2']).toBeGreaterThan(0);
      // The command's own execve is a 64-bit call (made by the 64-bit setpriv or Node's child before it).
      expect(Object.keys(sc.by_syscall).filter((name) => !name.startsWith('i386:'))).toEqual(['execve']);
      expect(sc.by_category.file_io).toBeGreaterThanOrEqual(77);
      // sys_exit sees the same slot: a failed ia32 call is named with the i386 table too.
      expect(Object.keys(sc.errors.by_syscall).filter((name) => !name.startsWith('i386:'))).toEqual([]);
    });
  }
});

/**
 * Where int 0x80 works, a 64-bit program's ia32 calls; where ia32 emulation
 * is off the kernel answers the first int 0x80 with a general protection
 * fault (SIGSEGV) before any syscall starts: nothing to count, skipped even
 * under CI=true (the decoding is unit-tested in test/unit/report/strace-table
 * and test/unit/measure/syscall-report).
 */
function int80DisabledReason(program: string): string | undefined {
  const run = spawnSync(program, { stdio: 'ignore' });
  return run.signal === 'SIGSEGV' ? 'this kernel runs no int 0x80 call (ia32 emulation is off: boot with ia32_emulation=on)' : undefined;
}

describe('int 0x80 from a 64-bit program on x86_64', () => {
  for (const mode of ['tp_btf', 'tracepoint'] as const) {
    it(`is counted as an ia32 call, apart from 64-bit getpid (${mode})`, async (ctx) => {
      requireBpf(ctx);
      if (process.arch !== 'x64') ctx.skip('int 0x80 exists only on x86_64');
      if (mode === 'tracepoint') ensureTracefs();
      const program = buildFixture('int80');
      const disabled = int80DisabledReason(program);
      if (disabled) ctx.skip(disabled);
      const result = await runCli(['--enable-ebpf', '--require-ebpf', '--attach-mode', mode, '--json', 'run', '--', program]);
      expect(result.code, result.stderr).toBe(0);
      const sc = lastRecord(result.stdout).ebpf.syscalls;
      expect(sc.by_syscall['i386:getpid']).toBe(10);
      expect(sc.by_syscall.writev).toBeUndefined();
      expect(sc.by_syscall.getpid).toBeUndefined();
      // Its 64-bit calls (start-up, exit_group) keep their plain names.
      expect(sc.by_syscall.exit_group).toBe(1);
    });
  }
});
