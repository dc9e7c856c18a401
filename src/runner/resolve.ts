/**
 * Finds the file a command name refers to, the way a shell does, so that a
 * missing or non-executable command is reported before anything starts
 * (127 / 126, the shell's codes) and exactly one execve is made.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { CommandStartError } from '../errors.js';

function isExecutableFile(path: string): boolean | 'not-executable' | 'missing' {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
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

/** Absolute path of `command` (searched in PATH unless it contains a slash). */
export function resolveCommand(command: string, path = process.env.PATH ?? '/usr/bin:/bin', cwd = process.cwd()): string {
  if (command === '') throw new CommandStartError('empty command name', 127);
  if (command.includes('/')) {
    const full = resolve(cwd, command);
    const state = isExecutableFile(full);
    if (state === true) return full;
    if (state === 'missing') {
      throw new CommandStartError(`${command}: no such file`, 127, { hint: 'check the path of the command' });
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
    throw new CommandStartError(`${command}: permission denied (${notExecutable} is not executable)`, 126);
  }
  throw new CommandStartError(`${command}: command not found`, 127, {
    hint: 'check the spelling, or give the full path of the command',
  });
}
