// What blue does to text that is not its own before it sets it into a record or transcript, checked
// against the Markdown parser that `dialogue lint` reads with (GitHub's reading).

import { describe, expect, it } from 'vitest';
import { parseMarkdown, tablesOf } from '../../src/domain/markdown.js';
import { cell } from '../../src/render/common.js';
import { inlineText, noHtml } from '../../src/render/markdown-text.js';

/** The cells of the one body row of a two-column table whose first cell is `text`. */
const rowOf = (text: string) => tablesOf(parseMarkdown(`| A | B |\n|---|---|\n| ${text} | x |\n`))[0].rows[0];

/** Every node of a tree, depth first. */
function nodes(node: { children?: unknown[] }): Array<{ type: string; value?: string; children?: unknown[] }> {
  return [node as { type: string }, ...((node.children ?? []) as Array<{ children?: unknown[] }>).flatMap(nodes)];
}
/** The raw HTML a document holds, as the parser reads it. */
const htmlIn = (text: string) => nodes(parseMarkdown(text)).filter((n) => n.type === 'html').map((n) => n.value);

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

describe('raw HTML', () => {
  it('is escaped outside code spans, so no tag reaches the page', () => {
    for (const text of ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '\\<b>bold\\</b>', '\\\\<i>', 'a <!-- b', 'x | <b> | y']) {
      const escaped = noHtml(cell(text));
      expect(htmlIn(`| A | B |\n|---|---|\n| ${escaped} | x |\n`)).toEqual([]);
      expect(htmlIn(`### ${noHtml(text)}`)).toEqual([]);
      expect(rowOf(escaped)).toEqual([text, 'x']);
    }
  });

  it('is left alone inside a code span, where it is text already', () => {
    expect(noHtml('use `Vec<T>` and <b>')).toBe('use `Vec<T>` and \\<b>');
    expect(noHtml('``a`<b>`` <i>')).toBe('``a`<b>`` \\<i>');
    expect(noHtml('\\`<b>`')).toBe('\\`\\<b>`'); // an escaped backtick opens no span
    expect(noHtml('`a` <b> `c<d`')).toBe('`a` \\<b> `c<d`');
  });

  it('changes nothing in text without a <', () => {
    expect(noHtml('a & b > c `d`')).toBe('a & b > c `d`');
  });

  it('costs linear time however the backticks and brackets fall', () => {
    const texts = ['<'.repeat(10) + Array.from({ length: 50_000 }, (_, i) => '`'.repeat((i % 7) + 1) + 'x').join(''), '`a` <'.repeat(50_000), `${'\\'.repeat(200_000)}x<`];
    const started = Date.now();
    for (const text of texts) noHtml(text);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
