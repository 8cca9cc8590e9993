// `blue store init` for the DynamoDB store: the table (and its catalog index), the key that guards it (the
// master key file, created if missing, or a KMS key), and the table's index key. Every step is idempotent.
// Loaded only by that command.

import { rm } from 'node:fs/promises';
import { keyFileOf, keyWrapperOf, openDynamoTarget } from './open.js';
import { clientConfig, timeoutMs, type DynamoTarget } from './settings.js';
import { ensureTable } from './table.js';

type Made = 'created' | 'exists';

/** The key that guards the table, as `store init` reports it. */
type InitKey = { kind: 'kms'; id: string } | { kind: 'file'; id: string; path: string; created: boolean };

interface InitReport {
  table: Made;
  key: InitKey;
  indexKey: Made;
}

/** Creates what is missing, in order: the table, then the key file, then the index key. */
export async function initDynamoStore(target: DynamoTarget): Promise<InitReport> {
  // A client of its own: CreateTable and DescribeTable are not counted among the store's requests.
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const client = new DynamoDBClient(clientConfig(target));
  let table: Made;
  try {
    table = await ensureTable(client, target.table, target.endpoint, timeoutMs(target));
  } finally {
    client.destroy();
  }
  const { wrapper, created } = await keyWrapperOf(target, { create: true });
  const stores = await openDynamoTarget(target, { wrapper });
  let indexKey: Made;
  try {
    indexKey = await stores.dynamo.initKeyring();
  } catch (error) {
    // A key file made a moment ago for a table that another key guards (the team's) is of no use, and
    // left behind it would be mistaken for the right one next time: it goes, nothing ever sealed with it.
    if (created) await rm(keyFileOf(target), { force: true });
    throw error;
  } finally {
    await stores.close?.();
  }
  const key: InitKey = target.kmsKeyId
    ? { kind: 'kms', id: wrapper.id }
    : { kind: 'file', id: wrapper.id, path: keyFileOf(target), created: created === true };
  return { table, key, indexKey };
}
