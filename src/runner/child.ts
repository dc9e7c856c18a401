/**
 * Starts the profiled command and reports how it ended. stdin and stderr
 * pass through; stdout passes through too unless tsdenet's own JSON owns
 * stdout, in which case the command's stdout goes to stderr so that
 * `tsdenet --json run -- CMD | jq` always parses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { CommandStartError } from '../errors.js';
import type { CommandIdentity } from '../privileges/command-identity.js';
import { planLaunch, probeSetpriv, type LaunchPlan } from './launch.js';

export interface ChildExit {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartedChild {
  pid: number;
  exited: Promise<ChildExit>;
  /** Signals the command while it runs (never a recycled pid). */
  kill(signal: NodeJS.Signals): void;
  /** True once the command has exited (its pid may belong to someone else). */
  hasExited(): boolean;
  /** With relayOutput: settles once the command's stdout and stderr are closed. */
  outputDone?: Promise<void>;
}

export interface StartOptions {
  file: string;
  argv: readonly string[];
  stdoutToStderr: boolean;
  /** Run the command as this user (through setpriv) instead of as tsdenet. */
  identity?: CommandIdentity;
  /**
   * Pipe the command's stderr, and its stdout when that goes to a terminal
   * too, through tsdenet chunk by chunk (the live view erases its status
   * line before each); else they are inherited.
   */
  relayOutput?: (target: NodeJS.WritableStream, chunk: Buffer) => void;
}

/**
 * How startChild starts this command (setpriv or directly; see launch.ts):
 * its wrapperExecs are the execve calls the counter must skip.
 */
export function launchPlan(options: StartOptions): LaunchPlan {
  return planLaunch({ file: options.file, argv: options.argv, identity: options.identity }, probeSetpriv());
}

/** Why exec failed, in words, with the fix where there is one. */
function describeExecFailure(name: string, err: NodeJS.ErrnoException): CommandStartError {
  if (err.code === 'E2BIG') {
    return new CommandStartError(`${name}: argument list too long (E2BIG): the arguments and environment exceed the kernel's limit`, 126, {
      cause: err,
      hint: 'pass fewer or shorter arguments (e.g. through xargs or a file), or raise the limit with a larger stack: ulimit -s',
    });
  }
  const code = err.code === 'ENOENT' ? 127 : 126;
  return new CommandStartError(`${name}: cannot execute: ${err.code ?? err.message}`, code, { cause: err });
}

/**
 * Forks and execs the command, as `launch` says (the caller may have made
 * the plan already: it arms the counter for its wrapper execs). Node forks
 * in the calling (main) thread and returns only after the exec succeeded or
 * failed, which is what the BPF spawner arming relies on.
 */
export function startChild(options: StartOptions, launch: LaunchPlan = launchPlan(options)): StartedChild {
  const argv0 = options.argv[0];
  const stdoutTarget = options.stdoutToStderr ? process.stderr : process.stdout;
  // Output that does not reach the terminal cannot collide with the status line.
  const relayStdout = options.relayOutput !== undefined && stdoutTarget.isTTY === true;
  let child: ChildProcess;
  try {
    child = spawn(launch.file, launch.args, {
      argv0: launch.argv0,
      env: launch.env,
      stdio: [
        'inherit',
        relayStdout ? 'pipe' : options.stdoutToStderr ? process.stderr : 'inherit',
        options.relayOutput ? 'pipe' : 'inherit',
      ],
    });
  } catch (cause) {
    // Synchronous failures: E2BIG, for one.
    if ((cause as NodeJS.ErrnoException).code) throw describeExecFailure(argv0 ?? options.file, cause as NodeJS.ErrnoException);
    throw new CommandStartError(`${argv0 ?? options.file}: cannot start: ${String(cause)}`, 126, { cause });
  }
  if (child.pid === undefined) {
    // spawn reports exec failures asynchronously; the pid is missing then.
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (err: NodeJS.ErrnoException) => reject(describeExecFailure(argv0 ?? options.file, err)));
    });
    return { pid: -1, exited: failed, kill: () => undefined, hasExited: () => true };
  }
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const hasExited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  let outputDone: Promise<void> | undefined;
  const relay = options.relayOutput;
  if (relay) {
    child.stdout?.on('data', (chunk: Buffer) => relay(stdoutTarget, chunk));
    child.stderr?.on('data', (chunk: Buffer) => relay(process.stderr, chunk));
    outputDone = new Promise((resolve) => child.once('close', () => resolve()));
    // A background process of the command may hold the pipes for ever (a
    // daemon): shortly after the command exits they stop keeping tsdenet alive.
    child.once('exit', () => {
      setTimeout(() => {
        // With stdio 'pipe' these are net.Sockets, which can be unref'd.
        (child.stdout as Socket | null)?.unref();
        (child.stderr as Socket | null)?.unref();
      }, 200).unref();
    });
  }
  return {
    pid: child.pid,
    exited,
    outputDone,
    kill: (signal) => {
      if (!hasExited()) child.kill(signal);
    },
    hasExited,
  };
}

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

/** kill(2) on each pid; pids that are gone (or never ours to signal) are skipped. */
function signalPids(pids: Iterable<number>, signal: NodeJS.Signals): void {
  for (const pid of pids) {
    if (pid <= 1 || pid === process.pid) continue;
    try {
      process.kill(pid, signal);
    } catch {
      // exited meanwhile
    }
  }
}

/**
 * Signals the command (through its ChildProcess: never a pid that may have
 * been recycled since it exited) and the rest of its tree (`pids`).
 */
export function signalTree(child: StartedChild, pids: Iterable<number>, signal: NodeJS.Signals): void {
  child.kill(signal);
  signalPids([...pids].filter((pid) => pid !== child.pid), signal);
}

/**
 * Relays termination signals to the command while it runs, so that tsdenet
 * outlives it and still writes the report. A SIGINT typed at a terminal
 * already reached the command (same process group): it is not sent twice.
 * A second signal means "stop now" (the second Ctrl-C of an impatient user,
 * or a supervisor's second attempt): the command and every process of its
 * tree get SIGKILL, and the report is still written. Once the command has
 * exited (--wait-tree), signals go to what remains of its tree.
 *
 * treePids: the tree's running processes as known now. The command itself
 * is only ever signalled through its ChildProcess, never by a pid that may
 * have been recycled since it exited.
 * Returns a function that removes the handlers and tells which signal came.
 */
export function relaySignals(child: StartedChild, treePids: () => Iterable<number> = () => []): () => NodeJS.Signals | undefined {
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals): void => {
    if (received !== undefined) {
      signalTree(child, treePids(), 'SIGKILL');
      return;
    }
    received = signal;
    if (signal === 'SIGINT' && process.stdin.isTTY) return;
    // Once the command has exited (--wait-tree), to what remains of its tree.
    if (child.hasExited()) signalTree(child, treePids(), signal);
    else child.kill(signal);
  };
  for (const s of FORWARDED) process.on(s, handler);
  return () => {
    for (const s of FORWARDED) process.off(s, handler);
    return received;
  };
}
