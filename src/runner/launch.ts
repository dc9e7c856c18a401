/**
 * How the command is started. Node cannot run code in the child between
 * fork and exec, so what must be set up there is done by setpriv
 * (util-linux), which then execs the command in place (same pid):
 *
 * - the parent-death signal, always when setpriv has --pdeathsig
 *   (util-linux >= 2.33): when tsdenet dies, even by SIGKILL, the kernel
 *   sends the command SIGKILL, so it never runs on unobserved and orphaned;
 * - another user's credentials (privileges/credential-wrapper.ts).
 *
 * setpriv's own execve is skipped by the counter (wrapperExecs), so the
 * command's execve is still the first call counted. Through setpriv the
 * command's argv[0] is the path of its executable (setpriv has no way to
 * set it apart); started directly it is the name as given.
 */
import { readFileSync } from 'node:fs';
import type { CommandIdentity } from '../privileges/command-identity.js';
import { commandEnv, findSetpriv, setprivArgs } from '../privileges/credential-wrapper.js';

export interface Setpriv {
  path: string;
  /** Whether this setpriv has --pdeathsig (util-linux >= 2.33). */
  pdeathsig: boolean;
}

export interface LaunchRequest {
  /** The resolved executable. */
  file: string;
  /** The command as given (argv[0] first). */
  argv: readonly string[];
  identity?: CommandIdentity;
}

export interface LaunchPlan {
  file: string;
  args: string[];
  /** argv[0] for a direct start (undefined through setpriv). */
  argv0: string | undefined;
  /** undefined: tsdenet's own environment. */
  env: NodeJS.ProcessEnv | undefined;
  /** execve calls before the command's own (setpriv's). */
  wrapperExecs: number;
  /** The kernel kills the command when tsdenet dies. */
  deathSignal: boolean;
}

/** Pure: the program to spawn for `request`, given the setpriv found (if any). */
export function planLaunch(request: LaunchRequest, setpriv: Setpriv | undefined, env: NodeJS.ProcessEnv = process.env): LaunchPlan {
  const [argv0, ...args] = request.argv;
  const pdeathsig = setpriv?.pdeathsig === true ? ['--pdeathsig=KILL'] : [];
  if (request.identity) {
    // Switching users needs setpriv: findSetpriv() names the package to install.
    const path = setpriv?.path ?? findSetpriv();
    return {
      file: path,
      args: [...pdeathsig, ...setprivArgs(request.identity, request.file, args)],
      argv0: undefined,
      env: commandEnv(request.identity, env),
      wrapperExecs: 1,
      deathSignal: pdeathsig.length > 0,
    };
  }
  if (setpriv && pdeathsig.length > 0) {
    return { file: setpriv.path, args: [...pdeathsig, '--', request.file, ...args], argv0: undefined, env: undefined, wrapperExecs: 1, deathSignal: true };
  }
  return { file: request.file, args, argv0, env: undefined, wrapperExecs: 0, deathSignal: false };
}

let found: Setpriv | null | undefined;

/**
 * setpriv and whether it has --pdeathsig; probed once per process. The
 * option's name is in the program's table of long options, so reading the
 * binary tells, without running it: a child of tsdenet's own would be
 * counted in the kernel's accounting of the children tsdenet reaps, which
 * stands for the command once it has ended (monitor/reaper.ts).
 */
export function probeSetpriv(): Setpriv | undefined {
  if (found === undefined) {
    let path: string;
    try {
      path = findSetpriv();
    } catch {
      found = null;
      return undefined;
    }
    let pdeathsig = false;
    try {
      pdeathsig = readFileSync(path).includes('pdeathsig');
    } catch {
      // executable but not readable (mode 711): setpriv serves, without --pdeathsig
    }
    found = { path, pdeathsig };
  }
  return found ?? undefined;
}
