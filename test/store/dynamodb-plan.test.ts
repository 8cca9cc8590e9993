// The DynamoDB commit plan, offline: the exact TransactWriteItems and BatchWriteItem inputs a write sends,
// for a create, a small update, an update whose removals do not fit its transaction, and a write too large
// for one transaction. Randomness is pinned (dynamodb-fixtures.ts), so sort keys and tokens are exact, and
// every sealed payload is opened under the AAD its position implies.

import type { BatchWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { BlueError } from '../../src/domain/errors.js';
import { itemAad, seal } from '../../src/store/crypto/envelope.js';
import { digestOf } from '../../src/store/dynamodb/layout.js';
import { planCommit } from '../../src/store/dynamodb/plan.js';
import { makeDialogue, makeEvent, makeRound } from '../support/dialogue-factory.js';
import {
  DATA_KEY,
  ID,
  KEY,
  NOW,
  PK,
  TABLE,
  TOKEN,
  created,
  load,
  planCreate,
  planUpdate,
  revOf,
  unseal,
} from './dynamodb-fixtures.js';
import { MemoryPartition } from './memory-partition.js';

const any = expect.any(Uint8Array);
const CREATED_AT = '2025-01-10T09:00:00.000Z';
const address = (entity: string, subkey = '') => (subkey ? `dialogue:${ID}/entity:${entity}/${subkey}` : `dialogue:${ID}/entity:${entity}`);
const metaPlain = (version: number, extra: Record<string, unknown> = {}) => ({
  status: 'open', version, createdAt: CREATED_AT, updatedAt: NOW.toISOString(), rounds: 0, alignment: 0, ...extra,
});
/** meta's item as the plan puts it, its sealed parts aside. */
const metaItem = (version: number, extra: Record<string, unknown> = {}) => ({
  pk: PK, sk: 'meta', ...metaPlain(version, extra), c: any, summary: any, dk: KEY.wrappedKey, g1pk: 'dialogue', g1sk: `${CREATED_AT}#${PK}`,
});
const put = (Item: Record<string, unknown>) => ({ Put: { TableName: TABLE, Item } });
const remove = (sk: string) => ({ Delete: { TableName: TABLE, Key: { pk: PK, sk } } });
const EXPERT_PLAIN = { name: 'Muffin', tier: 'core', firstRound: 0 };
/** The sort keys of each BatchWriteItem input, and which kind of request each is. */
const batches = (inputs: BatchWriteCommandInput[]) =>
  inputs.map((input) => input.RequestItems![TABLE].map((r) => (r.PutRequest ? `put ${r.PutRequest.Item!.sk}` : `delete ${r.DeleteRequest!.Key!.sk}`)));
const inGroupsOf = <T>(list: T[], size: number) => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

describe('the commit plan', () => {
  it('creates a dialogue in one transaction: its items, the head, and meta last on attribute_not_exists(pk)', () => {
    const { next, plan } = planCreate(makeDialogue(ID, { rounds: [makeRound(0)] }));
    const rev = revOf(1);
    const round = { round: 0, status: 'open', openedAt: '2025-01-01T00:00:00.000Z', scores: {} };
    expect(plan).toEqual({
      stage: [],
      commit: {
        TransactItems: [
          put({ pk: PK, sk: `expert#00@${rev}`, ...EXPERT_PLAIN, c: any }),
          put({ pk: PK, sk: `round#00@${rev}`, ...round, c: any }),
          put({ pk: PK, sk: `head@${rev}`, c: any }),
          { Put: { TableName: TABLE, Item: metaItem(1, { rounds: 1 }), ConditionExpression: 'attribute_not_exists(pk)' } },
        ],
        ClientRequestToken: TOKEN,
      },
      cleanUp: [],
      undo: [],
    });

    // Every payload is sealed for its own address, its plain attributes and this rev.
    const items = plan.commit.TransactItems!.map((action) => action.Put!.Item!);
    const [expert, roundItem, head, meta] = items;
    expect(JSON.parse(unseal(expert.c, address('expert', '00'), { ...EXPERT_PLAIN, rev }))).toEqual(next.experts[0]);
    expect(JSON.parse(unseal(roundItem.c, address('round', '00'), { ...round, rev }))).toEqual(next.rounds[0]);
    expect(unseal(head.c, address('head'), { rev })).toBe('{"version":1}');
    const sealedMeta = JSON.parse(unseal(meta.c, address('meta'), metaPlain(1, { rounds: 1 })));
    expect(sealedMeta.manifest).toEqual([expert, roundItem, head].map((item) => [item.sk, digestOf(item.c as Uint8Array)]));
    expect(sealedMeta.chunks).toEqual([]);
    expect(sealedMeta.meta).toMatchObject({ id: ID, version: 1, updatedAt: NOW.toISOString(), rounds: null, experts: null });
    expect(JSON.parse(unseal(meta.summary, `catalog:${PK}`, metaPlain(1, { rounds: 1 })))).toEqual({ id: ID, title: next.title });
    // A known answer: the head is the third seal, so it used the third nonce.
    const nonce = new Uint8Array(24);
    new DataView(nonce.buffer).setUint32(0, 3);
    expect(head.c).toEqual(seal(DATA_KEY, KEY.keyId, new TextEncoder().encode('{"version":1}'), itemAad(address('head'), KEY.keyId, { rev }), nonce));
  });

  it('is a function of its input: the same randomness gives the same requests, byte for byte', () => {
    const dialogue = makeDialogue(ID, { rounds: [makeRound(0, 4)] });
    expect(planCreate(dialogue).plan).toEqual(planCreate(dialogue).plan);
    const otherDraw = planCommit({ table: TABLE, pk: PK, next: planCreate(dialogue).next, key: KEY, random: { bytes: (n) => new Uint8Array(n).fill(0xab) } });
    expect(otherDraw.commit.TransactItems![0].Put!.Item!.sk).toBe('expert#00@00000001.abababab');
  });

  it('updates in one transaction: unchanged items kept, a changed one sealed anew, meta on version = :version, the old head and obsolete items deleted in it', () => {
    const { table } = created(makeDialogue(ID, { rounds: [makeRound(0)] }));
    const leftover = 'round#05@00000009.deadbeef'; // of a write that never committed
    table.items.set(leftover, { pk: PK, sk: leftover, round: 5, c: new Uint8Array([1, 2, 3]) });
    const current = load(table);
    const { next, plan } = planUpdate(current, (d) => ({ ...d, rounds: [makeRound(0, 3)] }));

    const [v1, v2] = [revOf(1), revOf(2)];
    const scored = {
      round: 0, status: 'scored', openedAt: '2025-01-01T00:00:00.000Z', scoredAt: '2025-01-01T01:00:00.000Z',
      scores: { Muffin: { w: null, c: null, t: null, r: null, total: 3 } }, roundScore: { w: null, c: null, t: null, r: null, total: 3 },
    };
    expect(plan).toEqual({
      stage: [],
      commit: {
        TransactItems: [
          put({ pk: PK, sk: `round#00@${v2}`, ...scored, c: any }),
          put({ pk: PK, sk: `head@${v2}`, c: any }),
          {
            Put: { TableName: TABLE, Item: metaItem(2, { rounds: 1, alignment: 3 }), ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': 1 } },
          },
          remove(`head@${v1}`),
          remove(`round#00@${v1}`),
          remove(leftover),
        ],
        ClientRequestToken: TOKEN,
      },
      cleanUp: [],
      undo: [],
    });
    // The unchanged expert is listed as it was: same sort key, same digest.
    const meta = plan.commit.TransactItems![2].Put!.Item!;
    const manifest = JSON.parse(unseal(meta.c, address('meta'), metaPlain(2, { rounds: 1, alignment: 3 }))).manifest;
    expect(manifest[0]).toEqual([`expert#00@${v1}`, current.entries.get('expert#00')!.digest]);
    expect(manifest.map(([sk]: [string]) => sk)).toEqual([`expert#00@${v1}`, `round#00@${v2}`, `head@${v2}`]);

    table.apply(plan);
    expect(load(table).dialogue).toEqual(next);
    expect([...table.query().keys()]).toEqual([`expert#00@${v1}`, `head@${v2}`, 'meta', `round#00@${v2}`]);
  });

  it('an update that changes nothing still replaces meta and the head', () => {
    const { table } = created(makeDialogue(ID));
    const { plan } = planUpdate(load(table), (d) => d);
    expect(plan.commit.TransactItems!.map((action) => action.Put?.Item?.sk ?? `delete ${action.Delete!.Key!.sk}`)).toEqual([
      `head@${revOf(2)}`, 'meta', `delete head@${revOf(1)}`,
    ]);
  });

  it('removes after the commit, 25 a request, what its transaction cannot also hold', () => {
    const events = Array.from({ length: 60 }, (_, i) => makeEvent(i + 1, `note ${i}`));
    const { table } = created(makeDialogue(ID, { events }));
    const { plan } = planUpdate(load(table), (d) => ({ ...d, events: d.events.map((e) => ({ ...e, note: `${e.note}!` })) }));
    const sks = (rev: string) => events.map((_, i) => `event#00#${String(i).padStart(3, '0')}@${rev}`);

    // 60 events + head + meta + the old head's delete = 63 actions; the 60 superseded events would make 123.
    const actions = plan.commit.TransactItems!;
    expect(actions).toHaveLength(63);
    expect(actions.slice(0, 61).map((a) => a.Put!.Item!.sk)).toEqual([...sks(revOf(2)), `head@${revOf(2)}`]);
    expect(actions[61].Put!.Item!.sk).toBe('meta');
    expect(actions[62]).toEqual(remove(`head@${revOf(1)}`));
    expect(plan.stage).toEqual([]);
    expect(batches(plan.cleanUp)).toEqual(inGroupsOf(sks(revOf(1)).map((sk) => `delete ${sk}`), 25));
    expect(plan.cleanUp.map((input) => input.RequestItems![TABLE].length)).toEqual([25, 25, 10]);
    expect(plan.undo).toEqual([]);
  });

  it('stages a write too large for one transaction with BatchWriteItem, then commits meta and the head', () => {
    const tensions = Array.from({ length: 150 }, (_, i) => ({
      id: `MUFFIN-T${String(i + 1).padStart(3, '0')}`, globalId: `T${String(i + 1).padStart(4, '0')}`, author: 'Muffin', round: 0, seq: i + 1,
      label: `label ${i}`, text: `text ${i}`, file: 'round-0/muffin.md', line: i + 1,
    }));
    const { next, plan } = planCreate(makeDialogue(ID, { tensions }));
    const tensionSks = (rev: string) => tensions.map((_, i) => `tension#00#${String(i).padStart(3, '0')}@${rev}`);
    const v1 = revOf(1);

    // expert + 150 tensions: 151 puts in 7 requests; the head waits for the commit.
    expect(batches(plan.stage)).toEqual(inGroupsOf([`expert#00@${v1}`, ...tensionSks(v1)].map((sk) => `put ${sk}`), 25));
    expect(plan.commit).toEqual({
      TransactItems: [
        { Put: { TableName: TABLE, Item: metaItem(1), ConditionExpression: 'attribute_not_exists(pk)' } },
        put({ pk: PK, sk: `head@${v1}`, c: any }),
      ],
      ClientRequestToken: TOKEN,
    });
    expect(plan.cleanUp).toEqual([]);
    // Should meta's condition fail, every staged item (head included) is removed again.
    expect(batches(plan.undo)).toEqual(inGroupsOf([`expert#00@${v1}`, ...tensionSks(v1), `head@${v1}`].map((sk) => `delete ${sk}`), 25));

    const table = new MemoryPartition();
    table.apply(plan);
    const current = load(table);
    expect(current.dialogue).toEqual(next);

    // Its update stages the changed tensions, commits meta + head + the old head's delete, then removes the old tensions.
    const update = planUpdate(current, (d) => ({ ...d, tensions: d.tensions.map((t) => ({ ...t, label: `${t.label}!` })) }));
    const v2 = revOf(2);
    expect(batches(update.plan.stage)).toEqual(inGroupsOf(tensionSks(v2).map((sk) => `put ${sk}`), 25));
    expect(update.plan.commit.TransactItems).toEqual([
      { Put: { TableName: TABLE, Item: metaItem(2), ConditionExpression: 'version = :version', ExpressionAttributeValues: { ':version': 1 } } },
      put({ pk: PK, sk: `head@${v2}`, c: any }),
      remove(`head@${v1}`),
    ]);
    expect(batches(update.plan.cleanUp)).toEqual(inGroupsOf(tensionSks(v1).map((sk) => `delete ${sk}`), 25));
    table.apply(update.plan);
    expect(load(table).dialogue).toEqual(update.next);
    expect([...table.items.keys()].filter((sk) => sk.startsWith('tension#'))).toEqual(tensionSks(v2));
  });

  it('keeps a manifest longer than meta holds in manifest items that meta lists', () => {
    const events = Array.from({ length: 2_100 }, (_, i) => makeEvent(i + 1));
    const { next, plan } = planCreate(makeDialogue(ID, { events }));
    const staged = plan.stage.flatMap((input) => input.RequestItems![TABLE].map((r) => r.PutRequest!.Item!));
    const chunks = staged.filter((item) => String(item.sk).startsWith('manifest#'));
    expect(chunks.map((item) => item.sk)).toEqual([`manifest#000@${revOf(1)}`, `manifest#001@${revOf(1)}`]);
    const first = JSON.parse(unseal(chunks[0].c, address('manifest', '000'), { rev: revOf(1) }));
    expect(first.entries).toHaveLength(2_000);
    const meta = plan.commit.TransactItems![0].Put!.Item!;
    const sealedMeta = JSON.parse(unseal(meta.c, address('meta'), metaPlain(1)));
    expect(sealedMeta.manifest).toEqual([]);
    expect(sealedMeta.chunks).toEqual(chunks.map((item) => [item.sk, digestOf(item.c as Uint8Array)]));
    const table = created(makeDialogue(ID, { events })).table;
    expect(load(table).dialogue).toEqual(next);
  });

  it('refuses, before any request, an item above the 400 KB item limit (item_too_large, exit 2)', () => {
    let error: unknown;
    try {
      planCreate(makeDialogue(ID, { question: 'q'.repeat(400_000) }));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BlueError);
    expect(error).toMatchObject({ exitCode: 2, code: 'item_too_large' });
    expect((error as BlueError).message).toMatch(/\(meta\) would be \d+ bytes/);
  });
});
