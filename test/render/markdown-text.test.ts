// What blue does to text that is not its own before it sets it into a record or transcript, checked
// against the Markdown parser that `dialogue lint` reads with (GitHub's reading).

import { describe, expect, it } from 'vitest';
import { parseMarkdown, plainText, tablesOf } from '../../src/domain/markdown.js';
import { cell } from '../../src/render/common.js';
import { closeBlocks, inlineText, noHtml, proseBlock } from '../../src/render/markdown-text.js';

/** The cells of the one body row of a two-column table whose first cell is `text`. */
const rowOf = (text: string) => tablesOf(parseMarkdown(`| A | B |\n|---|---|\n| ${text} | x |\n`))[0].rows[0];

/** Every node of a tree, depth first. */
function nodes(node: { children?: unknown[] }): Array<{ type: string; value?: string; children?: unknown[] }> {
  return [node as { type: string }, ...((node.children ?? []) as Array<{ children?: unknown[] }>).flatMap(nodes)];
}
/** The top-level headings of a document: depth and plain text. */
const headings = (text: string) =>
  parseMarkdown(text)
    .children.filter((n) => n.type === 'heading')
    .map((n) => [(n as { depth: number }).depth, plainText(n).replace(/\s+/g, ' ').trim()] as const);

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

describe("the judge's prose under one of blue's headings", () => {
  it("moves a heading at a section's level below blue's, keeping the judge's outline", () => {
    expect(proseBlock('## Verdict\n\nWe adopt X.', 3)).toBe('### Verdict\n\nWe adopt X.');
    expect(proseBlock('# Decision\n\n## Why\n\n#### Detail\n\n###### Deep', 3)).toBe('### Decision\n\n#### Why\n\n###### Detail\n\n###### Deep');
    expect(proseBlock('We adopt X.\n\n## Key Insights\n\n- a', 3)).toBe('We adopt X.\n\n### Key Insights\n\n- a');
    expect(proseBlock('## Why\n\ntext', 4)).toBe('#### Why\n\ntext');
  });

  it('turns a setext heading into one below the floor', () => {
    expect(proseBlock('Verdict\n=======\n\nWe adopt X.', 3)).toBe('### Verdict\n\nWe adopt X.');
    expect(proseBlock('Two\nlines\n---\ntext', 3)).toBe('### Two lines\ntext');
    expect(proseBlock('Ends in #\n---', 3)).toBe('### Ends in # #');
  });

  it('returns text whose headings already stand at the floor or below as it is', () => {
    for (const text of ['We adopt X.', '### Rationale\n\ntext\n\n#### Detail', 'a\n\n---\n\nb', '```\n## not a heading\n```', '> ## quoted', '- ## in a list', '    ## code']) {
      expect(proseBlock(text, 3)).toBe(text);
    }
  });

  it('leaves headings inside code blocks, quotes and lists alone when it moves the others', () => {
    expect(proseBlock('## A\n\n```\n## code\n```\n\n> ## quote', 3)).toBe('### A\n\n```\n## code\n```\n\n> ## quote');
  });

  it('closes a code block or an HTML block the text leaves open', () => {
    expect(proseBlock('See:\n\n```sh\nrm -rf', 3)).toBe('See:\n\n```sh\nrm -rf\n```');
    expect(proseBlock('~~~~\ncode', 3)).toBe('~~~~\ncode\n~~~~');
    expect(proseBlock('<!-- draft', 3)).toBe('<!-- draft\n-->');
    expect(proseBlock('<pre>\n## x', 3)).toBe('<pre>\n## x\n</pre>');
    expect(proseBlock('<!-- closed -->\n\n```\nok\n```', 3)).toBe('<!-- closed -->\n\n```\nok\n```');
  });

  it('closes, and changes nothing else, for an expert output in the transcript', () => {
    expect(closeBlocks('# Muffin\n\n## Round 1 view\n\n```\ncut')).toBe('# Muffin\n\n## Round 1 view\n\n```\ncut\n```');
  });

  it('keeps Windows line endings', () => {
    expect(proseBlock('## A\r\n\r\ntext', 3)).toBe('### A\r\n\r\ntext');
  });

  // The scan reads only what a heading's place depends on; here it is held to the parser itself, on
  // documents made of the blocks judges write (and some they should not).
  it('agrees with the Markdown parser on where headings stand and what runs on', () => {
    const blocks = [
      '## Verdict', '# Title', '### Sub', '#### Deep', 'We adopt X.', 'Verdict', '---', '===', '-', '***', '',
      '', '', '```', '```sh', '~~~', '> quote', '> ## quoted', '- item', '- ## item', '  - nested', '1. first',
      '2. second', '  continued', '    indented code', '| a | b |', '|---|---|', '<details>', '<summary>Why</summary>',
      '</details>', '<!--', '-->', '<!-- note -->', '<div>', '</div>', '<pre>', '</pre>', '[ref]: https://x.y',
      '**Bold** text', 'a line  ', 'ends with \\', '## closed ##', 'x #', '\\## escaped', '\t## tab',
    ];
    let seed = 58;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const sentinel = '\n\n## After\n';
    for (let k = 0; k < 600; k++) {
      const doc = Array.from({ length: 1 + Math.floor(random() * 10) }, () => blocks[Math.floor(random() * blocks.length)]).join('\n');
      const out = proseBlock(doc, 3);
      const after = headings(out + sentinel);
      // Whatever the text, the section after it is still a section, and the text's headings are below it.
      expect({ doc, after: after.slice(0, -1).filter(([depth]) => depth < 3), last: after.at(-1) }).toEqual({ doc, after: [], last: [2, 'After'] });
      const before = headings(doc + sentinel);
      if (before.at(-1)?.[1] === 'After' && before.every(([depth], i) => depth >= 3 || i === before.length - 1)) {
        expect({ doc, out }).toEqual({ doc, out: doc });
      }
    }
  }, 60_000);
});
