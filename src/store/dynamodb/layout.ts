// The shape of a dialogue's partition, shared by the plan that writes it and the code that opens it: the
// sort keys, the attributes that are not plain content, the digests the manifest records, and the types
// that carry a partition from a read to the next write. Pure.

import { createHash } from 'node:crypto';
import type { Dialogue } from '../../domain/model.js';
import type { Plain } from './items.js';

/** The one mutable item of a dialogue: its commit point. */
export const META_SK = 'meta';
/** The catalog index's one partition: every dialogue's meta item, sorted by creation time. */
export const CATALOG_PK = 'dialogue';
/** Every dialogue partition key starts with this (keyring.ts blindIndex); the keyring item's does not. */
export const DIALOGUE_PK_PREFIX = 'd#';

/**
 * The catalog index keys blue writes on a dialogue's meta item: its partition and its creation time. They are
 * not sealed (the index needs them plain), so `store verify` checks them against these.
 */
export function catalogKeys(pk: string, createdAt: unknown): { g1pk: string; g1sk: string } {
  return { g1pk: CATALOG_PK, g1sk: `${String(createdAt)}#${pk}` };
}

/** Meta's plain attributes (metaPlain), bound into both its payload's and its catalog summary's AAD. */
export const META_PLAIN = ['status', 'version', 'createdAt', 'updatedAt', 'rounds', 'alignment'];
/** Attributes of an item that are neither its plain attributes nor part of its AAD. */
const RESERVED = new Set(['pk', 'sk', 'c', 'dk', 'summary', 'g1pk', 'g1sk']);

export const TEXT = new TextEncoder();
export const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** What is in the partition: every item by sort key. */
export type Partition = Map<string, Record<string, unknown>>;

/** A live item as the manifest lists it, with what it holds, so an unchanged item is kept as it is. */
export interface LiveEntry {
  sk: string;
  digest: string;
  /** The sealed JSON, opened. */
  payload: string;
  /** canonicalJson of its plain attributes. */
  plain: string;
}

/** The dialogue's data key: the key itself, its id in envelopes, and its wrapped form stored in meta. */
export interface DialogueKey {
  dataKey: Uint8Array;
  keyId: string;
  wrappedKey: Record<string, unknown>;
}

/** A dialogue as read: enough to write the next version without resealing what did not change. */
export interface Loaded extends DialogueKey {
  dialogue: Dialogue;
  version: number;
  /** The live items by logical key (`meta`, `round#01`, `head`, ...). */
  entries: Map<string, LiveEntry>;
  /** Every sort key found in the partition, live or not. */
  sortKeys: string[];
}

/** One item that failed to open or to match the manifest. */
export interface ItemProblem {
  /** The logical key (`meta`, `tension#00#001`, `head`). */
  item: string;
  sk: string;
  code: string;
  message: string;
}

/** How messages name an item. */
export function describeItem(table: string, id: string, item: string): string {
  return `Item ${item} of dialogue ${id} (DynamoDB table ${table})`;
}

/** Where an item is, as `list` problems name it. */
export function itemLocation(table: string, pk: string, sk: string): string {
  return `dynamodb:${table}/${pk}/${sk}`;
}

/** The manifest's digest of a sealed payload: the first 16 bytes of its SHA-256, base64url. */
export function digestOf(sealed: Uint8Array): string {
  // Node's own sha256: a load checks the digest of every item, a few hundred, in a command too short for
  // a hash written in JavaScript to warm up.
  return createHash('sha256').update(sealed).digest().subarray(0, 16).toString('base64url');
}

/** `tension#01#002@00000003.ab12cd34` -> entity tension, subkey 01#002, rev 00000003.ab12cd34. */
export function parseSortKey(sk: string): { entity: string; subkey: string; rev: string } {
  const at = sk.lastIndexOf('@');
  const name = at === -1 ? sk : sk.slice(0, at);
  const hash = name.indexOf('#');
  return {
    entity: hash === -1 ? name : name.slice(0, hash),
    subkey: hash === -1 ? '' : name.slice(hash + 1),
    rev: at === -1 ? '' : sk.slice(at + 1),
  };
}

/** The plain attributes a stored item carries: everything but its keys and sealed parts. */
export function plainAttributes(item: Record<string, unknown>): Plain {
  const plain: Plain = {};
  for (const key in item) if (!RESERVED.has(key)) plain[key] = item[key];
  return plain;
}

export function pickPlain(item: Record<string, unknown>, keys: string[]): Plain {
  const plain: Plain = {};
  for (const key of keys) if (item[key] !== undefined) plain[key] = item[key];
  return plain;
}

/** An item's size as DynamoDB counts it, roughly: attribute names plus values, with room to spare. */
export function approximateSize(item: Record<string, unknown>): number {
  let size = 0;
  for (const [key, value] of Object.entries(item)) {
    size += key.length;
    if (value instanceof Uint8Array) size += value.length;
    else if (typeof value === 'object' && value !== null) size += approximateSize(value as Record<string, unknown>) + 8;
    else size += TEXT.encode(String(value)).length + 1;
  }
  return size;
}
