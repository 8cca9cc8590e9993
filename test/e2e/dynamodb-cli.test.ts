// The DynamoDB store through the built bin/blue, as a team would use it: `store init`, the RFC 0058 replay
// on DynamoDB Local compared byte for byte with the same replay on the file store, a scan for plaintext,
// the tamper matrix (each attack must make show, export and store verify exit 4 naming the item, printing
// nothing of the dialogue), two processes writing at once, and migrate from file to DynamoDB and back.
//
// Every bin/blue start loads the AWS SDK (~0.3 s of CPU), so this file runs what it can side by side: the
// top-level describes have tables and folders of their own and run concurrently; within one, the steps
// that build on each other run in order (it.sequential). The RFC 0058 replay runs once per store: the
// file store's serves both the byte-for-byte comparison and the migration. Each attack puts back what it
// changed, and the dialogue's items are then compared with what they were before it.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBlueAsync, type BlueRun } from '../../scripts/blue.mjs';
import { replayAsync } from '../../scripts/replay.mjs';
import { localClientConfig, localEndpoint, scanTable, uniqueTableName } from '../support/dynamodb.js';
import { SMALL_POOL } from '../support/cli.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const shared = resolve(here, '../../../shared/fixtures/rfc-0058/judge.json');
const judgeFile = existsSync(shared) ? shared : resolve(here, '../../.blue/examples/rfc-0058/judge.json');
const ID = '2026-02-06T1839Z-rfc-0058-supersession-hybrid-relational-dynamodb-architecture';

type Item = Record<string, any>;
type Env = Record<string, string>;

const temp = mkdtempSync(join(tmpdir(), 'blue-dynamodb-cli-'));
const tables: string[] = [];
let client: DynamoDBClient;
let doc: DynamoDBDocumentClient;

/** The environment a team member would set for DynamoDB Local, with this test's table and key file. */
function envFor(table: string, keyFile = join(temp, 'master.key')): Env {
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

/** bin/blue in `root` with `env`; a non-zero exit throws with the CLI's words unless allowFail. */
function blue(args: string[], { root, env = {}, allowFail = false }: { root: string; env?: Env; allowFail?: boolean }): Promise<BlueRun> {
  return runBlueAsync(args, { cwd: root, env, check: !allowFail });
}

function newTable(prefix: string): string {
  const table = uniqueTableName(prefix);
  tables.push(table);
  return table;
}

const scan = (table: string): Promise<Item[]> => scanTable(client, table);

/** Every item of one dialogue (one partition), in key order. */
async function partition(table: string, pk: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({ TableName: table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** An item as text: keys sorted at every depth, bytes as base64. */
function canonical(value: unknown): string {
  if (value instanceof Uint8Array) return JSON.stringify(`bytes:${Buffer.from(value).toString('base64')}`);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value instanceof Set) return `set(${[...value].map(canonical).sort().join(',')})`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Item)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** One line per item of a dialogue, `<sk> <sha-256 of the item>`: cheap to compare, and names what differs. */
async function fingerprints(table: string, pk: string): Promise<string[]> {
  return (await partition(table, pk)).map((item) => `${item.sk} ${createHash('sha256').update(canonical(item)).digest('hex')}`);
}

function gitRoot(name: string): string {
  const root = join(temp, name);
  execFileSync('git', ['init', '-q', root]);
  return root;
}

// The RFC 0058 replay on the file store, once for the file: what DynamoDB's replay must equal byte for
// byte, and the first dialogue that migrate copies.
let fileReplay: Promise<{ root: string; record: string }> | undefined;
function fileReplayed() {
  fileReplay ??= (async () => {
    const root = gitRoot('replay-file');
    const onFile = await replayAsync({ judgeFile, root, store: 'file' });
    expect(onFile.problems).toEqual([]);
    return { root, record: readFileSync(onFile.record, 'utf8') };
  })();
  return fileReplay;
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

describe.concurrent('blue store init', () => {
  it.sequential('creates the table, the 0600 key file and the index key, and a second run changes nothing', async () => {
    const table = newTable('init');
    const root = gitRoot('init');
    const env = envFor(table, join(temp, 'init-key', 'master.key'));
    const first = (await blue(['store', 'init', '--json'], { root, env })).json;
    expect(first).toMatchObject({ table, tableStatus: 'created', indexKey: 'created', key: { kind: 'file', created: true } });
    expect(first.key.id).toMatch(/^local:[0-9a-f]{16}$/);
    expect(execFileSync('stat', ['-c', '%a', join(temp, 'init-key', 'master.key')], { encoding: 'utf8' }).trim()).toBe('600');
    const second = (await blue(['store', 'init', '--json'], { root, env })).json;
    expect(second).toMatchObject({ tableStatus: 'exists', indexKey: 'exists', key: { id: first.key.id, created: false } });
  });

  it.sequential('commands on a table that was never initialised say to run store init (exit 1)', async () => {
    const root = gitRoot('uninit');
    // The key file exists (the test above made it); the table does not.
    const env = envFor(newTable('uninit'), join(temp, 'init-key', 'master.key'));
    const run = await blue(['dialogue', 'list', '--store', 'dynamodb', '--json'], { root, env, allowFail: true });
    expect(run.status).toBe(1);
    expect(run.json.error.code).toBe('table_not_found');
    expect(run.json.error.message).toMatch(/blue store init/);
  });
});

describe.concurrent('the RFC 0058 replay on DynamoDB Local', () => {
  const table = newTable('replay');
  let env: Env;
  let dynamoRoot: string;
  let dynamoRecord: string;
  let fileRecord: string;
  let pk: string;

  /** The dialogue under attack: the replay's, or another one in the same table. */
  let target = { id: ID, pk: '', root: '' };
  const show = (extra: Env = {}) => blue(['dialogue', 'show', target.id, '--store', 'dynamodb', '--json'], { root: target.root, env: { ...env, ...extra }, allowFail: true });
  const exportRecord = (json = true, extra: Env = {}) =>
    blue(['dialogue', 'export', target.id, '--store', 'dynamodb', '--output', '-', ...(json ? ['--json'] : [])], { root: target.root, env: { ...env, ...extra }, allowFail: true });
  const verify = (extra: Env = {}) => blue(['store', 'verify', target.id, '--store', 'dynamodb', '--json'], { root: target.root, env: { ...env, ...extra }, allowFail: true });

  beforeAll(async () => {
    env = envFor(table);
    dynamoRoot = gitRoot('replay-dynamodb');
    const onDynamo = (async () => {
      await blue(['store', 'init'], { root: dynamoRoot, env });
      return replayAsync({ judgeFile, root: dynamoRoot, store: 'dynamodb', env });
    })();
    const [replayed, onFile] = await Promise.all([onDynamo, fileReplayed()]);
    expect(replayed.problems).toEqual([]);
    dynamoRecord = readFileSync(replayed.record, 'utf8');
    fileRecord = onFile.record;
    pk = (await scan(table)).find((item) => item.sk === 'meta')!.pk;
    target = { id: ID, pk, root: dynamoRoot };
  }, 180_000);

  it.sequential('produces a record identical, byte for byte, to the same replay on the file store', async () => {
    expect(dynamoRecord.length).toBeGreaterThan(5000);
    expect(dynamoRecord).toBe(fileRecord);
    expect((await exportRecord(false)).stdout).toBe(fileRecord);
    // The file store's own copy is not involved: the DynamoDB root has no store.json at all.
    expect(existsSync(join(dynamoRoot, '.blue', 'dialogues', ID, 'store.json'))).toBe(false);
  });

  it.sequential('leaves none of the content in the table in plain text', async () => {
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

  it.sequential('store verify authenticates every item', async () => {
    const run = await verify();
    expect(run.status).toBe(0);
    expect(run.json.dialogues[0]).toMatchObject({ id: ID, ok: true, problems: [] });
    expect(run.json.dialogues[0].items).toBeGreaterThan(100);
  });

  describe.sequential('tampering, as an attacker with write access to the table', () => {
    const content = ['Hybrid Relational', 'typed directed graph', 'Rust Systems Engineer'];
    /** A second, small dialogue in the same table: its items before and after round 0's ingest. */
    const other = { id: '', pk: '', root: '', opened: [] as Item[] };

    beforeAll(async () => {
      // The replay's dialogue must be whole before any attack, or an attack would prove nothing.
      expect((await verify()).status).toBe(0);
      other.root = gitRoot('other-dialogue');
      writeFileSync(join(other.root, 'pool.yaml'), SMALL_POOL);
      const known = new Set((await scan(table)).map((i) => i.pk));
      other.id = (await blue(['dialogue', 'start', 'Other dialogue', '--pool', 'pool.yaml', '--store', 'dynamodb', '--json'], { root: other.root, env })).json.id;
      await blue(['dialogue', 'round', 'open', other.id, '--store', 'dynamodb', '--json'], { root: other.root, env });
      const opened = await scan(table);
      other.pk = opened.find((i) => i.sk === 'meta' && !known.has(i.pk))!.pk;
      other.opened = opened.filter((i) => i.pk === other.pk);
      writeFileSync(join(other.root, '.blue', 'dialogues', other.id, 'round-0', 'muffin.md'), '[PERSPECTIVE P01: A point]\nSome reasoning.\n');
      await blue(['dialogue', 'round', 'ingest', other.id, '--store', 'dynamodb', '--json'], { root: other.root, env });
      const whole = await blue(['store', 'verify', other.id, '--store', 'dynamodb', '--json'], { root: other.root, env, allowFail: true });
      expect(whole.status, whole.stdout).toBe(0);
    }, 60_000);

    async function item(prefix: string, offset = 0): Promise<Item> {
      const found = (await partition(table, target.pk)).filter((i) => String(i.sk).startsWith(prefix));
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

    /**
     * Applies `attack`, checks show, export and store verify (run at once), then puts back what it changed
     * and checks the dialogue's items are exactly what they were before. Returns the three runs.
     */
    async function expectDetected(attack: () => Promise<Item[]>, itemName: RegExp, code: string, extraEnv: Env = {}) {
      const before = await fingerprints(table, target.pk);
      const originals = await attack();
      let runs: BlueRun[];
      try {
        runs = await Promise.all([show(extraEnv), exportRecord(true, extraEnv), verify(extraEnv)]);
        for (const [i, what] of ['show', 'export', 'verify'].entries()) {
          const run = runs[i];
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
      // Put back as it was (and nothing that read it wrote anything): the next attack starts from a whole dialogue.
      expect(await fingerprints(table, target.pk)).toEqual(before);
      return runs;
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
      // The other dialogue's round 0 item pasted over the replay's round 0.
      const theirs = (await partition(table, other.pk)).find((i) => String(i.sk).startsWith('round#00'))!;
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
      // The other dialogue, which has changed since round 0 opened: put its items of then back.
      const old = (prefix: string) => other.opened.find((i) => String(i.sk).startsWith(prefix))!;
      const saved = target;
      target = { id: other.id, pk: other.pk, root: other.root };
      try {
        await expectDetected(async () => {
          const current = await item('meta');
          await put(old('meta'));
          return [current];
        }, /head/, 'item_missing');
        await expectDetected(async () => {
          const current = await item('round#00');
          await put({ ...old('round#00'), sk: current.sk });
          return [current];
        }, /round#00/, 'item_authentication_failed');
      } finally {
        target = saved;
      }
    });

    it('using the wrong master key', async () => {
      const otherKey = join(temp, 'other-key', 'master.key');
      await blue(['store', 'init', '--key-file', otherKey, '--table', newTable('other_key'), '--json'], { root: dynamoRoot, env });
      const [shown] = await expectDetected(async () => [], /blue#keyring\/index-key/, 'key_unwrap_failed', { BLUE_KEY_FILE: otherKey });
      expect(shown.json.error.code).toBe('key_unwrap_failed');
      expect(shown.json.error.message).toMatch(/wrong master key/);
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

describe.concurrent('two blue processes writing the same dialogue on DynamoDB at once', () => {
  it('both writes land: neither is lost or silently overwritten', async () => {
    const table = newTable('concurrent');
    const root = gitRoot('concurrent');
    const env = envFor(table);
    await blue(['store', 'init'], { root, env });
    const pool = join(root, 'pool.yaml');
    writeFileSync(pool, SMALL_POOL);
    const id = (await blue(['dialogue', 'start', 'Concurrent writers', '--pool', pool, '--store', 'dynamodb', '--json'], { root, env })).json.id;
    const note = (n: number) => {
      const file = join(root, `note-${n}.md`);
      writeFileSync(file, `Interim verdict ${n}.`);
      return file;
    };
    const runs = await Promise.all(
      [1, 2, 3, 4].map((n) => blue(['dialogue', 'verdict', id, '--type', 'interim', '--text-file', note(n), '--store', 'dynamodb'], { root, env, allowFail: true })),
    );
    expect(runs.map((run) => run.status)).toEqual([0, 0, 0, 0]);
    const exported = (await blue(['dialogue', 'export', id, '--format', 'json', '--output', '-', '--store', 'dynamodb'], { root, env })).stdout;
    const dialogue = JSON.parse(exported).dialogue;
    expect(dialogue.verdicts.map((v: any) => v.text).sort()).toEqual([1, 2, 3, 4].map((n) => `Interim verdict ${n}.`));
    expect(dialogue.version).toBe(5);
  });
});

describe.concurrent('blue store migrate', () => {
  it('file -> DynamoDB -> file leaves every exported record unchanged, and a second run skips what is there', async () => {
    const table = newTable('migrate');
    const env = envFor(table);
    // The file replay's folder, with a second, small dialogue so that "every dialogue" means more than one.
    const { root: source } = await fileReplayed();
    const back = gitRoot('migrate-back');
    const pool = join(source, 'pool.yaml');
    writeFileSync(pool, SMALL_POOL);
    const small = (await blue(['dialogue', 'start', 'A small one', '--pool', pool, '--json'], { root: source })).json.id;
    const records = async (root: string, store: string) => {
      const [one, two] = await Promise.all([ID, small].map((id) => blue(['dialogue', 'export', id, '--store', store, '--output', '-'], { root, env })));
      return { [ID]: one.stdout, [small]: two.stdout };
    };
    const [before] = await Promise.all([records(source, 'file'), blue(['store', 'init'], { root: source, env })]);

    const there = await blue(['store', 'migrate', '--from', 'file', '--to', 'dynamodb', '--json'], { root: source, env });
    expect(there.json).toMatchObject({ from: 'file', to: 'dynamodb', failed: [] });
    expect([...there.json.copied].sort()).toEqual([ID, small].sort());
    expect(there.stderr).toMatch(/\[1\/2\] .*: copied/);
    expect(await records(source, 'dynamodb')).toEqual(before);

    const again = (await blue(['store', 'migrate', '--from', 'file', '--to', 'dynamodb', '--json'], { root: source, env })).json;
    expect(again.copied).toEqual([]);
    expect([...again.skipped].sort()).toEqual([ID, small].sort());

    const home = (await blue(['store', 'migrate', '--from', 'dynamodb', '--to', 'file', '--root', back, '--json'], { root: back, env })).json;
    expect([...home.copied].sort()).toEqual([ID, small].sort());
    expect(await records(back, 'file')).toEqual(before);
    // The copy is the same dialogue, version and all.
    const a = JSON.parse(readFileSync(join(source, '.blue', 'dialogues', ID, 'store.json'), 'utf8')).dialogue;
    const b = JSON.parse(readFileSync(join(back, '.blue', 'dialogues', ID, 'store.json'), 'utf8')).dialogue;
    expect(b).toEqual(a);
  }, 180_000);

  it('copies what it can, names what it could not (exit 4 when what failed is damage), and a second run finishes the job', async () => {
    const table = newTable('migrate_resume');
    const env = envFor(table);
    const root = gitRoot('migrate-resume');
    writeFileSync(join(root, 'pool.yaml'), SMALL_POOL);
    const start = async (title: string) => (await blue(['dialogue', 'start', title, '--pool', 'pool.yaml', '--json'], { root })).json.id;
    const good = await start('Healthy dialogue');
    const damaged = await start('Damaged dialogue');
    const storeFile = join(root, '.blue', 'dialogues', damaged, 'store.json');
    const intact = readFileSync(storeFile, 'utf8');
    writeFileSync(storeFile, intact.replace('Damaged dialogue', 'Damaged by hand'));

    await blue(['store', 'init'], { root, env });
    const first = await blue(['store', 'migrate', '--from', 'file', '--to', 'dynamodb', '--json'], { root, env, allowFail: true });
    // A corrupt store file is an integrity failure: exit 4 (CLI.md), the code and the report as before.
    expect(first.status).toBe(4);
    expect(first.json.error.code).toBe('migrate_incomplete');
    expect(first.json.error.details).toMatchObject({ copied: [good], skipped: [], failed: [{ id: damaged, code: 'corrupt_store_file' }] });
    expect(first.stderr).toMatch(/not copied: .*store\.json is corrupt/);

    writeFileSync(storeFile, intact); // restored from a backup
    const second = (await blue(['store', 'migrate', '--from', 'file', '--to', 'dynamodb', '--json'], { root, env })).json;
    expect(second).toMatchObject({ copied: [damaged], skipped: [good], failed: [] });
    const listed = (await blue(['dialogue', 'list', '--store', 'dynamodb', '--json'], { root, env })).json.dialogues.map((d: any) => d.id);
    expect(listed.sort()).toEqual([good, damaged].sort());
  });
});

describe.concurrent('damage the catalog index cannot see, through bin/blue', () => {
  /** A table with two small dialogues on DynamoDB; returns what the tests need to attack and to ask. */
  async function twoDialogues(name: string) {
    const table = newTable(name);
    const env = { ...envFor(table), BLUE_STORE: 'dynamodb' };
    const root = gitRoot(name);
    writeFileSync(join(root, 'pool.yaml'), SMALL_POOL);
    await blue(['store', 'init'], { root, env });
    const start = async (title: string, date: string) => (await blue(['dialogue', 'start', title, '--pool', 'pool.yaml', '--date', date, '--json'], { root, env })).json.id as string;
    const victim = await start('Victim dialogue', '2026-03-01T09:30Z');
    const bystander = await start('Bystander dialogue', '2026-03-02T09:30Z');
    const metas = (await scan(table)).filter((item) => item.sk === 'meta');
    const meta = metas.find((item) => String(item.createdAt).startsWith('2026-03-01'))!;
    const run = (args: string[], cwd = root) => blue([...args, '--json'], { root: cwd, env, allowFail: true });
    return { table, env, root, victim, bystander, meta, run };
  }

  it("a meta item's deleted g1pk: verify and migrate name the dialogue (exit 4), migrate copies the rest", async () => {
    const { table, victim, bystander, meta, run } = await twoDialogues('hidden_g1pk');
    const { g1pk: _dropped, ...altered } = meta;
    await doc.send(new PutCommand({ TableName: table, Item: altered }));

    // list is one Query of the catalog index: it cannot see the dialogue (README: store verify finds it).
    expect((await run(['dialogue', 'list'])).json.dialogues.map((d: any) => d.id)).toEqual([bystander]);

    const verified = await run(['store', 'verify']);
    expect(verified.status, verified.stdout).toBe(4);
    expect(verified.json.error.code).toBe('verify_failed');
    expect(verified.json.error.message).toMatch(/2 dialogue\(s\) .* failed verification/);
    expect(verified.json.error.message).toContain(`The meta item of dialogue ${victim}`);
    expect(verified.json.error.message).toMatch(/catalog attributes were altered or deleted/);

    const one = await run(['store', 'verify', victim]);
    expect(one.status, one.stdout).toBe(4);
    expect(one.json.error.details.dialogues[0].problems).toEqual([expect.objectContaining({ item: 'meta', code: 'catalog_keys_altered' })]);

    const back = gitRoot('hidden_g1pk_back');
    const migrated = await run(['store', 'migrate', '--from', 'dynamodb', '--to', 'file', '--root', back], back);
    expect(migrated.status, migrated.stdout).toBe(4);
    expect(migrated.json.error.code).toBe('migrate_incomplete');
    expect(migrated.json.error.details).toMatchObject({ copied: [bystander], failed: [{ id: victim, code: 'catalog_keys_altered' }] });

    // Put back, the table verifies whole again.
    await doc.send(new PutCommand({ TableName: table, Item: meta }));
    expect((await run(['store', 'verify'])).status).toBe(0);
  }, 60_000);

  it('a deleted meta: show and verify by id are exit 4, a start of the same id is refused, verify names the partition', async () => {
    const { table, victim, meta, run } = await twoDialogues('deleted_meta');
    const before = (await scan(table)).filter((item) => item.pk === meta.pk).length;
    await doc.send(new DeleteCommand({ TableName: table, Key: { pk: meta.pk, sk: 'meta' } }));

    for (const args of [['dialogue', 'show', victim], ['store', 'verify', victim]]) {
      const shown = await run(args);
      expect(shown.status, `${args.join(' ')}: ${shown.stdout}`).toBe(4);
      expect(shown.json.error.message).toMatch(/meta of dialogue .* is missing, yet \d+ other item\(s\) of it remain/);
    }
    const all = await run(['store', 'verify']);
    expect(all.status, all.stdout).toBe(4);
    expect(all.json.error.message).toContain(`Partition ${meta.pk}`);
    expect(all.json.error.message).toMatch(/meta is missing, yet \d+ item\(s\) remain/);

    const again = await run(['dialogue', 'start', 'Victim dialogue', '--pool', 'pool.yaml', '--date', '2026-03-01T09:30Z']);
    expect(again.status, again.stdout).toBe(4);
    expect(again.json.error.code).toBe('partition_not_empty');
    expect(again.json.error.message).toContain(meta.pk);
    expect((await scan(table)).filter((item) => item.pk === meta.pk).length).toBe(before - 1);
  }, 60_000);

  it('a deleted index key: list and show are exit 4, and store init will not make a new one', async () => {
    const { table, victim, run } = await twoDialogues('deleted_index_key');
    await doc.send(new DeleteCommand({ TableName: table, Key: { pk: 'blue#keyring', sk: 'index-key' } }));
    for (const args of [['dialogue', 'list'], ['dialogue', 'show', victim], ['store', 'init']]) {
      const answer = await run(args);
      expect(answer.status, `${args.join(' ')}: ${answer.stdout}`).toBe(4);
      expect(answer.json.error.code).toBe('index_key_missing');
      expect(answer.json.error.message).toMatch(/it was deleted.*Restore the item \(pk blue#keyring, sk index-key\) from a backup/s);
    }
    expect((await scan(table)).some((item) => item.pk === 'blue#keyring')).toBe(false);
  }, 60_000);
});
