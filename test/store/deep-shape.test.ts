// Every dialogue loaded from a store is checked against its full shape; a file that fails is exit 4 naming
// the path inside the document, nesting is bounded, a lost store.json is named, and a lock that is not a
// file is reported as such.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileStores, sealStoreFile } from '../../src/store/file/store.js';
import { dialogueShapeProblems, nestingDepth } from '../../src/store/shape.js';
import { makeDialogue, makeRound } from '../support/dialogue-factory.js';

const ID = '2025-01-10T0900Z-deep';

function rehashed(root: string, edit: (d: any) => void) {
  const file = join(root, '.blue/dialogues', ID, 'store.json');
  const envelope = JSON.parse(readFileSync(file, 'utf8'));
  edit(envelope.dialogue);
  writeFileSync(file, sealStoreFile(envelope.dialogue));
}

describe('deep validation of a stored dialogue', () => {
  it('names the path of a null inside a panel, an empty verdict, an unknown event status', () => {
    const d: any = { ...makeDialogue(ID, { rounds: [makeRound(0, 3)] }), version: 1 };
    d.rounds[0].panel[1] = null;
    d.verdicts = [{ type: 'final', seq: 1, at: 'x', round: 0, text: '' }];
    d.events = [{ seq: 1, kind: 'status', at: 'x', round: 0, tension: 'MUFFIN-T01', actor: 'judge', origin: 'judge', from: 'open', to: 'closed' }];
    expect(dialogueShapeProblems(d)).toEqual([
      'rounds[0].panel[1] must be an object',
      'events[0].to must be one of open, addressed, narrowed, superseded, resolved, accepted, reopened',
      'verdicts[0].text must be a non-empty string',
    ]);
  });

  it('refuses a document nested past the bound without walking it', () => {
    let deep: any = {};
    const top = deep;
    for (let i = 0; i < 100_000; i++) deep = deep.x = {};
    expect(nestingDepth(top)).toBeGreaterThan(24);
    expect(dialogueShapeProblems({ ...makeDialogue(ID), pool: top })).toEqual(['the dialogue nests deeper than 24 levels, which no dialogue does']);
  });

  it('a re-hashed store.json with a null in a panel is exit 4 on load, naming the path, and nothing builds on it', async () => {
    const root = mkdtempSync(join(tmpdir(), 'blue-deep-'));
    const { store } = openFileStores(root);
    await store.create(makeDialogue(ID, { rounds: [makeRound(0, 3)] }));
    rehashed(root, (d) => (d.rounds[0].panel[0] = null));
    await expect(store.load(ID)).rejects.toMatchObject({ exitCode: 4, code: 'corrupt_store_file', message: expect.stringContaining('rounds[0].panel[0] must be an object') });
    await expect(store.update(ID, (d) => d)).rejects.toMatchObject({ exitCode: 4 });
    rmSync(root, { recursive: true, force: true });
  });

  it('list and verify name a folder whose store.json is gone', async () => {
    const root = mkdtempSync(join(tmpdir(), 'blue-deep-'));
    const stores = openFileStores(root);
    await stores.store.create(makeDialogue(ID));
    rmSync(join(root, '.blue/dialogues', ID, 'store.json'));
    const problems: any[] = [];
    expect(await stores.catalog.list({ problems })).toEqual([]);
    expect(problems).toMatchObject([{ id: ID, code: 'store_file_missing', message: expect.stringContaining('store.json is missing') }]);
    expect(await stores.maintenance.verify(ID)).toMatchObject({ ok: false, problems: [{ code: 'store_file_missing' }] });
    rmSync(root, { recursive: true, force: true });
  });

  it('a store.lock that is a folder is reported as such, with its path', async () => {
    const root = mkdtempSync(join(tmpdir(), 'blue-deep-'));
    const { store } = openFileStores(root);
    await store.create(makeDialogue(ID));
    mkdirSync(join(root, '.blue/dialogues', ID, 'store.lock'));
    await expect(store.update(ID, (d) => d)).rejects.toMatchObject({
      code: 'store_lock_invalid',
      message: expect.stringContaining(`.blue/dialogues/${ID}/store.lock is a folder, not blue's lock file`),
    });
    rmSync(root, { recursive: true, force: true });
  });
});
