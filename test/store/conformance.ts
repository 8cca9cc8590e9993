// The behaviour every DialogueStore + DialogueCatalog must share. It uses the interfaces only, so the file
// store and the DynamoDB store run the very same tests:
//
//   storeConformance('file store', async () => ({ stores: openFileStores(dir), cleanup: () => rm(dir) }));
//
// `make` is called before every test and must return empty stores; `cleanup` releases whatever it made
// (including calling stores.close when the store has one).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlueError, refused } from '../../src/domain/errors.js';
import type { Dialogue } from '../../src/domain/model.js';
import type { Stores } from '../../src/store/types.js';
import { makeDialogue, makeEvent, makeRound } from '../support/dialogue-factory.js';

export type MakeStores = () => Promise<{ stores: Stores; cleanup(): Promise<void> }>;

/** Awaits `promise`, expecting it to fail with a BlueError of this exit code and code; returns the error. */
export async function expectBlueError(promise: Promise<unknown>, exitCode: number, code: string): Promise<BlueError> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(BlueError);
    const blue = error as BlueError;
    expect({ exitCode: blue.exitCode, code: blue.code, message: blue.message }).toMatchObject({ exitCode, code });
    return blue;
  }
  throw new Error(`expected a BlueError ${code} (exit ${exitCode}), but it succeeded with ${JSON.stringify(outcome)}`);
}

const CACHE = '2025-01-10T0900Z-cache-strategy';
const EVICTION = '2025-02-01T1200Z-cache-eviction';
const VERSIONING = '2025-02-01T1200Z-api-versioning'; // the same minute as EVICTION
const OLD_CACHE = '2024-12-24T1800Z-cache-strategy'; // the same slug as CACHE

/** A dialogue with something in every list, text that JSON must escape, and optional fields. */
function richDialogue(id: string): Dialogue {
  return makeDialogue(id, {
    title: 'Caché — "naïve" keys\\paths 🍰\nsecond line',
    rfc: 'RFC 0058',
    sources: ['docs/rfc-0058.md', 'https://example.org/a?b=c&d'],
    rounds: [makeRound(0, 12.5), makeRound(1)],
    contributions: [
      {
        kind: 'perspective', id: 'MUFFIN-P01', globalId: 'P0001', author: 'Muffin', round: 0, seq: 1,
        label: 'Write-through', text: 'Keep the cache coherent.', file: 'round-0/muffin.md', line: 3,
      },
    ],
    tensions: [
      {
        id: 'MUFFIN-T01', globalId: 'T0001', author: 'Muffin', round: 0, seq: 1,
        label: 'Latency vs consistency', text: 'Ünïcode ✓', file: 'round-0/muffin.md', line: 9,
      },
    ],
    refs: [{ kind: 'support', author: 'Muffin', round: 0, target: 'P0001', targetId: 'MUFFIN-P01', text: 't', file: 'f', line: 1 }],
    moves: [{ kind: 'bridge', author: 'Muffin', round: 0, targets: ['MUFFIN-T01'], text: 't', file: 'f', line: 2 }],
    events: [makeEvent(1, 'first')],
    verdicts: [{ type: 'interim', seq: 1, at: '2025-01-10T10:00:00.000Z', round: 0, text: 'So far so good', experts: ['Muffin'] }],
  });
}

export function storeConformance(name: string, make: MakeStores): void {
  describe(`${name}: store conformance`, () => {
    let stores: Stores;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ stores, cleanup } = await make());
    });
    afterEach(async () => {
      await cleanup();
    });

    describe('DialogueStore', () => {
      it('create then load round-trips the dialogue; the store sets version 1 and updatedAt', async () => {
        const dialogue = richDialogue(CACHE);
        const before = Date.now();
        await stores.store.create(dialogue);
        const loaded = await stores.store.load(CACHE);

        expect(loaded.version).toBe(1);
        expect(Date.parse(loaded.updatedAt)).toBeGreaterThanOrEqual(before - 1000);
        expect({ ...loaded, version: dialogue.version, updatedAt: dialogue.updatedAt }).toEqual(dialogue);
      });

      it('exists is false before create and true after', async () => {
        expect(await stores.store.exists(CACHE)).toBe(false);
        await stores.store.create(makeDialogue(CACHE));
        expect(await stores.store.exists(CACHE)).toBe(true);
        expect(await stores.store.exists(EVICTION)).toBe(false);
      });

      it('revision stays while nothing changes and moves on every update; an unknown id is dialogue_not_found', async () => {
        await expectBlueError(stores.store.revision(CACHE), 2, 'dialogue_not_found');
        await stores.store.create(makeDialogue(CACHE));
        const first = await stores.store.revision(CACHE);
        expect(await stores.store.revision(CACHE)).toBe(first);
        await stores.store.load(CACHE);
        expect(await stores.store.revision(CACHE)).toBe(first);
        const seen = new Set([first]);
        for (let i = 0; i < 3; i++) {
          await stores.store.update(CACHE, (d) => ({ ...d, sources: [...d.sources, `s${i}`] }));
          const next = await stores.store.revision(CACHE);
          expect(seen.has(next), `revision after update ${i + 1}`).toBe(false);
          seen.add(next);
        }
        // A change refused by its change function commits nothing, so the revision stays.
        const before = await stores.store.revision(CACHE);
        await expect(stores.store.update(CACHE, () => { throw refused('not_now', 'no', { fix: 'none: a test' }); })).rejects.toThrow('no');
        expect(await stores.store.revision(CACHE)).toBe(before);
        await expectBlueError(stores.store.revision(EVICTION), 2, 'dialogue_not_found');
      });

      it('create refuses to overwrite a dialogue (dialogue_exists, exit 3) and leaves it unchanged', async () => {
        await stores.store.create(makeDialogue(CACHE, { title: 'first' }));
        await expectBlueError(stores.store.create(makeDialogue(CACHE, { title: 'second' })), 3, 'dialogue_exists');
        const loaded = await stores.store.load(CACHE);
        expect(loaded.title).toBe('first');
        expect(loaded.version).toBe(1);
      });

      it('load and update of an unknown id fail with dialogue_not_found (exit 2)', async () => {
        await expectBlueError(stores.store.load(CACHE), 2, 'dialogue_not_found');
        await expectBlueError(stores.store.update(CACHE, (d) => d), 2, 'dialogue_not_found');
        expect(await stores.store.exists(CACHE)).toBe(false);
      });

      it('update bumps the version by one, sets updatedAt, persists, and returns what load returns', async () => {
        await stores.store.create(makeDialogue(CACHE));
        const first = await stores.store.load(CACHE);

        const updated = await stores.store.update(CACHE, (d) => ({ ...d, status: 'converged', rounds: [makeRound(0, 10)] }));
        expect(updated.version).toBe(2);
        expect(updated.status).toBe('converged');
        expect(Date.parse(updated.updatedAt)).toBeGreaterThanOrEqual(Date.parse(first.updatedAt));
        expect(await stores.store.load(CACHE)).toEqual(updated);

        const again = await stores.store.update(CACHE, (d) => {
          d.sources.push('notes.md'); // mutating the argument is allowed too
          return d;
        });
        expect(again.version).toBe(3);
        expect((await stores.store.load(CACHE)).sources).toEqual(['notes.md']);
      });

      it('update whose change throws writes nothing and passes the error on unchanged', async () => {
        await stores.store.create(makeDialogue(CACHE));
        const before = await stores.store.load(CACHE);
        const refusal = refused('not_now', 'refused by the test', { fix: 'none: a test' });

        await expect(
          stores.store.update(CACHE, (d) => {
            d.title = 'must not be written';
            throw refusal;
          }),
        ).rejects.toBe(refusal);
        expect(await stores.store.load(CACHE)).toEqual(before);

        // The store is still writable afterwards (nothing stayed locked).
        expect((await stores.store.update(CACHE, (d) => d)).version).toBe(2);
      });

      it('update may not change the id, and then writes nothing', async () => {
        await stores.store.create(makeDialogue(CACHE));
        await expect(stores.store.update(CACHE, (d) => ({ ...d, id: EVICTION }))).rejects.toThrow();
        expect((await stores.store.load(CACHE)).version).toBe(1);
        expect(await stores.store.exists(EVICTION)).toBe(false);
      });

      it('concurrent updates all land: no update is lost', async () => {
        await stores.store.create(makeDialogue(CACHE));
        const writers = Array.from({ length: 20 }, (_, i) => `writer-${i}`);

        const results = await Promise.all(
          writers.map((marker, i) =>
            stores.store.update(CACHE, (d) => ({ ...d, events: [...d.events, makeEvent(i + 1, marker)] })),
          ),
        );

        const final = await stores.store.load(CACHE);
        expect(final.version).toBe(21);
        expect(final.events.map((e) => e.note).sort()).toEqual([...writers].sort());
        expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
      });

      it('update from what load just returned applies the change to it, as a fresh read would', async () => {
        await stores.store.create(makeDialogue(CACHE));
        const loaded = await stores.store.load(CACHE);
        const updated = await stores.store.update(CACHE, (d) => ({ ...d, events: [...d.events, makeEvent(1, 'from')] }), { from: loaded });
        expect(updated.version).toBe(2);
        expect((await stores.store.load(CACHE)).events.map((e) => e.note)).toEqual(['from']);
      });

      it('update from a load that another writer has overtaken reads afresh: no change is lost', async () => {
        await stores.store.create(makeDialogue(CACHE));
        const loaded = await stores.store.load(CACHE);
        await stores.store.update(CACHE, (d) => ({ ...d, events: [...d.events, makeEvent(1, 'other writer')] }));
        const updated = await stores.store.update(CACHE, (d) => ({ ...d, events: [...d.events, makeEvent(2, 'from')] }), { from: loaded });
        expect(updated.version).toBe(3);
        expect((await stores.store.load(CACHE)).events.map((e) => e.note)).toEqual(['other writer', 'from']);
      });

      it('update from a dialogue this store did not return (a copy, edited) reads the stored one instead', async () => {
        await stores.store.create(makeDialogue(CACHE));
        const forged = { ...structuredClone(await stores.store.load(CACHE)), title: 'Forged' };
        const updated = await stores.store.update(CACHE, (d) => ({ ...d, events: [...d.events, makeEvent(1, 'from')] }), { from: forged });
        expect(updated.title).not.toBe('Forged');
        expect((await stores.store.load(CACHE)).title).not.toBe('Forged');
      });

      it('updates of different dialogues do not interfere', async () => {
        await stores.store.create(makeDialogue(CACHE));
        await stores.store.create(makeDialogue(EVICTION));
        await Promise.all(
          [CACHE, EVICTION, CACHE, EVICTION].map((id, i) =>
            stores.store.update(id, (d) => ({ ...d, events: [...d.events, makeEvent(i, id)] })),
          ),
        );
        for (const id of [CACHE, EVICTION]) {
          const loaded = await stores.store.load(id);
          expect(loaded.version).toBe(3);
          expect(loaded.events.map((e) => e.note)).toEqual([id, id]);
        }
      });
    });

    describe('DialogueCatalog', () => {
      it('list is empty for an empty store', async () => {
        expect(await stores.catalog.list()).toEqual([]);
      });

      it('list returns summaries newest first, with the rounds count and the alignment', async () => {
        await stores.store.create(makeDialogue(CACHE, { rounds: [makeRound(0, 12.5), makeRound(1, 7), makeRound(2)] }));
        await stores.store.create(makeDialogue(EVICTION, { status: 'converged', rounds: [makeRound(0, -2)] }));
        await stores.store.create(makeDialogue(VERSIONING));
        await stores.store.create(makeDialogue(OLD_CACHE, { status: 'abandoned' }));

        const list = await stores.catalog.list();
        // EVICTION and VERSIONING share their creation minute: the tie is broken by id, descending.
        expect(list.map((s) => s.id)).toEqual([EVICTION, VERSIONING, CACHE, OLD_CACHE]);

        const cache = await stores.store.load(CACHE);
        expect(list[2]).toEqual({
          id: CACHE,
          title: cache.title,
          status: 'open',
          rounds: 3,
          alignment: 19.5,
          createdAt: cache.createdAt,
          updatedAt: cache.updatedAt,
        });
        expect(list[0]).toMatchObject({ status: 'converged', rounds: 1, alignment: -2 });
        expect(list[1]).toMatchObject({ rounds: 0, alignment: 0 });
        expect(list[3]).toMatchObject({ status: 'abandoned' });
      });

      it('list reflects updates', async () => {
        await stores.store.create(makeDialogue(CACHE));
        const updated = await stores.store.update(CACHE, (d) => ({ ...d, title: 'Renamed', rounds: [makeRound(0, 4)] }));
        expect(await stores.catalog.list()).toEqual([
          expect.objectContaining({ id: CACHE, title: 'Renamed', rounds: 1, alignment: 4, updatedAt: updated.updatedAt }),
        ]);
      });

      it('resolve accepts the full id, a unique prefix and the bare slug', async () => {
        for (const id of [CACHE, EVICTION, VERSIONING]) await stores.store.create(makeDialogue(id));

        expect(await stores.catalog.resolve(CACHE)).toBe(CACHE);
        expect(await stores.catalog.resolve('2025-01')).toBe(CACHE);
        expect(await stores.catalog.resolve('2025-02-01T1200Z-cache')).toBe(EVICTION);
        expect(await stores.catalog.resolve('cache-eviction')).toBe(EVICTION);
        expect(await stores.catalog.resolve('api-versioning')).toBe(VERSIONING);
        // A unique prefix of the slug, as a judge types it: `api` for ...-api-versioning.
        expect(await stores.catalog.resolve('api')).toBe(VERSIONING);
        expect(await stores.catalog.resolve('CACHE-EVIC')).toBe(EVICTION);
      });

      it('resolve prefers an exact id or slug to a longer one it is a prefix of', async () => {
        const longer = '2025-01-10T0900Z-cache-strategy-v2';
        await stores.store.create(makeDialogue(CACHE));
        await stores.store.create(makeDialogue(longer));

        expect(await stores.catalog.resolve(CACHE)).toBe(CACHE);
        expect(await stores.catalog.resolve('cache-strategy')).toBe(CACHE);
        expect(await stores.catalog.resolve('cache-strategy-v2')).toBe(longer);
      });

      it('resolve fails with dialogue_not_found (exit 2) when nothing matches', async () => {
        await stores.store.create(makeDialogue(CACHE));
        await expectBlueError(stores.catalog.resolve('nothing-like-it'), 2, 'dialogue_not_found');
        await expectBlueError(stores.catalog.resolve('2026'), 2, 'dialogue_not_found');
        await expectBlueError(stores.catalog.resolve('strategy'), 2, 'dialogue_not_found'); // not a prefix, not the slug
      });

      it('resolve fails with ambiguous_dialogue (exit 2) listing the candidates when several match', async () => {
        for (const id of [CACHE, EVICTION, VERSIONING, OLD_CACHE]) await stores.store.create(makeDialogue(id));

        const byPrefix = await expectBlueError(stores.catalog.resolve('2025-02-01T1200Z'), 2, 'ambiguous_dialogue');
        expect([...(byPrefix.details.candidates as string[])].sort()).toEqual([VERSIONING, EVICTION].sort());
        expect(byPrefix.message).toContain(EVICTION);
        expect(byPrefix.message).toContain(VERSIONING);

        const bySlug = await expectBlueError(stores.catalog.resolve('cache-strategy'), 2, 'ambiguous_dialogue');
        expect([...(bySlug.details.candidates as string[])].sort()).toEqual([OLD_CACHE, CACHE].sort());
      });
    });

    describe('StoreMaintenance (store migrate and verify)', () => {
      it('restore writes a dialogue exactly as given, version and updatedAt included, and never overwrites', async () => {
        const dialogue = { ...richDialogue(CACHE), version: 7, updatedAt: '2025-03-01T10:00:00.000Z' };
        await stores.maintenance.restore(dialogue);
        expect(await stores.store.load(CACHE)).toEqual(dialogue);
        await expectBlueError(stores.maintenance.restore({ ...dialogue, title: 'other' }), 3, 'dialogue_exists');
        expect((await stores.store.load(CACHE)).title).toBe(dialogue.title);
        expect((await stores.store.update(CACHE, (d) => d)).version).toBe(8);
      });

      it('ids lists every dialogue; verify passes a healthy one', async () => {
        expect(await stores.maintenance.ids()).toEqual([]);
        for (const id of [CACHE, EVICTION]) await stores.store.create(richDialogue(id));
        expect([...(await stores.maintenance.ids())].sort()).toEqual([CACHE, EVICTION].sort());
        const report = await stores.maintenance.verify(CACHE);
        expect(report).toMatchObject({ id: CACHE, ok: true, problems: [] });
        expect(report.items).toBeGreaterThanOrEqual(1);
      });
    });

    describe('size', () => {
      it('stores a large dialogue whole: 300 tensions, 600 events and a 300 KB expert output', async () => {
        const tensions = Array.from({ length: 300 }, (_, i) => ({
          id: `MUFFIN R${Math.floor(i / 30)}-T${String((i % 30) + 1).padStart(2, '0')}`, globalId: `T${String(i).padStart(4, '0')}`,
          author: 'Muffin', round: Math.floor(i / 30), seq: (i % 30) + 1, label: `Label ${i}`, text: `Tension ${i} `.repeat(20), file: 'f.md', line: i,
        }));
        const events = Array.from({ length: 600 }, (_, i) => makeEvent(i + 1, `note ${i}`));
        const output = 'Ünïcode and plain text. '.repeat(12_500);
        const round = { ...makeRound(0), ingest: { at: '2025-01-01T00:00:00.000Z', ingested: ['Muffin'], missing: [], warnings: [], outputs: { Muffin: output } } };
        await stores.store.create(makeDialogue(CACHE, { tensions, events, rounds: [round] }));
        const loaded = await stores.store.load(CACHE);
        expect(loaded.tensions).toEqual(tensions);
        expect(loaded.events).toEqual(events);
        expect(loaded.rounds[0].ingest!.outputs.Muffin).toBe(output);

        const updated = await stores.store.update(CACHE, (d) => ({ ...d, events: d.events.slice(100), tensions: d.tensions.slice(0, 150) }));
        expect(await stores.store.load(CACHE)).toEqual(updated);
        expect((await stores.maintenance.verify(CACHE)).ok).toBe(true);
      });
    });
  });
}
