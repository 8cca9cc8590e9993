// The DynamoDB store: one table, one partition per dialogue, every piece of content sealed on the client.
//
// Layout (STORAGE.md). The partition key is a blind index of the dialogue id (HMAC under a table-wide index
// key, keyring.ts), so the table never sees the id or the title's slug. Items are immutable: an entity
// written at version v gets the sort key `<entity>#<subkey>@<v>.<token>`, and the one mutable item, `meta`,
// is the commit point. Meta holds the dialogue's wrapped data key, its sealed top-level fields and the
// manifest: the ordered list of every live item's sort key and a digest of its sealed payload. A write
// stages the items that changed and then replaces meta on the condition that its version is still the one
// it read (plan.ts), so a write of any size is all-or-nothing, a crash leaves at most unreferenced items
// (removed by the next write), and a concurrent writer can never be overwritten unseen (it retries on the
// new version).
//
// A load is one paginated, strongly consistent Query; opening what it returned is partition.ts. This class
// does the requests (Query, GetItem, TransactWriteItems, BatchWriteItem, PutItem) and the key unwrapping,
// and hands everything else to those pure modules.

import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  type BatchWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { BlueError, badInput, failure, integrity, refused } from '../../domain/errors.js';
import type { Dialogue, DialogueSummary } from '../../domain/model.js';
import { matchDialogueId } from '../../domain/ids.js';
import { sleep, systemClock, type Clock, type Sleep } from '../../platform/time.js';
import type { KeyWrapper } from '../crypto/keys.js';
import { ambiguous, checkDialogueId, existsFix, dialogueNotFound, notFound, isDialogueId, newestFirst } from '../summary.js';
import type { CatalogProblem, DialogueCatalog, DialogueStore, ListOptions, Stores, StoreMaintenance, UpdateOptions, VerifyReport } from '../types.js';
import { stamped, writeNextVersion } from '../versioned.js';
import { Conflict, asStoreError, isConditionalFailure } from './errors.js';
import {
  KEYRING_KEY,
  blindIndex,
  dataKeyContext,
  dataKeyId,
  describeKeyring,
  indexKeyOf,
  keyringContext,
  keyringItem,
  wrappedDataKey,
  wrappedIndexKey,
} from './keyring.js';
import { CATALOG_PK, DIALOGUE_PK_PREFIX, META_PLAIN, META_SK, catalogKeys, describeItem, itemLocation, type DialogueKey, type Loaded, type Partition } from './layout.js';
import { catalogKeysProblem, loadError, openPartition, openSummary, verifyReport, type OpenedPartition } from './partition.js';
import { planCommit, systemRandom } from './plan.js';
import { CATALOG_INDEX } from './table.js';

const MAX_ATTEMPTS = 30;
/** How long a global secondary index typically lags its table on AWS. */
const CATALOG_SETTLE_MS = 750;

export interface DynamoSettings {
  table: string;
  /** The DynamoDB client configuration (endpoint, region, credentials, profile). */
  client: DynamoDBClientConfig;
  /** Wraps the per-dialogue data keys and the table's index key: a master key file or KMS. */
  wrapper: KeyWrapper;
  /** What updatedAt and the keyring's createdAt are stamped with. Default: the system clock. */
  clock?: Clock;
  /** The waits: before retrying a conflicting or throttled write, and for the catalog to catch up. Default: real time. */
  sleep?: Sleep;
}

export class DynamoStore implements DialogueStore, DialogueCatalog, StoreMaintenance {
  readonly kind = 'dynamodb';
  readonly table: string;
  readonly requests = new Map<string, number>();
  /** Milliseconds with a request under way (see the counter in the constructor). */
  requestMs = 0;
  private inFlight = 0;
  private inFlightSince = 0;
  private readonly raw: DynamoDBClient;
  private readonly doc: DynamoDBDocumentClient;
  private readonly wrapper: KeyWrapper;
  private readonly endpoint?: string;
  /** The client's wait for an answer, named when a request times out. */
  private readonly timeoutMs?: number;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private indexKey?: Uint8Array;
  private readonly dataKeys = new Map<string, Uint8Array>();
  /** What each dialogue `load` returned was opened from, for an `update` that starts `from` it. */
  private readonly loads = new WeakMap<Dialogue, Loaded>();
  /** The partition `resolve` just read, handed to the read that follows it (once), to save a Query. */
  private prefetched?: { id: string; partition: Partition };

  constructor(raw: DynamoDBClient, settings: DynamoSettings) {
    this.raw = raw;
    this.table = settings.table;
    this.wrapper = settings.wrapper;
    this.endpoint = typeof settings.client.endpoint === 'string' ? settings.client.endpoint : undefined;
    this.timeoutMs = socketTimeoutOf(settings.client);
    this.clock = settings.clock ?? systemClock;
    this.sleep = settings.sleep ?? sleep;
    this.doc = DynamoDBDocumentClient.from(raw, {
      marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
      unmarshallOptions: { wrapNumbers: false },
    });
    // Counting requests per operation lets `BLUE_REPORT_REQUESTS` and the bench show what a command costs.
    raw.middlewareStack.add(
      (next, context) => async (args) => {
        const name = String((context as { commandName?: string }).commandName ?? 'unknown').replace(/Command$/, '');
        this.requests.set(name, (this.requests.get(name) ?? 0) + 1);
        // The time at least one request was under way, so that what a command costs apart from its
        // requests can be told (requests may overlap: the time is counted once).
        if (this.inFlight++ === 0) this.inFlightSince = nowMs();
        try {
          return await next(args);
        } finally {
          if (--this.inFlight === 0) this.requestMs += nowMs() - this.inFlightSince;
        }
      },
      { step: 'initialize', name: 'blueRequestCounter' },
    );
  }

  // --- DialogueStore ------------------------------------------------------------------------------------

  async create(dialogue: Dialogue): Promise<void> {
    await this.write(dialogue, { version: 1, updatedAt: this.clock().toISOString() });
  }

  /** Writes a dialogue exactly as given (its version and updatedAt kept); used by `store migrate`. */
  async restore(dialogue: Dialogue): Promise<void> {
    await this.write(dialogue, { version: dialogue.version, updatedAt: dialogue.updatedAt });
  }

  async load(id: string): Promise<Dialogue> {
    checkDialogueId(id);
    return this.guard(id, async () => {
      const loaded = await this.read(id);
      this.loads.set(loaded.dialogue, loaded);
      return loaded.dialogue;
    });
  }

  async update(id: string, change: (current: Dialogue) => Dialogue, options: UpdateOptions = {}): Promise<Dialogue> {
    checkDialogueId(id);
    return this.guard(id, async () => {
      for (let attempt = 1; ; attempt++) {
        // What load returned a moment ago saves the Query: the write is conditional on its version, and a
        // conflict reads afresh.
        const known = attempt === 1 && options.from ? this.loads.get(options.from) : undefined;
        const read = known && known.dialogue.id === id ? async () => known : () => this.read(id);
        try {
          return await writeNextVersion(id, read, change, (next, current) => this.commit(next, current), this.clock);
        } catch (error) {
          if (!(error instanceof Conflict)) throw error;
          if (attempt >= MAX_ATTEMPTS) {
            throw failure('write_conflict', `Dialogue ${id} kept changing under this write (${attempt} attempts); try again.`, { id, fix: 'run the same command again when the other writer has finished' });
          }
          await this.sleep(Math.random() * 20 * Math.min(attempt, 10));
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

  /** meta's plain version: every commit replaces meta on the condition of the version it read, plus one. */
  async revision(id: string): Promise<string> {
    checkDialogueId(id);
    return this.guard(id, async () => {
      const result = await this.doc.send(
        new GetCommand({
          TableName: this.table,
          Key: { pk: await this.partitionKey(id), sk: META_SK },
          ConsistentRead: true,
          ProjectionExpression: '#version',
          ExpressionAttributeNames: { '#version': 'version' },
        }),
      );
      if (!result.Item) throw dialogueNotFound(id);
      return String(result.Item.version);
    });
  }

  // --- DialogueCatalog ----------------------------------------------------------------------------------

  /**
   * One Query of the catalog index (its cost matters: every `list` and prefix resolve pays it). The index is
   * only as complete as meta's plain catalog attributes: a meta whose g1pk was deleted or changed is not in
   * it, and `list` cannot tell without reading the whole table. `store verify` (ids) does read it.
   */
  async list(options: ListOptions = {}): Promise<DialogueSummary[]> {
    return (await this.catalog((problem) => options.problems?.push(problem))).summaries;
  }

  async resolve(idOrPrefix: string): Promise<string> {
    const wanted = idOrPrefix.trim();
    if (wanted === '') throw notFound('No dialogue id given.', idOrPrefix);
    // An exact id costs one read, the Query the load that follows needs anyway (kept for it); anything
    // else needs the ids, which only the catalog (decrypted) knows.
    if (isDialogueId(wanted)) {
      const pk = await this.guard(wanted, () => this.partitionKey(wanted));
      const partition = await this.guard(wanted, () => this.query(pk));
      if (partition.has(META_SK)) {
        this.prefetched = { id: wanted, partition };
        return wanted;
      }
      if (partition.size > 0) {
        // Items but no meta: its meta was deleted (or its creation interrupted). That is damage to say, not
        // "no such dialogue", which would let a new `dialogue start` take the id over.
        const { problems } = await this.guard(wanted, () => this.open(wanted, pk, partition));
        throw loadError(wanted, this.table, problems);
      }
    }
    let match = matchDialogueId((await this.list()).map((summary) => summary.id), wanted);
    if (match.kind === 'none') {
      // The catalog index is eventually consistent on AWS: a dialogue started a moment ago may not be in
      // it yet. One more look after the usual propagation delay before saying it does not exist.
      await this.sleep(CATALOG_SETTLE_MS);
      match = matchDialogueId((await this.list()).map((summary) => summary.id), wanted);
    }
    if (match.kind === 'one') return match.id;
    if (match.kind === 'none') {
      throw notFound(`No dialogue in DynamoDB table ${this.table} matches "${wanted}" (by id, id prefix, slug or slug prefix).`, wanted);
    }
    throw ambiguous(wanted, match.candidates);
  }

  // --- StoreMaintenance ---------------------------------------------------------------------------------

  async verify(id: string): Promise<VerifyReport> {
    checkDialogueId(id);
    return this.guard(id, async () => {
      const pk = await this.partitionKey(id);
      const partition = this.takePrefetched(id) ?? (await this.query(pk));
      const report = verifyReport(id, partition, await this.open(id, pk, partition));
      const meta = partition.get(META_SK);
      const keys = meta && catalogKeysProblem(this.table, id, pk, meta);
      if (keys) {
        report.problems.push({ item: keys.item, code: keys.code, message: keys.message });
        report.ok = false;
      }
      return report;
    });
  }

  /**
   * Every dialogue, found by the catalog index and checked against a Scan of the whole table: a partition
   * the catalog misses (its meta's catalog attributes altered, or its meta deleted) is a problem, named, so
   * `store verify` and `store migrate` never silently leave a dialogue out.
   */
  async ids(options: ListOptions = {}): Promise<string[]> {
    await this.partitionKey(''); // the keyring first, as list does
    const partitions = await this.scanPartitions();
    let problems: CatalogProblem[] = [];
    const onProblem = (problem: CatalogProblem, error: BlueError) => problems.push({ ...problem, exitCode: error.exitCode });
    let catalog = await this.catalog(onProblem);
    let hidden = this.uncatalogued(partitions, catalog.pks);
    if (hidden.length > 0) {
      // The catalog index lags its table on AWS: a dialogue created since the Scan began may not be in it yet.
      await this.sleep(CATALOG_SETTLE_MS);
      problems = [];
      catalog = await this.catalog(onProblem);
      hidden = this.uncatalogued(partitions, catalog.pks);
    }
    options.problems?.push(...problems);
    for (const [pk, found] of hidden) options.problems?.push(await this.uncataloguedProblem(pk, found));
    return catalog.summaries.map((summary) => summary.id);
  }

  /** Creates the table's index key if it has none yet (`store init`); idempotent. */
  async initKeyring(): Promise<'created' | 'exists'> {
    const existing = await this.getKeyring();
    if (existing) {
      await this.unwrapIndexKey(existing);
      return 'exists';
    }
    // A new index key over existing dialogues would make every one of them unreachable by id.
    if (await this.holdsDialogues()) throw this.indexKeyDeleted();
    const { plaintext, wrapped } = await this.wrapper.generate(keyringContext(this.table));
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: keyringItem(this.wrapper.id, wrapped, this.clock()),
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
    this.indexKey = indexKeyOf(plaintext);
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
      const { loaded, problems } = await this.open(id, pk, partition);
      if (loaded) return loaded;
      const version = partition.get(META_SK)?.version;
      const onlyMissing = problems.every((problem) => problem.code === 'item_missing');
      if (onlyMissing && attempt < 4 && version !== lastVersion) {
        lastVersion = version;
        continue;
      }
      throw loadError(id, this.table, problems);
    }
  }

  /** Unwraps meta's data key (exit-4 failures become meta's problem), then opens the partition. */
  private async open(id: string, pk: string, partition: Partition): Promise<OpenedPartition> {
    const meta = partition.get(META_SK);
    const dataKey = meta
      ? await this.dataKey(pk, meta, describeItem(this.table, id, 'meta')).catch((error: unknown) => {
          if (error instanceof BlueError && error.exitCode === 4) return error;
          throw error;
        })
      : undefined;
    return openPartition({ table: this.table, id, pk, partition, dataKey, blindIndex: (other) => this.blindIndex(other) });
  }

  private takePrefetched(id: string): Partition | undefined {
    const prefetched = this.prefetched;
    this.prefetched = undefined;
    return prefetched?.id === id ? prefetched.partition : undefined;
  }

  private async query(pk: string): Promise<Partition> {
    const partition: Partition = new Map();
    const pages = this.pages((start) => new QueryCommand({ TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true, ExclusiveStartKey: start }));
    for await (const items of pages) for (const item of items) partition.set(String(item.sk), item);
    return partition;
  }

  /** Every page of a paginated Query or Scan, `request(start)` asking for the one from `start` on. */
  private async *pages(request: (start: Record<string, unknown> | undefined) => QueryCommand | ScanCommand): AsyncGenerator<Record<string, unknown>[]> {
    let start: Record<string, unknown> | undefined;
    do {
      let page: { Items?: Record<string, unknown>[]; LastEvaluatedKey?: Record<string, unknown> };
      try {
        page = await this.doc.send(request(start) as QueryCommand);
      } catch (error) {
        throw this.asStoreError(error);
      }
      yield page.Items ?? [];
      start = page.LastEvaluatedKey;
    } while (start);
  }

  private async catalogItems(): Promise<Record<string, unknown>[]> {
    await this.partitionKey(''); // make sure the keyring opens before reporting anything about dialogues
    const items: Record<string, unknown>[] = [];
    const pages = this.pages(
      (start) =>
        new QueryCommand({
          TableName: this.table,
          IndexName: CATALOG_INDEX,
          KeyConditionExpression: 'g1pk = :catalog',
          ExpressionAttributeValues: { ':catalog': CATALOG_PK },
          ScanIndexForward: false,
          ExclusiveStartKey: start,
        }),
    );
    for await (const page of pages) items.push(...page);
    return items;
  }

  /** The catalog's summaries, newest first (unreadable entries go to `onProblem`), and the partitions it lists. */
  private async catalog(onProblem: (problem: CatalogProblem, error: BlueError) => void): Promise<{ summaries: DialogueSummary[]; pks: Set<string> }> {
    const summaries: DialogueSummary[] = [];
    const pks = new Set<string>();
    for (const item of await this.catalogItems()) {
      pks.add(String(item.pk));
      try {
        summaries.push(await this.summaryOf(item));
      } catch (error) {
        if (!(error instanceof BlueError)) throw this.asStoreError(error);
        onProblem({ id: String(item.pk), file: itemLocation(this.table, String(item.pk), META_SK), code: error.code, message: error.message }, error);
      }
    }
    return { summaries: summaries.sort(newestFirst), pks };
  }

  /**
   * Every dialogue partition of the table, by a paginated Scan of keys only (and of meta's catalog
   * attributes and summary): how many items each holds, and its meta. For `store verify` and `migrate`.
   */
  private async scanPartitions(): Promise<Map<string, ScannedPartition>> {
    const names = ['pk', 'sk', 'g1pk', 'g1sk', ...META_PLAIN, 'dk', 'summary'];
    const partitions = new Map<string, ScannedPartition>();
    const pages = this.pages(
      (start) =>
        new ScanCommand({
          TableName: this.table,
          ProjectionExpression: names.map((_, i) => `#a${i}`).join(', '),
          ExpressionAttributeNames: Object.fromEntries(names.map((name, i) => [`#a${i}`, name])),
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
    );
    for await (const items of pages) {
      for (const item of items) {
        const pk = String(item.pk);
        if (!pk.startsWith(DIALOGUE_PK_PREFIX)) continue;
        const found = partitions.get(pk) ?? { items: 0 };
        found.items++;
        if (item.sk === META_SK) found.meta = item;
        partitions.set(pk, found);
      }
    }
    return partitions;
  }

  /** The scanned partitions the catalog does not list as blue wrote them: no meta, or meta's catalog keys altered. */
  private uncatalogued(partitions: Map<string, ScannedPartition>, catalogued: Set<string>): [string, ScannedPartition][] {
    return [...partitions].filter(([pk, { meta }]) => {
      if (!meta) return true;
      const wanted = catalogKeys(pk, meta.createdAt);
      return !catalogued.has(pk) || meta.g1pk !== wanted.g1pk || meta.g1sk !== wanted.g1sk;
    });
  }

  /** What `store verify` and `migrate` say of a partition the catalog misses; its dialogue named if meta's summary opens. */
  private async uncataloguedProblem(pk: string, { items, meta }: ScannedPartition): Promise<CatalogProblem> {
    const file = itemLocation(this.table, pk, META_SK);
    if (!meta) {
      return {
        id: pk,
        file,
        exitCode: 4,
        code: 'item_missing',
        message: `Partition ${pk} of DynamoDB table ${this.table}: meta is missing, yet ${items} item(s) remain: a dialogue's meta item was deleted (or its creation was interrupted), so no command finds that dialogue. Restore the item (pk ${pk}, sk meta) from a backup of the table.`,
      };
    }
    let id: string | undefined;
    try {
      id = (await this.summaryOf(meta)).id;
    } catch (error) {
      if (!(error instanceof BlueError)) throw this.asStoreError(error);
    }
    const name = id ? `dialogue ${id} (partition ${pk})` : `partition ${pk}`;
    return {
      id: id ?? pk,
      file,
      exitCode: 4,
      code: 'catalog_keys_altered',
      message: `The meta item of ${name} in DynamoDB table ${this.table} is not in the catalog index as blue wrote it (g1pk ${JSON.stringify(meta.g1pk ?? null)}, g1sk ${JSON.stringify(meta.g1sk ?? null)}): its catalog attributes were altered or deleted, so \`blue dialogue list\` does not show it. Restore the item from a backup of the table.`,
    };
  }

  private async summaryOf(item: Record<string, unknown>): Promise<DialogueSummary> {
    const where = `The catalog entry of partition ${String(item.pk)}`;
    const key = await this.dataKey(String(item.pk), item, where);
    return openSummary(item, key, where, (id) => this.blindIndex(id));
  }

  // --- writing ------------------------------------------------------------------------------------------

  /** Creates (or restores) a dialogue; refuses to overwrite one. */
  private async write(dialogue: Dialogue, stamp: { version: number; updatedAt: string }): Promise<void> {
    const id = dialogue.id;
    checkDialogueId(id);
    const stored = stamped(dialogue, stamp);
    await this.guard(id, async () => {
      await this.checkPartitionEmpty(id);
      try {
        await this.commit(stored, undefined);
      } catch (error) {
        if (error instanceof Conflict) {
          throw this.alreadyExists(id);
        }
        throw error;
      }
    });
  }

  /** A create of a dialogue the table holds: refused (exit 3), as blue never overwrites one. */
  private alreadyExists(id: string): BlueError {
    return refused('dialogue_exists', `Dialogue ${id} already exists in DynamoDB table ${this.table}; blue never overwrites a dialogue.`, { id, fix: existsFix(id) });
  }

  /**
   * A new dialogue's partition must be empty, not only without meta: items without meta are a dialogue whose
   * meta was deleted, and a create over them would take its id over (and its next write remove them).
   */
  private async checkPartitionEmpty(id: string): Promise<void> {
    const pk = await this.partitionKey(id);
    const first = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
        Limit: 1,
        ProjectionExpression: 'sk',
      }),
    );
    if (!first.Items?.length) return;
    if (await this.exists(id)) {
      throw this.alreadyExists(id);
    }
    throw integrity(
      'partition_not_empty',
      `Dialogue ${id} cannot be created: its partition ${pk} in DynamoDB table ${this.table} already holds items but no meta. A dialogue of this id was there and its meta item was deleted (or its creation was interrupted); blue will not create a new one over it.`,
      {
        id,
        table: this.table,
        pk,
        fix: `restore the meta item (pk ${pk}, sk meta) from a backup of the table; only if you know these are the leftovers of an interrupted \`dialogue start\`, delete the items of partition ${pk} and start again`,
      },
    );
  }

  /** Writes `next` as the version after `current` (or as a new dialogue) by the plan; a failed condition is a Conflict. */
  private async commit(next: Dialogue, current: Loaded | undefined): Promise<void> {
    const pk = await this.partitionKey(next.id);
    const key: DialogueKey = current ?? (await this.newDataKey(pk));
    const plan = planCommit({ table: this.table, pk, next, key, current, random: systemRandom });
    try {
      for (const input of plan.stage) await this.batchWrite(input);
      await this.doc.send(new TransactWriteCommand(plan.commit));
    } catch (error) {
      if (isConditionalFailure(error)) {
        await this.removeQuietly(plan.undo);
        throw new Conflict();
      }
      throw error;
    }
    await this.removeQuietly(plan.cleanUp);
  }

  /** One BatchWriteItem, sent again (after a backoff) for whatever DynamoDB left unprocessed. */
  private async batchWrite(input: BatchWriteCommandInput): Promise<void> {
    let pending = input.RequestItems?.[this.table] ?? [];
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw failure('store_throttled', `DynamoDB table ${this.table} kept refusing writes; try again later.`, { table: this.table, fix: 'run the same command again in a minute; raise the table\'s capacity if it keeps happening' });
      const result = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending } }));
      pending = result.UnprocessedItems?.[this.table] ?? [];
      if (pending.length) await this.sleep(25 * 2 ** attempt);
    }
  }

  private async removeQuietly(inputs: BatchWriteCommandInput[]): Promise<void> {
    try {
      for (const input of inputs) await this.batchWrite(input);
    } catch {
      // Unreferenced items are harmless: loads ignore them, `store verify` notes them, the next write retries.
    }
  }

  // --- keys ---------------------------------------------------------------------------------------------

  /** The blind index of a dialogue id, opening the table's index key first if this process has not yet. */
  private async partitionKey(id: string): Promise<string> {
    if (!this.indexKey) {
      const keyring = await this.getKeyring();
      if (!keyring && (await this.holdsDialogues())) throw this.indexKeyDeleted();
      if (!keyring) {
        throw failure('store_not_initialised', `DynamoDB table ${this.table} has no blue index key yet; run \`blue store init\` first.`, { table: this.table, fix: 'blue store init (with the same --table, --endpoint and key)' });
      }
      await this.unwrapIndexKey(keyring);
    }
    return this.blindIndex(id);
  }

  /** The blind index of a dialogue id, once the index key is open (partitionKey opens it). */
  private blindIndex(id: string): string {
    if (!this.indexKey) throw new Error('the index key is not open yet');
    return blindIndex(this.indexKey, id);
  }

  /** Whether the table holds any dialogue item: a Scan of keys, stopping at the first. Only when there is no index key. */
  private async holdsDialogues(): Promise<boolean> {
    const pages = this.pages(
      (start) =>
        new ScanCommand({
          TableName: this.table,
          ProjectionExpression: 'pk',
          FilterExpression: 'begins_with(pk, :dialogue)',
          ExpressionAttributeValues: { ':dialogue': DIALOGUE_PK_PREFIX },
          ExclusiveStartKey: start,
        }),
    );
    for await (const items of pages) if (items.length > 0) return true;
    return false;
  }

  /** The table holds dialogues but no index key: exit 4, never a new key. */
  private indexKeyDeleted(): BlueError {
    return integrity(
      'index_key_missing',
      `DynamoDB table ${this.table} holds dialogues but not its blue index key (${describeKeyring(this.table)}): it was deleted. Every dialogue is found by that key; a new one would find none of them, so blue will not make one over existing dialogues. Restore the item (pk ${KEYRING_KEY.pk}, sk ${KEYRING_KEY.sk}) from a backup of the table.`,
      { table: this.table, item: `${KEYRING_KEY.pk}/${KEYRING_KEY.sk}`, fix: `restore the index key item (pk ${KEYRING_KEY.pk}, sk ${KEYRING_KEY.sk}) from a backup of table ${this.table}; do not run \`blue store init\` to replace it` },
    );
  }

  private async getKeyring(): Promise<Record<string, unknown> | undefined> {
    try {
      const result = await this.doc.send(new GetCommand({ TableName: this.table, Key: { ...KEYRING_KEY }, ConsistentRead: true }));
      return result.Item;
    } catch (error) {
      throw this.asStoreError(error);
    }
  }

  private async unwrapIndexKey(keyring: Record<string, unknown>): Promise<void> {
    const wrapped = wrappedIndexKey(keyring, this.table, this.wrapper.id);
    this.indexKey = indexKeyOf(await this.wrapper.unwrap(wrapped, keyringContext(this.table), describeKeyring(this.table)));
  }

  /** The dialogue's data key, unwrapped from meta (wrapped keys live in the dialogue's own partition). */
  private async dataKey(pk: string, item: Record<string, unknown>, where: string): Promise<Uint8Array> {
    const wrapped = wrappedDataKey(item, where, this.wrapper.id);
    // One unwrap per dialogue and process: with KMS each is a Decrypt request.
    const cacheKey = `${pk}:${Buffer.from(wrapped).toString('base64')}`;
    const cached = this.dataKeys.get(cacheKey);
    if (cached) return cached;
    const key = await this.wrapper.unwrap(wrapped, dataKeyContext(pk), where);
    this.dataKeys.set(cacheKey, key);
    return key;
  }

  /** A fresh data key for a new dialogue, wrapped for its partition. */
  private async newDataKey(pk: string): Promise<DialogueKey> {
    const generated = await this.wrapper.generate(dataKeyContext(pk));
    return { dataKey: generated.plaintext, keyId: dataKeyId(generated.plaintext), wrappedKey: { kek: this.wrapper.id, w: generated.wrapped } };
  }

  // --- errors -------------------------------------------------------------------------------------------

  private async guard<T>(id: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw this.asStoreError(error, id);
    }
  }

  private asStoreError(error: unknown, id?: string): unknown {
    return asStoreError(error, { table: this.table, endpoint: this.endpoint, timeoutMs: this.timeoutMs }, id);
  }
}

/** A dialogue partition as `ids` scanned it: how many items it holds, and its meta (keys, catalog attributes, summary). */
interface ScannedPartition {
  items: number;
  meta?: Record<string, unknown>;
}

/** The socket timeout a client configuration gives its HTTP handler, when it gives it as options. */
function socketTimeoutOf(client: DynamoDBClientConfig): number | undefined {
  const handler = client.requestHandler as { socketTimeout?: unknown } | undefined;
  return typeof handler?.socketTimeout === 'number' ? handler.socketTimeout : undefined;
}

/** A monotonic clock in ms: the global `performance` would load perf_hooks, some 1.5 ms of every command. */
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

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
