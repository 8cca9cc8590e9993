// Opening a dialogue's partition, as pure functions: given the items a Query returned and the dialogue's
// data key (unwrapped beforehand: that may be a KMS request), either the dialogue as loaded or every item
// that failed, named. Meta is opened first, then every item its manifest lists, in order; each must be
// present, must open under the AAD recomputed from its position (the canonical address, the key id and
// its plain attributes), and must be the very ciphertext the manifest recorded.

import { BlueError, integrity, INTEGRITY_FIX } from '../../domain/errors.js';
import type { Dialogue, DialogueSummary } from '../../domain/model.js';
import { canonicalJson } from '../canonical-json.js';
import { EnvelopeError, itemAad, open } from '../crypto/envelope.js';
import { dialogueShapeProblems } from '../shape.js';
import type { VerifyReport } from '../types.js';
import { canonicalAddress, itemsToDialogue, logicalKey, metaPlain, plainOf, type OpenedItem, type Plain } from './items.js';
import { dataKeyId } from './keyring.js';
import {
  META_PLAIN,
  META_SK,
  catalogKeys,
  UTF8,
  describeItem,
  digestOf,
  parseSortKey,
  pickPlain,
  plainAttributes,
  type ItemProblem,
  type LiveEntry,
  type Loaded,
  type Partition,
} from './layout.js';

interface PartitionInput {
  table: string;
  id: string;
  pk: string;
  partition: Partition;
  /**
   * Meta's data key, unwrapped; or the exit-4 error unwrapping it gave, which is meta's problem. Undefined
   * only when there is no meta (nothing to unwrap).
   */
  dataKey: Uint8Array | BlueError | undefined;
  /** The blind index of a dialogue id, to check that the catalog summary names this very partition. */
  blindIndex: (id: string) => string;
}

/** The dialogue when every item opened (`problems` empty), else every problem found. */
export interface OpenedPartition {
  loaded?: Loaded;
  problems: ItemProblem[];
}

/** Opens meta, then every item its manifest lists, in order, collecting problems (for `store verify`). */
export function openPartition(input: PartitionInput): OpenedPartition {
  const problems: ItemProblem[] = [];
  const loaded = openItems(input, problems);
  return loaded && problems.length === 0 ? { loaded, problems } : { problems };
}

/** The error a load reports: the first problem, but a missing head first, since it explains every other. */
export function loadError(id: string, table: string, problems: ItemProblem[]): BlueError {
  const first = problems.find((problem) => problem.item === 'head') ?? problems[0];
  return integrity(first.code, first.message, { id, item: first.item, sk: first.sk, table, problems: problems.length, fix: INTEGRITY_FIX });
}

/** What `store verify` reports of an opened partition: its problems, and items no manifest lists. */
export function verifyReport(id: string, partition: Partition, { loaded, problems }: OpenedPartition): VerifyReport {
  const live = new Set(loaded ? [...loaded.entries.values()].map((entry) => entry.sk) : []);
  const orphans = [...partition.keys()].filter((sk) => sk !== META_SK && !live.has(sk));
  return {
    id,
    items: partition.size,
    ok: problems.length === 0 && loaded !== undefined,
    problems: problems.map((p) => ({ item: p.item, code: p.code, message: p.message })),
    notes: orphans.length && loaded
      ? [`${orphans.length} unreferenced item(s) left by an interrupted or superseded write; the next write of this dialogue removes them.`]
      : [],
  };
}

/**
 * Whether meta carries the catalog index keys blue writes (its partition, its authenticated createdAt). They
 * cannot be sealed, so an edit of them is found only by this check: a meta whose g1pk or g1sk was deleted or
 * changed drops out of (or moves within) the catalog index, and `list` would no longer show its dialogue.
 */
export function catalogKeysProblem(table: string, id: string, pk: string, meta: Record<string, unknown>): ItemProblem | undefined {
  const wanted = catalogKeys(pk, meta.createdAt);
  if (meta.g1pk === wanted.g1pk && meta.g1sk === wanted.g1sk) return undefined;
  return {
    item: 'meta',
    sk: META_SK,
    code: 'catalog_keys_altered',
    message: `${describeItem(table, id, 'meta')} has catalog attributes that are not what blue wrote (g1pk ${JSON.stringify(meta.g1pk ?? null)}, g1sk ${JSON.stringify(meta.g1sk ?? null)}): they were altered or deleted, so the catalog index (and \`blue dialogue list\`) ${meta.g1pk === wanted.g1pk ? 'misplaces' : 'no longer shows'} this dialogue.`,
  };
}

/**
 * A catalog entry (a meta item) as a summary: sealed under the dialogue's data key, bound to its partition
 * and its counts. `where` names it in errors.
 */
export function openSummary(item: Record<string, unknown>, key: Uint8Array, where: string, blindIndex: (id: string) => string): DialogueSummary {
  const pk = String(item.pk);
  const plain = pickPlain(item, META_PLAIN);
  const sealed = item.summary;
  if (!(sealed instanceof Uint8Array)) throw integrity('item_authentication_failed', `${where} has no sealed summary.`, { fix: INTEGRITY_FIX });
  let summary: { id: string; title: string };
  try {
    const keyId = dataKeyId(key);
    summary = JSON.parse(UTF8.decode(open(sealed, key, keyId, itemAad(`catalog:${pk}`, keyId, plain))));
  } catch (error) {
    if (!(error instanceof EnvelopeError) && !(error instanceof TypeError) && !(error instanceof SyntaxError)) throw error;
    throw integrity('item_authentication_failed', `${where} failed authentication (its catalog summary): it was altered or copied from another dialogue.`, { fix: INTEGRITY_FIX });
  }
  if (blindIndex(summary.id) !== pk) {
    throw integrity('item_authentication_failed', `${where} names dialogue ${summary.id}, which does not belong to this partition.`, { fix: INTEGRITY_FIX });
  }
  return {
    id: summary.id,
    title: summary.title,
    status: plain.status as DialogueSummary['status'],
    rounds: Number(plain.rounds),
    alignment: Number(plain.alignment),
    createdAt: String(plain.createdAt),
    updatedAt: String(plain.updatedAt),
  };
}

// ---------------------------------------------------------------------------------------------------------

function openItems(input: PartitionInput, problems: ItemProblem[]): Loaded | undefined {
  const { table, id, partition } = input;
  const describe = (item: string) => describeItem(table, id, item);
  const report = (item: string, sk: string, code: string, message: string) => problems.push({ item, sk, code, message });
  const meta = partition.get(META_SK);
  if (!meta) {
    report('meta', META_SK, 'item_missing', `${describe('meta')} is missing, yet ${partition.size} other item(s) of it remain: it was deleted, or its creation was interrupted.`);
    return undefined;
  }
  const unwrapped = input.dataKey;
  if (unwrapped === undefined) throw new TypeError(`openPartition needs the data key of dialogue ${id}'s meta`);
  let dataKey: Uint8Array;
  let metaValue: { meta: Record<string, unknown>; manifest: [string, string][]; chunks: [string, string][] };
  let keyId = '';
  try {
    if (unwrapped instanceof BlueError) throw unwrapped; // meta's own problem, reported as such below
    dataKey = unwrapped;
    keyId = dataKeyId(dataKey);
    const plain = pickPlain(meta, META_PLAIN);
    metaValue = JSON.parse(openItem(table, id, { entity: 'meta', subkey: '' }, META_SK, meta.c, dataKey, keyId, { ...plain }));
  } catch (error) {
    if (error instanceof BlueError && error.exitCode === 4) {
      report('meta', META_SK, error.code, error.message);
      return undefined;
    }
    throw error;
  }

  // The manifest: inline, or in manifest items that meta lists with their digests.
  const listed: [string, string][] = [...metaValue.manifest];
  for (const [sk, digest] of metaValue.chunks) {
    const chunk = listedItem(table, id, partition, sk, problems);
    if (!chunk) continue;
    try {
      const value = JSON.parse(openItem(table, id, parseSortKey(sk), sk, chunk.c, dataKey, keyId, { rev: parseSortKey(sk).rev }));
      checkDigest(table, id, sk, chunk.c, digest);
      listed.push(...(value.entries as [string, string][]));
    } catch (error) {
      if (!(error instanceof BlueError)) throw error;
      report(logicalKey(parseSortKey(sk)), sk, error.code, error.message);
    }
  }

  // Meta's catalog summary is checked as well, so a load or verify by id sees what `list` would refuse.
  try {
    const summary = openSummary(meta, dataKey, describe('meta'), input.blindIndex);
    if (summary.id !== id || summary.title !== metaValue.meta.title) {
      throw integrity('item_inconsistent', `${describe('meta')} has a catalog summary that disagrees with its content.`, { fix: INTEGRITY_FIX });
    }
  } catch (error) {
    if (!(error instanceof BlueError)) throw error;
    report('meta', META_SK, error.code, error.message);
  }

  const metaPayload = JSON.stringify(metaValue.meta);
  const entries = new Map<string, LiveEntry>([['meta', { sk: META_SK, digest: '', payload: metaPayload, plain: '' }]]);
  const opened: OpenedItem[] = [{ entity: 'meta', subkey: '', value: metaValue.meta }];
  for (const [sk, digest] of listed) {
    const address = parseSortKey(sk);
    const name = logicalKey(address);
    const item = listedItem(table, id, partition, sk, problems);
    if (!item) continue;
    try {
      const plain = plainAttributes(item);
      const payload = openItem(table, id, address, sk, item.c, dataKey, keyId, { ...plain, rev: address.rev });
      checkDigest(table, id, sk, item.c, digest);
      const value = JSON.parse(payload);
      const expected = address.entity === 'head' ? {} : plainOf(address.entity, value);
      const stated = canonicalJson(plain);
      if (canonicalJson(expected) !== stated) {
        throw integrity('item_inconsistent', `${describe(name)} has plain attributes that disagree with its sealed content.`, { fix: INTEGRITY_FIX });
      }
      entries.set(name, { sk, digest, payload, plain: stated });
      if (address.entity === 'head') {
        if (value.version !== metaValue.meta.version) {
          throw integrity('item_replaced', `${describe(name)} is of version ${value.version}, meta of ${String(metaValue.meta.version)}: the dialogue was rolled back.`, { fix: INTEGRITY_FIX });
        }
        continue;
      }
      opened.push({ entity: address.entity, subkey: address.subkey, value });
    } catch (error) {
      if (!(error instanceof BlueError)) throw error;
      report(name, sk, error.code, error.message);
    }
  }
  if (problems.length > 0) return undefined;

  let dialogue: Dialogue;
  try {
    dialogue = itemsToDialogue(opened, (item) => describe(logicalKey(item)));
  } catch (error) {
    report('meta', META_SK, 'manifest_invalid', `${describe('meta')}: ${(error as Error).message}`);
    return undefined;
  }
  const shape = dialogueShapeProblems(dialogue);
  const derived = metaPlain(dialogue);
  const stated = pickPlain(meta, Object.keys(derived));
  if (shape.length > 0 || dialogue.id !== id || canonicalJson(derived) !== canonicalJson(stated)) {
    report('meta', META_SK, 'manifest_invalid', `${describe('meta')} does not describe a valid dialogue ${id}: ${shape.slice(0, 3).join('; ') || 'its counts disagree with its items'}.`);
    return undefined;
  }
  return {
    dialogue,
    version: dialogue.version,
    dataKey,
    keyId,
    wrappedKey: meta.dk as Record<string, unknown>,
    entries,
    sortKeys: [...partition.keys()],
  };
}

/** The item the manifest lists at `sk`, or a problem saying it is missing. */
function listedItem(table: string, id: string, partition: Partition, sk: string, problems: ItemProblem[]): Record<string, unknown> | undefined {
  const name = logicalKey(parseSortKey(sk));
  const item = partition.get(sk);
  if (!item) {
    const why = name === 'head'
      ? 'meta is older than the latest commit, so the dialogue was rolled back (or the head was deleted)'
      : 'it was deleted, or meta was rolled back to a version that still listed it';
    problems.push({ item: name, sk, code: 'item_missing', message: `${describeItem(table, id, name)} is missing from the table (sort key ${sk}): ${why}.` });
  }
  return item;
}

/**
 * After an item opened (which already proves it was sealed for this address and these attributes), that
 * it is the very ciphertext the manifest recorded: a key holder's re-sealed copy would not be.
 */
function checkDigest(table: string, id: string, sk: string, sealed: unknown, digest: string): void {
  if (!(sealed instanceof Uint8Array) || digestOf(sealed) !== digest) {
    const name = logicalKey(parseSortKey(sk));
    throw integrity('item_replaced', `${describeItem(table, id, name)} is not the item the manifest recorded (sort key ${sk}): it was replaced.`, { fix: INTEGRITY_FIX });
  }
}

/** Opens one sealed payload; any failure is exit 4 naming the item, and no plaintext escapes. */
function openItem(table: string, id: string, address: { entity: string; subkey: string }, sk: string, sealed: unknown, key: Uint8Array, keyId: string, plain: Plain): string {
  const name = logicalKey(address);
  if (!(sealed instanceof Uint8Array)) {
    throw integrity('item_authentication_failed', `${describeItem(table, id, name)} has no sealed payload (sort key ${sk}).`, { fix: INTEGRITY_FIX });
  }
  try {
    return UTF8.decode(open(sealed, key, keyId, itemAad(canonicalAddress(id, address), keyId, plain)));
  } catch (error) {
    if (!(error instanceof EnvelopeError) && !(error instanceof TypeError)) throw error;
    const reason = error instanceof EnvelopeError ? error.reason : 'encoding';
    throw integrity(
      'item_authentication_failed',
      `${describeItem(table, id, name)} failed authentication (${reason}): its ciphertext, nonce, tag, key id or a plain attribute was altered, or it was copied from another item. Nothing of it was used.`,
      { fix: INTEGRITY_FIX },
    );
  }
}
