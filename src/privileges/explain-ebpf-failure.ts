/**
 * Turns "the counter could not start" into what is missing and how to get
 * it. Called once, after a load failed: the capability check reads
 * /proc/self/status and nothing else (no shell-outs), and it never blames
 * privileges when they are all there.
 */
import { existsSync } from 'node:fs';
import { release, userInfo } from 'node:os';
import { fileURLToPath } from 'node:url';
import { TsdenetError } from '../errors.js';
import { capabilityNames } from './capabilities.js';
import { missingBpfCapabilities, readInInitialUserNamespace, type PrivilegeState } from './bpf-privileges.js';
import { PrivilegeError } from './errors.js';
import { parseKernelRelease } from './kernel-version.js';
import { readProcCredentials } from './proc-status.js';

export const SETUP_SCRIPT = fileURLToPath(new URL('../../setup/tracefs.sh', import.meta.url));

export interface ExplainContext extends PrivilegeState {
  userName: string | undefined;
  setupScript: string;
  /** Inside `tsdenet doctor` the hint does not send the user to doctor. */
  inDoctor?: boolean;
  /** Whether the kernel exposes BTF (/sys/kernel/btf/vmlinux); undefined: not checked. */
  hasBtf?: boolean;
}

export const VMLINUX_BTF = '/sys/kernel/btf/vmlinux';

/** This process's privileges, for explainEbpfFailure. */
export function readExplainContext(): ExplainContext {
  const creds = readProcCredentials();
  let userName: string | undefined;
  try {
    userName = userInfo().username;
  } catch {
    userName = undefined;
  }
  return {
    euid: creds.uid.effective,
    effective: creds.caps.effective,
    kernel: parseKernelRelease(release()),
    inInitialUserNamespace: readInInitialUserNamespace(),
    userName,
    setupScript: SETUP_SCRIPT,
    hasBtf: existsSync(VMLINUX_BTF),
  };
}

/** The counter's attempts, one per attach mode tried (a CounterStartError has them). */
function attemptsOf(error: TsdenetError): { mode?: unknown; error?: unknown }[] | undefined {
  const attempts = (error as { attempts?: unknown }).attempts;
  return Array.isArray(attempts) ? (attempts as { mode?: unknown; error?: unknown }[]) : undefined;
}

function attemptError(error: TsdenetError, mode: string): string | undefined {
  const attempt = attemptsOf(error)?.find((a) => a.mode === mode);
  if (!attempt) return undefined;
  return attempt.error instanceof Error ? attempt.error.message : String(attempt.error);
}

/**
 * Without BTF the tp_btf counter cannot load, and libbpf says only ESRCH or
 * ENOENT (it cannot find the tracepoint's type): name the real cause.
 */
function explainMissingBtf(error: TsdenetError, ctx: ExplainContext): TsdenetError | undefined {
  if (ctx.hasBtf !== false || attemptError(error, 'tp_btf') === undefined) return undefined;
  const fallback = attemptError(error, 'tracepoint');
  return new TsdenetError(
    'NO_BTF',
    `eBPF syscall counting unavailable: the kernel has no BTF (${VMLINUX_BTF} is missing), which the tp_btf counter needs` +
      (fallback === undefined ? '' : `; the classic tracepoint fallback failed too: ${fallback}`),
    1,
    {
      hint: 'use a kernel built with CONFIG_DEBUG_INFO_BTF=y, or the classic tracepoints: --attach-mode tracepoint (or auto) with tracefs mounted (mount -t tracefs nodev /sys/kernel/tracing)',
      cause: error,
    },
  );
}

/**
 * With the capabilities held, an EACCES from the classic tracepoints is
 * tracefs: libbpf reads each event's id file, and a non-root user can read
 * only what setup/tracefs.sh opened (sys_exit too, for --errors/--latency).
 */
function explainTracefsAccess(error: TsdenetError, ctx: ExplainContext): TsdenetError | undefined {
  if (ctx.euid === 0) return undefined;
  const tracepoint = attemptError(error, 'tracepoint') ?? (attemptsOf(error) === undefined ? error.message : undefined);
  if (tracepoint === undefined || !/\(EACCES\)/.test(tracepoint)) return undefined;
  return new TsdenetError(error.code, error.message, error.exitCode, {
    hint: `the classic tracepoints need read access to tracefs event files (${TRACEFS_HINT_FILES}): sudo ${ctx.setupScript} --user ${ctx.userName ?? '$USER'} opens exactly those (see docs/privileges.md)`,
    cause: error,
  });
}

const TRACEFS_HINT_FILES = 'events/raw_syscalls/sys_enter and sys_exit, events/sched/sched_process_fork, sched_process_exit and sched_process_exec';

function describeHolder(ctx: ExplainContext): string {
  const held = capabilityNames(ctx.effective);
  const who = ctx.euid === 0 ? 'root' : ctx.userName ? `${ctx.userName} (uid ${ctx.euid})` : `uid ${ctx.euid}`;
  if (held.length === 0) return `tsdenet runs as ${who} with no capabilities`;
  if (held.length > 4) return `tsdenet runs as ${who}`;
  return `tsdenet runs as ${who} with ${held.join(', ')} only`;
}

/**
 * A PrivilegeError naming the missing capabilities and the fix when
 * privileges explain the failure; otherwise the original error.
 */
export function explainEbpfFailure(error: TsdenetError, ctx: ExplainContext = readExplainContext()): TsdenetError {
  if (error.code === 'LIBBPF_MISSING') return error;
  if (!ctx.inInitialUserNamespace) {
    return new PrivilegeError('eBPF profiling needs CAP_BPF and CAP_PERFMON in the host\'s user namespace; tsdenet runs in a user namespace (container)', {
      hint: 'run tsdenet on the host, or in a container started with --privileged or --cap-add BPF --cap-add PERFMON and no user namespace',
      cause: error,
    });
  }
  const missing = missingBpfCapabilities(ctx);
  if (missing.length === 0) {
    const noBtf = explainMissingBtf(error, ctx);
    if (noBtf) return noBtf;
    const tracefs = explainTracefsAccess(error, ctx);
    if (tracefs) return tracefs;
    // A counter that could not start for another reason (a damaged object,
    // an old kernel) and says no fix: point at what does find it.
    if (error.hint === undefined && attemptsOf(error) !== undefined) {
      return new TsdenetError(error.code, error.message, error.exitCode, {
        hint: `${ctx.inDoctor ? '' : '`tsdenet doctor` checks what eBPF profiling needs here; '}--debug shows libbpf's log`,
        cause: error,
      });
    }
    return error;
  }
  const hint =
    ctx.euid === 0
      ? 'root here lacks them (a container or the capability bounding set dropped them): run on the host, or add them (docker run --cap-add BPF --cap-add PERFMON)'
      : `run with sudo, or set up non-root profiling once: sudo ${ctx.setupScript} --user ${ctx.userName ?? '$USER'} (see docs/privileges.md)${ctx.inDoctor ? '' : '; `tsdenet doctor` checks every requirement'}`;
  return new PrivilegeError(`missing ${missing.join(', ')} (${describeHolder(ctx)})`, { hint, cause: error });
}
