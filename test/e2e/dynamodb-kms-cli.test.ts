// bin/blue with --kms-key-id: the data keys and the table's index key are wrapped by KMS (here a local
// stand-in speaking KMS's protocol, reached by the real SDK through AWS_ENDPOINT_URL_KMS) and no master
// key file is created or read.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertDistCurrent, runBlueAsync, type BlueRun } from '../../scripts/blue.mjs';
import { SMALL_POOL } from '../support/cli.js';
import { localClientConfig, localEndpoint, uniqueTableName } from '../support/dynamodb.js';

type Env = Record<string, string>;

/** bin/blue in `root` with `env`; a non-zero exit throws with the CLI's words unless allowFail. */
function blue(args: string[], { root, env, allowFail = false }: { root: string; env: Env; allowFail?: boolean }): Promise<BlueRun> {
  return runBlueAsync(args, { cwd: root, env, check: !allowFail });
}

/** Starts test/support/fake-kms-server.mjs in its own process and returns its endpoint. */
async function startFakeKms(): Promise<{ endpoint: string; child: ChildProcess }> {
  assertDistCurrent(); // the fake KMS seals with dist/'s envelope
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'support', 'fake-kms-server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (chunk) => resolve(String(chunk).trim()));
    child.once('exit', (code) => reject(new Error(`the fake KMS exited (${code})`)));
  });
  return { endpoint, child };
}

/** What the fake KMS was asked, in order. */
async function kmsCalls(endpoint: string): Promise<string[]> {
  return (await (await fetch(`${endpoint}/calls`)).json()) as string[];
}

describe('the DynamoDB store with a KMS key', () => {
  const table = uniqueTableName('kms_cli');
  const tables = [table];
  const root = mkdtempSync(join(tmpdir(), 'blue-kms-cli-'));
  let kms: { endpoint: string; child: ChildProcess };
  let env: Env;

  beforeAll(async () => {
    kms = await startFakeKms();
    execFileSync('git', ['init', '-q', root]);
    writeFileSync(join(root, 'pool.yaml'), SMALL_POOL);
    env = {
      BLUE_STORE: 'dynamodb',
      BLUE_DYNAMODB_ENDPOINT: localEndpoint(),
      BLUE_DYNAMODB_TABLE: table,
      BLUE_KMS_KEY_ID: 'alias/blue-test',
      BLUE_KEY_FILE: join(root, 'must-not-exist.key'),
      AWS_ENDPOINT_URL_KMS: kms.endpoint,
      AWS_ACCESS_KEY_ID: 'blueTest',
      AWS_SECRET_ACCESS_KEY: 'blueTestSecret',
      AWS_REGION: 'us-east-1',
    };
  });

  afterAll(async () => {
    const client = new DynamoDBClient(localClientConfig());
    for (const name of tables) await client.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined);
    client.destroy();
    kms.child.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('initialises, writes and reads with KMS-wrapped keys, and no key file', async () => {
    const init = (await blue(['store', 'init', '--json'], { root, env })).json;
    expect(init).toMatchObject({ tableStatus: 'created', indexKey: 'created', key: { kind: 'kms', id: 'kms:alias/blue-test' } });
    expect(await kmsCalls(kms.endpoint)).toEqual(['GenerateDataKey']);

    const id = (await blue(['dialogue', 'start', 'Second shop with KMS', '--pool', 'pool.yaml', '--json'], { root, env })).json.id;
    await blue(['dialogue', 'round', 'open', id, '--json'], { root, env });
    const [shown, verified] = await Promise.all([blue(['dialogue', 'show', id, '--json'], { root, env }), blue(['store', 'verify', '--json'], { root, env })]);
    expect(shown.json).toMatchObject({ id, title: 'Second shop with KMS', status: 'open' });
    expect(verified.json).toMatchObject({ ok: true, dialogues: [{ id, ok: true }] });
    expect(existsSync(env.BLUE_KEY_FILE)).toBe(false);
    // One data key for the dialogue (at start), and Decrypts to unwrap keys: never a key in the clear.
    const calls = await kmsCalls(kms.endpoint);
    expect(calls.filter((call) => call === 'GenerateDataKey')).toHaveLength(2);
    expect(calls.filter((call) => call !== 'GenerateDataKey' && call !== 'Decrypt')).toEqual([]);
  });

  it('a local master key cannot open what KMS wrapped (exit 4, the keyring named)', async () => {
    const keyFile = join(root, 'local.key');
    const otherTable = uniqueTableName('kms_other');
    tables.push(otherTable);
    await blue(['store', 'init', '--key-file', keyFile, '--table', otherTable, '--json'], { root, env: { ...env, BLUE_KMS_KEY_ID: '' } });
    const run = await blue(['dialogue', 'list', '--json'], { root, env: { ...env, BLUE_KMS_KEY_ID: '', BLUE_KEY_FILE: keyFile }, allowFail: true });
    expect(run.status).toBe(4);
    expect(run.json.error.code).toBe('key_unwrap_failed');
    expect(run.json.error.message).toContain('kms:alias/blue-test');
  });
});
