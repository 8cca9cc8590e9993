// How one dialogue maps onto DynamoDB items, as pure functions: a dialogue becomes an ordered list of
// logical items (entity, subkey, the few plain attributes the store may index, and the JSON payload that
// gets sealed), and that list, in the same order, becomes the dialogue again.
//
// Every payload is the whole entity as JSON (plain attributes included), so the dialogue comes back with
// the very same fields and key order it was stored with, and `export` is byte-identical to the file store.
// The plain attributes are a projection for indexing and are bound to the ciphertext by the AAD.
// Array order is not carried by the sort keys but by the manifest, which lists the items in this order.

import type { Contribution, Dialogue, Expert, Move, Reference, Round, Tension, TensionEvent, Verdict } from '../../domain/model.js';
import { failure, INTEGRITY_FIX } from '../../domain/errors.js';
import { summarise } from '../summary.js';
import { isRecord } from '../../domain/values.js';
import { compactTexts, expandTexts } from '../stored-text.js';

export type Plain = Record<string, unknown>;

interface LogicalItem {
  /** `meta`, `expert`, `round`, `output`, `perspective`, `recommendation`, `evidence`, `claim`, `tension`, `ref`, `move`, `event`, `verdict`. */
  entity: string;
  /** Unique within the entity; '' for meta. Never content: numbers and pastry names only. */
  subkey: string;
  plain: Plain;
  /** The JSON text that is sealed. */
  payload: string;
}

/** `expert#00` etc.: the logical address within the dialogue's partition. */
export const logicalKey = (item: { entity: string; subkey: string }): string =>
  item.subkey === '' ? item.entity : `${item.entity}#${item.subkey}`;

/** The canonical address the AAD binds: `dialogue:{id}/entity:{type}/{subkey}` (STORAGE.md). */
export const canonicalAddress = (id: string, item: { entity: string; subkey: string }): string =>
  item.subkey === '' ? `dialogue:${id}/entity:${item.entity}` : `dialogue:${id}/entity:${item.entity}/${item.subkey}`;

/** Which list of the dialogue an item of each entity type belongs to (rounds and outputs aside). */
const LIST_OF_ENTITY: Record<string, 'experts' | 'contributions' | 'tensions' | 'refs' | 'moves' | 'events' | 'verdicts'> = {
  expert: 'experts',
  perspective: 'contributions',
  recommendation: 'contributions',
  evidence: 'contributions',
  claim: 'contributions',
  tension: 'tensions',
  ref: 'refs',
  move: 'moves',
  event: 'events',
  verdict: 'verdicts',
};
/** The dialogue's lists, in the order their items follow meta; each becomes one entity type. */
const LISTS = ['experts', 'rounds', 'contributions', 'tensions', 'refs', 'moves', 'events', 'verdicts'] as const;

/** At most 4 bytes of UTF-8 per character, so a part stays below 256 KB however the text is written. */
const OUTPUT_PART_CHARS = 64_000;

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Numbers a per-round list: `02#007` is the 8th element of round 2, so a round's items never shift another round's. */
function perRound<T extends { round: number }>(list: T[]): Array<{ element: T; subkey: string }> {
  const counters = new Map<number, number>();
  return list.map((element) => {
    const index = counters.get(element.round) ?? 0;
    counters.set(element.round, index + 1);
    return { element, subkey: `${pad(element.round, 2)}#${pad(index, 3)}` };
  });
}

const drop = (value: Plain): Plain => {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key];
  return value;
};

/** The meta item's plain attributes: what `list` shows besides the title, and the version writes check. */
export function metaPlain(dialogue: Dialogue): Plain {
  const { status, rounds, alignment, createdAt, updatedAt } = summarise(dialogue);
  return { status, version: dialogue.version, createdAt, updatedAt, rounds, alignment };
}

/** The dialogue as logical items: meta first, then every list in order. `dialogue` must be plain JSON. */
export function dialogueToItems(stored: Dialogue): LogicalItem[] {
  // Expert texts that are slices of their outputs are stored as the slice's bounds (stored-text.ts).
  const dialogue = compactTexts(stored);
  // Meta keeps every top-level key in its place; the lists are null placeholders filled on the way back.
  const meta: Record<string, unknown> = { ...dialogue };
  for (const list of LISTS) meta[list] = null;
  const items: LogicalItem[] = [{ entity: 'meta', subkey: '', plain: metaPlain(dialogue), payload: JSON.stringify(meta) }];
  const add = (entity: string, subkey: string, value: unknown) => {
    // A long body (a 450 KB perspective) is split like an output: the entity carries `text: null` and
    // `text` items follow it with the parts, so no item nears DynamoDB's 400 KB and any dialogue valid on
    // the file store is valid here.
    const text = isRecord(value) && typeof value.text === 'string' ? value.text : undefined;
    if (text === undefined || text.length <= OUTPUT_PART_CHARS) {
      items.push({ entity, subkey, plain: plainOf(entity, value), payload: JSON.stringify(value) });
      return;
    }
    const head = { ...(value as Record<string, unknown>), text: null };
    items.push({ entity, subkey, plain: plainOf(entity, head), payload: JSON.stringify(head) });
    const parts = Math.ceil(text.length / OUTPUT_PART_CHARS);
    for (let part = 0; part < parts; part++) {
      const body = { part, parts, text: text.slice(part * OUTPUT_PART_CHARS, (part + 1) * OUTPUT_PART_CHARS) };
      items.push({ entity: 'text', subkey: `${subkey}#${entity}#${pad(part, 3)}`, plain: plainOf('text', body), payload: JSON.stringify(body) });
    }
  };

  dialogue.experts.forEach((expert: Expert, i) =>
    add('expert', pad(i, 2), expert),
  );
  for (const round of dialogue.rounds) {
    const outputs = round.ingest?.outputs;
    let stored: Round = round;
    if (outputs) {
      // Expert outputs are the bulk of a round: each is its own item, so a round stays far below 400 KB.
      const placeholders = Object.fromEntries(Object.keys(outputs).map((name) => [name, null]));
      stored = { ...round, ingest: { ...round.ingest!, outputs: placeholders as unknown as Record<string, string> } };
    }
    add('round', pad(round.n, 2), stored);
    Object.entries(outputs ?? {}).forEach(([name, text], i) => {
      // A very long output is split into parts so that no item nears DynamoDB's 400 KB limit.
      const parts = Math.max(1, Math.ceil(text.length / OUTPUT_PART_CHARS));
      for (let part = 0; part < parts; part++) {
        const slice = text.slice(part * OUTPUT_PART_CHARS, (part + 1) * OUTPUT_PART_CHARS);
        add('output', `${pad(round.n, 2)}#${pad(i, 2)}#${pad(part, 2)}`, { round: round.n, name, part, parts, text: slice });
      }
    });
  }
  for (const { element, subkey } of perRound<Contribution>(dialogue.contributions)) {
    add(element.kind, subkey, element);
  }
  for (const { element, subkey } of perRound<Tension>(dialogue.tensions)) {
    add('tension', subkey, element);
  }
  for (const { element, subkey } of perRound<Reference>(dialogue.refs)) {
    add('ref', subkey, element);
  }
  for (const { element, subkey } of perRound<Move>(dialogue.moves)) {
    add('move', subkey, element);
  }
  for (const { element, subkey } of perRound<TensionEvent>(dialogue.events)) {
    add('event', subkey, element);
  }
  dialogue.verdicts.forEach((verdict: Verdict, i) =>
    add('verdict', pad(i, 3), verdict),
  );
  return items;
}

export interface OpenedItem {
  entity: string;
  subkey: string;
  /** The parsed payload. */
  value: unknown;
}

/** The dialogue back from its items, in manifest order (meta first). Throws on a structure no writer makes. */
export function itemsToDialogue(items: OpenedItem[], describe: (item: OpenedItem) => string): Dialogue {
  const [metaItem, ...rest] = items;
  if (!metaItem || metaItem.entity !== 'meta' || !isRecord(metaItem.value)) {
    throw failure('invalid_manifest', 'The manifest does not start with the meta item.', { fix: INTEGRITY_FIX });
  }
  const dialogue = { ...metaItem.value } as unknown as Dialogue & Record<string, unknown>;
  for (const list of LISTS) dialogue[list] = [];
  const roundsByN = new Map<number, Round>();
  /** The element the items so far ended with: where `text` parts belong. */
  let last: Record<string, unknown> | undefined;
  const split: Array<Record<string, unknown>> = [];
  for (const item of rest) {
    const value = item.value as Record<string, unknown>;
    if (!isRecord(value)) throw failure('invalid_item', `${describe(item)} does not hold an object.`, { fix: INTEGRITY_FIX });
    if (item.entity === 'text') {
      if (!last || !(last.text === null || (typeof last.text === 'string' && value.part !== 0))) {
        throw failure('invalid_item', `${describe(item)} follows no entity whose text it continues.`, { fix: INTEGRITY_FIX });
      }
      last.text = (value.part === 0 ? '' : (last.text as string)) + String(value.text);
      continue;
    }
    if (item.entity === 'round') {
      const round = value as unknown as Round;
      dialogue.rounds.push(round);
      roundsByN.set(round.n, round);
    } else if (item.entity === 'output') {
      const round = roundsByN.get(Number(value.round));
      const outputs = round?.ingest?.outputs as Record<string, string | null> | undefined;
      const name = String(value.name);
      if (!outputs || !(name in outputs)) throw failure('invalid_item', `${describe(item)} belongs to no round output.`, { fix: INTEGRITY_FIX });
      // Parts arrive in order (the manifest keeps it); the first part replaces the placeholder.
      outputs[name] = (value.part === 0 || outputs[name] === null ? '' : outputs[name]) + String(value.text);
    } else {
      const list = LIST_OF_ENTITY[item.entity];
      if (!list) throw failure('invalid_item', `${describe(item)} is of an unknown kind.`, { fix: INTEGRITY_FIX });
      (dialogue[list] as unknown[]).push(value);
      last = value;
      if (value.text === null) split.push(value);
      continue;
    }
    last = undefined;
  }
  for (const value of split) {
    if (value.text === null) throw failure('invalid_item', `An entity of dialogue ${dialogue.id} lost the parts of its text.`, { fix: INTEGRITY_FIX });
  }
  for (const round of dialogue.rounds) {
    const outputs = round.ingest?.outputs as Record<string, string | null> | undefined;
    for (const [name, text] of Object.entries(outputs ?? {})) {
      if (text === null) throw failure('invalid_item', `Round ${round.n}'s output of ${name} has no item.`, { fix: INTEGRITY_FIX });
    }
  }
  expandTexts(dialogue as unknown as Record<string, unknown>, `Dialogue ${dialogue.id}`);
  return dialogue;
}

/**
 * The plain attributes of an item, projected from its entity: all the table sees besides keys and
 * ciphertext. Numbers, statuses, timestamps, scores, pastry names and display ids (MUFFIN-T01); never a
 * title, question, role, label, note, file path or expert text. README.md lists them.
 */
export function plainOf(entity: string, value: any): Plain {
  switch (entity) {
    case 'expert':
      return drop({ name: value.name, tier: value.tier, firstRound: value.firstRound });
    case 'round':
      return drop({ round: value.n, status: value.status, openedAt: value.openedAt, scoredAt: value.scoredAt, scores: value.scores, roundScore: value.roundScore });
    case 'output':
      return drop({ round: value.round, name: value.name, part: value.part, parts: value.parts });
    case 'text':
      return drop({ part: value.part, parts: value.parts });
    case 'tension':
      return drop({ id: value.id, round: value.round, author: value.author });
    case 'ref':
    case 'move':
      return drop({ round: value.round, author: value.author, kind: value.kind });
    case 'event':
      return drop({ round: value.round, seq: value.seq, kind: value.kind, tension: value.tension, from: value.from, to: value.to, at: value.at });
    case 'verdict':
      return drop({ seq: value.seq, type: value.type, round: value.round, at: value.at });
    default:
      return drop({ id: value.id, round: value.round, author: value.author }); // perspective, recommendation, evidence, claim
  }
}

