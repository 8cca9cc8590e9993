// Which store a command uses and where the DynamoDB store is: flag > environment > .blue/config.yaml >
// default (CLI.md), with paths resolved the way a user would expect.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createContext } from '../../src/cli/context.js';
import { expectBlueError } from '../store/conformance.js';

describe('createContext: the store and its settings', () => {
  let root: string;
  const config = (yaml: string) => writeFileSync(join(root, '.blue', 'config.yaml'), yaml);

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'blue-context-'));
    mkdirSync(join(root, '.blue'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('defaults to the file store, blue_dialogues, AWS itself (no endpoint) and the default key file', async () => {
    const ctx = await createContext({}, root, {});
    expect(ctx.storeKind).toBe('file');
    expect(ctx.dynamo).toEqual({ table: 'blue_dialogues', endpoint: undefined, region: undefined, profile: undefined, keyFile: undefined, kmsKeyId: undefined });
  });

  it('takes the flag over the environment over the config', async () => {
    config(
      'storage:\n  backend: file\n  dynamodb:\n    table: from_config\n    endpoint: http://config:8000\n    region: eu-west-1\n    key_file: keys/blue.key\n    kms-key-id: alias/config\n',
    );
    const fromConfig = await createContext({}, root, {});
    expect(fromConfig.storeKind).toBe('file');
    expect(fromConfig.dynamo).toMatchObject({ table: 'from_config', endpoint: 'http://config:8000', region: 'eu-west-1', kmsKeyId: 'alias/config' });
    expect(fromConfig.dynamo.keyFile).toBe(join(root, 'keys', 'blue.key')); // relative to the project

    const env = { BLUE_STORE: 'dynamodb', BLUE_DYNAMODB_TABLE: 'from_env', BLUE_DYNAMODB_ENDPOINT: 'http://env:8000', BLUE_KEY_FILE: 'env.key', AWS_REGION: 'us-east-2' };
    const fromEnv = await createContext({}, root, env);
    expect(fromEnv.storeKind).toBe('dynamodb');
    expect(fromEnv.dynamo).toMatchObject({ table: 'from_env', endpoint: 'http://env:8000', region: 'us-east-2', keyFile: join(root, 'env.key') });

    const fromFlags = await createContext({ store: 'file', table: 'from_flag', endpoint: 'http://flag:8000', keyFile: 'flag.key', kmsKeyId: 'alias/flag' }, root, env);
    expect(fromFlags.storeKind).toBe('file');
    expect(fromFlags.dynamo).toMatchObject({ table: 'from_flag', endpoint: 'http://flag:8000', kmsKeyId: 'alias/flag', keyFile: join(root, 'flag.key') });
  });

  it('treats an empty variable as unset', async () => {
    const ctx = await createContext({}, root, { BLUE_STORE: '', BLUE_DYNAMODB_TABLE: ' ' });
    expect(ctx.storeKind).toBe('file');
    expect(ctx.dynamo.table).toBe('blue_dialogues');
  });

  it('refuses an unknown store and a malformed storage.dynamodb (exit 2)', async () => {
    await expectBlueError(createContext({ store: 'sqlite' }, root, {}), 2, 'unknown_store');
    config('storage:\n  dynamodb: [a, b]\n');
    await expectBlueError(createContext({}, root, {}), 2, 'invalid_config');
    config('storage:\n  dynamodb:\n    table: 42\n');
    await expectBlueError(createContext({}, root, {}), 2, 'invalid_config');
  });

  it('names unknown config keys with the closest known one, as structured warnings too', async () => {
    config('storage:\n  backend: file\n  dynamodb:\n    tabel: t\nagnet:\n  command: claude\n');
    const ctx = await createContext({}, root, {});
    expect(ctx.inputWarnings.map((w) => [w.file, w.message.split(';')[0]])).toEqual([
      ['.blue/config.yaml', 'agnet is not a known key and is ignored'],
      ['.blue/config.yaml', 'storage.dynamodb.tabel is not a known key and is ignored'],
    ]);
    expect(ctx.inputWarnings[0].message).toContain('did you mean agent?');
    expect(ctx.inputWarnings[1].message).toContain('did you mean table?');
  });
});
