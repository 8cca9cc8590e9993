// The DynamoDB store against a real DynamoDB Local: the shared conformance suite (with a master key file's
// key and with a KMS-wrapped key), then what only this store has: the item layout, what stays plain,
// staged writes beyond one transaction, leftovers of interrupted writes, and concurrent writers.

import { randomBytes } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Dialogue } from '../../src/domain/model.js';
import { openDynamoStores, type DynamoSettings, type DynamoStore } from '../../src/store/dynamodb/store.js';
import type { CatalogProblem } from '../../src/store/types.js';
import { KmsKeyWrapper, LocalKeyWrapper, type KeyWrapper } from '../../src/store/crypto/keys.js';
import { freshTable, localClientConfig, scanTable } from '../support/dynamodb.js';
import { FakeKms } from '../support/fake-kms.js';
import { makeDialogue, makeEvent, makeRound } from '../support/dialogue-factory.js';
import { expectBlueError, storeConformance } from './conformance.js';

const ID = '2025-01-10T0900Z-cache-strategy';

/**
 * Fresh stores on a fresh table. Their waits (the catalog's settle time, retry backoffs) are recorded in
 * `sleeps` and not waited, so a missed resolve costs the tests nothing.
 */
async function dynamoStores(wrapper: KeyWrapper, settings: Partial<DynamoSettings> = {}) {
  const { table, drop } = await freshTable('store_dynamodb');
  const sleeps: number[] = [];
  const sleep = async (ms: number) => {
    sleeps.push(ms);
  };
  const stores = await openDynamoStores({ table, client: localClientConfig(), wrapper, sleep, ...settings });
  await stores.dynamo.initKeyring();
  return {
    table,
    stores,
    sleeps,
    cleanup: async () => {
      await stores.close();
      await drop();
    },
  };
}

const localKey = () => new LocalKeyWrapper(new Uint8Array(randomBytes(32)));

storeConformance('dynamodb store (master key file)', () => dynamoStores(localKey()));
storeConformance('dynamodb store (KMS)', () => dynamoStores(new KmsKeyWrapper('alias/blue-test', new FakeKms('alias/blue-test'))));

describe('dynamodb store', () => {
  let table: string;
  let store: DynamoStore;
  let client: DynamoDBClient;
  let cleanup: () => Promise<void>;
  let wrapper: KeyWrapper;
  let sleeps: number[];

  beforeEach(async () => {
    wrapper = localKey();
    const made = await dynamoStores(wrapper);
    ({ table, cleanup, sleeps } = made);
    store = made.stores.dynamo;
    client = (store as unknown as { raw: DynamoDBClient }).raw;
  });
  afterEach(async () => {
    await cleanup();
  });

  const scan = () => scanTable(client, table);

  function bigDialogue(): Dialogue {
    // 150 tensions and events: more items than one transaction may hold (100 actions).
    const tensions = Array.from({ length: 150 }, (_, i) => ({
      id: `MUFFIN-T${String(i + 1).padStart(2, '0')}`, globalId: `T00${String(i + 1).padStart(2, '0')}`, author: 'Muffin', round: 0, seq: i + 1,
      label: `Secret label ${i}`, text: `Secret tension text number ${i}`, file: 'round-0/muffin.md', line: i + 1,
    }));
    return makeDialogue(ID, { rounds: [makeRound(0, 10)], tensions, events: Array.from({ length: 20 }, (_, i) => makeEvent(i + 1, `note ${i}`)) });
  }

  it('keeps the id, the title and every text out of the table: keys are blind, content is sealed', async () => {
    const dialogue = makeDialogue(ID, { title: 'Cache strategy for the secret project', question: 'Which cache wins?' });
    await store.create(dialogue);
    const items = await scan();
    const everything = JSON.stringify(items, (_, value) => (value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value));
    for (const secret of ['cache-strategy', 'Cache strategy', 'secret project', 'Which cache wins', 'Storage engineer', 'software architecture']) {
      expect(everything).not.toContain(secret);
    }
    const meta = items.find((item) => item.sk === 'meta')!;
    expect(meta.pk).toMatch(/^d#[A-Za-z0-9_-]{43}$/);
    expect(Object.keys(meta).sort()).toEqual(['alignment', 'c', 'createdAt', 'dk', 'g1pk', 'g1sk', 'pk', 'rounds', 'sk', 'status', 'summary', 'updatedAt', 'version']);
    expect(items.find((item) => item.pk === 'blue#keyring')).toBeDefined();
  });

  it('loads a dialogue with one strongly consistent Query (plus the keyring once per process)', async () => {
    await store.create(makeDialogue(ID, { rounds: [makeRound(0, 3)] }));
    store.requests.clear();
    await store.load(ID);
    expect(Object.fromEntries(store.requests)).toEqual({ Query: 1 });
  });

  it('writes a change in one transaction and only the items that changed', async () => {
    await store.create(makeDialogue(ID, { rounds: [makeRound(0, 3)] }));
    const before = new Set((await scan()).map((item) => item.sk));
    store.requests.clear();
    await store.update(ID, (d) => ({ ...d, rounds: [...d.rounds, makeRound(1)] }));
    // One request: the new items, meta, and the removal of the previous head, all in one transaction.
    expect(Object.fromEntries(store.requests)).toEqual({ Query: 1, TransactWriteItems: 1 });
    const after = (await scan()).map((item) => item.sk);
    const added = after.filter((sk) => !before.has(sk));
    // The new round, and this version's head (which replaced the previous one in the same transaction).
    expect(added.map((sk) => sk.replace(/@.*/, '')).sort()).toEqual(['head', 'round#01']);
    expect(after.filter((sk) => sk.startsWith('head@'))).toHaveLength(1);
  });

  it('updates from what load returned without a second Query; a stale one costs a Query and a retry, nothing lost', async () => {
    await store.create(makeDialogue(ID, { rounds: [makeRound(0, 3)] }));
    store.requests.clear();
    const loaded = await store.load(ID);
    await store.update(ID, (d) => ({ ...d, rounds: [...d.rounds, makeRound(1)] }), { from: loaded });
    expect(Object.fromEntries(store.requests)).toEqual({ Query: 1, TransactWriteItems: 1 });
    // `loaded` is version 1 and the store is at 2 now: the conditional write fails, the retry reads afresh.
    const again = await store.load(ID);
    await store.update(ID, (d) => ({ ...d, title: 'Renamed' }), { from: again });
    store.requests.clear();
    await store.update(ID, (d) => ({ ...d, rounds: [...d.rounds, makeRound(2)] }), { from: again });
    expect(Object.fromEntries(store.requests)).toEqual({ Query: 1, TransactWriteItems: 2 });
    const final = await store.load(ID);
    expect(final.title).toBe('Renamed');
    expect(final.rounds.map((r) => r.n)).toEqual([0, 1, 2]);
    expect(final.version).toBe(4);
  });

  it('stages a write too big for one transaction, then commits it with meta alone', async () => {
    const dialogue = bigDialogue();
    await store.create(dialogue);
    const loaded = await store.load(ID);
    expect(loaded.tensions).toEqual(dialogue.tensions);
    expect(store.requests.get('BatchWriteItem')).toBeGreaterThanOrEqual(7);
    const updated = await store.update(ID, (d) => ({ ...d, tensions: d.tensions.map((t) => ({ ...t, label: `${t.label}!` })) }));
    expect((await store.load(ID)).tensions).toEqual(updated.tensions);
    // The superseded versions were removed after the commit.
    expect((await scan()).filter((item) => String(item.sk).startsWith('tension#'))).toHaveLength(150);
  });

  it('keeps a manifest longer than meta can hold in manifest items, and notices when one is altered', async () => {
    const events = Array.from({ length: 2_100 }, (_, i) => makeEvent(i + 1, `note ${i}`));
    await store.create(makeDialogue(ID, { events }));
    expect((await store.load(ID)).events).toEqual(events);
    const chunks = (await scan()).filter((item) => String(item.sk).startsWith('manifest#'));
    expect(chunks.map((item) => String(item.sk).replace(/@.*/, ''))).toEqual(['manifest#000', 'manifest#001']);

    const doc = DynamoDBDocumentClient.from(client);
    const tampered = new Uint8Array(chunks[1].c);
    tampered[tampered.length - 5] ^= 1;
    await doc.send(new PutCommand({ TableName: table, Item: { ...chunks[1], c: tampered } }));
    const error = await expectBlueError(store.load(ID), 4, 'item_authentication_failed');
    expect(error.message).toContain('manifest#001');
    expect((await store.verify(ID)).problems.map((p) => p.item)).toEqual(['manifest#001']);
  });

  it('lists around a catalog entry that fails authentication, and names it', async () => {
    await store.create(makeDialogue(ID));
    await store.create(makeDialogue('2025-02-01T1200Z-cache-eviction'));
    const metas = (await scan()).filter((item) => item.sk === 'meta');
    const victim = metas.find((item) => item.createdAt.startsWith('2025-01-10'))!;
    const summary = new Uint8Array(victim.summary);
    summary[summary.length - 1] ^= 1;
    await DynamoDBDocumentClient.from(client).send(new PutCommand({ TableName: table, Item: { ...victim, summary } }));

    const problems: CatalogProblem[] = [];
    expect((await store.list({ problems })).map((d) => d.id)).toEqual(['2025-02-01T1200Z-cache-eviction']);
    expect(problems).toEqual([expect.objectContaining({ id: victim.pk, code: 'item_authentication_failed', file: `dynamodb:${table}/${victim.pk}/meta` })]);
    // Loading or verifying it by its id names the same damage.
    await expectBlueError(store.load(ID), 4, 'item_authentication_failed');
    expect((await store.verify(ID)).problems).toEqual([expect.objectContaining({ item: 'meta', code: 'item_authentication_failed' })]);
  });

  it('ignores the leftovers of a write that never committed, and the next write removes them', async () => {
    await store.create(makeDialogue(ID));
    const meta = (await scan()).find((item) => item.sk === 'meta')!;
    const doc = DynamoDBDocumentClient.from(client);
    await doc.send(new PutCommand({ TableName: table, Item: { pk: meta.pk, sk: 'round#05@00000009.deadbeef', round: 5, c: new Uint8Array([1, 2, 3]) } }));

    expect((await store.load(ID)).rounds).toEqual([]);
    const report = await store.verify(ID);
    expect(report.ok).toBe(true);
    expect(report.notes.join(' ')).toMatch(/1 unreferenced item/);

    await store.update(ID, (d) => d);
    expect((await scan()).some((item) => item.sk === 'round#05@00000009.deadbeef')).toBe(false);
  });

  it('a writer that dies between staging and commit leaves the old dialogue, readable and whole', async () => {
    await store.create(bigDialogue());
    const before = await store.load(ID);
    // The process "dies" at its commit: the staged items are written, meta is never replaced.
    const dying = await openDynamoStores({ table, client: localClientConfig(), wrapper });
    dying.dynamo['raw'].middlewareStack.add(
      (next, context) => async (args) => {
        if ((context as { commandName?: string }).commandName === 'TransactWriteItemsCommand') throw new Error('killed');
        return next(args);
      },
      { step: 'initialize', name: 'simulatedCrash' },
    );
    try {
      await expect(dying.store.update(ID, (d) => ({ ...d, tensions: d.tensions.map((t) => ({ ...t, text: `${t.text} (edited)` })) }))).rejects.toThrow(/killed/);
    } finally {
      await dying.close();
    }
    expect((await scan()).filter((item) => String(item.sk).startsWith('tension#'))).toHaveLength(300);
    expect(await store.load(ID)).toEqual(before);
    const report = await store.verify(ID);
    expect(report.ok).toBe(true);
    expect(report.notes.join(' ')).toMatch(/150 unreferenced item/);
    // The next write commits and clears the leftovers.
    await store.update(ID, (d) => d);
    expect((await scan()).filter((item) => String(item.sk).startsWith('tension#'))).toHaveLength(150);
  });

  it('two stores (two writers) on the same dialogue: every update lands, none is overwritten', async () => {
    await store.create(makeDialogue(ID));
    const second = await openDynamoStores({ table, client: localClientConfig(), wrapper });
    try {
      const writers = [store, second.dynamo];
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          writers[i % 2].update(ID, (d) => ({ ...d, sources: [...d.sources, `source-${i}`] })),
        ),
      );
      const final = await store.load(ID);
      expect(final.version).toBe(13);
      expect([...final.sources].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `source-${i}`).sort());
    } finally {
      await second.close();
    }
  });

  it('refuses another key: the table index key names the wrong master key (exit 4)', async () => {
    await store.create(makeDialogue(ID));
    const other = await openDynamoStores({ table, client: localClientConfig(), wrapper: localKey() });
    try {
      const error = await expectBlueError(other.store.load(ID), 4, 'key_unwrap_failed');
      expect(error.message).toMatch(/wrong master key/);
      expect(error.message).toContain('blue#keyring/index-key');
    } finally {
      await other.close();
    }
  });

  it('waits once for the catalog to catch up before saying nothing matches (the injected sleep)', async () => {
    await store.create(makeDialogue(ID));
    expect(await store.resolve('cache-strategy')).toBe(ID);
    expect(sleeps).toEqual([]);
    await expectBlueError(store.resolve('nothing-like-it'), 2, 'dialogue_not_found');
    expect(sleeps).toEqual([750]);
  });

  it('stamps updatedAt and the keyring from the injected clock', async () => {
    const at = new Date('2030-01-02T03:04:05.000Z');
    const made = await dynamoStores(localKey(), { clock: () => at });
    try {
      await made.stores.store.create(makeDialogue(ID));
      expect((await made.stores.store.load(ID)).updatedAt).toBe(at.toISOString());
      expect((await made.stores.store.update(ID, (d) => d)).updatedAt).toBe(at.toISOString());
      const keyring = (await scanTable(made.stores.dynamo['raw'], made.table)).find((item) => item.pk === 'blue#keyring')!;
      expect(keyring.createdAt).toBe(at.toISOString());
    } finally {
      await made.cleanup();
    }
  });

  it('needs store init before use (store_not_initialised, exit 1)', async () => {
    const { table: bare, drop } = await freshTable('store_dynamodb_bare');
    const stores = await openDynamoStores({ table: bare, client: localClientConfig(), wrapper });
    try {
      await expectBlueError(stores.store.load(ID), 1, 'store_not_initialised');
      expect(await stores.dynamo.initKeyring()).toBe('created');
      expect(await stores.dynamo.initKeyring()).toBe('exists');
      await expectBlueError(stores.store.load(ID), 2, 'dialogue_not_found');
    } finally {
      await stores.close();
      await drop();
    }
  });

  it('reports a missing table as table_not_found (exit 1)', async () => {
    const stores = await openDynamoStores({ table: 'blue_test_no_such_table', client: localClientConfig(), wrapper });
    try {
      await expectBlueError(stores.store.load(ID), 1, 'table_not_found');
    } finally {
      await stores.close();
    }
  });

  it('splits a very long expert output across items and joins it back', async () => {
    const long = 'x'.repeat(150_000) + 'ü'.repeat(70_000);
    const round = { ...makeRound(0), ingest: { at: '2025-01-01T00:00:00.000Z', ingested: ['Muffin'], missing: [], warnings: [], outputs: { Muffin: long, Cupcake: 'short' } } };
    await store.create(makeDialogue(ID, { rounds: [round] }));
    const loaded = await store.load(ID);
    expect(loaded.rounds[0].ingest!.outputs).toEqual({ Muffin: long, Cupcake: 'short' });
    expect((await scan()).filter((item) => String(item.sk).startsWith('output#'))).toHaveLength(5);
  });

  describe('what the catalog index cannot see (an auditor altered or deleted plain items)', () => {
    const OTHER = '2025-02-01T1200Z-cache-eviction';
    const put = (item: Record<string, any>) => DynamoDBDocumentClient.from(client).send(new PutCommand({ TableName: table, Item: item }));
    const remove = (pk: string, sk: string) => DynamoDBDocumentClient.from(client).send(new DeleteCommand({ TableName: table, Key: { pk, sk } }));
    const metaOf = async (createdOn: string) => (await scan()).find((item) => item.sk === 'meta' && item.createdAt.startsWith(createdOn))!;

    for (const [how, alter] of [
      ['deleted', (meta: Record<string, any>) => { delete meta.g1pk; }],
      ['set to another value', (meta: Record<string, any>) => { meta.g1pk = 'hidden'; }],
      ['a changed g1sk', (meta: Record<string, any>) => { meta.g1sk = `1999-01-01T00:00:00.000Z#${meta.pk}`; }],
    ] as const) {
      it(`names a dialogue whose meta has its g1pk ${how}: ids (verify, migrate) and verify <id> report it, exit 4`, async () => {
        await store.create(makeDialogue(ID));
        await store.create(makeDialogue(OTHER));
        const meta = await metaOf('2025-01-10');
        alter(meta);
        await put(meta);

        const problems: CatalogProblem[] = [];
        const ids = await store.ids({ problems });
        expect(problems).toEqual([expect.objectContaining({ id: ID, code: 'catalog_keys_altered', exitCode: 4, file: `dynamodb:${table}/${meta.pk}/meta` })]);
        expect(problems[0].message).toMatch(/catalog attributes were altered or deleted/);
        // A changed g1sk only misplaces it in the catalog: it is still listed, and verify <id> fails it.
        if (how === 'a changed g1sk') expect(ids).toContain(ID);
        else expect(ids).not.toContain(ID);
        const report = await store.verify(ID);
        expect(report.ok).toBe(false);
        expect(report.problems).toEqual([expect.objectContaining({ item: 'meta', code: 'catalog_keys_altered' })]);
      });
    }

    it('a healthy table: ids finds every dialogue with one Scan and no problem', async () => {
      await store.create(makeDialogue(ID));
      await store.create(makeDialogue(OTHER));
      const problems: CatalogProblem[] = [];
      store.requests.clear();
      expect((await store.ids({ problems })).sort()).toEqual([ID, OTHER].sort());
      expect(problems).toEqual([]);
      expect(store.requests.get('Scan')).toBe(1);
      expect(sleeps).toEqual([]);
    });

    it('a deleted meta: resolve of the full id is exit 4, create over it is refused (exit 4), ids names the partition', async () => {
      await store.create(makeDialogue(ID, { rounds: [makeRound(0, 3)] }));
      const meta = await metaOf('2025-01-10');
      await remove(meta.pk, 'meta');

      const resolved = await expectBlueError(store.resolve(ID), 4, 'item_missing');
      expect(resolved.message).toMatch(/meta of dialogue .* is missing, yet \d+ other item\(s\) of it remain/);
      const created = await expectBlueError(store.create(makeDialogue(ID)), 4, 'partition_not_empty');
      expect(created.message).toContain(meta.pk);
      expect(created.details.fix).toMatch(/restore the meta item/);
      // Nothing of the old dialogue was touched by the refused create.
      expect((await scan()).filter((item) => item.pk === meta.pk).length).toBeGreaterThan(0);
      expect((await scan()).some((item) => item.pk === meta.pk && item.sk === 'meta')).toBe(false);

      const problems: CatalogProblem[] = [];
      expect(await store.ids({ problems })).toEqual([]);
      expect(problems).toEqual([expect.objectContaining({ id: meta.pk, code: 'item_missing', exitCode: 4 })]);
      expect(problems[0].message).toMatch(/meta is missing, yet \d+ item\(s\) remain/);
    });

    it('create over an existing dialogue is still dialogue_exists (exit 3)', async () => {
      await store.create(makeDialogue(ID));
      await expectBlueError(store.create(makeDialogue(ID)), 3, 'dialogue_exists');
    });

    it('a deleted index key over existing dialogues is exit 4 everywhere, and init will not make a new one', async () => {
      await store.create(makeDialogue(ID));
      await remove('blue#keyring', 'index-key');
      const other = await openDynamoStores({ table, client: localClientConfig(), wrapper });
      try {
        const error = await expectBlueError(other.store.load(ID), 4, 'index_key_missing');
        expect(error.message).toMatch(/it was deleted/);
        expect(error.message).toMatch(/Restore the item \(pk blue#keyring, sk index-key\) from a backup/);
        await expectBlueError(other.catalog.list(), 4, 'index_key_missing');
        await expectBlueError(other.catalog.resolve(ID), 4, 'index_key_missing');
        await expectBlueError(other.dynamo.initKeyring(), 4, 'index_key_missing');
        expect((await scan()).some((item) => item.pk === 'blue#keyring')).toBe(false);
      } finally {
        await other.close();
      }
    });
  });
});
