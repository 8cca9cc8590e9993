// `blue store migrate --from <store> --to <store>`

import { blueCommand } from '../domain/shell.js';
import type { CommandSpec } from './spec.js';

export const storeMigrateCommand: CommandSpec = {
  path: ['store', 'migrate'],
  description: 'copy every dialogue from one store to another: resumable, all-or-nothing per dialogue',
  options: [
    { flags: '--from <store>', description: 'file or dynamodb', required: true, choices: ['file', 'dynamodb'] },
    { flags: '--to <store>', description: 'file or dynamodb', required: true, choices: ['file', 'dynamodb'] },
  ],
  examples: ['blue store migrate --from file --to dynamodb'],
  async run(ctx, _args, o) {
    const [{ storeMigrate, migrateSummary }, { parseStoreKind }] = await Promise.all([import('../app/store-migrate.js'), import('../app/store-kinds.js')]);
    const result = await storeMigrate(ctx.ports, parseStoreKind(o.from, '--from store'), parseStoreKind(o.to, '--to store'));
    return {
      json: result,
      human: migrateSummary(result),
      next: [{ command: blueCommand('store', 'verify', '--store', result.to), why: `read and authenticate everything the ${result.to} store holds now` }],
    };
  },
};
