// Text that is not blue's, set into blue's Markdown so that it cannot change the document's structure:
// one-line fields (a header line, a heading, a table cell). Text that could not break the structure comes
// out byte for byte as it went in, so the records of existing dialogues stay what they were.

import { oneLine } from '../domain/values.js';

const LINE_BREAK = /[\r\n]/;

/**
 * A one-line field of the record or transcript (a header line, a heading, the abandon reason, a vote):
 * folded onto one line when it holds a line break, as `--label` and `--question` are when they are given
 * (a dialogue recorded before its field was folded renders a valid record too).
 */
export function inlineText(text: string): string {
  return LINE_BREAK.test(text) ? oneLine(text) : text;
}

/**
 * A table cell: one line, its pipes escaped. A run of backslashes before a pipe is doubled first
 * (`a\|b` becomes `a\\\|b`), so that the pipe stays escaped and the cell shows the text as written; a
 * single `\` before it would have escaped the escape, and the pipe would have split the row. (Inside a
 * code span GitHub shows the doubled backslashes: in a table a code span cannot show `\|` as written.)
 */
export function tableCell(text: string): string {
  return text
    // Each match starts where its run of spaces (or of backslashes) starts, so that a long run without a
    // line break (or a pipe) after it costs one look, not one per character.
    .replace(/(?<![^\S\r\n])\s*[\r\n]\s*/g, ' ')
    .replace(/(?<!\\)(\\*)\|/g, (_, slashes: string) => `${slashes}${slashes}\\|`)
    .trim();
}
