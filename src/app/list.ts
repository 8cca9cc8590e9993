// `blue dialogue list`: every dialogue in the store with its status, rounds and total ALIGNMENT. Kept
// light: hooks call it, so it loads nothing beyond the store.

import { badInput } from '../domain/errors.js';
import { DIALOGUE_STATUSES, type DialogueStatus, type DialogueSummary } from '../domain/model.js';
import type { CatalogProblem } from '../store/types.js';
import type { Ports } from './ports.js';
import { warnUnreadable, withStores } from './shared.js';

export async function list(ports: Ports, request: { status?: string }): Promise<{ status?: DialogueStatus; dialogues: DialogueSummary[]; problems: CatalogProblem[] }> {
  const status = request.status?.toLowerCase() as DialogueStatus | undefined;
  if (status && !DIALOGUE_STATUSES.includes(status)) {
    throw badInput('invalid_option', `--status must be one of ${DIALOGUE_STATUSES.join(', ')} (got "${request.status}")`, { fix: `give --status ${DIALOGUE_STATUSES.join(', ')}, or leave it out for every dialogue` });
  }
  const problems: CatalogProblem[] = [];
  const all = await withStores(ports, (stores) => stores.catalog.list({ problems }));
  warnUnreadable(ports.log, problems);
  return { ...(status ? { status } : {}), dialogues: status ? all.filter((d) => d.status === status) : all, problems };
}
