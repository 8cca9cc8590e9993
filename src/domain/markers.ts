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

import { EXPERT_MENTION, LOCAL_ID_SHAPE, AUTHORLESS_ID_SHAPE, findIdMentions, readLeadingId, type IdLetter, type IdMention, type IdRef } from './ids.js';
import type { MoveKind, RefKind } from './model.js';

export type EntityKind = 'perspective' | 'tension' | 'recommendation' | 'evidence' | 'claim';

export type MarkerEntry =
  | {
      type: 'entity';
      kind: EntityKind;
      /** The id as written, whitespace collapsed: "P01", "MUFFIN-P0101", "CROISSANT R1-T01". */
      id: string;
      /** Upper-case author when the id names one (the RFC 0051 dialect); the file's author otherwise. */
      author?: string;
      /** The expert's own number: P01 -> 1, MUFFIN-P0102 -> 2. */
      seq: number;
      /** Undefined when the id does not say (old dialect `P01`). */
      round?: number;
      /** The id in upper case when it names an author: "MUFFIN-P0101". */
      localId?: string;
      label: string;
      text: string;
      line: number;
    }
  | {
      type: 'resolved';
      /** The tension ids named, as written; a bare `T01` means the author's own tension. */
      targets: string[];
      label?: string;
      text: string;
      line: number;
    }
  | {
      type: 'move';
      kind: MoveKind;
      label?: string;
      /** Ids (and `@expert` mentions) named in the move, as written. */
      targets: string[];
      text: string;
      line: number;
    }
  | {
      type: 'ref';
      kind: RefKind;
      /** What the marker named, as written: "P0001", "MUFFIN-P0101", "@muffin". */
      target: string;
      label?: string;
      /** The entity this reference speaks for: the last entity marker before it (`id` as written). */
      from?: string;
      text: string;
      line: number;
    };

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
// Ids

const KIND_BY_LETTER: Record<IdLetter, EntityKind> = {
  P: 'perspective',
  T: 'tension',
  R: 'recommendation',
  E: 'evidence',
  C: 'claim',
};

interface TargetMention {
  raw: string;
  index: number;
  end: number;
}

/** Ids and `@expert` mentions in order of appearance, each named once. */
function findTargets(text: string, where: 'args' | 'prose'): TargetMention[] {
  const found: TargetMention[] = [
    ...findIdMentions(text, where).map((m) => ({ raw: m.raw, index: m.index, end: m.index + m.raw.length })),
    ...[...text.matchAll(EXPERT_MENTION)].map((m) => ({
      raw: m[0],
      index: m.index ?? 0,
      end: (m.index ?? 0) + m[0].length,
    })),
  ].sort((a, b) => a.index - b.index);
  const seen = new Set<string>();
  return found.filter((t) => {
    const key = t.raw.toUpperCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------------------
// One marker: the text between its brackets

type WithoutBody<T> = T extends unknown ? Omit<T, 'text' | 'line'> : never;
/** What a marker says, before its body is known. */
type MarkerHead = WithoutBody<MarkerEntry>;

interface Problem {
  problem: string;
  expected: string;
}

type Interpretation =
  /** heads: usually one; a reference naming several targets gives one head per target. */
  | { heads: MarkerHead[]; problems: Problem[] }
  | { failure: Problem };

const ENTITY_LETTER_BY_KEYWORD: Record<string, IdLetter> = {
  PERSPECTIVE: 'P',
  TENSION: 'T',
  RECOMMENDATION: 'R',
  EVIDENCE: 'E',
  CLAIM: 'C',
};

const MOVE_BY_WORD: Record<string, MoveKind> = {
  CONVERGE: 'converge',
  DEFEND: 'defend',
  CHALLENGE: 'challenge',
  BRIDGE: 'bridge',
  REQUEST: 'request',
  CONCEDE: 'concede',
};

const REF_BY_WORD: Record<string, RefKind> = {
  SUPPORT: 'support',
  OPPOSE: 'oppose',
  REFINE: 'refine',
  ADDRESS: 'address',
  RESOLVE: 'resolve',
  REOPEN: 'reopen',
  QUESTION: 'question',
  DEPEND: 'depend',
};

const KEYWORDS = new Set([
  ...Object.keys(ENTITY_LETTER_BY_KEYWORD),
  'RESOLVED', 'RESOLVES', 'RESOLVE', 'REFINEMENT', 'CONCESSION', 'MOVE', 'RE', 'DISSENT', 'MINORITY', 'VERDICT',
]);

const EXPECTED_MARKER =
  '[PERSPECTIVE P01: label], [TENSION T01: label], [RESOLVED <tension id>], [REFINEMENT: ..], ' +
  '[CONCESSION: ..], [MOVE:<move>], [RE:<kind> <id>], [DISSENT], [MINORITY VERDICT: ..] ' +
  'or a local id such as [MUFFIN-P0101: label]';

/**
 * Whether the text between brackets at the start of a line is meant as a marker. A Markdown task box
 * (`[ ]`), a link or ordinary bracketed prose is not; a known keyword in any case, a local id, or an
 * upper-case word (`[NOTE: ..]`) is, and then it is either read or reported.
 */
function looksLikeMarker(content: string): boolean {
  const s = content.trimStart();
  const word = /^[A-Za-z]+/.exec(s)?.[0];
  if (word) {
    const upper = word.toUpperCase();
    const after = s.slice(word.length);
    // "RE" only with its colon, so that "[Re-reading ...]" stays prose.
    if (upper === 'RE' && /^\s*:/.test(after)) return true;
    if (upper !== 'RE' && KEYWORDS.has(upper) && /^(?:$|[\s:])/.test(after)) return true;
    if (LOCAL_ID_SHAPE.test(s)) return true;
    if (word === upper && word.length >= 2 && /^(?:$|[\s:-])/.test(after)) return true;
  }
  return AUTHORLESS_ID_SHAPE.test(s);
}

function interpretMarker(content: string): Interpretation {
  const s = content.trim();
  const word = (/^[A-Za-z]+/.exec(s)?.[0] ?? '').toUpperCase();
  const rest = s.slice(word.length);

  if (word in ENTITY_LETTER_BY_KEYWORD) return readKeywordEntity(word, rest);
  switch (word) {
    case 'RESOLVED':
    case 'RESOLVES':
    case 'RESOLVE':
      return readResolved(rest);
    case 'REFINEMENT':
      return readLabelledMove('refinement', rest);
    case 'CONCESSION':
      return readLabelledMove('concession', rest);
    case 'DISSENT':
      return readLabelledMove('dissent', rest);
    case 'MINORITY':
      return readLabelledMove('minority', rest.replace(/^\s+VERDICT\b/i, ''));
    case 'MOVE':
      return readMove(rest);
    case 'RE':
      return readRef(rest);
    case 'VERDICT':
      return fail('a VERDICT marker is the judge\'s', '[DISSENT] or [MINORITY VERDICT: label] from an expert');
  }
  if (LOCAL_ID_SHAPE.test(s)) return readLocalIdEntity(s);
  if (AUTHORLESS_ID_SHAPE.test(s)) {
    return fail('an entity marker without an author', 'a local id such as [MUFFIN-P0101: label] or [PERSPECTIVE P01: label]');
  }
  return fail('unknown marker', EXPECTED_MARKER);
}

function fail(problem: string, expected: string): Interpretation {
  return { failure: { problem, expected } };
}

/** The label after an id: "P01: label", "P01 - label" and "P01 label" all give "label". */
function labelAfterId(rest: string): string {
  return rest.replace(/^\s*[:\-–—]?\s*/, '').trim();
}

function entityHead(lead: { raw: string; ref: IdRef; rest: string }): MarkerHead {
  const { ref } = lead;
  return {
    type: 'entity',
    kind: KIND_BY_LETTER[ref.letter],
    id: lead.raw,
    ...(ref.author !== undefined ? { author: ref.author, localId: lead.raw.toUpperCase() } : {}),
    seq: ref.seq,
    ...(ref.round !== undefined ? { round: ref.round } : {}),
    label: labelAfterId(lead.rest),
  };
}

/** [PERSPECTIVE P01: label], [TENSION T01: label] and, by analogy, RECOMMENDATION/EVIDENCE/CLAIM. */
function readKeywordEntity(keyword: string, rest: string): Interpretation {
  const letter = ENTITY_LETTER_BY_KEYWORD[keyword];
  const expected = `[${keyword} ${letter}01: label]`;
  const s = rest.trim();
  const lead = readLeadingId(s);
  if (!lead) {
    if (s === '' || s.startsWith(':')) return fail(`${keyword} names no id`, expected);
    return fail(`${keyword} has an unreadable id "${s.split(/[\s:]/)[0]}"`, expected);
  }
  if (lead.ref.letter !== letter) return fail(`${keyword} has a ${lead.ref.letter} id (${lead.raw})`, expected);
  return { heads: [entityHead(lead)], problems: [] };
}

/** [MUFFIN-P0101: label] -- the kind is the letter after the author. */
function readLocalIdEntity(s: string): Interpretation {
  const lead = readLeadingId(s);
  if (!lead || lead.ref.author === undefined) {
    return fail('unreadable local id', 'NAME-P0101: a type letter P, R, T, E or C, a 2-digit round and a 2-digit sequence');
  }
  return { heads: [entityHead(lead)], problems: [] };
}

/**
 * RESOLVED comes in many spellings; what matters is which tensions it names:
 *   [RESOLVED MUFFIN R1-T01, MACARON R1-T01]      ids before the colon
 *   [RESOLVED: STRUDEL R1-T01 (why)]               id in the label
 *   [RESOLVED T01: MACARON-T01 (why)]              an explicit id in the label beats a bare number
 *   [RESOLVED T01: Graph assembly location]        bare own number: the caller links it to the author
 */
function readResolved(rest: string): Interpretation {
  const colon = rest.indexOf(':');
  const head = colon >= 0 ? rest.slice(0, colon) : rest;
  const label = colon >= 0 ? rest.slice(colon + 1).trim() || undefined : undefined;

  const tensions = (mentions: IdMention[]) => mentions.filter((m) => m.ref.letter === 'T');
  const explicit = (m: IdMention) => m.ref.author !== undefined || m.ref.global === true;
  const inHead = tensions(findIdMentions(head, 'args'));
  const explicitInLabel = label ? tensions(findIdMentions(label, 'prose')).filter(explicit) : [];
  const leadingInLabel = label ? readLeadingId(label) : undefined;

  let named: string[];
  if (inHead.some(explicit)) named = inHead.map((m) => m.raw);
  else if (explicitInLabel.length > 0) named = explicitInLabel.map((m) => m.raw);
  else if (inHead.length > 0) named = inHead.map((m) => m.raw);
  else if (leadingInLabel?.ref.letter === 'T') named = [leadingInLabel.raw];
  else named = [];

  const targets = [...new Set(named)];
  const problems: Problem[] =
    targets.length === 0
      ? [{ problem: 'RESOLVED names no tension id', expected: '[RESOLVED MUFFIN R1-T01] or [RESOLVED T01: label]' }]
      : [];
  return { heads: [{ type: 'resolved', targets, ...(label ? { label } : {}) }], problems };
}

/** [REFINEMENT: ..], [CONCESSION: ..], [DISSENT], [DISSENT: ..], [MINORITY VERDICT: ..]. */
function readLabelledMove(kind: MoveKind, rest: string): Interpretation {
  const label = rest.replace(/^\s*:?/, '').trim() || undefined;
  const targets = label ? findTargets(label, 'prose').map((t) => t.raw) : [];
  return { heads: [{ type: 'move', kind, ...(label ? { label } : {}), targets }], problems: [] };
}

const MOVES_THAT_NAME_SOMETHING = new Set<MoveKind>(['defend', 'challenge', 'bridge', 'request', 'concede']);

/** [MOVE:CONVERGE], [MOVE:DEFEND id], [MOVE:BRIDGE a b], [MOVE:REQUEST topic], ... */
function readMove(rest: string): Interpretation {
  const expected = `[MOVE:CONVERGE] or [MOVE:<move> <target>] with <move> one of ${Object.keys(MOVE_BY_WORD).join(', ')}`;
  const m = /^\s*:?\s*([A-Za-z]+)/.exec(rest);
  if (!m) return fail('MOVE names no move', expected);
  const kind = MOVE_BY_WORD[m[1].toUpperCase()];
  if (!kind) return fail(`unknown move "${m[1]}"`, expected);
  const label = rest.slice(m[0].length).replace(/^\s*:?/, '').trim() || undefined;
  const targets = label ? findTargets(label, 'args').map((t) => t.raw) : [];
  const problems: Problem[] =
    !label && MOVES_THAT_NAME_SOMETHING.has(kind)
      ? [{ problem: `MOVE:${m[1].toUpperCase()} names nothing`, expected: `[MOVE:${m[1].toUpperCase()} <id or topic>]` }]
      : [];
  return { heads: [{ type: 'move', kind, ...(label ? { label } : {}), targets }], problems };
}

/** [RE:SUPPORT P0001], [RE:ADDRESS CROISSANT R1-T01], [RE:QUESTION @muffin], [RE:DEPEND E0101, E0102]. */
function readRef(rest: string): Interpretation {
  const expected = `[RE:<kind> <id>] with <kind> one of ${Object.keys(REF_BY_WORD).join(', ')}`;
  const m = /^\s*:?\s*([A-Za-z]+)/.exec(rest);
  if (!m) return fail('RE names no reference kind', expected);
  const kind = REF_BY_WORD[m[1].toUpperCase()];
  if (!kind) return fail(`unknown reference kind "${m[1]}"`, expected);

  const after = rest.slice(m[0].length);
  const colon = after.indexOf(':');
  const targetText = (colon >= 0 ? after.slice(0, colon) : after).trim().replace(/\s+/g, ' ');
  const label = colon >= 0 ? after.slice(colon + 1).trim() || undefined : undefined;
  if (targetText === '') {
    return fail(`RE:${m[1].toUpperCase()} names no target`, 'an id such as P0001 or MUFFIN-P0101, or an expert such as @muffin');
  }

  // Several ids in one marker make one reference each; anything else is kept whole, as written.
  const mentions = findTargets(targetText, 'args');
  let leftover = targetText;
  for (const t of [...mentions].reverse()) leftover = leftover.slice(0, t.index) + leftover.slice(t.end);
  const onlyIds = mentions.length > 0 && leftover.replace(/\band\b/gi, '').replace(/[\s,;&/+]+/g, '') === '';
  const targets = onlyIds ? mentions.map((t) => t.raw) : [targetText];
  return { heads: targets.map((target) => ({ type: 'ref', kind, target, ...(label ? { label } : {}) })), problems: [] };
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
    if (isLink || !looksLikeMarker(bracket.content)) break;
    const marker = line.slice(pos, bracket.end);
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

function isBlank(lines: string[]): boolean {
  return lines.every((l) => l.trim() === '');
}

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
  let owner: Draft | undefined; // the marker whose body the next text line extends
  let speaker: string | undefined; // the entity that a following RE marker speaks for
  let fence: string | undefined; // the opening fence of the code block we are in

  const appendBody = (text: string, line: number) => {
    if (owner) owner.body.push(text);
    else beforeFirstMarker.push({ line, text });
  };

  const openMarker = (heads: MarkerHead[], line: number) => {
    const first = heads[0];
    if (first.type === 'ref') {
      // RE markers right under an entity marker, before its body, annotate that entity
      // ("[MUFFIN-P0101: x]\n[RE:REFINE P0001] [RE:SUPPORT R0001]\nbody"): the body stays the entity's.
      const annotates = owner?.head.type === 'entity' && isBlank(owner.body);
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
