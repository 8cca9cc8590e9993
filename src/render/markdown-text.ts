// Text that is not blue's, set into blue's Markdown so that it cannot change the document's structure:
// one-line fields (a header line, a heading, a table cell), without raw HTML. Text that could not break
// the structure (and holds no `<`) comes out byte for byte as it went in, so the records of existing
// dialogues stay what they were.

import { oneLine } from '../domain/values.js';

const LINE_BREAK = /[\r\n]/;

/**
 * A one-line field of the record or transcript (a header line, a heading, the abandon reason, a vote):
 * folded onto one line when it holds a line break, as `--label` and `--question` are when they are given
 * (a dialogue recorded before its field was folded renders a valid record too), and without raw HTML.
 */
export function inlineText(text: string): string {
  return noHtml(LINE_BREAK.test(text) ? oneLine(text) : text);
}

/**
 * `text` with each `<` outside a code span escaped, so that no tag in it reaches the page as HTML
 * (GitHub sanitises what it shows; other viewers of the record may not). A run of backslashes before the
 * `<` is doubled, so the page shows the backslashes as written and they cannot undo the escape.
 */
export function noHtml(text: string): string {
  if (!text.includes('<')) return text;
  const code = codeSpans(text);
  let span = 0; // the matches come in order, so the spans are passed once
  return text.replace(/(?<!\\)(\\*)</g, (whole, slashes: string, at: number) => {
    const lt = at + slashes.length;
    while (span < code.length && code[span][1] <= lt) span++;
    return span < code.length && code[span][0] <= lt ? whole : `${slashes}${slashes}\\<`;
  });
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

/**
 * The spans of `text` that CommonMark reads as code spans, [start, end) each: a run of n backticks (its
 * first not escaped by a backslash) up to the next run of exactly n. Linear: each length's runs are
 * looked through once, left to right.
 */
function codeSpans(text: string): Array<[number, number]> {
  if (!text.includes('`')) return [];
  const runs = new Map<number, number[]>(); // length -> the starts of the whole runs of that length
  for (const m of text.matchAll(/`+/g)) {
    const list = runs.get(m[0].length) ?? [];
    list.push(m.index);
    runs.set(m[0].length, list);
  }
  const next = new Map<number, number>(); // length -> the index in its list to look at next
  const spans: Array<[number, number]> = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '\\') {
      i += 2; // an escape: the next character (a backtick too) is literal
      continue;
    }
    if (text[i] !== '`') {
      i++;
      continue;
    }
    let open = i;
    while (text[open] === '`') open++;
    const length = open - i;
    const starts = runs.get(length) ?? [];
    let k = next.get(length) ?? 0;
    while (k < starts.length && starts[k] < open) k++;
    next.set(length, k);
    if (k === starts.length) {
      i = open; // no closing run of the same length: the backticks are literal
      continue;
    }
    const close = starts[k] + length;
    spans.push([i, close]);
    i = close;
  }
  return spans;
}
