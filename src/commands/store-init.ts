// `blue store init`

import { blueCommand } from '../domain/shell.js';
import type { CommandSpec } from './spec.js';

export const storeInitCommand: CommandSpec = {
  path: ['store', 'init'],
  description: 'create the DynamoDB table and its index key (idempotent); create the local master key file if missing',
  examples: ['blue store init --endpoint http://localhost:8000'],
  async run(ctx) {
    const report = await ctx.ports.initDynamoStore();
    const where = report.endpoint ?? `AWS${report.region ? ` ${report.region}` : ''}`;
    const { key } = report;
    const human = [
      `table ${report.table} (${where}): ${report.tableStatus === 'created' ? 'created' : 'already there'}`,
      key.kind === 'kms'
        ? `key: KMS ${key.id.replace(/^kms:/, '')} wraps every data key`
        : `key file ${key.path}: ${key.created ? 'created (0600); back it up, blue cannot read the store without it' : 'already there'} (${key.id})`,
      `index key: ${report.indexKey === 'created' ? 'created' : 'already there'}`,
      ...(ctx.ports.storeKind === 'file'
        ? ['This project still uses the file store: choose DynamoDB with --store dynamodb, BLUE_STORE=dynamodb or `storage: {backend: dynamodb}` in .blue/config.yaml.']
        : []),
    ].join('\n');
    return {
      json: { table: report.table, endpoint: report.endpoint ?? null, tableStatus: report.tableStatus, key, indexKey: report.indexKey },
      human,
      next: [
        ...(ctx.ports.storeKind === 'file'
          ? [{ command: blueCommand('store', 'migrate', '--from', 'file', '--to', 'dynamodb'), why: "copy the file store's dialogues into the table" }]
          : []),
        { command: blueCommand('dialogue', 'list', ...(ctx.ports.storeKind === 'file' ? ['--store', 'dynamodb'] : [])), why: 'the dialogues the table holds' },
      ],
    };
  },
};
