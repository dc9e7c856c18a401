/**
 * Pure: where the profiled command begins. `tsdenet run sort -o out in`
 * must run `sort -o out in`, as strace, time and sudo would, not take -o
 * for tsdenet's (which wrote JSON over `out` and ran `sort in`). So in
 * `run` without `--`, the command's first word and everything after it is
 * the command: a `--` is put before it. Options between `run` and that word
 * stay tsdenet's (`tsdenet run -q ls`).
 */

/** The options that take a value (all others are flags), long names and one-letter aliases. */
export interface OptionArity {
  takesValue: (name: string) => boolean;
}

/** Index just past the option at args[i] (and its value, if it takes one that is not given with =). */
function skipOption(args: readonly string[], i: number, arity: OptionArity): number {
  const token = args[i]!;
  if (token.includes('=')) return i + 1;
  if (token.startsWith('--')) return arity.takesValue(token.slice(2)) ? i + 2 : i + 1;
  // -o FILE takes the next word; -qj (flags) or -ofile do not.
  return token.length === 2 && arity.takesValue(token.slice(1)) ? i + 2 : i + 1;
}

function isOption(token: string): boolean {
  return token.startsWith('-') && token !== '-' && token !== '--';
}

/** args, with `--` put before the command of a `run` that has none. */
export function withCommandBoundary(args: readonly string[], arity: OptionArity): string[] {
  let i = 0;
  let seenRun = false;
  while (i < args.length) {
    const token = args[i]!;
    if (token === '--') break;
    if (isOption(token)) {
      i = skipOption(args, i, arity);
      continue;
    }
    if (!seenRun) {
      // The subcommand: only run takes a command.
      if (token !== 'run') break;
      seenRun = true;
      i++;
      continue;
    }
    return [...args.slice(0, i), '--', ...args.slice(i)];
  }
  return [...args];
}
