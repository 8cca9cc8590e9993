// The DynamoDB store: one table, one partition per dialogue, every piece of content sealed on the client.
//
// Layout (STORAGE.md). The partition key is a blind index of the dialogue id (HMAC under a table-wide index
// key), so the table never sees the id or the title's slug. Items are immutable: an entity written at
// version v gets the sort key `<entity>#<subkey>@<v>.<token>`, and the one mutable item, `meta`, is the commit
// point. Meta holds the dialogue's wrapped data key, its sealed top-level fields and the manifest: the
// ordered list of every live item's sort key and a digest of its sealed payload. A write stages the items
// that changed and then replaces meta on the condition that its version is still the one it read, so a
// write of any size is all-or-nothing, a crash leaves at most unreferenced items (removed by the next
// write), and a concurrent writer can never be overwritten unseen (it retries on the new version).
// Each commit also replaces a small `head` item in the same transaction (the old one is deleted there, not
// later), so an older meta put back by someone with write access lists a head that no longer exists.
//
// A load is one paginated, strongly consistent Query. Every item the manifest lists must be present, must
// match its digest and must open under the AAD recomputed from its position (the canonical address, the
// key id and its plain attributes); otherwise the load fails with exit 4 naming the item and prints nothing.

import { randomBytes } from 'node:crypto';
import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { BlueError, badInput, failure, integrity, refused } from '../../domain/errors.js';
import type { Dialogue, DialogueSummary } from '../../domain/model.js';
import { matchDialogueId } from '../../domain/ids.js';
import { canonicalJson, toPlainJson } from '../canonical-json.js';
import { dialogueShapeProblems } from '../shape.js';
import { EnvelopeError, open, seal, itemAad } from '../crypto/envelope.js';
import { deriveKey, type KeyWrapper } from '../crypto/keys.js';
import { canonicalAddress, dialogueToItems, itemsToDialogue, logicalKey, metaPlain, plainOf, type OpenedItem, type Plain } from './items.js';
import { CATALOG_INDEX } from './table.js';
import { checkChange, checkDialogueId, checkStorable, dialogueNotFound, isDialogueId, newestFirst } from '../summary.js';
import type { DialogueCatalog, DialogueStore, ListOptions, Stores, StoreMaintenance, VerifyReport } from '../types.js';

const META_SK = 'meta';
const KEYRING_PK = 'blue#keyring';
const KEYRING_SK = 'index-key';
/** The catalog index's one partition: every dialogue's meta item, sorted by creation time. */
const CATALOG_PK = 'dialogue';
/** Meta's plain attributes (metaPlain), bound into both its payload's and its catalog summary's AAD. */
const META_PLAIN = ['status', 'version', 'createdAt', 'updatedAt', 'rounds', 'alignment'];

// DynamoDB's limits, with room for attribute names and overhead.
const MAX_TRANSACTION_ACTIONS = 100;
const MAX_TRANSACTION_BYTES = 3_500_000;
const MAX_ITEM_BYTES = 380_000;
const BATCH_WRITE_SIZE = 25;
/** Manifest entries kept inside meta; beyond this they go to manifest items, so meta stays far below 400 KB. */
const MANIFEST_INLINE = 2_000;
const MANIFEST_CHUNK = 2_000;
const MAX_ATTEMPTS = 30;
/** How long a global secondary index typically lags its table on AWS. */
const CATALOG_SETTLE_MS = 750;
const TEXT = new TextEncoder();
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export interface DynamoSettings {
  table: string;
  /** The DynamoDB client configuration (endpoint, region, credentials, profile). */
  client: DynamoDBClientConfig;
  /** Wraps the per-dialogue data keys and the table's index key: a master key file or KMS. */
  wrapper: KeyWrapper;
}

/** What is in the partition: every item by sort key. */
type Partition = Map<string, Record<string, unknown>>;

interface LiveEntry {
  sk: string;
  digest: string;
  payload: string;
  plain: string;
}

/** A dialogue as read: enough to write the next version without resealing what did not change. */
interface Loaded {
  dialogue: Dialogue;
  version: number;
  dataKey: Uint8Array;
  keyId: string;
  wrappedKey: Record<string, unknown>;
  entries: Map<string, LiveEntry>;
  /** Every sort key found in the partition, live or not. */
  sortKeys: string[];
}

interface ItemProblem {
  item: string;
  sk: string;
  code: string;
  message: string;
}

/** Thrown inside a write when meta's version moved on: the write is retried on the new version. */
class Conflict extends Error {}

export class DynamoStore implements DialogueStore, DialogueCatalog, StoreMaintenance {
  readonly kind = 'dynamodb';
  readonly table: string;
  readonly requests = new Map<string, number>();
  private readonly raw: DynamoDBClient;
  private readonly doc: DynamoDBDocumentClient;
  private readonly wrapper: KeyWrapper;
  private readonly endpoint?: string;
  private indexKey?: Uint8Array;
  private readonly dataKeys = new Map<string, Uint8Array>();
  /** The partition `resolve` just read, handed to the read that follows it (once), to save a Query. */
  private prefetched?: { id: string; partition: Partition };

  constructor(raw: DynamoDBClient, settings: DynamoSettings) {
    this.raw = raw;
    this.table = settings.table;
    this.wrapper = settings.wrapper;
    this.endpoint = typeof settings.client.endpoint === 'string' ? settings.client.endpoint : undefined;
    this.doc = DynamoDBDocumentClient.from(raw, {
      marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
      unmarshallOptions: { wrapNumbers: false },
    });
    // Counting requests per operation lets `BLUE_REPORT_REQUESTS` and the bench show what a command costs.
    raw.middlewareStack.add(
      (next, context) => async (args) => {
        const name = String((context as { commandName?: string }).commandName ?? 'unknown').replace(/Command$/, '');
        this.requests.set(name, (this.requests.get(name) ?? 0) + 1);
        return next(args);
      },
      { step: 'initialize', name: 'blueRequestCounter' },
    );
  }

  // --- DialogueStore ------------------------------------------------------------------------------------

  async create(dialogue: Dialogue): Promise<void> {
    await this.write(dialogue, { version: 1, updatedAt: new Date().toISOString() });
  }

  /** Writes a dialogue exactly as given (its version and updatedAt kept); used by `store migrate`. */
  async restore(dialogue: Dialogue): Promise<void> {
    await this.write(dialogue, { version: dialogue.version, updatedAt: dialogue.updatedAt });
  }

  async load(id: string): Promise<Dialogue> {
    checkDialogueId(id);
    return this.guard(id, async () => (await this.read(id)).dialogue);
  }

  async update(id: string, change: (current: Dialogue) => Dialogue): Promise<Dialogue> {
    checkDialogueId(id);
    return this.guard(id, async () => {
      for (let attempt = 1; ; attempt++) {
        const current = await this.read(id);
        const next = change(current.dialogue);
        checkChange(id, next);
        const stored = toPlainJson({ ...next, version: current.version + 1, updatedAt: new Date().toISOString() });
        checkStorable(stored);
        try {
          await this.commit(stored, current);
          return stored;
        } catch (error) {
          if (!(error instanceof Conflict)) throw error;
          if (attempt >= MAX_ATTEMPTS) {
            throw failure('write_conflict', `Dialogue ${id} kept changing under this write (${attempt} attempts); try again.`, { id });
          }
          await sleep(Math.random() * 20 * Math.min(attempt, 10));
        }
      }
    });
  }

  async exists(id: string): Promise<boolean> {
    if (!isDialogueId(id)) return false;
    return this.guard(id, async () => {
      const result = await this.doc.send(
        new GetCommand({ TableName: this.table, Key: { pk: await this.partitionKey(id), sk: META_SK }, ConsistentRead: true, ProjectionExpression: 'pk' }),
      );
      return result.Item !== undefined;
    });
  }

  // --- DialogueCatalog ----------------------------------------------------------------------------------

  async list(options: ListOptions = {}): Promise<DialogueSummary[]> {
    const summaries: DialogueSummary[] = [];
    for (const item of await this.catalogItems()) {
      try {
        summaries.push(await this.summaryOf(item));
      } catch (error) {
        if (!(error instanceof BlueError)) throw this.asStoreError(error);
        options.problems?.push({ id: String(item.pk), file: this.where(String(item.pk), META_SK), code: error.code, message: error.message });
      }
    }
    return summaries.sort(newestFirst);
  }

  async resolve(idOrPrefix: string): Promise<string> {
    const wanted = idOrPrefix.trim();
    if (wanted === '') throw badInput('dialogue_not_found', 'No dialogue id given.', { input: idOrPrefix });
    // An exact id costs one read, the Query the load that follows needs anyway (kept for it); anything
    // else needs the ids, which only the catalog (decrypted) knows.
    if (isDialogueId(wanted)) {
      const partition = await this.guard(wanted, async () => this.query(await this.partitionKey(wanted)));
      if (partition.has(META_SK)) {
        this.prefetched = { id: wanted, partition };
        return wanted;
      }
    }
    let match = matchDialogueId((await this.list()).map((summary) => summary.id), wanted);
    if (match.kind === 'none') {
      // The catalog index is eventually consistent on AWS: a dialogue started a moment ago may not be in
      // it yet. One more look after the usual propagation delay before saying it does not exist.
      await sleep(CATALOG_SETTLE_MS);
      match = matchDialogueId((await this.list()).map((summary) => summary.id), wanted);
    }
    if (match.kind === 'one') return match.id;
    if (match.kind === 'none') {
      throw badInput('dialogue_not_found', `No dialogue in DynamoDB table ${this.table} matches "${wanted}" (by id, id prefix, slug or slug prefix).`, { input: wanted });
    }
    throw badInput(
      'ambiguous_dialogue',
      `"${wanted}" matches ${match.candidates.length} dialogues: ${match.candidates.join(', ')}. Give more of the id.`,
      { input: wanted, candidates: match.candidates },
    );
  }

  // --- StoreMaintenance ---------------------------------------------------------------------------------

  async verify(id: string): Promise<VerifyReport> {
    checkDialogueId(id);
    return this.guard(id, async () => {
      const pk = await this.partitionKey(id);
      const partition = this.takePrefetched(id) ?? (await this.query(pk));
      const problems: ItemProblem[] = [];
      const result = await this.openPartition(id, pk, partition, problems);
      const live = new Set(result ? [...result.entries.values()].map((entry) => entry.sk) : []);
      const orphans = [...partition.keys()].filter((sk) => sk !== META_SK && !live.has(sk));
      return {
        id,
        items: partition.size,
        ok: problems.length === 0 && result !== undefined,
        problems: problems.map((p) => ({ item: p.item, code: p.code, message: p.message })),
        notes: orphans.length && result
          ? [`${orphans.length} unreferenced item(s) left by an interrupted or superseded write; the next write of this dialogue removes them.`]
          : [],
      };
    });
  }

  async ids(options: ListOptions = {}): Promise<string[]> {
    return (await this.list(options)).map((summary) => summary.id);
  }

  /** Creates the table's index key if it has none yet (`store init`); idempotent. */
  async initKeyring(): Promise<'created' | 'exists'> {
    const existing = await this.getKeyring();
    if (existing) {
      await this.unwrapIndexKey(existing);
      return 'exists';
    }
    const { plaintext, wrapped } = await this.wrapper.generate(keyringContext(this.table));
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: KEYRING_PK, sk: KEYRING_SK, kek: this.wrapper.id, w: wrapped, createdAt: new Date().toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!isConditionalFailure(error)) throw this.asStoreError(error);
      // Another `store init` won the race: use its key, which must open with ours.
      const winner = await this.getKeyring();
      if (winner) await this.unwrapIndexKey(winner);
      return 'exists';
    }
    this.indexKey = deriveKey(plaintext, 'blue blind index v1');
    return 'created';
  }

  async close(): Promise<void> {
    this.raw.destroy();
  }

  // --- reading ------------------------------------------------------------------------------------------

  private async read(id: string): Promise<Loaded> {
    const pk = await this.partitionKey(id);
    // A load races writers: a Query is not a snapshot, so an item the manifest lists may be gone (removed
    // after a newer commit) or not yet visible. If meta moved on, read again; if not, it is real damage.
    let lastVersion: unknown;
    for (let attempt = 1; ; attempt++) {
      // A partition read by resolve a moment ago is as fresh as a new Query; a write based on a stale one
      // fails its version condition and is retried on a fresh read.
      const partition = (attempt === 1 && this.takePrefetched(id)) || (await this.query(pk));
      if (!partition.has(META_SK) && partition.size === 0) throw dialogueNotFound(id);
      const problems: ItemProblem[] = [];
      const loaded = await this.openPartition(id, pk, partition, problems);
      if (loaded && problems.length === 0) return loaded;
      const version = partition.get(META_SK)?.version;
      const onlyMissing = problems.every((problem) => problem.code === 'item_missing');
      if (onlyMissing && attempt < 4 && version !== lastVersion) {
        lastVersion = version;
        continue;
      }
      // A missing head explains every other missing item (meta was rolled back), so it is named first.
      const first = problems.find((problem) => problem.item === 'head') ?? problems[0];
      throw integrity(first.code, first.message, { id, item: first.item, sk: first.sk, table: this.table, problems: problems.length });
    }
  }

  private takePrefetched(id: string): Partition | undefined {
    const prefetched = this.prefetched;
    this.prefetched = undefined;
    return prefetched?.id === id ? prefetched.partition : undefined;
  }

  private async query(pk: string): Promise<Partition> {
    const partition: Partition = new Map();
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) partition.set(String(item.sk), item);
      start = page.LastEvaluatedKey;
    } while (start);
    return partition;
  }

  /**
   * Opens meta, then every item its manifest lists, in order. Problems are collected (for `store verify`);
   * the dialogue is returned only when there are none.
   */
  private async openPartition(id: string, pk: string, partition: Partition, problems: ItemProblem[]): Promise<Loaded | undefined> {
    const report = (item: string, sk: string, code: string, message: string) => problems.push({ item, sk, code, message });
    const meta = partition.get(META_SK);
    if (!meta) {
      report('meta', META_SK, 'item_missing', `${this.describe(id, 'meta')} is missing, yet ${partition.size} other item(s) of it remain: it was deleted, or its creation was interrupted.`);
      return undefined;
    }
    let dataKey: Uint8Array;
    let metaValue: { meta: Record<string, unknown>; manifest: [string, string][]; chunks: [string, string][] };
    let keyId = '';
    try {
      dataKey = await this.dataKey(pk, meta, this.describe(id, 'meta'));
      keyId = dataKeyId(dataKey);
      const plain = pickPlain(meta, META_PLAIN);
      metaValue = JSON.parse(this.openItem(id, { entity: 'meta', subkey: '' }, META_SK, meta.c, dataKey, keyId, { ...plain }));
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
      const chunk = this.listedItem(id, partition, sk, problems);
      if (!chunk) continue;
      try {
        const value = JSON.parse(this.openItem(id, parseSortKey(sk), sk, chunk.c, dataKey, keyId, { rev: parseSortKey(sk).rev }));
        this.checkDigest(id, sk, chunk.c, digest);
        listed.push(...(value.entries as [string, string][]));
      } catch (error) {
        if (!(error instanceof BlueError)) throw error;
        report(logicalKey(parseSortKey(sk)), sk, error.code, error.message);
      }
    }

    // Meta's catalog summary is checked as well, so a load or verify by id sees what `list` would refuse.
    try {
      const summary = await this.summaryOf(meta, this.describe(id, 'meta'));
      if (summary.id !== id || summary.title !== metaValue.meta.title) {
        throw integrity('item_inconsistent', `${this.describe(id, 'meta')} has a catalog summary that disagrees with its content.`);
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
      const item = this.listedItem(id, partition, sk, problems);
      if (!item) continue;
      try {
        const plain = plainAttributes(item);
        const payload = this.openItem(id, address, sk, item.c, dataKey, keyId, { ...plain, rev: address.rev });
        this.checkDigest(id, sk, item.c, digest);
        const value = JSON.parse(payload);
        const expected = address.entity === 'head' ? {} : plainOf(address.entity, value);
        if (canonicalJson(expected) !== canonicalJson(plain)) {
          throw integrity('item_inconsistent', `${this.describe(id, name)} has plain attributes that disagree with its sealed content.`);
        }
        entries.set(name, { sk, digest, payload, plain: canonicalJson(plain) });
        if (address.entity === 'head') {
          if (value.version !== metaValue.meta.version) {
            throw integrity('item_replaced', `${this.describe(id, name)} is of version ${value.version}, meta of ${String(metaValue.meta.version)}: the dialogue was rolled back.`);
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
      dialogue = itemsToDialogue(opened, (item) => this.describe(id, logicalKey(item)));
    } catch (error) {
      report('meta', META_SK, 'manifest_invalid', `${this.describe(id, 'meta')}: ${(error as Error).message}`);
      return undefined;
    }
    const shape = dialogueShapeProblems(dialogue);
    const derived = metaPlain(dialogue);
    const stated = pickPlain(meta, Object.keys(derived));
    if (shape.length > 0 || dialogue.id !== id || canonicalJson(derived) !== canonicalJson(stated)) {
      report('meta', META_SK, 'manifest_invalid', `${this.describe(id, 'meta')} does not describe a valid dialogue ${id}: ${shape.slice(0, 3).join('; ') || 'its counts disagree with its items'}.`);
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

  /** The item the manifest lists at `sk`, if it is there with the digest the manifest recorded. */
  /** The item the manifest lists at `sk`, or a problem saying it is missing. */
  private listedItem(id: string, partition: Partition, sk: string, problems: ItemProblem[]): Record<string, unknown> | undefined {
    const name = logicalKey(parseSortKey(sk));
    const item = partition.get(sk);
    if (!item) {
      const why = name === 'head'
        ? 'meta is older than the latest commit, so the dialogue was rolled back (or the head was deleted)'
        : 'it was deleted, or meta was rolled back to a version that still listed it';
      problems.push({ item: name, sk, code: 'item_missing', message: `${this.describe(id, name)} is missing from the table (sort key ${sk}): ${why}.` });
    }
    return item;
  }

  /**
   * After an item opened (which already proves it was sealed for this address and these attributes), that
   * it is the very ciphertext the manifest recorded: a key holder's re-sealed copy would not be.
   */
  private checkDigest(id: string, sk: string, sealed: unknown, digest: string): void {
    if (!(sealed instanceof Uint8Array) || digestOf(sealed) !== digest) {
      const name = logicalKey(parseSortKey(sk));
      throw integrity('item_replaced', `${this.describe(id, name)} is not the item the manifest recorded (sort key ${sk}): it was replaced.`);
    }
  }

  /** Opens one sealed payload; any failure is exit 4 naming the item, and no plaintext escapes. */
  private openItem(id: string, address: { entity: string; subkey: string }, sk: string, sealed: unknown, key: Uint8Array, keyId: string, plain: Plain): string {
    const name = logicalKey(address);
    if (!(sealed instanceof Uint8Array)) {
      throw integrity('item_authentication_failed', `${this.describe(id, name)} has no sealed payload (sort key ${sk}).`);
    }
    try {
      return UTF8.decode(open(sealed, key, keyId, itemAad(canonicalAddress(id, address), keyId, plain)));
    } catch (error) {
      if (!(error instanceof EnvelopeError) && !(error instanceof TypeError)) throw error;
      const reason = error instanceof EnvelopeError ? error.reason : 'encoding';
      throw integrity(
        'item_authentication_failed',
        `${this.describe(id, name)} failed authentication (${reason}): its ciphertext, nonce, tag, key id or a plain attribute was altered, or it was copied from another item. Nothing of it was used.`,
      );
    }
  }

  /** The dialogue's data key, unwrapped from meta (wrapped keys live in the dialogue's own partition). */
  private async dataKey(pk: string, meta: Record<string, unknown>, where: string): Promise<Uint8Array> {
    const wrapped = meta.dk as { kek?: unknown; w?: unknown } | undefined;
    if (!wrapped || typeof wrapped.kek !== 'string' || !(wrapped.w instanceof Uint8Array)) {
      throw integrity('key_missing', `${where} holds no wrapped data key: the dialogue's content is unreadable (crypto-shredded or damaged).`);
    }
    if (wrapped.kek !== this.wrapper.id) {
      throw integrity('key_unwrap_failed', `${where}: its data key is wrapped by ${wrapped.kek}, but blue was given ${this.wrapper.id} (the wrong master key?).`);
    }
    // One unwrap per dialogue and process: with KMS each is a Decrypt request.
    const cacheKey = `${pk}:${Buffer.from(wrapped.w).toString('base64')}`;
    const cached = this.dataKeys.get(cacheKey);
    if (cached) return cached;
    const key = await this.wrapper.unwrap(wrapped.w, dataKeyContext(pk), where);
    this.dataKeys.set(cacheKey, key);
    return key;
  }

  private async catalogItems(): Promise<Record<string, unknown>[]> {
    await this.partitionKey(''); // make sure the keyring opens before reporting anything about dialogues
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    try {
      do {
        const page = await this.doc.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: CATALOG_INDEX,
            KeyConditionExpression: 'g1pk = :catalog',
            ExpressionAttributeValues: { ':catalog': CATALOG_PK },
            ScanIndexForward: false,
            ExclusiveStartKey: start,
          }),
        );
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
    } catch (error) {
      throw this.asStoreError(error);
    }
    return items;
  }

  /** A catalog entry: the summary is sealed under the dialogue's data key and bound to its partition and counts. */
  private async summaryOf(item: Record<string, unknown>, where = `The catalog entry of partition ${String(item.pk)}`): Promise<DialogueSummary> {
    const pk = String(item.pk);
    const key = await this.dataKey(pk, item, where);
    const plain = pickPlain(item, META_PLAIN);
    const sealed = item.summary;
    if (!(sealed instanceof Uint8Array)) throw integrity('item_authentication_failed', `${where} has no sealed summary.`);
    let summary: { id: string; title: string };
    try {
      const keyId = dataKeyId(key);
      summary = JSON.parse(UTF8.decode(open(sealed, key, keyId, itemAad(`catalog:${pk}`, keyId, plain))));
    } catch (error) {
      if (!(error instanceof EnvelopeError) && !(error instanceof TypeError) && !(error instanceof SyntaxError)) throw error;
      throw integrity('item_authentication_failed', `${where} failed authentication (its catalog summary): it was altered or copied from another dialogue.`);
    }
    if ((await this.partitionKey(summary.id)) !== pk) {
      throw integrity('item_authentication_failed', `${where} names dialogue ${summary.id}, which does not belong to this partition.`);
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

  // --- writing ------------------------------------------------------------------------------------------

  /** Creates (or restores) a dialogue; refuses to overwrite one. */
  private async write(dialogue: Dialogue, stamp: { version: number; updatedAt: string }): Promise<void> {
    const id = dialogue.id;
    checkDialogueId(id);
    const stored = toPlainJson({ ...dialogue, ...stamp });
    checkStorable(stored);
    await this.guard(id, async () => {
      try {
        await this.commit(stored, undefined);
      } catch (error) {
        if (error instanceof Conflict) {
          throw refused('dialogue_exists', `Dialogue ${id} already exists in DynamoDB table ${this.table}; blue never overwrites a dialogue.`, { id });
        }
        throw error;
      }
    });
  }

  /**
   * Writes `next` as the version after `current` (or as a new dialogue). Unchanged items are kept as they
   * are; changed ones are sealed under new sort keys; meta goes last, conditionally, in the same transaction
   * when everything fits in one, else after the staged items.
   */
  private async commit(next: Dialogue, current: Loaded | undefined): Promise<void> {
    const id = next.id;
    const pk = await this.partitionKey(id);
    let dataKey: Uint8Array;
    let keyId: string;
    let wrappedKey: Record<string, unknown>;
    if (current) {
      ({ dataKey, keyId, wrappedKey } = current);
    } else {
      const generated = await this.wrapper.generate(dataKeyContext(pk));
      dataKey = generated.plaintext;
      keyId = dataKeyId(dataKey);
      wrappedKey = { kek: this.wrapper.id, w: generated.wrapped };
    }
    const rev = `${String(next.version).padStart(8, '0')}.${randomBytes(4).toString('hex')}`;
    const [metaItem, ...rest] = dialogueToItems(next);

    const staged: Record<string, unknown>[] = [];
    const manifest: [string, string][] = [];
    const newEntries = new Map<string, LiveEntry>();
    for (const item of rest) {
      const name = logicalKey(item);
      const plainText = canonicalJson(item.plain);
      const previous = current?.entries.get(name);
      if (previous && previous.payload === item.payload && previous.plain === plainText) {
        manifest.push([previous.sk, previous.digest]);
        newEntries.set(name, previous);
        continue;
      }
      const sk = `${name}@${rev}`;
      const c = seal(dataKey, keyId, TEXT.encode(item.payload), itemAad(canonicalAddress(id, item), keyId, { ...item.plain, rev }));
      staged.push({ pk, sk, ...item.plain, c });
      manifest.push([sk, digestOf(c)]);
    }

    // This version's head: deleted by the next commit's own transaction, so a restored older meta names a
    // head that is gone and the rollback is caught (STORAGE.md: dropped or rolled-back items).
    const headAddress = { entity: 'head', subkey: '' };
    const headSk = `head@${rev}`;
    const headC = seal(dataKey, keyId, TEXT.encode(JSON.stringify({ version: next.version })), itemAad(canonicalAddress(id, headAddress), keyId, { rev }));
    staged.push({ pk, sk: headSk, c: headC });
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
        const c = seal(dataKey, keyId, TEXT.encode(JSON.stringify({ entries })), itemAad(canonicalAddress(id, address), keyId, { rev }));
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
      c: seal(dataKey, keyId, TEXT.encode(metaPayload), itemAad(canonicalAddress(id, metaItem), keyId, plain)),
      summary: seal(dataKey, keyId, TEXT.encode(JSON.stringify({ id, title: next.title })), itemAad(`catalog:${pk}`, keyId, plain)),
      dk: wrappedKey,
      g1pk: CATALOG_PK,
      g1sk: `${next.createdAt}#${pk}`,
    };
    for (const item of [...staged, meta]) {
      const size = approximateSize(item);
      if (size > MAX_ITEM_BYTES) {
        throw badInput('item_too_large', `An item of dialogue ${id} (${String(item.sk).replace(/@.*/, '')}) would be ${size} bytes, above DynamoDB's 400 KB item limit.`, { id });
      }
    }

    const condition = current
      ? { ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': current.version } }
      : { ConditionExpression: 'attribute_not_exists(pk)' };
    const metaPut = { Put: { TableName: this.table, Item: meta, ...condition } };
    // What the new manifest no longer lists: older versions of changed items, removed items, leftovers of
    // interrupted writes. The old head always goes in the commit itself (that is what catches a rollback);
    // the rest too when it fits, else right after the commit (failing to remove it costs only space).
    const live = new Set([META_SK, ...manifest.map(([sk]) => sk), ...chunks.map(([sk]) => sk)]);
    const obsolete = (current?.sortKeys ?? []).filter((sk) => !live.has(sk) && sk !== oldHead);
    const remove = (sk: string) => ({ Delete: { TableName: this.table, Key: { pk, sk } } });
    const headDelete = oldHead ? [remove(oldHead)] : [];
    const totalBytes = [...staged, meta].reduce((sum, item) => sum + approximateSize(item), 0);
    const fitsOneTransaction = staged.length + 1 + headDelete.length <= MAX_TRANSACTION_ACTIONS && totalBytes <= MAX_TRANSACTION_BYTES;
    const removeInCommit = fitsOneTransaction && staged.length + 1 + headDelete.length + obsolete.length <= MAX_TRANSACTION_ACTIONS;
    try {
      if (fitsOneTransaction) {
        const items: NonNullable<TransactWriteCommandInput['TransactItems']> = staged.map((item) => ({ Put: { TableName: this.table, Item: item } }));
        items.push(metaPut, ...headDelete, ...(removeInCommit ? obsolete.map(remove) : []));
        await this.doc.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: randomBytes(16).toString('hex') }));
      } else {
        // Staged items are invisible until meta lists them, so writing them first keeps the write all-or-nothing.
        const head = staged.find((item) => item.sk === headSk)!;
        await this.batchWrite(staged.filter((item) => item !== head).map((item) => ({ PutRequest: { Item: item } })));
        const commit = [metaPut, { Put: { TableName: this.table, Item: head } }, ...headDelete];
        await this.doc.send(new TransactWriteCommand({ TransactItems: commit, ClientRequestToken: randomBytes(16).toString('hex') }));
      }
    } catch (error) {
      if (isConditionalFailure(error)) {
        if (!fitsOneTransaction) {
          await this.removeQuietly(pk, staged.map((item) => String(item.sk)));
        }
        throw new Conflict();
      }
      throw error;
    }
    if (!removeInCommit) await this.removeQuietly(pk, obsolete);
  }

  private async batchWrite(requests: Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < requests.length; i += BATCH_WRITE_SIZE) {
      let pending = requests.slice(i, i + BATCH_WRITE_SIZE);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 8) throw failure('store_throttled', `DynamoDB table ${this.table} kept refusing writes; try again later.`);
        const result = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending as never } }));
        pending = (result.UnprocessedItems?.[this.table] ?? []) as Record<string, unknown>[];
        if (pending.length) await sleep(25 * 2 ** attempt);
      }
    }
  }

  private async removeQuietly(pk: string, sortKeys: string[]): Promise<void> {
    try {
      await this.batchWrite(sortKeys.map((sk) => ({ DeleteRequest: { Key: { pk, sk } } })));
    } catch {
      // Unreferenced items are harmless: loads ignore them, `store verify` notes them, the next write retries.
    }
  }

  // --- keys ---------------------------------------------------------------------------------------------

  /** The blind index of a dialogue id: HMAC-SHA256 under the table's index key. */
  private async partitionKey(id: string): Promise<string> {
    if (!this.indexKey) {
      const keyring = await this.getKeyring();
      if (!keyring) {
        throw failure('store_not_initialised', `DynamoDB table ${this.table} has no blue index key yet; run \`blue store init\` first.`, { table: this.table });
      }
      await this.unwrapIndexKey(keyring);
    }
    return `d#${Buffer.from(hmac(sha256, this.indexKey!, TEXT.encode(`dialogue:${id}`))).toString('base64url')}`;
  }

  private async getKeyring(): Promise<Record<string, unknown> | undefined> {
    try {
      const result = await this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: KEYRING_PK, sk: KEYRING_SK }, ConsistentRead: true }));
      return result.Item;
    } catch (error) {
      throw this.asStoreError(error);
    }
  }

  private async unwrapIndexKey(keyring: Record<string, unknown>): Promise<void> {
    const what = `the index key of table ${this.table} (item ${KEYRING_PK}/${KEYRING_SK})`;
    if (typeof keyring.kek !== 'string' || !(keyring.w instanceof Uint8Array)) {
      throw integrity('key_missing', `${what} is malformed.`, { table: this.table, item: `${KEYRING_PK}/${KEYRING_SK}` });
    }
    if (keyring.kek !== this.wrapper.id) {
      throw integrity(
        'key_unwrap_failed',
        `${what} is wrapped by ${keyring.kek}, but blue was given ${this.wrapper.id}: the wrong master key (--key-file / BLUE_KEY_FILE) or KMS key for this table.`,
        { table: this.table, item: `${KEYRING_PK}/${KEYRING_SK}`, expected: keyring.kek, given: this.wrapper.id },
      );
    }
    const key = await this.wrapper.unwrap(keyring.w, keyringContext(this.table), what);
    this.indexKey = deriveKey(key, 'blue blind index v1');
  }

  // --- errors -------------------------------------------------------------------------------------------

  private describe(id: string, item: string): string {
    return `Item ${item} of dialogue ${id} (DynamoDB table ${this.table})`;
  }

  private where(pk: string, sk: string): string {
    return `dynamodb:${this.table}/${pk}/${sk}`;
  }

  private async guard<T>(id: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.asStoreError(error, id);
    }
  }

  /** SDK errors become exit 1 with what to check; blue's own errors pass unchanged. */
  private asStoreError(error: unknown, id?: string): unknown {
    if (error instanceof BlueError || error instanceof Conflict) return error;
    const name = (error as { name?: string })?.name ?? 'Error';
    const message = (error as Error)?.message ?? String(error);
    if (name === 'ResourceNotFoundException') {
      return failure('table_not_found', `DynamoDB table ${this.table} does not exist; run \`blue store init\` first.`, { table: this.table, id });
    }
    const where = this.endpoint ? `DynamoDB at ${this.endpoint}` : 'DynamoDB (AWS)';
    const hint = name === 'CredentialsProviderError'
      ? ' Give AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or --profile).'
      : '';
    return failure('store_unreachable', `Cannot use table ${this.table} on ${where}: ${message}.${hint}`, { table: this.table, id, error: name });
  }
}

/**
 * Opens the DynamoDB stores. The table must exist (`blue store init` creates it); a missing one is reported
 * by the first request as table_not_found, so opening costs no request of its own.
 */
export async function openDynamoStores(settings: DynamoSettings): Promise<Stores & { dynamo: DynamoStore; close(): Promise<void> }> {
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const raw = new DynamoDBClient(settings.client);
  const store = new DynamoStore(raw, settings);
  return { store, catalog: store, maintenance: store, dynamo: store, close: () => store.close() };
}

// --- helpers ----------------------------------------------------------------------------------------------

const dataKeyContext = (pk: string) => ({ 'blue:purpose': 'dialogue data key', 'blue:partition': pk });
const keyringContext = (table: string) => ({ 'blue:purpose': 'blind index key', 'blue:table': table });

/** A data key's id: derived from the key, so an envelope names the key that sealed it without revealing it. */
function dataKeyId(key: Uint8Array): string {
  return `dk:${Buffer.from(hmac(sha256, key, TEXT.encode('blue key id v1')).subarray(0, 8)).toString('hex')}`;
}

function digestOf(sealed: Uint8Array): string {
  return Buffer.from(sha256(sealed).subarray(0, 16)).toString('base64url');
}

/** `tension#01#002@00000003.ab12cd34` -> entity tension, subkey 01#002, rev 00000003.ab12cd34. */
function parseSortKey(sk: string): { entity: string; subkey: string; rev: string } {
  const at = sk.lastIndexOf('@');
  const name = at === -1 ? sk : sk.slice(0, at);
  const hash = name.indexOf('#');
  return {
    entity: hash === -1 ? name : name.slice(0, hash),
    subkey: hash === -1 ? '' : name.slice(hash + 1),
    rev: at === -1 ? '' : sk.slice(at + 1),
  };
}

const RESERVED = new Set(['pk', 'sk', 'c', 'dk', 'summary', 'g1pk', 'g1sk']);

function plainAttributes(item: Record<string, unknown>): Plain {
  const plain: Plain = {};
  for (const [key, value] of Object.entries(item)) if (!RESERVED.has(key)) plain[key] = value;
  return plain;
}

function pickPlain(item: Record<string, unknown>, keys: string[]): Plain {
  const plain: Plain = {};
  for (const key of keys) if (item[key] !== undefined) plain[key] = item[key];
  return plain;
}

function approximateSize(item: Record<string, unknown>): number {
  let size = 0;
  for (const [key, value] of Object.entries(item)) {
    size += key.length;
    if (value instanceof Uint8Array) size += value.length;
    else if (typeof value === 'object' && value !== null) size += approximateSize(value as Record<string, unknown>) + 8;
    else size += TEXT.encode(String(value)).length + 1;
  }
  return size;
}

function isConditionalFailure(error: unknown): boolean {
  const name = (error as { name?: string })?.name;
  if (name === 'ConditionalCheckFailedException') return true;
  if (name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
  // TransactionConflict: another transaction was writing the same items at that moment; like a failed
  // version check, it means "read again and retry".
  return reasons.some((reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

