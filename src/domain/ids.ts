// Identifiers: dialogue ids, slugs, and the display ids of experts' entities.

import { badInput } from './errors.js';
// Pastry names are used only when scanning prose, so that an ordinary word in front of an id
// ("about R1-T01") is not taken for its author.
import { isPastryName } from './names.js';
import { hasControlCharacters } from './values.js';

/**
 * Lower case, every run of characters that are not letters or digits turned into one `-`, trimmed (CLI.md,
 * Identifiers). Letters and digits of any script are kept as they are (NFC), so a Cyrillic or Chinese
 * title has a slug of its own; ASCII titles get the slug they always had.
 */
function slugify(title: string): string {
  return title
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}

/** A title is one line; this long at most, so that its id stays a usable folder name. */
export const MAX_TITLE_LENGTH = 120;

/** The longest name a folder may have on the file systems blue runs on (ext4, APFS, NTFS...): 255 bytes of UTF-8. */
export const MAX_ID_BYTES = 255;
/** What the slug may take of an id: the folder name less `YYYY-MM-DDTHHMMZ-`. */
const MAX_SLUG_BYTES = MAX_ID_BYTES - 'YYYY-MM-DDTHHMMZ-'.length;

/** The bytes `text` takes in UTF-8 (pure: no Buffer in the domain). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/**
 * The slug cut to the bytes a folder name leaves it: at the last whole character (a letter with its accents,
 * a grapheme) that fits, then trimmed of a trailing `-`, so it keeps the slug's form. A slug that fits, as
 * every ASCII title's does, is returned as it is. 120 characters of a script that takes 3 bytes a letter
 * (Chinese, Japanese, Korean, Devanagari...) are 360 bytes: such a slug keeps its first 79 letters.
 */
function fitSlug(slug: string): string {
  if (utf8Length(slug) <= MAX_SLUG_BYTES) return slug;
  const cut = (pieces: Iterable<string>) => {
    let kept = '';
    let bytes = 0;
    for (const piece of pieces) {
      bytes += utf8Length(piece);
      if (bytes > MAX_SLUG_BYTES) break;
      kept += piece;
    }
    return kept.replace(/-+$/, '');
  };
  // One grapheme can be longer than the room (a letter under a hundred combining marks): then code points.
  return cut([...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(slug)].map((s) => s.segment)) || cut(slug);
}

/** Parses `--date`: any ISO 8601 date-time; `2026-02-06T18:39Z` (no seconds) included. */
export function parseDate(text: string): Date {
  const trimmed = text.trim();
  // Date.parse does not accept a time without seconds followed by Z on every engine; add them.
  const normalised = /T\d{2}:\d{2}(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed)
    ? trimmed.replace(/(T\d{2}:\d{2})/, '$1:00')
    : trimmed;
  const ms = Date.parse(normalised);
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed) || Number.isNaN(ms)) {
    throw badInput('invalid_date', `--date must be an ISO 8601 date-time such as 2026-02-06T18:39Z (got "${text}")`, {
      fix: 'give --date as YYYY-MM-DDTHH:MMZ, e.g. --date 2026-02-06T18:39Z, or leave it out for now',
    });
  }
  return new Date(ms);
}

/** `YYYY-MM-DDTHHMMZ`, the UTC minute a dialogue id starts with. */
function idStamp(date: Date): string {
  const iso = date.toISOString(); // 2026-02-06T18:39:00.000Z
  return `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}

export function dialogueId(date: Date, title: string): string {
  if (hasControlCharacters(title)) throw badInput('invalid_title', 'the title is one line: it may not hold line breaks, tabs or other control characters', { fix: 'give the title on one line' });
  const length = [...title.trim()].length;
  if (length > MAX_TITLE_LENGTH) {
    throw badInput('invalid_title', `the title is ${length} characters; keep it to ${MAX_TITLE_LENGTH} (it becomes the dialogue's id and folder name)`, { length, fix: `shorten the title to ${MAX_TITLE_LENGTH} characters; the question can be long (--question)` });
  }
  const slug = fitSlug(slugify(title));
  if (!slug) throw badInput('invalid_title', 'the title must contain at least one letter or digit', { fix: 'give a title with letters or digits: it becomes the slug of the id' });
  return `${idStamp(date)}-${slug}`;
}

const ID_STAMP_LENGTH = 'YYYY-MM-DDTHHMMZ-'.length;
const ID_STAMP = /^\d{4}-\d{2}-\d{2}T\d{4}Z-./;

/** Whether a name starts as a dialogue id does (`YYYY-MM-DDTHHMMZ-` and a slug): a folder worth offering. */
export function hasIdStamp(name: string): boolean {
  return ID_STAMP.test(name);
}

/** The slug part of a dialogue id. */
function idSlug(id: string): string {
  return ID_STAMP.test(id) ? id.slice(ID_STAMP_LENGTH) : id;
}

/**
 * What shell completion offers for a word where a dialogue id goes: the ids that start with it; when none
 * does (the judge is typing a slug), the slugs that start with it, each once. Every command resolves both.
 */
export function completeDialogueId(ids: readonly string[], word: string): string[] {
  const byId = ids.filter((id) => id.startsWith(word));
  if (byId.length || word === '') return [...byId].sort();
  return [...new Set(ids.map(idSlug).filter((slug) => slug.startsWith(word)))].sort();
}

/**
 * The display id of an expert's entity, in the forms experts and judges already use:
 * `MUFFIN-T01` for round 0, `CROISSANT R1-T01` for later rounds.
 */
export function displayId(author: string, round: number, letter: string, seq: number): string {
  const who = author.toUpperCase();
  const num = `${letter}${String(seq).padStart(2, '0')}`;
  return round === 0 ? `${who}-${num}` : `${who} R${round}-${num}`;
}

/** The RFC 0051 global id: type letter, round (2 digits), sequence within the round (2 digits). */
export function globalId(letter: string, round: number, seq: number): string {
  return `${letter}${String(round).padStart(2, '0')}${String(seq).padStart(2, '0')}`;
}

/** `(R0)` after a round-0 id in the record's tables; later ids carry their round already. */
export function idWithRound(id: string, round: number): string {
  return round === 0 ? `${id} (R0)` : id;
}

/** The dialogue's folder, relative to the project root: `.blue/dialogues/<id>`. */
export function dialogueDir(id: string): string {
  return `.blue/dialogues/${id}`;
}

export type IdMatch = { kind: 'one'; id: string } | { kind: 'none' } | { kind: 'several'; candidates: string[] };

/**
 * Which of the known dialogue ids a user's word names: the exact id; else the bare slug; else a unique
 * prefix of the id; else a unique prefix of the slug (`rfc-0058` for `...-rfc-0058-supersession-...`).
 * Case-insensitive after the exact match. Every store resolves ids through this one rule.
 */
export function matchDialogueId(ids: readonly string[], wanted: string): IdMatch {
  // The slug of a title too long for a folder name (or the id it would make) names the dialogue whose slug
  // was cut from it: cut it the same way. Uncut, it could match nothing, being longer than any slug.
  const fitted = ID_STAMP.test(wanted) ? wanted.slice(0, ID_STAMP_LENGTH) + fitSlug(wanted.slice(ID_STAMP_LENGTH)) : fitSlug(wanted);
  if (fitted !== wanted && fitted !== '') return matchDialogueId(ids, fitted);
  if (ids.includes(wanted)) return { kind: 'one', id: wanted };
  const folded = wanted.toLowerCase();
  const tiers = [
    ids.filter((id) => idSlug(id).toLowerCase() === folded),
    ids.filter((id) => id.toLowerCase().startsWith(folded)),
    ids.filter((id) => idSlug(id).toLowerCase().startsWith(folded)),
  ];
  const candidates = tiers.find((t) => t.length > 0) ?? [];
  if (candidates.length === 1) return { kind: 'one', id: candidates[0] };
  if (candidates.length === 0) return { kind: 'none' };
  return { kind: 'several', candidates: [...candidates].sort().reverse() }; // newest first: ids start with their time
}

// ---------------------------------------------------------------------------------------------------------
// The grammar of entity ids, as experts and judges write them

export type IdLetter = 'P' | 'T' | 'R' | 'E' | 'C';

/** A tension, perspective or other entity id, normalised. */
export interface IdRef {
  /** Upper-case pastry name, when the id names one. */
  author?: string;
  round?: number;
  letter: IdLetter;
  seq: number;
  /** True for the judge's global ids such as T0001 (round 00, seq 01). */
  global?: boolean;
}

const AUTHOR = '[A-Za-z]+[0-9]*';
// The capture groups are read by decodeId; keep the numbering in step with it.
const ID_ALTERNATIVES = [
  // 1-4: CROISSANT R1-T01, CROISSANT-R1-T01, or R1-T01 without an author
  `(?:(${AUTHOR})(?:-|[ \\t]+))?R([0-9]{1,2})-([PRTEC])([0-9]{1,2})`,
  // 5-7: MUFFIN-T01 (round 0), MUFFIN-T0101 (round 01, seq 01)
  `(${AUTHOR})-([PRTEC])([0-9]{4}|[0-9]{1,2})`,
  // 8-9: T0001 (global: round 00, seq 01) or a bare T01 / T1
  `([PRTEC])([0-9]{4}|[0-9]{1,2})`,
].join('|');
const NOT_WORD_BEFORE = '(?<![A-Za-z0-9])';
const NOT_WORD_AFTER = '(?![A-Za-z0-9])';

const WHOLE_ID = new RegExp(`^(?:${ID_ALTERNATIVES})$`, 'i');
const LEADING_ID = new RegExp(`^(?:${ID_ALTERNATIVES})${NOT_WORD_AFTER}`, 'i');
const ID_IN_TEXT = new RegExp(`${NOT_WORD_BEFORE}(?:${ID_ALTERNATIVES})${NOT_WORD_AFTER}`, 'gi');
export const EXPERT_MENTION = new RegExp(`${NOT_WORD_BEFORE}@${AUTHOR}${NOT_WORD_AFTER}`, 'g');

function decodeId(m: RegExpExecArray | RegExpMatchArray): IdRef | undefined {
  let ref: IdRef;
  if (m[4] !== undefined) {
    ref = { letter: m[3].toUpperCase() as IdLetter, round: Number(m[2]), seq: Number(m[4]) };
    if (m[1] !== undefined) ref = { author: m[1].toUpperCase(), ...ref };
  } else if (m[7] !== undefined) {
    const digits = m[7];
    const [round, seq] = digits.length === 4 ? [Number(digits.slice(0, 2)), Number(digits.slice(2))] : [0, Number(digits)];
    ref = { author: m[5].toUpperCase(), round, letter: m[6].toUpperCase() as IdLetter, seq };
  } else {
    const digits = m[9];
    const letter = m[8].toUpperCase() as IdLetter;
    ref =
      digits.length === 4
        ? { round: Number(digits.slice(0, 2)), letter, seq: Number(digits.slice(2)), global: true }
        : { letter, seq: Number(digits) };
  }
  // Sequences count from 1; "T00" is a typo, not an id.
  return ref.seq >= 1 ? ref : undefined;
}

/**
 * Normalises one id in any accepted form: `MUFFIN-T01` (round 0), `CROISSANT R1-T01`, `CROISSANT-R1-T01`,
 * `MUFFIN-T0101` (round 1, seq 1), global `T0001`, `R1-T01`, bare `T01` / `T1`; any case, any spacing.
 * Returns undefined for anything else (including `@muffin`, which names an expert, not an entity).
 */
export function parseIdRef(raw: string): IdRef | undefined {
  const m = WHOLE_ID.exec(raw.trim().replace(/\s+/g, ' '));
  return m ? decodeId(m) : undefined;
}

/** The display id of the model: `MUFFIN-T01` for round 0, `CROISSANT R1-T01` later, `T0001` when global. */
export function formatIdRef(ref: IdRef): string {
  const two = (n: number) => String(n).padStart(2, '0');
  if (ref.global) return `${ref.letter}${two(ref.round ?? 0)}${two(ref.seq)}`;
  const own = `${ref.letter}${two(ref.seq)}`;
  if (ref.round === undefined) return ref.author ? `${ref.author}-${own}` : own;
  if (ref.author) return ref.round === 0 ? `${ref.author}-${own}` : `${ref.author} R${ref.round}-${own}`;
  return `R${ref.round}-${own}`;
}

export interface IdMention {
  /** As written, whitespace collapsed. */
  raw: string;
  ref: IdRef;
  index: number;
  /** Where it ends in the text as written (`raw` has its whitespace collapsed). */
  end: number;
}

/**
 * Finds the ids named in a piece of text.
 * - `'args'` is for the arguments of a marker (`[RESOLVED T01, T02]`, `[MOVE:DEFEND R01]`): every form counts.
 * - `'prose'` is for labels and sentences: a bare short id counts only as an upper-case P or T (so "R2
 *   position" or "p99 latency" are not ids), and an author prefix only when it is a pastry name.
 */
export function findIdMentions(text: string, where: 'args' | 'prose' = 'prose'): IdMention[] {
  const mentions: IdMention[] = [];
  for (const m of text.matchAll(ID_IN_TEXT)) {
    let ref = decodeId(m);
    if (!ref) continue;
    let raw = m[0];
    let index = m.index ?? 0;
    // In a marker's arguments an upper-case word before an id is meant as its author even when it is not a
    // pastry name (`[RESOLVED MUFIN R1-T01]`): kept, so the caller can say it names nobody, rather than
    // dropped, which would read the id as the writer's own.
    const authorText = m[1] ?? m[5] ?? '';
    const namedAuthor = where === 'args' && ref.author !== undefined && authorText === authorText.toUpperCase() && /[A-Z]/.test(authorText);
    if (ref.author && !isPastryName(ref.author) && !namedAuthor) {
      // "the R1-T01" -> R1-T01 without an author; "pre-T01" is a hyphenated word, not an id.
      if (m[4] === undefined) continue;
      const withoutAuthor = raw.slice(m[1].length).replace(/^[- \t]+/, '');
      index += raw.length - withoutAuthor.length;
      raw = withoutAuthor;
      const { author: _notAnAuthor, ...rest } = ref;
      ref = rest;
    }
    const bare = ref.author === undefined && ref.round === undefined;
    if (bare && where === 'prose' && (!['P', 'T'].includes(raw[0]) || raw !== raw.toUpperCase())) continue;
    mentions.push({ raw: raw.replace(/\s+/g, ' '), ref, index, end: index + raw.length });
  }
  return mentions;
}

// [MUFFIN-P0101: ...], [CROISSANT R1-T01: ...], [CROISSANT-R1-T01: ...]
export const LOCAL_ID_SHAPE = /^[A-Za-z]+[0-9]*(?:-(?:R[0-9]{1,2}-)?|[ \t]+R[0-9]{1,2}-)[PRTEC][0-9]/i;
// [P0101: ...] or [T01] -- an id without an author where an entity marker belongs
export const AUTHORLESS_ID_SHAPE = /^(?:R[0-9]{1,2}-)?[PRTEC][0-9]+\s*(?::|$)/i;

export function readLeadingId(s: string): { raw: string; ref: IdRef; rest: string } | undefined {
  const m = LEADING_ID.exec(s);
  const ref = m ? decodeId(m) : undefined;
  return m && ref ? { raw: m[0].replace(/\s+/g, ' '), ref, rest: s.slice(m[0].length) } : undefined;
}
