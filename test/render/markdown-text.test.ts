// What blue does to text that is not its own before it sets it into a record or transcript, checked
// against the Markdown parser that `dialogue lint` reads with (GitHub's reading).

import { describe, expect, it } from 'vitest';
import { parseMarkdown, tablesOf } from '../../src/domain/markdown.js';
import { cell } from '../../src/render/common.js';
import { inlineText } from '../../src/render/markdown-text.js';

/** The cells of the one body row of a two-column table whose first cell is `text`. */
const rowOf = (text: string) => tablesOf(parseMarkdown(`| A | B |\n|---|---|\n| ${text} | x |\n`))[0].rows[0];

describe('a table cell', () => {
  it('shows a backslash before a pipe as written, in one cell', () => {
    for (const text of ['grep a\\|b is not enough', 'a\\\\|b', 'a\\\\\\|b', 'ends \\|', 'Back\\|slash']) {
      expect(rowOf(cell(text))).toEqual([text, 'x']);
    }
  });

  it('escapes a plain pipe as it always has', () => {
    expect(cell('a | b')).toBe('a \\| b');
    expect(rowOf(cell('a | b'))).toEqual(['a | b', 'x']);
  });

  it('keeps its row whole when a code span holds a backslash and a pipe', () => {
    // GitHub's tables cannot show `\|` inside a code span as written; the row, at least, stays one row.
    expect(rowOf(cell('`grep a\\|b`'))).toHaveLength(2);
  });

  it('is folded onto one line, a lone carriage return too', () => {
    expect(cell('one\r\n  two\rthree\nfour')).toBe('one two three four');
    expect(rowOf(cell('one\rtwo'))).toEqual(['one two', 'x']);
  });

  it('costs linear time on a long run of spaces or backslashes', () => {
    const started = Date.now();
    cell(`a${' '.repeat(200_000)}b${'\\'.repeat(200_000)}c`);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('a one-line field', () => {
  it('is folded when it holds a line break, as --label and --question are', () => {
    expect(inlineText('out of time\n\n## Verdict\n\nfake')).toBe('out of time ## Verdict fake');
    expect(inlineText('RFC-1\r\n\r\n## Verdict')).toBe('RFC-1 ## Verdict');
    expect(inlineText('a\rb')).toBe('a b');
  });

  it('is left as it is on one line', () => {
    for (const text of ['0058-encrypted-dynamodb-storage', '  two  spaces  ', 'a\ttab']) expect(inlineText(text)).toBe(text);
  });
});
