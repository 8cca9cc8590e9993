// `blue store init`: make the DynamoDB store ready. Creates the table (and its catalog index), the local
// master key file when no KMS key is given, and the table's index key. Every step is idempotent, so running
// it again, or on a second machine that shares the table and key, changes nothing.

import type { Context } from '../cli/context.js';
import type { CommandResult } from '../cli/output.js';

export async function storeInit(ctx: Context): Promise<CommandResult> {
  const { keyFileOf, keyWrapperOf, openDynamoTarget } = await import('../store/dynamodb/open.js');
  const { clientConfig } = await import('../store/dynamodb/settings.js');
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { ensureTable } = await import('../store/dynamodb/table.js');
  const target = ctx.dynamo;

  const client = new DynamoDBClient(clientConfig(target));
  let table: 'created' | 'exists';
  try {
    table = await ensureTable(client, target.table);
  } finally {
    client.destroy();
  }
  const { wrapper, created } = await keyWrapperOf(target, { create: true });
  const stores = await openDynamoTarget(target, { wrapper });
  let indexKey: 'created' | 'exists';
  try {
    indexKey = await stores.dynamo.initKeyring();
  } finally {
    await stores.close?.();
  }

  const key = target.kmsKeyId
    ? { kind: 'kms', id: wrapper.id }
    : { kind: 'file', id: wrapper.id, path: keyFileOf(target), created: created === true };
  const where = target.endpoint ?? `AWS${target.region ? ` ${target.region}` : ''}`;
  const human = [
    `table ${target.table} (${where}): ${table === 'created' ? 'created' : 'already there'}`,
    key.kind === 'kms'
      ? `key: KMS ${target.kmsKeyId} wraps every data key`
      : `key file ${key.path}: ${created ? 'created (0600); back it up, blue cannot read the store without it' : 'already there'} (${wrapper.id})`,
    `index key: ${indexKey === 'created' ? 'created' : 'already there'}`,
    ...(ctx.storeKind === 'file'
      ? ['This project still uses the file store: choose DynamoDB with --store dynamodb, BLUE_STORE=dynamodb or `storage: {backend: dynamodb}` in .blue/config.yaml.']
      : []),
  ].join('\n');
  return {
    json: { table: target.table, endpoint: target.endpoint ?? null, tableStatus: table, key, indexKey },
    human,
  };
}
