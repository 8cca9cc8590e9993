// The DynamoDB store through the built bin/blue, as a team would use it: `store init`, the RFC 0058 replay
// on DynamoDB Local compared byte for byte with the same replay on the file store, a scan for plaintext,
// the tamper matrix (each attack must make show, export and store verify exit 4 naming the item, printing
// nothing of the dialogue), two processes writing at once, and migrate from file to DynamoDB and back.

import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM script without types
import { replay, blue, BLUE } from '../../scripts/replay.mjs';
import { localClientConfig, localEndpoint, scanTable, uniqueTableName } from '../support/dynamodb.js';
import { SMALL_POOL } from '../support/cli.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const shared = resolve(here, '../../../shared/fixtures/rfc-0058/judge.json');
const judgeFile = existsSync(shared) ? shared : resolve(here, '../../.blue/examples/rfc-0058/judge.json');
const ID = '2026-02-06T1839Z-rfc-0058-supersession-hybrid-relational-dynamodb-architecture';

type Item = Record<string, any>;
type Run = { status: number; stdout: string; stderr: string; json: any };

const temp = mkdtempSync(join(tmpdir(), 'blue-dynamodb-cli-'));
const tables: string[] = [];
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;

/** The environment a team member would set for DynamoDB Local, with this test's table and key file. */
function envFor(table: string, keyFile = join(temp, 'master.key')): Record<string, string> {
  return {
    BLUE_DYNAMODB_ENDPOINT: localEndpoint(),
    BLUE_DYNAMODB_TABLE: table,
    BLUE_KEY_FILE: keyFile,
    AWS_ACCESS_KEY_ID: 'blueTest',
    AWS_SECRET_ACCESS_KEY: 'blueTestSecret',
    AWS_REGION: 'us-east-1',
    BLUE_STORE: '',
  };
}

function newTable(prefix: string): string {
  const table = uniqueTableName(prefix);
  tables.push(table);
  return table;
}

const scan = (table: string): Promise<Item[]> => scanTable(client, table);

function gitRoot(name: string): string {
  const root = join(temp, name);
  execFileSync('git', ['init', '-q', root]);
  return root;
}

beforeAll(() => {
  client = new DynamoDBClient(localClientConfig());
  doc = DynamoDBDocumentClient.from(client);
});

afterAll(async () => {
  for (const table of tables) await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
  client.destroy();
  rmSync(temp, { recursive: true, force: true });
});

describe('blue store init', () => {
  it('creates the table, the 0600 key file and the index key, and a second run changes nothing', () => {
    const table = newTable('init');
    const root = gitRoot('init');
    const env = envFor(table, join(temp, 'init-key', 'master.key'));
    const first = blue(['store', 'init', '--json'], { root, env }).json;
    expect(first).toMatchObject({ table, tableStatus: 'created', indexKey: 'created', key: { kind: 'file', created: true } });
    expect(first.key.id).toMatch(/^local:[0-9a-f]{16}$/);
    expect(execFileSync('stat', ['-c', '%a', join(temp, 'init-key', 'master.key')], { encoding: 'utf8' }).trim()).toBe('600');
    const second = blue(['store', 'init', '--json'], { root, env }).json;
    expect(second).toMatchObject({ tableStatus: 'exists', indexKey: 'exists', key: { id: first.key.id, created: false } });
  });

  it('commands on a table that was never initialised say to run store init (exit 1)', () => {
    const root = gitRoot('uninit');
    // The key file exists (the test above made it); the table does not.
    const env = envFor(newTable('uninit'), join(temp, 'init-key', 'master.key'));
    const run = blue(['dialogue', 'list', '--store', 'dynamodb', '--json'], { root, env, allowFail: true });
    expect(run.status).toBe(1);
    expect(run.json.error.code).toBe('table_not_found');
    expect(run.json.error.message).toMatch(/blue store init/);
  });
});

describe('the RFC 0058 replay on DynamoDB Local', () => {
  const table = newTable('replay');
  let env: Record<string, string>;
  let dynamoRoot: string;
  let fileRoot: string;
  let dynamoRecord: string;
  let fileRecord: string;
  let pk: string;

  /** The dialogue under attack: the replay's, or another one in the same table. */
  let target = { id: ID, pk: '', root: '' };
  const show = (extra: Record<string, string> = {}) =>
    blue(['dialogue', 'show', target.id, '--store', 'dynamodb', '--json'], { root: target.root, env: { ...env, ...extra }, allowFail: true }) as Run;
  const exportRecord = (json = true, extra: Record<string, string> = {}) =>
    blue(['dialogue', 'export', target.id, '--store', 'dynamodb', '--output', '-', ...(json ? ['--json'] : [])], { root: target.root, env: { ...env, ...extra }, allowFail: true }) as Run;
  const verify = (extra: Record<string, string> = {}) =>
    blue(['store', 'verify', target.id, '--store', 'dynamodb', '--json'], { root: target.root, env: { ...env, ...extra }, allowFail: true }) as Run;

  beforeAll(async () => {
    env = envFor(table);
    dynamoRoot = gitRoot('replay-dynamodb');
    fileRoot = gitRoot('replay-file');
    blue(['store', 'init'], { root: dynamoRoot, env });
    const onDynamo = replay({ judgeFile, root: dynamoRoot, store: 'dynamodb', env });
    const onFile = replay({ judgeFile, root: fileRoot, store: 'file' });
    expect(onDynamo.problems).toEqual([]);
    expect(onFile.problems).toEqual([]);
    dynamoRecord = readFileSync(onDynamo.record, 'utf8');
    fileRecord = readFileSync(onFile.record, 'utf8');
    pk = (await scan(table)).find((item) => item.sk === 'meta')!.pk;
    target = { id: ID, pk, root: dynamoRoot };
  }, 180_000);

  it('produces a record identical, byte for byte, to the same replay on the file store', () => {
    expect(dynamoRecord.length).toBeGreaterThan(5000);
    expect(dynamoRecord).toBe(fileRecord);
    expect(exportRecord(false).stdout).toBe(fileRecord);
    // The file store's own copy is not involved: the DynamoDB root has no store.json at all.
    expect(existsSync(join(dynamoRoot, '.blue', 'dialogues', ID, 'store.json'))).toBe(false);
  });

  it('leaves none of the content in the table in plain text', async () => {
    const items = await scan(table);
    expect(items.length).toBeGreaterThan(100);
    const text = JSON.stringify(items, (_, value) => (value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value));
    const secrets = [
      'RFC 0058 Supersession', // the title
      'rfc-0058-supersession', // the id's slug
      'Should RFC 0058 be superseded', // the question
      'Rust Systems Engineer', // a role
      'typed directed graph', // a label
      'Denormalized verdict fields', // a tension label
      'embedded Postgres', // expert text
      'requires multiple sequential round-trips', // expert text
      '0058-encrypted-dynamodb-storage', // the linked RFC
      'Do NOT supersede RFC 0058', // the verdict
    ];
    for (const secret of secrets) expect(text, secret).not.toContain(secret);
    // What stays plain is what the README lists: keys, statuses, rounds, scores, timestamps, names, ids.
    const meta = items.find((item) => item.sk === 'meta')!;
    expect(meta).toMatchObject({ status: 'converged', rounds: 4, alignment: 415 });
  });

  it('store verify authenticates every item', () => {
    const run = verify();
    expect(run.status).toBe(0);
    expect(run.json.dialogues[0]).toMatchObject({ id: ID, ok: true, problems: [] });
    expect(run.json.dialogues[0].items).toBeGreaterThan(100);
  });

  describe('tampering, as an attacker with write access to the table', () => {
    const content = ['Hybrid Relational', 'typed directed graph', 'Rust Systems Engineer'];

    async function item(prefix: string, offset = 0): Promise<Item> {
      const found = (await scan(table)).filter((i) => i.pk === target.pk && String(i.sk).startsWith(prefix)).sort((a, b) => (a.sk < b.sk ? -1 : 1));
      expect(found.length, prefix).toBeGreaterThan(offset);
      return found[offset];
    }
    const put = (value: Item) => doc.send(new PutCommand({ TableName: table, Item: value }));
    const flip = (bytes: Uint8Array, at: number) => {
      const copy = new Uint8Array(bytes);
      const index = at < 0 ? copy.length + at : at;
      copy[index] ^= 0x01;
      return copy;
    };

    /** Applies `attack`, checks show, export and store verify, then puts back what it changed. */
    async function expectDetected(attack: () => Promise<Item[]>, itemName: RegExp, code: string, extraEnv: Record<string, string> = {}) {
      const originals = await attack();
      try {
        for (const [what, run] of [
          ['show', show(extraEnv)],
          ['export', exportRecord(true, extraEnv)],
          ['verify', verify(extraEnv)],
        ] as const) {
          expect(run.status, `${what}: ${run.stderr}${run.stdout}`).toBe(4);
          expect(run.json.error.details.item ?? run.json.error.message, what).toMatch(itemName);
          expect(run.json.error.message, what).toMatch(itemName);
          // verify answers verify_failed with each item's own code in details; show and export, the item's code.
          const codes = [run.json.error.code, ...(run.json.error.details.dialogues ?? []).flatMap((d: any) => d.problems.map((p: any) => p.code))];
          expect(codes, what).toContain(code);
          for (const secret of content) expect(run.stdout + run.stderr, what).not.toContain(secret);
        }
      } finally {
        for (const original of originals) await put(original);
      }
      expect(verify().status).toBe(0);
    }

    it('flipping a byte of a ciphertext', async () => {
      await expectDetected(async () => {
        const original = await item('tension#');
        await put({ ...original, c: flip(original.c, -20) });
        return [original];
      }, /tension#00#000/, 'item_authentication_failed');
    });

    it('flipping a byte of a nonce', async () => {
      await expectDetected(async () => {
        const original = await item('round#01');
        const nonceAt = 3 + original.c[2] + 5;
        await put({ ...original, c: flip(original.c, nonceAt) });
        return [original];
      }, /round#01/, 'item_authentication_failed');
    });

    it('flipping a byte of a tag', async () => {
      await expectDetected(async () => {
        const original = await item('meta');
        await put({ ...original, c: flip(original.c, -1) });
        return [original];
      }, /meta/, 'item_authentication_failed');
    });

    it("copying one item's sealed payload onto another item", async () => {
      await expectDetected(async () => {
        const source = await item('perspective#00#', 0);
        const victim = await item('perspective#00#', 1);
        await put({ ...victim, c: source.c });
        return [victim];
      }, /perspective#00#001/, 'item_authentication_failed');
    });

    it('copying an item onto the same address in another dialogue', async () => {
      // A second dialogue in the same table, then its round 0 item pasted over the replay's round 0.
      const otherRoot = gitRoot('other-dialogue');
      const pool = join(temp, 'pool.yaml');
      writeFileSync(pool, SMALL_POOL);
      const started = blue(['dialogue', 'start', 'Other dialogue', '--pool', pool, '--store', 'dynamodb', '--json'], { root: otherRoot, env }).json;
      blue(['dialogue', 'round', 'open', started.id, '--store', 'dynamodb', '--json'], { root: otherRoot, env });
      const otherPk = (await scan(table)).find((i) => i.sk === 'meta' && i.pk !== pk)!.pk;
      const theirs = (await scan(table)).find((i) => i.pk === otherPk && String(i.sk).startsWith('round#00'))!;
      await expectDetected(async () => {
        const ours = await item('round#00');
        await put({ ...theirs, pk, sk: ours.sk });
        return [ours];
      }, /round#00/, 'item_authentication_failed');
    });

    it('editing a plain attribute that the AAD binds (a round\'s score, the dialogue\'s status)', async () => {
      await expectDetected(async () => {
        const original = await item('round#02');
        await put({ ...original, roundScore: { ...original.roundScore, total: 999 } });
        return [original];
      }, /round#02/, 'item_authentication_failed');
      await expectDetected(async () => {
        const original = await item('meta');
        await put({ ...original, status: 'open' });
        return [original];
      }, /meta/, 'item_authentication_failed');
    });

    it('deleting an item', async () => {
      await expectDetected(async () => {
        const original = await item('event#');
        await doc.send(new DeleteCommand({ TableName: table, Key: { pk: target.pk, sk: original.sk } }));
        return [original];
      }, /event#00#000/, 'item_missing');
    });

    it('restoring an older version of an item (an older meta; an old payload at the current address)', async () => {
      // Another dialogue, so that it can still change: snapshot it, change it, put old items back.
      const root = gitRoot('rollback');
      const pool = join(temp, 'rollback-pool.yaml');
      writeFileSync(pool, SMALL_POOL);
      const known = new Set((await scan(table)).map((i) => i.pk));
      const id = blue(['dialogue', 'start', 'Rollback target', '--pool', pool, '--store', 'dynamodb', '--json'], { root, env }).json.id;
      blue(['dialogue', 'round', 'open', id, '--store', 'dynamodb', '--json'], { root, env });
      const before = await scan(table);
      const rollbackPk = before.find((i) => i.sk === 'meta' && !known.has(i.pk))!.pk;
      const old = (prefix: string) => before.find((i) => i.pk === rollbackPk && String(i.sk).startsWith(prefix))!;
      const oldMeta = old('meta');
      const oldRound = old('round#00');
      writeFileSync(join(root, '.blue', 'dialogues', id, 'round-0', 'muffin.md'), '[PERSPECTIVE P01: A point]\nSome reasoning.\n');
      blue(['dialogue', 'round', 'ingest', id, '--store', 'dynamodb', '--json'], { root, env });
      const saved = target;
      target = { id, pk: rollbackPk, root };
      try {
        await expectDetected(async () => {
          const current = await item('meta');
          await put(oldMeta);
          return [current];
        }, /head/, 'item_missing');
        await expectDetected(async () => {
          const current = await item('round#00');
          await put({ ...oldRound, sk: current.sk });
          return [current];
        }, /round#00/, 'item_authentication_failed');
      } finally {
        target = saved;
      }
    });

    it('using the wrong master key', async () => {
      const otherKey = join(temp, 'other-key', 'master.key');
      blue(['store', 'init', '--key-file', otherKey, '--table', newTable('other_key'), '--json'], { root: dynamoRoot, env });
      await expectDetected(async () => [], /blue#keyring\/index-key/, 'key_unwrap_failed', { BLUE_KEY_FILE: otherKey });
      const run = show({ BLUE_KEY_FILE: otherKey });
      expect(run.json.error.code).toBe('key_unwrap_failed');
      expect(run.json.error.message).toMatch(/wrong master key/);
    });

    it("removing the dialogue's wrapped data key (crypto-shredding) leaves nothing readable", async () => {
      await expectDetected(async () => {
        const original = await item('meta');
        const { dk: _dk, ...shredded } = original;
        await put(shredded);
        return [original];
      }, /meta/, 'key_missing');
    });
  });
});

describe('two blue processes writing the same dialogue on DynamoDB at once', () => {
  it('both writes land: neither is lost or silently overwritten', async () => {
    const table = newTable('concurrent');
    const root = gitRoot('concurrent');
    const env = envFor(table);
    blue(['store', 'init'], { root, env });
    const pool = join(root, 'pool.yaml');
    writeFileSync(pool, SMALL_POOL);
    const id = blue(['dialogue', 'start', 'Concurrent writers', '--pool', pool, '--store', 'dynamodb', '--json'], { root, env }).json.id;
    const note = (n: number) => {
      const file = join(root, `note-${n}.md`);
      writeFileSync(file, `Interim verdict ${n}.`);
      return file;
    };
    const runs = await Promise.all(
      [1, 2, 3, 4].map(
        (n) =>
          new Promise<number | null>((done) => {
            const child = spawn(process.execPath, [BLUE, 'dialogue', 'verdict', id, '--type', 'interim', '--text-file', note(n), '--store', 'dynamodb'], {
              cwd: root,
              env: { ...process.env, ...env },
              stdio: 'ignore',
            });
            child.on('exit', done);
          }),
      ),
    );
    expect(runs).toEqual([0, 0, 0, 0]);
    const exported = blue(['dialogue', 'export', id, '--format', 'json', '--output', '-', '--store', 'dynamodb'], { root, env }).stdout;
    const dialogue = JSON.parse(exported).dialogue;
    expect(dialogue.verdicts.map((v: any) => v.text).sort()).toEqual([1, 2, 3, 4].map((n) => `Interim verdict ${n}.`));
    expect(dialogue.version).toBe(5);
  });
});

describe('blue store migrate', () => {
  it('file -> DynamoDB -> file leaves every exported record unchanged, and a second run skips what is there', () => {
    const table = newTable('migrate');
    const env = envFor(table);
    const source = gitRoot('migrate-source');
    const back = gitRoot('migrate-back');
    replay({ judgeFile, root: source, store: 'file' });
    // A second, small dialogue so that "every dialogue" means more than one.
    const pool = join(source, 'pool.yaml');
    writeFileSync(pool, SMALL_POOL);
    const small = blue(['dialogue', 'start', 'A small one', '--pool', pool, '--json'], { root: source }).json.id;
    const record = (root: string, id: string, store: string) =>
      blue(['dialogue', 'export', id, '--store', store, '--output', '-'], { root, env }).stdout;
    const before = { [ID]: record(source, ID, 'file'), [small]: record(source, small, 'file') };

    blue(['store', 'init'], { root: source, env });
    const there = blue(['store', 'migrate', '--from', 'file', '--to', 'dynamodb', '--json'], { root: source, env });
    expect(there.json).toMatchObject({ from: 'file', to: 'dynamodb', failed: [] });
    expect([...there.json.copied].sort()).toEqual([ID, small].sort());
    expect(there.stderr).toMatch(/\[1\/2\] .*: copied/);
    expect(record(source, ID, 'dynamodb')).toBe(before[ID]);
    expect(record(source, small, 'dynamodb')).toBe(before[small]);

    const again = blue(['store', 'migrate', '--from', 'file', '--to', 'dynamodb', '--json'], { root: source, env }).json;
    expect(again.copied).toEqual([]);
    expect([...again.skipped].sort()).toEqual([ID, small].sort());

    const home = blue(['store', 'migrate', '--from', 'dynamodb', '--to', 'file', '--root', back, '--json'], { root: back, env }).json;
    expect([...home.copied].sort()).toEqual([ID, small].sort());
    expect(record(back, ID, 'file')).toBe(before[ID]);
    expect(record(back, small, 'file')).toBe(before[small]);
    // The copy is the same dialogue, version and all.
    const a = JSON.parse(readFileSync(join(source, '.blue', 'dialogues', ID, 'store.json'), 'utf8')).dialogue;
    const b = JSON.parse(readFileSync(join(back, '.blue', 'dialogues', ID, 'store.json'), 'utf8')).dialogue;
    expect(b).toEqual(a);
  }, 180_000);

  it('copies what it can, names what it could not (exit 1), and a second run finishes the job', () => {
    const table = newTable('migrate_resume');
    const env = envFor(table);
    const root = gitRoot('migrate-resume');
    writeFileSync(join(root, 'pool.yaml'), SMALL_POOL);
    const start = (title: string) => blue(['dialogue', 'start', title, '--pool', 'pool.yaml', '--json'], { root }).json.id;
    const good = start('Healthy dialogue');
    const damaged = start('Damaged dialogue');
    const storeFile = join(root, '.blue', 'dialogues', damaged, 'store.json');
    const intact = readFileSync(storeFile, 'utf8');
    writeFileSync(storeFile, intact.replace('Damaged dialogue', 'Damaged by hand'));

    blue(['store', 'init'], { root, env });
    const first = blue(['store', 'migrate', '--from', 'file', '--to', 'dynamodb', '--json'], { root, env, allowFail: true });
    expect(first.status).toBe(1);
    expect(first.json.error.code).toBe('migrate_incomplete');
    expect(first.json.error.details).toMatchObject({ copied: [good], skipped: [], failed: [{ id: damaged, code: 'corrupt_store_file' }] });
    expect(first.stderr).toMatch(/not copied: .*store\.json is corrupt/);

    writeFileSync(storeFile, intact); // restored from a backup
    const second = blue(['store', 'migrate', '--from', 'file', '--to', 'dynamodb', '--json'], { root, env }).json;
    expect(second).toMatchObject({ copied: [damaged], skipped: [good], failed: [] });
    const listed = blue(['dialogue', 'list', '--store', 'dynamodb', '--json'], { root, env }).json.dialogues.map((d: any) => d.id);
    expect(listed.sort()).toEqual([good, damaged].sort());
  });
});
