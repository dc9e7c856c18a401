/**
 * Starts the profiled command and reports how it ended. stdin and stderr
 * pass through; stdout passes through too unless tsdenet's own JSON owns
 * stdout, in which case the command's stdout goes to stderr so that
 * `tsdenet --json run -- CMD | jq` always parses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';
import { constants } from 'node:os';
import { CommandStartError } from '../errors.js';
import type { CommandIdentity } from '../privileges/command-identity.js';
import { wrapForIdentity } from '../privileges/credential-wrapper.js';

export interface ChildExit {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface StartedChild {
  pid: number;
  exited: Promise<ChildExit>;
  kill(signal: NodeJS.Signals): void;
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

/** execve calls the counter must skip before the command's own: setpriv's, when switching users. */
export function execsBeforeCommand(options: StartOptions): number {
  return options.identity ? 1 : 0;
}

/** POSIX shells report death by signal N as 128 + N; tsdenet does the same. */
export function exitStatusOf(exit: ChildExit): number {
  if (exit.code !== null) return exit.code;
  const signo = exit.signal ? constants.signals[exit.signal] : undefined;
  return 128 + (signo ?? 0);
}

/**
 * Forks and execs the command. Node forks in the calling (main) thread and
 * returns only after the exec succeeded or failed, which is what the BPF
 * spawner arming relies on.
 */
export function startChild(options: StartOptions): StartedChild {
  const [argv0, ...args] = options.argv;
  const stdoutTarget = options.stdoutToStderr ? process.stderr : process.stdout;
  // Output that does not reach the terminal cannot collide with the status line.
  const relayStdout = options.relayOutput !== undefined && stdoutTarget.isTTY === true;
  // With an identity, setpriv execs the command (argv[0] becomes its path).
  const launch = options.identity ? wrapForIdentity(options.identity, options.file, args) : undefined;
  let child: ChildProcess;
  try {
    child = spawn(launch?.file ?? options.file, launch?.args ?? args, {
      argv0: launch ? undefined : argv0,
      env: launch?.env,
      stdio: [
        'inherit',
        relayStdout ? 'pipe' : options.stdoutToStderr ? process.stderr : 'inherit',
        options.relayOutput ? 'pipe' : 'inherit',
      ],
    });
  } catch (cause) {
    throw new CommandStartError(`${argv0 ?? options.file}: cannot start: ${String(cause)}`, 126, { cause });
  }
  if (child.pid === undefined) {
    // spawn reports exec failures asynchronously; the pid is missing then.
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (err: NodeJS.ErrnoException) => {
        const code = err.code === 'ENOENT' ? 127 : 126;
        reject(new CommandStartError(`${argv0 ?? options.file}: cannot execute: ${err.code ?? err.message}`, code, { cause: err }));
      });
    });
    return { pid: -1, exited: failed, kill: () => undefined };
  }
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
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
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'];

/**
 * Relays termination signals to the command while it runs, so that tsdenet
 * outlives it and still writes the report. A SIGINT typed at a terminal
 * already reached the command (same process group): it is not sent twice.
 * Returns a function that removes the handlers and tells which signal came.
 */
export function relaySignals(child: StartedChild): () => NodeJS.Signals | undefined {
  let received: NodeJS.Signals | undefined;
  const handler = (signal: NodeJS.Signals): void => {
    received ??= signal;
    const fromTerminal = signal === 'SIGINT' && process.stdin.isTTY;
    if (!fromTerminal) child.kill(signal);
  };
  for (const s of FORWARDED) process.on(s, handler);
  return () => {
    for (const s of FORWARDED) process.off(s, handler);
    return received;
  };
}
