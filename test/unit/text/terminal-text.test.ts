import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControl, hasControl, shellQuote, shellQuoteWord } from '../../../src/text/terminal-text.js';

/**
 * What bash makes of a quoted command line: its words, NUL-separated, read
 * back. In a UTF-8 locale, as a terminal's: $'\u202e' is encoded with it.
 */
function bashWords(line: string): string[] {
  const r = spawnSync('bash', ['--norc', '-c', `printf '%s\\0' ${line}`], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\0').slice(0, -1);
}

/** Every character a terminal acts on, one of each kind. */
const CONTROL_SAMPLES = ['\u0000', '\u0007', '\b', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u009b', '\u200e', '\u2028', '\u202e', '\u2066', '\ufeff'];

describe('escapeControl', () => {
  it('shows escape sequences as text, as bash $\'…\' writes them', () => {
    expect(escapeControl('\u001b]0;owned\u0007\u001b[2J')).toBe('\\e]0;owned\\a\\e[2J');
    expect(escapeControl('a\tb\nc\rd\u0000e\u007f')).toBe('a\\tb\\nc\\rd\\x00e\\x7f');
    // C1's CSI, a bidi override: terminals and readers act on both.
    expect(escapeControl('x\u009b2Jy\u202eevil')).toBe('x\\u009b2Jy\\u202eevil');
  });

  it('leaves printable text alone: accents, CJK, emoji, backslashes, box drawing', () => {
    for (const text of ['café', '名前', 'a😀b', 'C:\\dir', '└─ thread', 'plain ascii ~!@#$%^&*()']) {
      expect(escapeControl(text)).toBe(text);
      expect(hasControl(text)).toBe(false);
    }
  });

  it('never lets a control character through, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const out = escapeControl(text);
        expect(hasControl(out)).toBe(false);
        for (const ch of CONTROL_SAMPLES) expect(out.includes(ch)).toBe(false);
        // Only controls change: without them the text is untouched.
        if (!hasControl(text)) expect(out).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('hasControl finds each kind of control character', () => {
    for (const ch of CONTROL_SAMPLES) expect(hasControl(`a${ch}b`), JSON.stringify(ch)).toBe(true);
  });
});

describe('shellQuote', () => {
  it('quotes only what bash needs quoted', () => {
    expect(shellQuote(['ls', '-la', '/usr/share/doc', '--color=auto', 'a,b:c@d%e+f'])).toBe('ls -la /usr/share/doc --color=auto a,b:c@d%e+f');
    expect(shellQuote(['sh', '-c', 'cat /usr/share/dict/words 2>/dev/null || seq 1 3'])).toBe("sh -c 'cat /usr/share/dict/words 2>/dev/null || seq 1 3'");
    expect(shellQuoteWord("it's")).toBe("'it'\\''s'");
    expect(shellQuoteWord('')).toBe("''");
    expect(shellQuoteWord('*')).toBe("'*'");
    expect(shellQuoteWord('~')).toBe("'~'");
    expect(shellQuoteWord('$HOME')).toBe("'$HOME'");
    // The first word is no assignment: FOO=1 quoted, later ones as they are.
    expect(shellQuote(['FOO=1', 'BAR=2'])).toBe("'FOO=1' BAR=2");
  });

  it('writes control characters as $\'…\' escapes, never raw', () => {
    const quoted = shellQuote(['printf', '\u001b]0;owned\u0007\u001b[2J', "a'b\\c\n"]);
    expect(quoted).toBe("printf $'\\e]0;owned\\a\\e[2J' $'a\\'b\\\\c\\n'");
    expect(hasControl(quoted)).toBe(false);
  });

  it('bash reads the quoted line back as the same words (real bash)', () => {
    const words = ['sh', '-c', 'cat /usr/share/dict/words 2>/dev/null || seq 1 3', "it's", '', '*', '$(id)', '`id`', '!x', 'a b', 'FOO=1', '\u001b[2J\u0007', 'tab\there', 'back\\slash', '\u202eevil', 'é名😀', '#c', '~root', '{a,b}'];
    expect(bashWords(shellQuote(words))).toEqual(words);
  });

  it('bash reads back any argv (no NUL: argv cannot hold one), and no control character is left raw', () => {
    const word = fc.string({ unit: fc.integer({ min: 1, max: 0x2100 }).map((c) => String.fromCodePoint(c)), maxLength: 12 });
    const samples = fc.sample(fc.array(word, { minLength: 1, maxLength: 6 }), { numRuns: 60, seed: 12 });
    for (const argv of samples) {
      const quoted = shellQuote(argv);
      expect(hasControl(quoted)).toBe(false);
      expect(bashWords(quoted)).toEqual(argv);
    }
  });
});
