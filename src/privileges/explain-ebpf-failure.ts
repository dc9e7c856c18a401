/**
 * Turns "the counter could not start" into what is missing and how to get
 * it. Called once, after a load failed: the capability check reads
 * /proc/self/status and nothing else (no shell-outs), and it never blames
 * privileges when they are all there.
 */
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
}

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
  };
}

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
  if (missing.length === 0) return error;
  const hint =
    ctx.euid === 0
      ? 'root here lacks them (a container or the capability bounding set dropped them): run on the host, or add them (docker run --cap-add BPF --cap-add PERFMON)'
      : `run with sudo, or set up non-root profiling once: sudo ${ctx.setupScript} --user ${ctx.userName ?? '$USER'} (see docs/privileges.md)${ctx.inDoctor ? '' : '; `tsdenet doctor` checks every requirement'}`;
  return new PrivilegeError(`missing ${missing.join(', ')} (${describeHolder(ctx)})`, { hint, cause: error });
}
