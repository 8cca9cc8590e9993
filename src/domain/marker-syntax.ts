// What one marker says: the text between a marker's brackets, read into an entry head (an entity, a
// resolution, a move or a reference), or the reason it cannot be read. markers.ts finds the markers in a
// file and gives each its body; this module never sees more than one marker's brackets.

import { AUTHORLESS_ID_SHAPE, EXPERT_MENTION, LOCAL_ID_SHAPE, findIdMentions, readLeadingId, type IdLetter, type IdMention, type IdRef } from './ids.js';
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
    ...findIdMentions(text, where).map((m) => ({ raw: m.raw, index: m.index, end: m.end })),
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
export type MarkerHead = WithoutBody<MarkerEntry>;

export interface Problem {
  problem: string;
  expected: string;
}

export type Interpretation =
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
export function looksLikeMarker(content: string): boolean {
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

export function interpretMarker(content: string): Interpretation {
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
  let label = colon >= 0 ? rest.slice(colon + 1).trim() || undefined : undefined;

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
  // Every word of the head is either an id blue reads or said back: a parenthesised note becomes the
  // label when there is none; anything else is reported, never dropped.
  const rest_ = wordsBesides(head, inHead);
  const note = /^\((.*)\)$/s.exec(rest_.trim());
  if (note && !label) label = note[1].trim() || undefined;
  else if (targets.length > 0 && /[\p{L}\p{N}]/u.test(rest_)) {
    problems.push({ problem: `words that are not a tension id ("${rest_.trim().replace(/\s+/g, ' ')}")`, expected: 'only tension ids before the colon, e.g. [RESOLVED MUFFIN R1-T01, CUPCAKE-T02: why]' });
  }
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
  // What is left between the mentions, gathered in one pass (cutting them out one by one was quadratic).
  let leftover = '';
  let from = 0;
  for (const t of mentions) {
    leftover += targetText.slice(from, t.index);
    from = Math.max(from, t.end);
  }
  leftover += targetText.slice(from);
  const onlyIds = mentions.length > 0 && leftover.replace(/\band\b/gi, '').replace(/[\s,;&/+]+/g, '') === '';
  const targets = onlyIds ? mentions.map((t) => t.raw) : [targetText];
  return { heads: targets.map((target) => ({ type: 'ref', kind, target, ...(label ? { label } : {}) })), problems: [] };
}

/** The text of `head` without the mentions and the separators between them (commas, "and", "&"). */
function wordsBesides(head: string, mentions: IdMention[]): string {
  let out = '';
  let from = 0;
  for (const m of [...mentions].sort((a, b) => a.index - b.index)) {
    out += head.slice(from, m.index);
    from = Math.max(from, m.end);
  }
  out += head.slice(from);
  return out.replace(/\band\b/gi, ' ').replace(/[,;&/+]/g, ' ').trim();
}

