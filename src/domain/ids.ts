// Identifiers: dialogue ids, slugs, and the display ids of experts' entities.

import { badInput } from './errors.js';

/** Lower case, every run of non-alphanumerics turned into one `-`, trimmed (CLI.md, Identifiers). */
export function slugify(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
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
    throw badInput('invalid_date', `--date must be an ISO 8601 date-time such as 2026-02-06T18:39Z (got "${text}")`);
  }
  return new Date(ms);
}

/** `YYYY-MM-DDTHHMMZ`, the UTC minute a dialogue id starts with. */
export function idStamp(date: Date): string {
  const iso = date.toISOString(); // 2026-02-06T18:39:00.000Z
  return `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z`;
}

export function dialogueId(date: Date, title: string): string {
  const slug = slugify(title);
  if (!slug) throw badInput('invalid_title', 'the title must contain at least one letter or digit');
  return `${idStamp(date)}-${slug}`;
}

export const ID_STAMP_LENGTH = 'YYYY-MM-DDTHHMMZ-'.length;

/** The slug part of a dialogue id. */
export function idSlug(id: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{4}Z-/.test(id) ? id.slice(ID_STAMP_LENGTH) : id;
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
