// `blue store init`: make the DynamoDB store ready. Creates the table (and its catalog index), the local
// master key file when no KMS key is given, and the table's index key. Every step is idempotent, so running
// it again, or on a second machine that shares the table and key, changes nothing.

import type { Context } from '../cli/context.js';
import type { CommandResult } from '../cli/output.js';

export async function storeInit(ctx: Context): Promise<CommandResult> {
  const { initDynamoStore } = await import('../store/dynamodb/init.js');
  const target = ctx.dynamo;
  const { table, key, indexKey } = await initDynamoStore(target);

  const where = target.endpoint ?? `AWS${target.region ? ` ${target.region}` : ''}`;
  const human = [
    `table ${target.table} (${where}): ${table === 'created' ? 'created' : 'already there'}`,
    key.kind === 'kms'
      ? `key: KMS ${target.kmsKeyId} wraps every data key`
      : `key file ${key.path}: ${key.created ? 'created (0600); back it up, blue cannot read the store without it' : 'already there'} (${key.id})`,
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
