/**
 * Pure: text from outside tsdenet (process names, syscall and errno names
 * read from a saved run, file names) put into GitHub-flavoured Markdown as
 * text, never as markup. A CI job summary renders Markdown and some HTML:
 * a process may name itself `<img src=…>` or `[x](https://…)`, and a saved
 * run is a file anyone could have written.
 */
import { escapeControl, shellQuote } from './terminal-text.js';

/**
 * ASCII punctuation that can open or close inline markup (emphasis, code,
 * links, images, raw HTML, entity references, strikethrough) or end a
 * table cell. CommonMark lets a backslash make any of them literal.
 */
const MARKUP = /[\\`*_[\]<>&~|!]/g;

/** Text for a paragraph or a table cell: markup characters escaped, one line, controls shown. */
export function markdownText(text: string): string {
  return escapeControl(text.replace(/\r?\n/g, ' ')).replace(MARKUP, (c) => `\\${c}`);
}

/**
 * A code span that shows `text` as it is. Inside a code span nothing is
 * markup, and the span ends only at a backtick run as long as its opener:
 * the opener is one backtick longer than the longest run inside, and
 * padded with spaces when the text starts or ends with a backtick.
 */
export function markdownCode(text: string): string {
  const shown = escapeControl(text.replace(/\r?\n/g, ' '));
  const longest = Math.max(0, ...(shown.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = shown.startsWith('`') || shown.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/** A command line in a code span, quoted as a user can paste it into bash. */
export function markdownCommand(argv: readonly string[]): string {
  return markdownCode(shellQuote(argv));
}
