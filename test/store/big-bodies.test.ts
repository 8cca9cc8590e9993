// A dialogue valid on one store is valid on the other: a 450 KB perspective ingests on both, its body
// split across DynamoDB items below the 400 KB limit, and `store migrate` copies it both ways unchanged.

import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProcessAgentRunner } from '../../src/agents/runner.js';
import type { Ports } from '../../src/app/ports.js';
import { storeMigrate } from '../../src/app/store-migrate.js';
import { canonicalJson, toPlainJson } from '../../src/domain/canonical.js';
import { LocalKeyWrapper } from '../../src/store/crypto/keys.js';
import { dialogueToItems, itemsToDialogue } from '../../src/store/dynamodb/items.js';
import { openDynamoStores } from '../../src/store/dynamodb/store.js';
import { openFileStores } from '../../src/store/file/store.js';
import type { Stores } from '../../src/store/types.js';
import { FsWorkspace } from '../../src/workspace/fs-workspace.js';
import { ingest, open, start } from '../support/dialogue-factory.js';
import { freshTable, localClientConfig } from '../support/dynamodb.js';

const BODY = 'z'.repeat(450_000);
/** A round whose first expert wrote one 450 KB perspective. */
const ingestedDialogue = (body: string) => ingest(open(start()), { muffin: `[PERSPECTIVE P01: Long]\n${body}\n` });

describe('a 450 KB perspective', () => {
  it('is stored once, as a slice of its output, and the output is split into parts below the item limit', () => {
    const d = toPlainJson(ingestedDialogue(BODY));
    const items = dialogueToItems(d);
    const perspective = items.find((i) => i.entity === 'perspective')!;
    expect(JSON.parse(perspective.payload).text).toEqual([expect.any(Number), expect.any(Number)]);
    expect(items.filter((i) => i.entity === 'output').length).toBeGreaterThan(1);
    expect(items.filter((i) => i.entity === 'text')).toEqual([]);
    expect(Math.max(...items.map((i) => i.payload.length))).toBeLessThan(300_000);
    const back = itemsToDialogue(items.map((i) => ({ entity: i.entity, subkey: i.subkey, value: JSON.parse(i.payload) })), (i) => i.entity);
    expect(back).toEqual(d);
  });

  it('a long body that is no slice of an output is split into text items, and joined back exactly', () => {
    const d = toPlainJson(ingestedDialogue('short'));
    d.contributions[0].text = BODY; // as an import or a hand-made entity could hold it
    const items = dialogueToItems(d);
    expect(items.filter((i) => i.entity === 'text').length).toBeGreaterThan(1);
    expect(Math.max(...items.map((i) => i.payload.length))).toBeLessThan(300_000);
    const back = itemsToDialogue(items.map((i) => ({ entity: i.entity, subkey: i.subkey, value: JSON.parse(i.payload) })), (i) => i.entity);
    expect(back.contributions[0].text).toBe(BODY);
  });

  it('is stored on DynamoDB Local, read back whole, and migrates file -> DynamoDB -> file unchanged', async () => {
    const { table, drop } = await freshTable('big_bodies');
    const dynamo = await openDynamoStores({ table, client: localClientConfig(), wrapper: new LocalKeyWrapper(new Uint8Array(randomBytes(32))) });
    await dynamo.dynamo.initKeyring();
    const root = mkdtempSync(join(tmpdir(), 'blue-big-'));
    const back = mkdtempSync(join(tmpdir(), 'blue-big-back-'));
    try {
      const original = toPlainJson(ingestedDialogue(BODY));
      const file = openFileStores(root);
      await file.store.create(original);
      const stored = await file.store.load(original.id);
      const keep: Stores = { ...dynamo, close: async () => undefined };
      const ports = (other: string): Ports => ({
        openStores: async (kind = 'file') => (kind === 'dynamodb' ? keep : openFileStores(other)),
        storeKind: 'file',
        workspace: new FsWorkspace(root, root),
        clock: { now: () => new Date() },
        log: { warn: () => undefined, progress: () => undefined },
        random: () => 0.5,
        initDynamoStore: async () => {
          throw new Error('not used');
        },
        agents: new ProcessAgentRunner({ root, env: {}, captureBytes: 1, config: () => ({}) }),
        isProcessAlive: () => false,
      });
      expect((await storeMigrate(ports(root), 'file', 'dynamodb')).copied).toEqual([original.id]);
      const onDynamo = await dynamo.store.load(original.id);
      expect(onDynamo.contributions.find((c) => c.text.length > 400_000)?.text).toBe(BODY);
      expect(canonicalJson(onDynamo)).toBe(canonicalJson(stored));
      expect((await storeMigrate(ports(back), 'dynamodb', 'file')).copied).toEqual([original.id]);
      expect(canonicalJson(await openFileStores(back).store.load(original.id))).toBe(canonicalJson(stored));
    } finally {
      await dynamo.close();
      await drop();
    }
  });
});
