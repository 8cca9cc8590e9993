// Opening a DynamoDB partition, offline: partitions written by the commit plan into memory, then damaged
// the ways STORAGE.md names (an item deleted, replaced by a re-sealed copy, altered, meta rolled back),
// and the problems openPartition reports for each, exactly.

import { describe, expect, it } from 'vitest';
import { integrity } from '../../src/domain/errors.js';
import { itemAad, seal } from '../../src/store/crypto/envelope.js';
import { loadError, openPartition, openSummary, verifyReport } from '../../src/store/dynamodb/partition.js';
import { makeDialogue, makeRound } from '../support/dialogue-factory.js';
import { DATA_KEY, ID, KEY, PK, TABLE, blindIndex, created, load, openAll, planUpdate, revOf } from './dynamodb-fixtures.js';

const of = (item: string) => `Item ${item} of dialogue ${ID} (DynamoDB table ${TABLE})`;
const twoRounds = () => makeDialogue(ID, { rounds: [makeRound(0, 3), makeRound(1)] });

describe('opening a partition', () => {
  it('opens what the plan wrote: the dialogue, its live entries and every sort key', () => {
    const { table, next } = created(twoRounds());
    const { loaded, problems } = openAll(table);
    expect(problems).toEqual([]);
    expect(loaded!.dialogue).toEqual(next);
    expect(loaded!.version).toBe(1);
    expect([...loaded!.entries.keys()]).toEqual(['meta', 'expert#00', 'round#00', 'round#01', 'head']);
    expect(loaded!.sortKeys).toEqual([`expert#00@${revOf(1)}`, `head@${revOf(1)}`, 'meta', `round#00@${revOf(1)}`, `round#01@${revOf(1)}`]);
    expect(loaded).toMatchObject({ dataKey: DATA_KEY, keyId: KEY.keyId, wrappedKey: KEY.wrappedKey });
  });

  it('names a missing item (item_missing) and loads nothing', () => {
    const { table } = created(twoRounds());
    table.items.delete(`round#01@${revOf(1)}`);
    expect(openAll(table)).toEqual({
      problems: [{
        item: 'round#01', sk: `round#01@${revOf(1)}`, code: 'item_missing',
        message: `${of('round#01')} is missing from the table (sort key round#01@${revOf(1)}): it was deleted, or meta was rolled back to a version that still listed it.`,
      }],
    });
  });

  it('names an item replaced by a copy sealed anew for the same place (item_replaced): the digest differs', () => {
    const { table } = created(twoRounds());
    const sk = `round#00@${revOf(1)}`;
    const original = table.items.get(sk)!;
    const { pk: _pk, sk: _sk, c, ...plain } = original;
    const payload = new TextEncoder().encode(JSON.stringify({ ...makeRound(0, 3) }));
    const resealed = seal(DATA_KEY, KEY.keyId, payload, itemAad(`dialogue:${ID}/entity:round/00`, KEY.keyId, { ...plain, rev: revOf(1) }));
    expect(resealed).not.toEqual(c);
    table.items.set(sk, { ...original, c: resealed });
    expect(openAll(table).problems).toEqual([{
      item: 'round#00', sk, code: 'item_replaced',
      message: `${of('round#00')} is not the item the manifest recorded (sort key ${sk}): it was replaced.`,
    }]);
  });

  it('names an altered ciphertext or plain attribute (item_authentication_failed)', () => {
    const sk = `round#00@${revOf(1)}`;
    const flipped = created(twoRounds()).table;
    const c = new Uint8Array(flipped.items.get(sk)!.c as Uint8Array);
    c[c.length - 1] ^= 1;
    flipped.items.set(sk, { ...flipped.items.get(sk)!, c });
    const edited = created(twoRounds()).table;
    edited.items.set(sk, { ...edited.items.get(sk)!, status: 'open' });
    for (const table of [flipped, edited]) {
      expect(openAll(table).problems).toEqual([expect.objectContaining({ item: 'round#00', sk, code: 'item_authentication_failed' })]);
    }
    expect(openAll(flipped).problems[0].message).toBe(
      `${of('round#00')} failed authentication (authentication): its ciphertext, nonce, tag, key id or a plain attribute was altered, or it was copied from another item. Nothing of it was used.`,
    );
  });

  it('catches an older meta put back: its head is gone (item_missing, named first), and so is what it listed', () => {
    const { table } = created(twoRounds());
    const oldMeta = structuredClone(table.items.get('meta')!);
    table.apply(planUpdate(load(table), (d) => ({ ...d, rounds: [d.rounds[0], makeRound(1, 5)] })).plan);
    table.items.set('meta', oldMeta); // the rollback

    const { loaded, problems } = openAll(table);
    expect(loaded).toBeUndefined();
    expect(problems.map((p) => [p.item, p.code])).toEqual([['round#01', 'item_missing'], ['head', 'item_missing']]);
    const error = loadError(ID, TABLE, problems);
    expect(error).toMatchObject({ exitCode: 4, code: 'item_missing', details: { id: ID, item: 'head', sk: `head@${revOf(1)}`, table: TABLE, problems: 2 } });
    expect(error.message).toBe(
      `${of('head')} is missing from the table (sort key head@${revOf(1)}): meta is older than the latest commit, so the dialogue was rolled back (or the head was deleted).`,
    );
  });

  it('catches an older meta put back with its old head too: the head was deleted by the commit that followed', () => {
    const { table } = created(twoRounds());
    const old = { meta: structuredClone(table.items.get('meta')!), head: structuredClone(table.items.get(`head@${revOf(1)}`)!) };
    table.apply(planUpdate(load(table), (d) => ({ ...d, status: 'converged' })).plan);
    expect(table.items.has(`head@${revOf(1)}`)).toBe(false); // deleted in the very transaction that committed version 2
    table.items.set('meta', old.meta);
    // Everything version 1 listed is still there except its head: the head is what catches this rollback.
    expect(openAll(table).problems.map((p) => [p.item, p.code])).toEqual([['head', 'item_missing']]);
    // Put back as well, the pair is a whole valid older dialogue (README: "Limits, honestly").
    table.items.set(`head@${revOf(1)}`, old.head);
    expect(openAll(table).problems).toEqual([]);
  });

  it('reports a missing meta, and a data key that did not unwrap, as meta problems', () => {
    const { table } = created(twoRounds());
    const unwrapFailed = integrity('key_unwrap_failed', 'cannot unwrap the data key of meta: wrong key', { fix: 'pass the right key' });
    expect(openAll(table, unwrapFailed).problems).toEqual([{ item: 'meta', sk: 'meta', code: 'key_unwrap_failed', message: unwrapFailed.message }]);

    table.items.delete('meta');
    expect(openAll(table).problems).toEqual([{
      item: 'meta', sk: 'meta', code: 'item_missing',
      message: `${of('meta')} is missing, yet 4 other item(s) of it remain: it was deleted, or its creation was interrupted.`,
    }]);
  });

  it('refuses a meta whose catalog summary names another partition', () => {
    const { table } = created(twoRounds());
    const problems = openPartition({ table: TABLE, id: ID, pk: PK, partition: table.query(), dataKey: DATA_KEY, blindIndex: () => 'd#another' }).problems;
    expect(problems).toEqual([{
      item: 'meta', sk: 'meta', code: 'item_authentication_failed',
      message: `${of('meta')} names dialogue ${ID}, which does not belong to this partition.`,
    }]);
  });

  it('verifyReport counts the items no manifest lists, only when the dialogue opened', () => {
    const { table } = created(twoRounds());
    table.items.set('round#05@00000009.deadbeef', { pk: PK, sk: 'round#05@00000009.deadbeef', c: new Uint8Array(3) });
    const partition = table.query();
    expect(verifyReport(ID, partition, openAll(table))).toEqual({
      id: ID, items: 6, ok: true, problems: [],
      notes: ['1 unreferenced item(s) left by an interrupted or superseded write; the next write of this dialogue removes them.'],
    });
    table.items.delete(`round#00@${revOf(1)}`);
    expect(verifyReport(ID, table.query(), openAll(table))).toMatchObject({ items: 5, ok: false, problems: [{ item: 'round#00', code: 'item_missing' }], notes: [] });
  });

  it('openSummary reads a catalog entry, bound to its partition and its counts', () => {
    const { table, next } = created(twoRounds());
    const meta = table.items.get('meta')!;
    expect(openSummary(meta, DATA_KEY, 'the entry', blindIndex)).toEqual({
      id: ID, title: next.title, status: 'open', rounds: 2, alignment: 3, createdAt: next.createdAt, updatedAt: next.updatedAt,
    });
    expect(() => openSummary({ ...meta, alignment: 99 }, DATA_KEY, 'the entry', blindIndex)).toThrow(
      'the entry failed authentication (its catalog summary): it was altered or copied from another dialogue.',
    );
  });
});
