// bin/blue with --kms-key-id: the data keys and the table's index key are wrapped by KMS (here a local
// stand-in speaking KMS's protocol, reached by the real SDK through AWS_ENDPOINT_URL_KMS) and no master
// key file is created or read.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM script without types
import { blue } from '../../scripts/replay.mjs';
import { SMALL_POOL } from '../support/cli.js';
import { localClientConfig, localEndpoint, uniqueTableName } from '../support/dynamodb.js';

/** Starts test/support/fake-kms-server.mjs in its own process and returns its endpoint. */
async function startFakeKms(): Promise<{ endpoint: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'support', 'fake-kms-server.mjs')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (chunk) => resolve(String(chunk).trim()));
    child.once('exit', (code) => reject(new Error(`the fake KMS exited (${code})`)));
  });
  return { endpoint, child };
}

/** What the fake KMS was asked, in order (a child process, so asked with curl-like sync HTTP). */
function kmsCalls(endpoint: string): string[] {
  return JSON.parse(execFileSync(process.execPath, ['-e', `fetch(${JSON.stringify(endpoint + '/calls')}).then((r) => r.text()).then((t) => process.stdout.write(t))`], { encoding: 'utf8' }));
}

describe('the DynamoDB store with a KMS key', () => {
  const table = uniqueTableName('kms_cli');
  const root = mkdtempSync(join(tmpdir(), 'blue-kms-cli-'));
  let kms: { endpoint: string; child: ChildProcess };
  let env: Record<string, string>;

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
    await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
    client.destroy();
    kms.child.kill();
    rmSync(root, { recursive: true, force: true });
  });

  it('initialises, writes and reads with KMS-wrapped keys, and no key file', () => {
    const init = blue(['store', 'init', '--json'], { root, env }).json;
    expect(init).toMatchObject({ tableStatus: 'created', indexKey: 'created', key: { kind: 'kms', id: 'kms:alias/blue-test' } });
    expect(kmsCalls(kms.endpoint)).toEqual(['GenerateDataKey']);

    const id = blue(['dialogue', 'start', 'Second shop with KMS', '--pool', 'pool.yaml', '--json'], { root, env }).json.id;
    blue(['dialogue', 'round', 'open', id, '--json'], { root, env });
    const shown = blue(['dialogue', 'show', id, '--json'], { root, env }).json;
    expect(shown).toMatchObject({ id, title: 'Second shop with KMS', status: 'open' });
    expect(blue(['store', 'verify', '--json'], { root, env }).json).toMatchObject({ ok: true, dialogues: [{ id, ok: true }] });
    expect(existsSync(env.BLUE_KEY_FILE)).toBe(false);
    // One data key for the dialogue (at start), and Decrypts to unwrap keys: never a key in the clear.
    const calls = kmsCalls(kms.endpoint);
    expect(calls.filter((call) => call === 'GenerateDataKey')).toHaveLength(2);
    expect(calls.filter((call) => call !== 'GenerateDataKey' && call !== 'Decrypt')).toEqual([]);
  });

  it('a local master key cannot open what KMS wrapped (exit 4, the keyring named)', () => {
    const keyFile = join(root, 'local.key');
    blue(['store', 'init', '--key-file', keyFile, '--table', uniqueTableName('kms_other'), '--json'], { root, env: { ...env, BLUE_KMS_KEY_ID: '' } });
    const run = blue(['dialogue', 'list', '--json'], { root, env: { ...env, BLUE_KMS_KEY_ID: '', BLUE_KEY_FILE: keyFile }, allowFail: true });
    expect(run.status).toBe(4);
    expect(run.json.error.code).toBe('key_unwrap_failed');
    expect(run.json.error.message).toContain('kms:alias/blue-test');
  });
});
