// `blue dialogue list`: every dialogue in the store with its status, rounds and total ALIGNMENT.
// Kept light: hooks call it, so it loads nothing beyond the store.

import type { Context } from '../cli/context.js';
import type { CommandResult } from '../cli/output.js';
import type { DialogueStatus } from '../domain/model.js';
import { badInput } from '../domain/errors.js';
import { withStores } from './shared.js';
import { warn } from '../cli/output.js';
import type { CatalogProblem } from '../store/types.js';

const STATUSES: readonly DialogueStatus[] = ['open', 'converged', 'abandoned'];

export async function list(ctx: Context, options: { status?: string }): Promise<CommandResult> {
  const status = options.status?.toLowerCase() as DialogueStatus | undefined;
  if (status && !STATUSES.includes(status)) {
    throw badInput('invalid_option', `--status must be one of ${STATUSES.join(', ')} (got "${options.status}")`);
  }
  const problems: CatalogProblem[] = [];
  const all = await withStores(ctx, (stores) => stores.catalog.list({ problems }));
  // A dialogue that cannot be read is not hidden: it is named on stderr (and in --json).
  for (const p of problems) warn(`${p.file}: ${p.message}`);
  const dialogues = status ? all.filter((d) => d.status === status) : all;
  const rows = dialogues.map((d) => ({ id: d.id, title: d.title, status: d.status, rounds: d.rounds, alignment: d.alignment }));
  const human = rows.length
    ? [
        `${'ID'.padEnd(60)} ${'STATUS'.padEnd(9)} ${'ROUNDS'.padStart(6)} ${'ALIGNMENT'.padStart(9)}  TITLE`,
        ...rows.map((r) => `${r.id.padEnd(60)} ${r.status.padEnd(9)} ${String(r.rounds).padStart(6)} ${String(r.alignment).padStart(9)}  ${r.title}`),
      ].join('\n')
    : status
      ? `No ${status} dialogues.`
      : 'No dialogues yet. Start one: blue dialogue start "<title>" --pool <pool.yaml>';
  return {
    json: { dialogues: rows, ...(problems.length ? { problems: problems.map((p) => ({ id: p.id, file: p.file, code: p.code, message: p.message })) } : {}) },
    human,
  };
}
