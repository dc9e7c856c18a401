/**
 * Pure: what to tell a user whose command line has words tsdenet does not
 * know. yargs' strict mode only lists them ("Unknown arguments: l, a"), with
 * the camelCase twin of every dashed name (enable-epbf, enableEpbf); this
 * names each as it was typed, suggests the closest option or subcommand
 * (the edit distance that suggests --syscalls names), and, for a command
 * given without `run`, says that it belongs after `run --`. (After `run`,
 * the command's words are its own: command-boundary.ts.)
 */
import { UsageError } from '../errors.js';
import { closeMatches } from '../syscalls/filter.js';
import { shellQuote } from '../text/terminal-text.js';

export interface Vocabulary {
  /** Long option names (dashed), aliases included, hidden ones left out. */
  options: readonly string[];
  commands: readonly string[];
}

/** yargs' message lists the unknown names after the colon, ", "-separated; blank ones quoted. */
export function unknownNames(yargsMessage: string): string[] {
  const list = yargsMessage.slice(yargsMessage.indexOf(':') + 1).trim();
  return list === '' ? [] : list.split(', ').map((name) => (/^"\s*"$/.test(name) ? name.slice(1, -1) : name));
}

/** enable-epbf → enableEpbf, as yargs-parser expands every dashed name. */
function camelCase(name: string): string {
  return name.replace(/-+([^-])/g, (_, c: string) => c.toUpperCase());
}

interface Typed {
  /** As the user typed it: --enable-epbf, -l, rnu. */
  shown: string;
  kind: 'option' | 'word';
  /** Index in args of the token it came from. */
  at: number;
}

/** Where in args (before --) each unknown name was typed, and how. */
function locate(name: string, args: readonly string[], end: number): Typed {
  for (let i = 0; i < end; i++) {
    const token = args[i]!;
    const long = /^--(?:no-)?([^=]+)/.exec(token);
    if (long && long[1] === name) return { shown: token.split('=')[0]!, kind: 'option', at: i };
  }
  if (name.length === 1) {
    for (let i = 0; i < end; i++) {
      const token = args[i]!;
      if (/^-[^-\d]/.test(token) && token.slice(1).split('=')[0]!.includes(name)) return { shown: `-${name}`, kind: 'option', at: i };
    }
  }
  const at = args.indexOf(name);
  return { shown: name, kind: 'word', at: at >= 0 && at < end ? at : end };
}

function withSuggestion(shown: string, near: string[]): string {
  return near.length > 0 ? `${shown} (did you mean ${near.join(' or ')}?)` : shown;
}

/**
 * The usage error for yargs' unknown names in args. Names that are the
 * camelCase twin of another are dropped; options are suggested among the
 * known options, the first word among the subcommands. A first word that is
 * no subcommand is most likely the command to profile (`tsdenet ls -la`):
 * the options after it are its own, and the fix is `run -- ls -la`.
 */
export function explainUnknownArguments(names: readonly string[], args: readonly string[], vocabulary: Vocabulary): UsageError {
  const end = args.includes('--') ? args.indexOf('--') : args.length;
  const twins = new Set(names.filter((n) => n.includes('-')).map(camelCase));
  const typed = names.filter((n) => !twins.has(n) || n.includes('-')).map((n) => locate(n, args, end));
  const commandGiven = args.slice(0, end).some((token) => vocabulary.commands.includes(token));
  const words = typed.filter((t) => t.kind === 'word').sort((a, b) => a.at - b.at);
  const notACommand = commandGiven ? undefined : words[0];

  const parts: string[] = [];
  const options = typed.filter((t) => t.kind === 'option' && (notACommand === undefined || t.at < notACommand.at));
  if (options.length > 0) {
    const described = options.map((t) => withSuggestion(t.shown, t.shown.startsWith('--') ? closeMatches(t.shown.replace(/^--(no-)?/, ''), vocabulary.options).map((o) => `--${o}`) : []));
    parts.push(`unknown option${options.length > 1 ? 's' : ''} ${described.join(', ')}`);
  }
  if (notACommand) {
    const near = closeMatches(notACommand.shown, vocabulary.commands);
    parts.push(`unknown command ${withSuggestion(notACommand.shown, near)}`);
    const message = parts.join('; ');
    if (near.length > 0) return new UsageError(message, { hint: `give a subcommand: ${vocabulary.commands.join(', ')}` });
    const rest = args.filter((token, i) => i >= notACommand.at && !(i === end && token === '--'));
    const fixed = shellQuote(['tsdenet', ...args.slice(0, notACommand.at), 'run', '--', ...rest]);
    return new UsageError(message, { hint: `to profile a command, put it after run --: ${fixed} (subcommands: ${vocabulary.commands.join(', ')})` });
  }
  if (words.length > 0) parts.push(`unexpected argument${words.length > 1 ? 's' : ''} ${words.map((t) => t.shown).join(', ')}`);
  return new UsageError(parts.join('; ') || `unknown arguments ${names.join(', ')}`);
}
