// Reads the bracketed markers that experts write in their round files. Pure: a string in, entries out.
//
// Real round files mix two dialects, each in many small variants (see the reference dialogues):
//   older:        [PERSPECTIVE P01: label]  [TENSION T01: label]  [RESOLVED MUFFIN R1-T01]
//                 [REFINEMENT: label]  [CONCESSION: label]  [MOVE:CONVERGE]
//   RFC 0051:     [MUFFIN-P0101: label] (also -R, -T, -E, -C)  [RE:SUPPORT P0001]  [MOVE:BRIDGE P0003 R0001]
//                 [DISSENT]  [MINORITY VERDICT: label]
//
// Three rules keep the reader predictable:
// 1. A marker is recognised only at the start of a line (after optional heading hashes, a list bullet and
//    bold/italic asterisks), never inside a sentence and never inside a fenced code block. Several markers
//    may follow each other on one line; text after the last one is the start of its body.
// 2. A line that looks like a marker but cannot be read becomes a warning that says what was expected.
//    Its text is kept as ordinary body text.
// 3. No text is lost: every line that is not a marker belongs to the body of the marker before it, or, before
//    the first marker, to `unmarked`. Only trailing `---` separators are dropped from a body.

import { interpretMarker, looksLikeMarker, type MarkerEntry, type MarkerHead, type Problem } from './marker-syntax.js';

export type { EntityKind, MarkerEntry } from './marker-syntax.js';

export interface MarkerWarning {
  line: number;
  message: string;
}

export interface UnmarkedText {
  /** First line of the paragraph. */
  line: number;
  text: string;
}

export interface MarkerReading {
  entries: MarkerEntry[];
  warnings: MarkerWarning[];
  /** Paragraphs that come before the first marker (a title, an opening remark). */
  unmarked: UnmarkedText[];
}

// ---------------------------------------------------------------------------------------------------------
// One line

// Optional indentation, heading hashes, a list bullet, then bold/italic markers right before the bracket.
const LINE_PREFIX = /^[ \t]*(?:#{1,6}[ \t]*)?(?:(?:[-*+]|[0-9]+[.)])[ \t]+)?(\*{1,3}|_{1,3})?(?=\[)/;
// The same for a further marker on the same line: spaces and emphasis only.
const CHAINED_PREFIX = /^[ \t]*(\*{1,3}|_{1,3})?(?=\[)/;

interface LineReading {
  /** One group per marker on the line. */
  markers: MarkerHead[][];
  warnings: string[];
  /** The text of the line that is body: after the last marker, or the whole line when none was read. */
  body: string;
}

function scanBracket(line: string, open: number): { content: string; end: number; closed: boolean } {
  let depth = 0;
  for (let i = open; i < line.length; i++) {
    if (line[i] === '[') depth++;
    else if (line[i] === ']' && --depth === 0) return { content: line.slice(open + 1, i), end: i + 1, closed: true };
  }
  return { content: line.slice(open + 1), end: line.length, closed: false };
}

function describe(marker: string, { problem, expected }: Problem): string {
  const shown = marker.length > 80 ? `${marker.slice(0, 77)}...` : marker;
  return `${problem} in "${shown}"; expected ${expected}`;
}

/** Undefined when the line is plain text. */
function readMarkerLine(line: string): LineReading | undefined {
  const prefix = LINE_PREFIX.exec(line);
  if (!prefix) return undefined;
  const markers: MarkerHead[][] = [];
  const warnings: string[] = [];
  let emphasis = prefix[1] ?? '';
  let pos = prefix[0].length;
  let bodyStart = pos;

  for (;;) {
    const bracket = scanBracket(line, pos);
    const isLink = bracket.closed && line[bracket.end] === '(';
    if (!looksLikeMarker(bracket.content)) break;
    const marker = line.slice(pos, bracket.end);
    if (isLink) {
      // `[TENSION T01: costs](https://...)` is a Markdown link: not read as a marker, so that a link
      // whose text names an id stays a link, but never dropped without a word either.
      const shown = marker.length > 80 ? `${marker.slice(0, 77)}...` : marker;
      warnings.push(`"${shown}(...)" is a Markdown link, so it is not read as a marker; expected the marker alone, with the link after it: "${shown} (...)"`);
      break;
    }
    if (!bracket.closed) {
      warnings.push(describe(marker, { problem: 'marker is not closed', expected: 'a closing "]"' }));
      break;
    }
    const reading = interpretMarker(bracket.content);
    if ('failure' in reading) {
      warnings.push(describe(marker, reading.failure));
      break;
    }
    markers.push(reading.heads);
    warnings.push(...reading.problems.map((p) => describe(marker, p)));

    pos = bracket.end;
    if (emphasis && line.startsWith(emphasis, pos)) pos += emphasis.length;
    bodyStart = pos;
    const next = CHAINED_PREFIX.exec(line.slice(pos));
    if (!next) break;
    emphasis = next[1] ?? '';
    pos += next[0].length;
  }

  if (markers.length === 0 && warnings.length === 0) return undefined;
  return { markers, warnings, body: markers.length > 0 ? line.slice(bodyStart).trim() : line };
}

// ---------------------------------------------------------------------------------------------------------
// The whole file

interface Draft {
  head: MarkerHead;
  line: number;
  /** Shared by the heads of one marker (a reference to several targets). */
  body: string[];
}

const FENCE = /^[ \t]*(`{3,}|~{3,})/;
const CLOSING_FENCE = /^[ \t]*(`{3,}|~{3,})[ \t]*$/;
const SEPARATOR = /^\s*(?:-{3,}|\*{3,}|_{3,})\s*$/;


/** The body as text: trimmed, without the `---` separators that close an expert's section. */
function bodyText(lines: string[]): string {
  const kept = [...lines];
  while (kept.length > 0 && (kept[kept.length - 1].trim() === '' || SEPARATOR.test(kept[kept.length - 1]))) kept.pop();
  return kept.join('\n').trim();
}

function paragraphs(lines: UnmarkedText[]): UnmarkedText[] {
  const result: UnmarkedText[] = [];
  let current: UnmarkedText | undefined;
  for (const { line, text } of lines) {
    if (text.trim() === '') {
      current = undefined;
    } else if (current) {
      current.text += `\n${text}`;
    } else {
      current = { line, text };
      result.push(current);
    }
  }
  return result.map((p) => ({ line: p.line, text: p.text.trim() }));
}

/** Reads every marker of one expert's round file. Never throws; what it cannot read it reports. */
export function readMarkers(markdown: string): MarkerReading {
  const drafts: Draft[] = [];
  const warnings: MarkerWarning[] = [];
  const beforeFirstMarker: UnmarkedText[] = [];
  const bodiesWithText = new WeakSet<string[]>();
  let owner: Draft | undefined; // the marker whose body the next text line extends
  let speaker: string | undefined; // the entity that a following RE marker speaks for
  let fence: string | undefined; // the opening fence of the code block we are in

  const appendBody = (text: string, line: number) => {
    if (owner) {
      owner.body.push(text);
      if (text.trim() !== '') bodiesWithText.add(owner.body);
    } else beforeFirstMarker.push({ line, text });
  };

  const openMarker = (heads: MarkerHead[], line: number) => {
    const first = heads[0];
    if (first.type === 'ref') {
      // RE markers right under an entity marker, before its body, annotate that entity
      // ("[MUFFIN-P0101: x]\n[RE:REFINE P0001] [RE:SUPPORT R0001]\nbody"): the body stays the entity's.
      // Whether the body has text is kept as lines arrive: scanning it here made the reader quadratic on
      // reference lines after blank lines.
      const annotates = owner?.head.type === 'entity' && !bodiesWithText.has(owner.body);
      const body: string[] = [];
      const opened = heads.map((head) => ({ head: { ...head, ...(speaker ? { from: speaker } : {}) }, line, body }));
      drafts.push(...opened);
      if (!annotates) owner = opened[0];
      return;
    }
    // An entity speaks for the references after it; a move or resolution in between ends that.
    speaker = first.type === 'entity' ? first.id : undefined;
    const body: string[] = [];
    const opened = heads.map((head) => ({ head, line, body }));
    drafts.push(...opened);
    owner = opened[0];
  };

  markdown
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((text, index) => {
      const line = index + 1;
      if (fence !== undefined) {
        const closing = CLOSING_FENCE.exec(text)?.[1];
        if (closing && closing[0] === fence[0] && closing.length >= fence.length) fence = undefined;
        appendBody(text, line);
        return;
      }
      const opening = FENCE.exec(text)?.[1];
      if (opening) {
        fence = opening;
        appendBody(text, line);
        return;
      }

      const reading = readMarkerLine(text);
      if (!reading) {
        appendBody(text, line);
        return;
      }
      for (const message of reading.warnings) warnings.push({ line, message });
      if (reading.markers.length === 0) {
        appendBody(text, line); // unreadable: keep the line as text
        return;
      }
      for (const heads of reading.markers) openMarker(heads, line);
      if (reading.body) appendBody(reading.body, line);
    });

  return {
    entries: drafts.map((d) => ({ ...d.head, text: bodyText(d.body), line: d.line }) as MarkerEntry),
    warnings,
    unmarked: paragraphs(beforeFirstMarker),
  };
}
