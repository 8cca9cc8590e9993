// Markdown as a tree, for the readers of Markdown that blue did not write itself: `dialogue lint` (records
// and transcripts) and `dialogue import` (blue folders). A real CommonMark + GFM parser (micromark/mdast),
// never regexes, so a table is a table exactly when GitHub would show one. Pure: the parser packages do no
// I/O, which is why the domain may import them (test/support/boundaries.ts names them).

import type { Root, RootContent, Table } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { toString } from 'mdast-util-to-string';
import { gfm } from 'micromark-extension-gfm';

export type { Root, RootContent } from 'mdast';

/** Parses Markdown with GitHub's extensions (tables, task lists, strikethrough, autolinks). Never throws. */
export function parseMarkdown(text: string): Root {
  return fromMarkdown(text, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
}

/** The plain text of a node: what a reader sees, without the Markdown around it. */
export const plainText = (node: RootContent | Root): string => toString(node);

export interface MarkdownTable {
  /** The header cells' plain text, trimmed. */
  header: string[];
  /** The body rows' cells' plain text, trimmed; a row may be shorter or longer than the header. */
  rows: string[][];
  /** 1-based line of the header row, and of each body row. */
  line: number;
  rowLines: number[];
  /** The heading the table stands under (its plain text), when there is one. */
  heading?: string;
}

/** Every GFM table of a document at its top level, with the heading above it. */
export function tablesOf(root: Root): MarkdownTable[] {
  const tables: MarkdownTable[] = [];
  let heading: string | undefined;
  for (const node of root.children) {
    if (node.type === 'heading') heading = plainText(node).trim();
    if (node.type !== 'table') continue;
    const [head, ...body] = (node as Table).children;
    const cells = (row: Table['children'][number]) => row.children.map((cell) => plainText(cell).trim());
    tables.push({
      header: head ? cells(head) : [],
      rows: body.map(cells),
      line: node.position?.start.line ?? 0,
      rowLines: body.map((row) => row.position?.start.line ?? 0),
      ...(heading !== undefined ? { heading } : {}),
    });
  }
  return tables;
}
