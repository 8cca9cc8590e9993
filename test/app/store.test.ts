// The store commands' use cases in process: verify and migrate on two real file stores (migrate between
// the file store and DynamoDB runs end to end in test/e2e), init against DynamoDB Local.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { start } from '../../src/app/start.js';
import { storeMigrate } from '../../src/app/store-migrate.js';
import { storeVerify } from '../../src/app/store-verify.js';
import { createContext } from '../../src/cli/context.js';
import { SMALL_POOL_YAML, testProject } from '../support/app.js';
import { localEndpoint, uniqueTableName } from '../support/dynamodb.js';

async function projectWithDialogues(titles: string[]) {
  const p = testProject();
  p.write('pool.yaml', SMALL_POOL_YAML);
  const ids: string[] = [];
  for (const [i, title] of titles.entries()) ids.push((await start(p.ports, { title, pool: 'pool.yaml', seed: 1, date: `2026-03-0${i + 1}T09:30Z` })).dialogue.id);
  return { p, ids };
}

describe('store verify', () => {
  it('names every dialogue it read and fails (exit 4) on the one whose file was edited', async () => {
    const { p, ids } = await projectWithDialogues(['One', 'Two']);
    expect((await storeVerify(p.ports, undefined, 'the file store')).map((r) => [r.id, r.ok])).toEqual(ids.map((id) => [id, true]));
    expect((await storeVerify(p.ports, 'one', 'the file store')).map((r) => r.id)).toEqual([ids[0]]);
    const file = `.blue/dialogues/${ids[1]}/store.json`;
    p.write(file, p.read(file).replace('"title": "Two"', '"title": "Deux"'));
    const error = await storeVerify(p.ports, undefined, 'the file store').catch((e) => e);
    expect([error.exitCode, error.code, error.details.id]).toEqual([4, 'verify_failed', ids[1]]);
    expect(error.message).toMatch(/1 of 2 dialogue\(s\) in the file store failed verification/);
  });
});

describe('store migrate', () => {
  it('copies every dialogue, reads each back, skips what is already there, and never overwrites', async () => {
    const { p, ids } = await projectWithDialogues(['One', 'Two']);
    const first = await storeMigrate(p.ports, 'file', 'dynamodb');
    expect(first).toEqual({ from: 'file', to: 'dynamodb', copied: [...ids].sort(), skipped: [], failed: [] });
    expect(p.progress).toEqual([`[1/2] ${[...ids].sort()[0]}: copied`, `[2/2] ${[...ids].sort()[1]}: copied`]);
    const again = await storeMigrate(p.ports, 'file', 'dynamodb');
    expect(again.skipped).toEqual([...ids].sort());
    // The source changes; the target keeps its copy and migrate says so instead of overwriting it.
    const target = await p.ports.openStores('dynamodb');
    await target.store.update(ids[0], (d) => ({ ...d, title: 'Changed in the target' }));
    const conflict = await storeMigrate(p.ports, 'file', 'dynamodb').catch((e) => e);
    expect([conflict.exitCode, conflict.code]).toEqual([1, 'migrate_incomplete']);
    expect(conflict.details.failed).toEqual([{ id: ids[0], code: 'migrate_conflict', message: expect.stringMatching(/never overwrites/) }]);
    expect((await target.store.load(ids[0])).title).toBe('Changed in the target');
    await expect(storeMigrate(p.ports, 'file', 'file')).rejects.toMatchObject({ code: 'invalid_option' });
  });

  it('is exit 4 (integrity) when what failed is a damaged dialogue, the same code and report otherwise', async () => {
    const { p, ids } = await projectWithDialogues(['One', 'Two']);
    const file = `.blue/dialogues/${ids[1]}/store.json`;
    p.write(file, p.read(file).replace('"title": "Two"', '"title": "Deux"'));
    const error = await storeMigrate(p.ports, 'file', 'dynamodb').catch((e) => e);
    expect([error.exitCode, error.code]).toEqual([4, 'migrate_incomplete']);
    expect(error.details).toMatchObject({ copied: [ids[0]], skipped: [], failed: [{ id: ids[1], code: 'corrupt_store_file', message: expect.any(String) }] });
  });
});

describe('store init', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('creates the table, the 0600 key file and the index key on DynamoDB Local, and a second run changes nothing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'blue-init-'));
    const keyFile = join(root, 'keys', 'master.key');
    const table = uniqueTableName('app_store_init');
    // The SDK reads its credentials from the process environment.
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'blueTest');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'blueTestSecret');
    try {
      const ctx = await createContext({ store: 'dynamodb', endpoint: localEndpoint(), table, keyFile }, root, {});
      const first = await ctx.ports.initDynamoStore();
      expect(first).toMatchObject({ table, endpoint: localEndpoint(), tableStatus: 'created', indexKey: 'created', key: { kind: 'file', path: keyFile, created: true } });
      const second = await ctx.ports.initDynamoStore();
      expect(second).toMatchObject({ tableStatus: 'exists', indexKey: 'exists', key: { kind: 'file', created: false, id: first.key.id } });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('DynamoDB for a newcomer', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('gives placeholder credentials to an endpoint on this machine when none are set', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', undefined);
    vi.stubEnv('AWS_PROFILE', undefined);
    const root = mkdtempSync(join(tmpdir(), 'blue-newcomer-'));
    try {
      const ctx = await createContext({ store: 'dynamodb', endpoint: localEndpoint(), table: uniqueTableName('newcomer'), keyFile: join(root, 'k') }, root, {});
      expect(ctx.dynamo.placeholderCredentials).toBe(true);
      expect((await ctx.ports.initDynamoStore()).tableStatus).toBe('created');
      const remote = await createContext({ store: 'dynamodb', endpoint: 'https://dynamodb.eu-west-1.amazonaws.com' }, root, {});
      expect(remote.dynamo.placeholderCredentials).toBeUndefined();
      const withKeys = await createContext({ store: 'dynamodb', endpoint: localEndpoint() }, root, { AWS_ACCESS_KEY_ID: 'mine' });
      expect(withKeys.dynamo.placeholderCredentials).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('names the endpoint that does not answer, and the missing region, each with its fix', async () => {
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_DEFAULT_REGION', undefined);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'blueTest');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'blueTestSecret');
    const root = mkdtempSync(join(tmpdir(), 'blue-newcomer-'));
    try {
      const nobody = await createContext({ store: 'dynamodb', endpoint: 'http://127.0.0.1:9', table: 't_x', keyFile: join(root, 'k') }, root, {});
      const unreachable = await nobody.ports.initDynamoStore().catch((e) => e);
      expect([unreachable.exitCode, unreachable.code]).toEqual([1, 'store_unreachable']);
      // As every DynamoDB failure is said (src/store/dynamodb/errors.ts): what failed, the SDK's message, a
      // full stop, the hint; no error name before the message.
      expect(unreachable.message).toMatch(/^Cannot describe the DynamoDB table t_x at http:\/\/127\.0\.0\.1:9: connect ECONNREFUSED 127\.0\.0\.1:9\. Nothing answers at http:\/\/127\.0\.0\.1:9: start DynamoDB Local \(`npm run dynamodb`/);
      const noRegion = await createContext({ store: 'dynamodb', table: 't_x', keyFile: join(root, 'k') }, root, {});
      const missing = await noRegion.ports.initDynamoStore().catch((e) => e);
      expect([missing.exitCode, missing.code]).toEqual([1, 'region_missing']);
      expect(missing.message).toBe('Cannot describe the DynamoDB table t_x: Region is missing. Name the AWS region: --region <region>, AWS_REGION, or storage.dynamodb.region in .blue/config.yaml.');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('names missing AWS credentials with their fix, for an endpoint that is not this machine', async () => {
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI']) vi.stubEnv(name, undefined);
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/credentials');
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/config');
    const root = mkdtempSync(join(tmpdir(), 'blue-newcomer-'));
    try {
      const remote = await createContext({ store: 'dynamodb', endpoint: 'http://dynamodb.example.invalid', region: 'eu-west-1', table: 't_x', keyFile: join(root, 'k') }, root, {});
      const error = await remote.ports.initDynamoStore().catch((e) => e);
      expect([error.exitCode, error.code]).toEqual([1, 'credentials_missing']);
      expect(error.message).toContain('Give AWS credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or --profile');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a store init refused for the wrong key leaves no key file behind', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'blueTest');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'blueTestSecret');
    const root = mkdtempSync(join(tmpdir(), 'blue-newcomer-'));
    const table = uniqueTableName('wrong_key');
    try {
      const first = await createContext({ store: 'dynamodb', endpoint: localEndpoint(), table, keyFile: join(root, 'team.key') }, root, {});
      await first.ports.initDynamoStore();
      const mine = join(root, 'mine.key');
      const second = await createContext({ store: 'dynamodb', endpoint: localEndpoint(), table, keyFile: mine }, root, {});
      const refused = await second.ports.initDynamoStore().catch((e) => e);
      expect([refused.exitCode, refused.code]).toEqual([4, 'key_unwrap_failed']);
      expect(refused.message).toContain('pass it with --key-file');
      expect(existsSync(mine)).toBe(false);
      expect(existsSync(join(root, 'team.key'))).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

