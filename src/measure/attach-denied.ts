/**
 * Pure: why /proc/PID/io could not be read, in the order the kernel checks
 * (kernel/ptrace.c __ptrace_may_access, PTRACE_MODE_READ_FSCREDS): the
 * same user (else CAP_SYS_PTRACE), a dumpable process (else CAP_SYS_PTRACE),
 * then the security modules: commoncap (the process's permitted
 * capabilities within tsdenet's effective ones, else CAP_SYS_PTRACE), and
 * any other (Landlock, AppArmor, SELinux; Yama only restricts attaching,
 * not reading). What tsdenet can see of each is in the facts; a refusal it
 * cannot explain otherwise is a security module's or a sandbox's.
 */
import { capabilityNames, hasCapability } from '../privileges/capabilities.js';
import type { IdSet } from '../privileges/proc-status.js';
import { TsdenetError } from '../errors.js';

/** The process cannot be attached to (exit 1, as denet). */
export class AttachError extends TsdenetError {
  constructor(message: string, hint?: string) {
    super('ATTACH', message, 1, { hint });
  }
}

export interface Identity {
  uid: IdSet;
  gid: IdSet;
  /** The user's name, if known. */
  name: string | undefined;
}

export interface IoDeniedFacts {
  pid: number;
  comm: string;
  /** /proc/PID/io */
  file: string;
  /** EACCES or EPERM. */
  errno: string;
  self: Identity & { effective: bigint };
  /** From /proc/PID/status; undefined when it could not be read. */
  target: (Identity & { permitted: bigint }) | undefined;
}

function who(identity: Identity): string {
  const uid = identity.uid.effective;
  if (uid === 0) return 'root';
  return identity.name ? `${identity.name} (uid ${uid})` : `uid ${uid}`;
}

/** The kernel's test: tsdenet's fsuid/fsgid equal the process's real, effective and saved ids. */
function sameUser(self: Identity, target: Identity): boolean {
  const ids = (set: IdSet): number[] => [set.real, set.effective, set.saved];
  return ids(target.uid).every((id) => id === self.uid.filesystem) && ids(target.gid).every((id) => id === self.gid.filesystem);
}

export function explainIoDenied(f: IoDeniedFacts): AttachError {
  const failed = `cannot read ${f.file} of process ${f.pid} (${f.comm}): ${f.errno}`;
  const ptrace = hasCapability(f.self.effective, 'CAP_SYS_PTRACE');
  const target = f.target;
  if (!ptrace && target && !sameUser(f.self, target)) {
    return new AttachError(
      `${failed}: it runs as ${who(target)}, tsdenet as ${who(f.self)}`,
      target.uid.effective === 0 ? 'run tsdenet as root (sudo)' : `run tsdenet as ${target.name ?? `uid ${target.uid.effective}`}, or as root (sudo)`,
    );
  }
  if (!ptrace && target) {
    const missing = capabilityNames(target.permitted & ~f.self.effective);
    if (missing.length > 0) {
      return new AttachError(
        `${failed}: tsdenet runs as ${who(f.self)} without CAP_SYS_PTRACE, and the process holds capabilities tsdenet lacks (${missing.join(', ')})`,
        'run tsdenet with CAP_SYS_PTRACE: as root (sudo), where root keeps that capability (a container or setpriv --bounding-set can drop it)',
      );
    }
    return new AttachError(
      `${failed}: tsdenet runs as ${who(f.self)} without CAP_SYS_PTRACE, and the process is not dumpable (a setuid, setgid or file-capability program, or one that called prctl(PR_SET_DUMPABLE, 0))`,
      'run tsdenet as root (sudo)',
    );
  }
  if (!ptrace) {
    return new AttachError(`${failed}: tsdenet runs as ${who(f.self)} without CAP_SYS_PTRACE`, 'run tsdenet as the user who owns the process, or as root (sudo)');
  }
  // Same user and capabilities pass the kernel's own checks: the refusal is a security module's.
  return new AttachError(
    `${failed}, although tsdenet runs as ${who(f.self)} with CAP_SYS_PTRACE: a security module (Landlock, AppArmor, SELinux) or the sandbox or container tsdenet runs in refuses access to this process`,
    "run tsdenet where it may observe the process (outside that sandbox, e.g. on the host), or allow it in the module's policy; the kernel or audit log names the denial",
  );
}
