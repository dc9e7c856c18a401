/**
 * Whether this test process can load and attach BPF programs. Tests that
 * need it call requireBpf(ctx): they skip with the reason on a developer
 * machine, and FAIL under CI=true, where a skipped eBPF test would make a
 * green run meaningless.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { TestContext } from 'vitest';

export function bpfSkipReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (eBPF tests load BPF programs)';
  if (!existsSync('/sys/kernel/btf/vmlinux')) return 'kernel has no BTF (/sys/kernel/btf/vmlinux)';
  if (!['/usr/lib/x86_64-linux-gnu/libbpf.so.1', '/usr/lib/aarch64-linux-gnu/libbpf.so.1', '/lib/x86_64-linux-gnu/libbpf.so.1'].some(existsSync)) {
    return 'libbpf.so.1 not installed (apt-get install libbpf1)';
  }
  // Their workloads are C programs built here (test/helpers/workload.ts).
  return toolMissing('gcc', ['--version'], 'gcc libc6-dev');
}

/** Skips (or fails in CI) when BPF cannot run here. */
export function requireBpf(ctx: TestContext): void {
  requireOrSkip(ctx, bpfSkipReason());
}

/** Skips with `reason` when it is set; under CI=true a skip is a failure. */
export function requireOrSkip(ctx: TestContext, reason: string | undefined): void {
  if (reason === undefined) return;
  if (process.env.CI === 'true') throw new Error(`cannot run in CI: ${reason}`);
  ctx.skip(reason);
}

/**
 * Why a test that runs `command` cannot run here, naming the package that
 * brings it: undefined when `command ...probe` runs (and exits 0).
 */
export function toolMissing(command: string, probe: readonly string[], install: string): string | undefined {
  try {
    execFileSync(command, probe, { stdio: 'ignore' });
    return undefined;
  } catch {
    return `${command} is not installed here (apt-get install ${install})`;
  }
}

/**
 * Mounts tracefs at /sys/kernel/tracing when it is not mounted (the classic
 * tracepoint tests need it). It stays mounted: unmounting while another
 * test worker uses it would break that test, and a mounted tracefs changes
 * nothing else.
 */
export function ensureTracefs(): void {
  if (existsSync('/sys/kernel/tracing/events') || existsSync('/sys/kernel/debug/tracing/events')) return;
  execFileSync('mount', ['-t', 'tracefs', 'nodev', '/sys/kernel/tracing']);
}
