// The commit plan, as a pure function: given the next version of a dialogue and what was read of the
// current one, the exact requests that write it. Items are never overwritten: an item that changed is
// sealed under a new sort key `<entity>#<subkey>@<version>.<token>`; unchanged ones are kept as they are;
// `meta`, the one mutable item, is replaced last, on the condition that its version is still the one read
// (or, for a new dialogue, that there is none). Small changes are one transaction; larger ones stage their
// items with BatchWriteItem first, invisible until meta lists them. Each commit also replaces the `head`
// item in the same transaction, so an older meta put back names a head that is gone.
//
// Randomness (the token in new sort keys, the transaction's idempotency token, the seals' nonces) comes
// from `random`, so a test can make the plan exact.

import { randomBytes } from 'node:crypto';
import type { BatchWriteCommandInput, TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { badInput } from '../../domain/errors.js';
import type { Dialogue } from '../../domain/model.js';
import { canonicalJson } from '../canonical-json.js';
import { itemAad, seal } from '../crypto/envelope.js';
import { canonicalAddress, dialogueToItems, logicalKey } from './items.js';
import { META_SK, catalogKeys, TEXT, approximateSize, digestOf, type DialogueKey, type Loaded } from './layout.js';

// DynamoDB's limits, with room for attribute names and overhead.
const MAX_TRANSACTION_ACTIONS = 100;
const MAX_TRANSACTION_BYTES = 3_500_000;
const MAX_ITEM_BYTES = 380_000;
const BATCH_WRITE_SIZE = 25;
/** Manifest entries kept inside meta; beyond this they go to manifest items, so meta stays far below 400 KB. */
const MANIFEST_INLINE = 2_000;
const MANIFEST_CHUNK = 2_000;

export interface Random {
  /** `length` random bytes: a new sort key's token, a transaction's idempotency token. */
  bytes(length: number): Uint8Array;
  /** The nonce of the next seal. Tests only: left out, the envelope draws a fresh one for every seal. */
  nonce?(): Uint8Array;
}

export const systemRandom: Random = { bytes: (length) => new Uint8Array(randomBytes(length)) };

interface CommitInput {
  table: string;
  /** The dialogue's partition key (its blind index). */
  pk: string;
  /** The version to write, stamped and plain JSON (versioned.ts). */
  next: Dialogue;
  /** The dialogue's data key: the current one's, or a fresh one for a new dialogue. */
  key: DialogueKey;
  /** What was read: undefined for a new dialogue, which must not exist yet. */
  current?: Pick<Loaded, 'version' | 'entries' | 'sortKeys'>;
  random: Random;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type BatchRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

export interface CommitPlan {
  /** BatchWriteItem inputs that stage the new items before the commit; none when the commit holds them. */
  stage: BatchWriteCommandInput[];
  /** The commit: one TransactWriteItems with meta's conditional Put (and whatever fits beside it). */
  commit: TransactWriteCommandInput;
  /** BatchWriteItem inputs for after the commit (failures harmless): what it superseded and could not hold. */
  cleanUp: BatchWriteCommandInput[];
  /** BatchWriteItem inputs for when the commit's condition fails: the staged items, which nothing lists. */
  undo: BatchWriteCommandInput[];
}

export function planCommit(input: CommitInput): CommitPlan {
  const { table, pk, next, current, random } = input;
  const { dataKey, keyId, wrappedKey } = input.key;
  const id = next.id;
  const sealed = (plaintext: string, aad: Uint8Array) => seal(dataKey, keyId, TEXT.encode(plaintext), aad, random.nonce?.());
  const rev = `${String(next.version).padStart(8, '0')}.${hex(random.bytes(4))}`;
  const [metaItem, ...rest] = dialogueToItems(next);

  const staged: Record<string, unknown>[] = [];
  const manifest: [string, string][] = [];
  for (const item of rest) {
    const name = logicalKey(item);
    const previous = current?.entries.get(name);
    if (previous && previous.payload === item.payload && previous.plain === canonicalJson(item.plain)) {
      manifest.push([previous.sk, previous.digest]);
      continue;
    }
    const sk = `${name}@${rev}`;
    const c = sealed(item.payload, itemAad(canonicalAddress(id, item), keyId, { ...item.plain, rev }));
    staged.push({ pk, sk, ...item.plain, c });
    manifest.push([sk, digestOf(c)]);
  }

  // This version's head: deleted by the next commit's own transaction, so a restored older meta names a
  // head that is gone and the rollback is caught (STORAGE.md: dropped or rolled-back items).
  const headSk = `head@${rev}`;
  const headC = sealed(JSON.stringify({ version: next.version }), itemAad(canonicalAddress(id, { entity: 'head', subkey: '' }), keyId, { rev }));
  const head = { pk, sk: headSk, c: headC };
  staged.push(head);
  manifest.push([headSk, digestOf(headC)]);
  const oldHead = current?.entries.get('head')?.sk;

  // The manifest lives in meta unless it is long; then in manifest items, which meta lists.
  let inline = manifest;
  const chunks: [string, string][] = [];
  if (manifest.length > MANIFEST_INLINE) {
    inline = [];
    for (let i = 0; i * MANIFEST_CHUNK < manifest.length; i++) {
      const address = { entity: 'manifest', subkey: String(i).padStart(3, '0') };
      const sk = `${logicalKey(address)}@${rev}`;
      const entries = manifest.slice(i * MANIFEST_CHUNK, (i + 1) * MANIFEST_CHUNK);
      const c = sealed(JSON.stringify({ entries }), itemAad(canonicalAddress(id, address), keyId, { rev }));
      staged.push({ pk, sk, c });
      chunks.push([sk, digestOf(c)]);
    }
  }

  const plain = metaItem.plain;
  const metaPayload = JSON.stringify({ meta: JSON.parse(metaItem.payload), manifest: inline, chunks });
  const meta = {
    pk,
    sk: META_SK,
    ...plain,
    c: sealed(metaPayload, itemAad(canonicalAddress(id, metaItem), keyId, plain)),
    summary: sealed(JSON.stringify({ id, title: next.title }), itemAad(`catalog:${pk}`, keyId, plain)),
    dk: wrappedKey,
    ...catalogKeys(pk, next.createdAt),
  };
  for (const item of [...staged, meta]) {
    const size = approximateSize(item);
    if (size > MAX_ITEM_BYTES) {
      throw badInput('item_too_large', `An item of dialogue ${id} (${String(item.sk).replace(/@.*/, '')}) would be ${size} bytes, above DynamoDB's 400 KB item limit.`, { id, fix: 'nothing was written; this is a bug in blue (long texts are split into parts): report it' });
    }
  }

  const condition = current
    ? { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': current.version } }
    : { ConditionExpression: 'attribute_not_exists(pk)' };
  const metaPut: TransactItem = { Put: { TableName: table, Item: meta, ...condition } };
  // What the new manifest no longer lists: older versions of changed items, removed items, leftovers of
  // interrupted writes. The old head always goes in the commit itself (that is what catches a rollback);
  // the rest too when it fits, else right after the commit (failing to remove it costs only space).
  const live = new Set([META_SK, ...manifest.map(([sk]) => sk), ...chunks.map(([sk]) => sk)]);
  const obsolete = (current?.sortKeys ?? []).filter((sk) => !live.has(sk) && sk !== oldHead);
  const remove = (sk: string): TransactItem => ({ Delete: { TableName: table, Key: { pk, sk } } });
  const headDelete = oldHead ? [remove(oldHead)] : [];
  const totalBytes = [...staged, meta].reduce((sum, item) => sum + approximateSize(item), 0);
  const fitsOneTransaction = staged.length + 1 + headDelete.length <= MAX_TRANSACTION_ACTIONS && totalBytes <= MAX_TRANSACTION_BYTES;
  const removeInCommit = fitsOneTransaction && staged.length + 1 + headDelete.length + obsolete.length <= MAX_TRANSACTION_ACTIONS;
  const token = () => hex(random.bytes(16));
  const deletes = (sortKeys: string[]) => batchWriteInputs(table, sortKeys.map((sk) => ({ DeleteRequest: { Key: { pk, sk } } })));

  if (fitsOneTransaction) {
    const items: TransactItem[] = staged.map((item) => ({ Put: { TableName: table, Item: item } }));
    items.push(metaPut, ...headDelete, ...(removeInCommit ? obsolete.map(remove) : []));
    return {
      stage: [],
      commit: { TransactItems: items, ClientRequestToken: token() },
      cleanUp: removeInCommit ? [] : deletes(obsolete),
      undo: [],
    };
  }
  // Staged items are invisible until meta lists them, so writing them first keeps the write all-or-nothing.
  return {
    stage: batchWriteInputs(table, staged.filter((item) => item !== head).map((item) => ({ PutRequest: { Item: item } }))),
    commit: { TransactItems: [metaPut, { Put: { TableName: table, Item: head } }, ...headDelete], ClientRequestToken: token() },
    cleanUp: deletes(obsolete),
    undo: deletes(staged.map((item) => String(item.sk))),
  };
}

/** BatchWriteItem inputs of at most 25 requests each, in order. */
function batchWriteInputs(table: string, requests: BatchRequest[]): BatchWriteCommandInput[] {
  const inputs: BatchWriteCommandInput[] = [];
  for (let i = 0; i < requests.length; i += BATCH_WRITE_SIZE) {
    inputs.push({ RequestItems: { [table]: requests.slice(i, i + BATCH_WRITE_SIZE) } });
  }
  return inputs;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
