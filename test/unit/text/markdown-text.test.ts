import { describe, expect, it } from 'vitest';
import { markdownCode, markdownCommand, markdownText } from '../../../src/text/markdown-text.js';

describe('markdownText', () => {
  it('escapes what would open markup: links, images, raw HTML, emphasis, entities, cells', () => {
    expect(markdownText('<img src=x onerror=alert(1)>')).toBe('\\<img src=x onerror=alert(1)\\>');
    expect(markdownText('![t](https://example.com/p.png)')).toBe('\\!\\[t\\](https://example.com/p.png)');
    expect(markdownText('*a* _b_ ~~c~~ `d` &amp; a|b \\')).toBe('\\*a\\* \\_b\\_ \\~\\~c\\~\\~ \\`d\\` \\&amp; a\\|b \\\\');
  });

  it('keeps one line and shows control characters as escapes', () => {
    expect(markdownText('a\nb\r\nc')).toBe('a b c');
    expect(markdownText('x\u001b[2Jy\u202e')).toBe('x\\\\e\\[2Jy\\\\u202e');
  });

  it('leaves plain names and numbers as they are', () => {
    expect(markdownText('openat')).toBe('openat');
    expect(markdownText('12.5 (10–15)')).toBe('12.5 (10–15)');
    expect(markdownText('+12.5%')).toBe('+12.5%');
  });
});

describe('markdownCode', () => {
  it('fences with one backtick more than the longest run inside, padded at a backtick edge', () => {
    expect(markdownCode('a.jsonl')).toBe('`a.jsonl`');
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('``x')).toBe('``` ``x ```');
  });
});

describe('markdownCommand', () => {
  it('quotes the command line as bash reads it back', () => {
    expect(markdownCommand(['sh', '-c', 'echo a | wc -l'])).toBe("`sh -c 'echo a | wc -l'`");
    expect(markdownCommand(['printf', 'a\nb'])).toBe("`printf $'a\\nb'`");
  });
});
