/**
 * Pure: text that comes from outside tsdenet (the profiled processes' argv
 * and names, the records of an input file) made safe to print on a
 * terminal. A process controls its own argv and comm (prctl PR_SET_NAME,
 * exec -a): printed raw, `\e]0;…\a` retitles the window, `\e[2J` clears it,
 * and worse on some terminals. Every such string passes through here
 * before it reaches stdout or stderr:
 *  - escapeControl: for names and messages, control characters shown as
 *    C escapes (`\e`, `\n`, `\u009b`, `\u202e`), everything else as it is;
 *  - shellQuote: a command line as a user can paste it into bash.
 */

/**
 * What a terminal may act on instead of showing: C0 controls and DEL, C1
 * controls (U+0080–U+009F: U+009B is a CSI on its own for some terminals),
 * and the Unicode controls that reorder or hide text (bidi embeddings,
 * overrides and isolates, the line and paragraph separators, zero-width
 * joiners and marks, BOM).
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/gu;

const NAMED: Readonly<Record<string, string>> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\u001b': '\\e',
};

/** One unsafe character as bash's $'…' would write it. */
function escapeOne(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.codePointAt(0) ?? 0;
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** True when the text holds a character a terminal could act on. */
export function hasControl(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(text);
}

/**
 * The text with every control character shown as an escape (`\e[2J`
 * prints as the five characters `\e[2J`). Printable text, backslashes
 * included, is left as it is: this is for reading, not for pasting.
 */
export function escapeControl(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/** Words bash takes as they are, wherever they stand. */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One argument, quoted so that bash reads it back as the same string:
 * plain words as they are, others in single quotes, and those with
 * control characters as bash's $'…' (which shows them escaped).
 */
export function shellQuoteWord(word: string): string {
  if (PLAIN_WORD.test(word)) return word;
  if (!hasControl(word)) return `'${word.replaceAll("'", `'\\''`)}'`;
  const body = word.replace(/[\\']/g, (c) => `\\${c}`).replace(UNSAFE, escapeOne);
  return `$'${body}'`;
}

/**
 * A command line as a user can paste it: each argument quoted where bash
 * needs it (`sh -c 'cat words 2>/dev/null || seq 3'`). The first word is
 * quoted also when it holds `=`, which bash would take for an assignment.
 */
export function shellQuote(argv: readonly string[]): string {
  return argv.map((word, i) => (i === 0 && PLAIN_WORD.test(word) && word.includes('=') ? `'${word}'` : shellQuoteWord(word))).join(' ');
}
