// Text that is not blue's, set into blue's Markdown so that it cannot change the document's structure:
// one-line fields (a header line, a heading, a table cell), without raw HTML, and the judge's prose (a
// verdict, the key insights) set under one of blue's headings. Text that could not break the structure
// (and holds no `<`) comes out byte for byte as it went in, so the records of existing dialogues stay
// what they were.

import { showHiddenCharacters } from '../domain/hidden-characters.js';
import { oneLine } from '../domain/values.js';

const LINE_BREAK = /[\r\n]/;

/**
 * A whole Markdown file as blue writes it (the record, the transcript, the judge files, a prompt): each
 * control character but tab and the line breaks, and each bidi control, shown as a visible escape
 * (`\u{202E}`), wherever in the file it stands. The judge's input holds none (it is refused), so what is
 * shown so is an expert's: its output is kept as written in the store and in its round file, and a
 * Markdown file shows what the text holds instead of obeying it. That goes for the transcript's verbatim
 * outputs too: a terminal that `cat`s the file would run an ESC sequence, a viewer would hide it, and a bidi
 * override would make a line read in another order than the expert wrote it. Tabs and line breaks
 * (CRLF too) stay: they are text, and a field of one line has folded them before.
 */
export function markdownFile(text: string): string {
  return showHiddenCharacters(text);
}

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

// ---------------------------------------------------------------------------------------------------------
// The judge's prose under one of blue's headings

/**
 * The judge's Markdown, set under a heading of blue's at depth `floor - 1`, made so that it stays inside
 * that section: when a heading of its own (ATX `## x` or setext `x` over `---`) stands above `floor`, every
 * heading of the text is moved down by the same number of levels, so the shallowest lands at `floor` and
 * the judge's outline is kept (at most `######`); a setext heading becomes an ATX one. A code block or a
 * raw HTML block (a comment, `<pre>`) that the text leaves open is closed at its end, so it cannot swallow
 * the sections after it. Text whose headings all stand at `floor` or below, and that closes what it opens,
 * is returned as it is.
 */
export function proseBlock(text: string, floor: number): string {
  const { lines, headings, unclosed } = scanBlocks(text);
  const top = Math.min(...headings.map((h) => h.depth));
  const shift = headings.length && top < floor ? floor - top : 0;
  if (shift === 0 && unclosed === undefined) return text;
  const out: string[] = [];
  let next = 0;
  for (const h of shift ? headings : []) {
    for (; next < h.first; next++) out.push(lines[next].text + lines[next].end);
    const depth = Math.min(6, h.depth + shift);
    if (h.kind === 'atx') {
      const line = lines[h.first];
      out.push(line.text.replace(/^( {0,3})#{1,6}/, (_, indent: string) => indent + '#'.repeat(depth)) + line.end);
    } else {
      // The paragraph's lines, then its underline: one ATX heading. A trailing `#` would read as the
      // heading's closing sequence, so one more closes it.
      const content = lines
        .slice(h.first, h.last)
        // A hard break at a line's end (a backslash) means nothing on one line.
        .map((l, j, all) => (j < all.length - 1 ? l.text.trim().replace(/(?<!\\)((?:\\\\)*)\\$/, '$1') : l.text.trim()))
        .join(' ');
      out.push(`${'#'.repeat(depth)} ${content}${/#$/.test(content) ? ' #' : ''}${lines[h.last].end}`);
    }
    next = h.last + 1;
  }
  for (; next < lines.length; next++) out.push(lines[next].text + lines[next].end);
  let result = out.join('');
  if (unclosed !== undefined) result += `${/(\r\n|\r|\n)$/.test(result) ? '' : '\n'}${unclosed}`;
  return result;
}

/** `text` with a code block or raw HTML block that it leaves open closed at its end; its headings as they are. */
export function closeBlocks(text: string): string {
  return proseBlock(text, 1);
}

interface Line {
  text: string;
  /** The line ending after it: `\n`, `\r\n`, `\r`, or '' for the last line. */
  end: string;
}

interface FoundHeading {
  kind: 'atx' | 'setext';
  depth: number;
  /** The heading's first line; for a setext heading the last is its underline. */
  first: number;
  last: number;
}

const ATX = /^ {0,3}(#{1,6})(?=[ \t]|$)/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const BLOCKQUOTE = /^ {0,3}>/;
const LIST_ITEM = /^( {0,3})([-+*]|(\d{1,9})[.)])(?=[ \t]|$)([ \t]*)(.*)$/;
const DEFINITION = /^ {0,3}\[(?:[^\]\\]|\\.)+\]:[ \t]*\S+(?:[ \t]+(?:"[^"]*"|'[^']*'|\([^)]*\)))?[ \t]*$/;
const DELIMITER_ROW = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

/**
 * The HTML block kinds that end at a given text, not at a blank line (CommonMark's kinds 1 to 5), with
 * the text that closes each. Kind 1 ends at any of its four end tags.
 */
const RAW_END = /<\/(?:pre|script|style|textarea)>/i;
const HTML_UNTIL: Array<{ start: RegExp; ends: (line: string) => boolean; closer: (start: RegExpExecArray) => string }> = [
  { start: /^ {0,3}<(pre|script|style|textarea)(?=[ \t>]|$)/i, ends: (l) => RAW_END.test(l), closer: (m) => `</${m[1].toLowerCase()}>` },
  { start: /^ {0,3}<!--/, ends: (l) => l.includes('-->'), closer: () => '-->' },
  { start: /^ {0,3}<\?/, ends: (l) => l.includes('?>'), closer: () => '?>' },
  { start: /^ {0,3}<![A-Za-z]/, ends: (l) => l.includes('>'), closer: () => '>' },
  { start: /^ {0,3}<!\[CDATA\[/, ends: (l) => l.includes(']]>'), closer: () => ']]>' },
];
const HTML_BLOCK_TAGS = new Set(
  (
    'address article aside base basefont blockquote body caption center col colgroup dd details dialog dir div dl dt ' +
    'fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr html iframe legend li link ' +
    'main menu menuitem nav noframes ol optgroup option p param search section summary table tbody td tfoot th thead ' +
    'title tr track ul'
  ).split(' '),
);
/** CommonMark's kind 6: a block-level tag name; ends at a blank line. */
const HTML_BLOCK_TAG = /^ {0,3}<\/?([A-Za-z][A-Za-z0-9]*)(?=[ \t>]|\/>|$)/;
/** Kind 7: a whole open or closing tag alone on its line; ends at a blank line, cannot interrupt a paragraph. */
const HTML_TAG_LINE =
  /^ {0,3}(?:<[A-Za-z][A-Za-z0-9-]*(?:[ \t]+[A-Za-z_:][A-Za-z0-9_.:-]*(?:[ \t]*=[ \t]*(?:[^ \t"'=<>`]+|'[^']*'|"[^"]*"))?)*[ \t]*\/?>|<\/[A-Za-z][A-Za-z0-9-]*[ \t]*>)[ \t]*$/;

/** The width of a line's indentation, a tab reaching the next multiple of 4. */
function indentOf(text: string): number {
  let width = 0;
  for (const ch of text) {
    if (ch === ' ') width++;
    else if (ch === '\t') width += 4 - (width % 4);
    else break;
  }
  return width;
}

/** The number of cells of a table row, as GFM splits it (escaped pipes do not split). */
function cellCount(row: string): number {
  const cells = row.trim().split(/(?<!\\)\|/);
  if (cells.length > 1 && cells[0].trim() === '') cells.shift();
  if (cells.length > 1 && cells[cells.length - 1].trim() === '') cells.pop();
  return cells.length;
}

/**
 * A scan of the document's top level, as a CommonMark reader sees it: which lines are headings there
 * (not inside a code block, an HTML block, a block quote or a list item), and what the text leaves open
 * at its end. It reads only what a heading's place depends on; the rest is left to the real parser
 * (src/domain/markdown.ts, which the tests hold this scan to).
 */
function scanBlocks(text: string): { lines: Line[]; headings: FoundHeading[]; unclosed?: string } {
  const parts = text.split(/(\r\n|\r|\n)/);
  const lines: Line[] = [];
  for (let i = 0; i < parts.length; i += 2) lines.push({ text: parts[i], end: parts[i + 1] ?? '' });
  const headings: FoundHeading[] = [];
  let fence: Fence | undefined;
  let html: HtmlBlock | undefined;
  let block: 'none' | 'paragraph' | 'definition' | 'table' | 'code' | 'container' = 'none';
  // The container (a block quote or a list item) at the top level: how its lines are known, whether its
  // last line leaves a paragraph open (so that a plain line after it continues it lazily), and a code
  // fence open inside it.
  let container: { kind: 'quote' | 'list'; indent: number; lazy: boolean; fence?: Fence; empty: boolean } | undefined;
  let paragraphStart = 0;
  let afterBlank = false;
  let afterCode = false;

  for (const [i, { text: line }] of lines.entries()) {
    const blank = /^[ \t]*$/.test(line);
    if (fence) {
      if (closesFence(line, fence)) fence = undefined;
      continue;
    }
    if (html) {
      if (html.ends(line, blank)) html = undefined;
      if (!blank || html) continue;
    }
    if (blank) {
      if (block === 'container' && container) {
        container.lazy = false;
        // An item that starts empty holds nothing when a blank line follows it.
        if (container.empty) block = 'none';
      } else block = 'none';
      afterBlank = true;
      continue;
    }
    const wasBlank = afterBlank;
    afterBlank = false;
    const indent = indentOf(line);

    if (block === 'container' && container) {
      let content: string | undefined;
      if (container.kind === 'list' && indent >= container.indent) content = line.trimStart();
      else if (container.kind === 'quote' && BLOCKQUOTE.test(line)) content = line.replace(/^ {0,3}> ?/, '');
      else if (!wasBlank && container.lazy && !startsBlock(line)) {
        // A lazy line of the container's paragraph; an HTML tag alone on it ends the paragraph (as the
        // lint's parser reads it).
        if (HTML_TAG_LINE.test(line)) container.lazy = false;
        continue;
      }
      if (content !== undefined) {
        container.empty = false;
        if (container.fence) {
          if (closesFence(content, container.fence)) container.fence = undefined;
        } else {
          const opened = openFence(content);
          if (opened) container.fence = opened;
          // A paragraph goes on through a line that starts no block, an indented one too; else a
          // paragraph is open when the line (inside any quote or list marker it has) starts one.
          const continues = container.lazy && !startsBlock(content) && !SETEXT_UNDERLINE.test(content);
          container.lazy = !opened && (continues || opensParagraph(content));
        }
        if (container.fence) container.lazy = false;
        continue;
      }
      block = 'none';
      container = undefined;
    }

    if (indent >= 4) {
      if (block === 'none' || block === 'code') block = 'code';
      afterCode = block === 'code';
      continue; // indented code, or a paragraph's (or a table's) continuation
    }
    if (block === 'code') block = 'none';
    // After indented code the lint's parser starts a list item only where one could interrupt a paragraph.
    const interrupting = block === 'paragraph' || block === 'definition' || afterCode;
    afterCode = false;
    const opened = openFence(line);
    if (opened) {
      fence = opened;
      block = 'none';
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      headings.push({ kind: 'atx', depth: atx[1].length, first: i, last: i });
      block = 'none';
      continue;
    }
    if (block === 'paragraph' && SETEXT_UNDERLINE.test(line)) {
      headings.push({ kind: 'setext', depth: line.trim()[0] === '=' ? 1 : 2, first: paragraphStart, last: i });
      block = 'none';
      continue;
    }
    if (THEMATIC_BREAK.test(line)) {
      block = 'none';
      continue;
    }
    const started = htmlBlockStart(line, block === 'paragraph' || block === 'definition');
    if (started) {
      html = started.ends(line.slice(started.from), false) ? undefined : started;
      block = 'none';
      continue;
    }
    const quote = BLOCKQUOTE.test(line);
    const item = quote ? undefined : listItemStart(line, interrupting);
    if (quote || item) {
      const content = quote ? line.replace(/^ {0,3}> ?/, '') : item!.content;
      const inner = openFence(content);
      container = {
        kind: quote ? 'quote' : 'list',
        indent: item?.indent ?? 0,
        lazy: !inner && opensParagraph(content),
        ...(inner ? { fence: inner } : {}),
        empty: item !== undefined && content.trim() === '',
      };
      block = 'container';
      continue;
    }
    if (block === 'paragraph' && DELIMITER_ROW.test(line) && line.includes('|') && cellCount(line) === cellCount(lines[i - 1].text)) {
      block = 'table';
      continue;
    }
    if (block !== 'paragraph' && block !== 'table') {
      if (DEFINITION.test(line)) {
        block = 'definition'; // a link reference definition: no paragraph for a setext heading to take
        continue;
      }
      block = 'paragraph';
      paragraphStart = i;
    }
  }
  // A fence or HTML block in a container ends with it; one at the top level would run on to the end.
  const unclosed = fence?.text ?? html?.closer;
  return { lines, headings, ...(unclosed !== undefined ? { unclosed } : {}) };
}

interface Fence {
  char: string;
  length: number;
  text: string;
}

function openFence(line: string): Fence | undefined {
  const m = FENCE_OPEN.exec(line);
  if (!m || (m[1][0] === '`' && m[2].includes('`'))) return undefined;
  return { char: m[1][0], length: m[1].length, text: m[1] };
}

function closesFence(line: string, fence: Fence): boolean {
  const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line)?.[1];
  return close !== undefined && close[0] === fence.char && close.length >= fence.length;
}

/**
 * Whether a line starts a block that ends a container's lazy paragraph: any list marker does (an empty
 * item, or `2.`, too, though neither interrupts a paragraph of the top level).
 */
function startsBlock(line: string): boolean {
  if (indentOf(line) >= 4) return false;
  return (
    openFence(line) !== undefined ||
    ATX.test(line) ||
    THEMATIC_BREAK.test(line) ||
    BLOCKQUOTE.test(line) ||
    htmlBlockStart(line, true) !== undefined ||
    listItemStart(line, false) !== undefined
  );
}

/** Whether a container's line opens a paragraph: its text, inside the quote and list markers it starts with. */
function opensParagraph(content: string): boolean {
  for (let rest = content, depth = 0; depth < 100; depth++) {
    if (rest.trim() === '' || indentOf(rest) >= 4) return false;
    if (BLOCKQUOTE.test(rest)) {
      rest = rest.replace(/^ {0,3}> ?/, '');
      continue;
    }
    const item = THEMATIC_BREAK.test(rest) ? undefined : listItemStart(rest, false);
    if (item) {
      rest = item.content;
      continue;
    }
    return !startsBlock(rest) && !DEFINITION.test(rest);
  }
  return false;
}

interface HtmlBlock {
  /** Whether this line ends the block (a blank line, for the kinds that end at one). */
  ends: (line: string, blank: boolean) => boolean;
  /** The text that closes a block of kinds 1 to 5. */
  closer?: string;
  /** Where on its first line the end may be looked for. */
  from: number;
}

/** An HTML block that starts on this line. */
function htmlBlockStart(line: string, inParagraph: boolean): HtmlBlock | undefined {
  for (const kind of HTML_UNTIL) {
    const m = kind.start.exec(line);
    if (m) return { ends: (l) => kind.ends(l), closer: kind.closer(m), from: m[0].length };
  }
  const atBlank = (_: string, blank: boolean) => blank;
  const tag = HTML_BLOCK_TAG.exec(line);
  if (tag && HTML_BLOCK_TAGS.has(tag[1].toLowerCase())) return { ends: atBlank, from: line.length };
  if (!inParagraph && HTML_TAG_LINE.test(line)) return { ends: atBlank, from: line.length };
  return undefined;
}

/**
 * A list item that starts on this line: its content column and the text after its marker. In a
 * paragraph only a bullet or `1.` with content starts one; otherwise the line continues the paragraph.
 */
function listItemStart(line: string, inParagraph: boolean): { indent: number; content: string } | undefined {
  const m = LIST_ITEM.exec(line);
  if (!m) return undefined;
  const [, lead, marker, number, spaces, rest] = m;
  if (inParagraph && (rest.trim() === '' || (number !== undefined && Number(number) !== 1))) return undefined;
  const markerEnd = lead.length + marker.length;
  const gap = indentOf(spaces); // the spaces after the marker (a tab counted as up to 4, roughly)
  const indent = rest.trim() === '' || gap > 4 ? markerEnd + 1 : markerEnd + gap;
  return { indent, content: gap > 4 ? spaces.slice(1) + rest : rest };
}
