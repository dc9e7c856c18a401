/**
 * Every failure a user can cause is a TsdenetError: a message that names the
 * problem, a hint that names the fix, a stable code and the exit status.
 * Only src/cli/main.ts turns them into stderr text and exit codes; anything
 * else that escapes is a bug and is reported as an internal error (exit 70).
 */
export interface ErrorDetails {
  hint?: string;
  cause?: unknown;
}

export class TsdenetError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(code: string, message: string, exitCode: number, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = details.hint;
    this.exitCode = exitCode;
  }
}

/** Bad flags or values on the command line (exit 2, like yargs and denet). */
export class UsageError extends TsdenetError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('USAGE', message, 2, details);
  }
}

/** libbpf.so.1 cannot be loaded. */
export class LibbpfMissingError extends TsdenetError {
  /** why: what is wrong with the library when it loads but is not a usable libbpf. */
  constructor(library: string, details: ErrorDetails = {}, why?: string) {
    super('LIBBPF_MISSING', why ? `${library} ${why}` : `cannot load ${library}`, 1, {
      hint: 'install libbpf (>= 1.1): apt-get install libbpf1 (Debian/Ubuntu) or dnf install libbpf (Fedora)',
      ...details,
    });
  }
}

/** A libbpf call failed; errno and its name are kept for --debug and tests. */
export class BpfError extends TsdenetError {
  readonly op: string;
  readonly errno: number;
  readonly errnoName: string;

  constructor(op: string, errno: number, errnoName: string, message: string, details: ErrorDetails = {}) {
    super(`BPF_${errnoName}`, message, 1, details);
    this.op = op;
    this.errno = errno;
    this.errnoName = errnoName;
  }
}

/** The command cannot be started: 127 not found, 126 not executable (shell conventions). */
export class CommandStartError extends TsdenetError {
  constructor(message: string, exitCode: 126 | 127, details: ErrorDetails = {}) {
    super(exitCode === 127 ? 'COMMAND_NOT_FOUND' : 'COMMAND_NOT_EXECUTABLE', message, exitCode, details);
  }
}

/** The report cannot be written. */
export class OutputError extends TsdenetError {
  constructor(message: string, details: ErrorDetails = {}) {
    super('OUTPUT', message, 1, details);
  }
}
