/**
 * Finds the file a command name refers to, the way a shell does, so that a
 * missing or non-executable command is reported before anything starts
 * (127 / 126, the shell's codes) and exactly one execve is made.
 */
import { accessSync, closeSync, constants, openSync, readSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { CommandStartError } from '../errors.js';

function isExecutableFile(path: string): boolean | 'not-executable' | 'missing' | 'directory' {
  let isFile: boolean;
  try {
    const st = statSync(path);
    if (st.isDirectory()) return 'directory';
    isFile = st.isFile();
  } catch {
    return 'missing';
  }
  if (!isFile) return 'not-executable';
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return 'not-executable';
  }
}

/** The interpreter a script names on its #! line, if it has one. */
function interpreterOf(file: string): string | undefined {
  const head = Buffer.alloc(256);
  let length: number;
  try {
    const fd = openSync(file, 'r');
    try {
      length = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  if (length < 3 || head[0] !== 0x23 || head[1] !== 0x21) return undefined;
  const line = head.subarray(2, length).toString('utf8').split('\n')[0] ?? '';
  return line.trim().split(/[ \t]/)[0] || undefined;
}

/**
 * A script whose interpreter is missing: the kernel says only ENOENT, and
 * through setpriv it came out as setpriv's own message after a report of a
 * command that never ran. Said here, before anything starts, as bash does.
 */
function checkInterpreter(command: string, file: string, cwd: string): void {
  const interpreter = interpreterOf(file);
  if (interpreter === undefined) return;
  const state = isExecutableFile(resolve(cwd, interpreter));
  if (state === true) return;
  throw new CommandStartError(`${command}: bad interpreter ${interpreter}: ${state === 'missing' ? 'no such file' : 'not an executable file'}`, 126, {
    hint: `install ${interpreter}, or fix the script's first line (#!)`,
  });
}

/** Absolute path of `command` (searched in PATH unless it contains a slash). */
export function resolveCommand(command: string, path = process.env.PATH ?? '/usr/bin:/bin', cwd = process.cwd()): string {
  const found = findCommand(command, path, cwd);
  checkInterpreter(command, found, cwd);
  return found;
}

function findCommand(command: string, path: string, cwd: string): string {
  if (command === '') throw new CommandStartError('empty command name', 127, { hint: 'give the command after --, e.g. tsdenet run -- ls -l' });
  if (command.includes('/')) {
    const full = resolve(cwd, command);
    const state = isExecutableFile(full);
    if (state === true) return full;
    if (state === 'missing') {
      throw new CommandStartError(`${command}: no such file`, 127, { hint: 'check the path of the command' });
    }
    if (state === 'directory') {
      throw new CommandStartError(`${command}: is a directory`, 126, { hint: 'give the program to run, not a directory' });
    }
    throw new CommandStartError(`${command}: permission denied (not an executable file)`, 126, {
      hint: `make it executable: chmod +x ${command}`,
    });
  }
  let notExecutable: string | undefined;
  for (const dir of path.split(delimiter)) {
    const candidate = join(dir === '' ? cwd : resolve(cwd, dir), command);
    const state = isExecutableFile(candidate);
    if (state === true) return candidate;
    if (state === 'not-executable') notExecutable ??= candidate;
  }
  if (notExecutable) {
    throw new CommandStartError(`${command}: permission denied (${notExecutable} is not executable)`, 126, {
      hint: `make it executable: chmod +x ${notExecutable}`,
    });
  }
  throw new CommandStartError(`${command}: command not found`, 127, {
    hint: 'check the spelling, or give the full path of the command',
  });
}
