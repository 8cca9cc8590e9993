// `blue store verify [<id>]`: read and authenticate everything stored for one dialogue or all of them.
// Every failing item is named; any failure is exit 4. Leftovers of an interrupted write are noted, not failed.

import type { Context } from '../cli/context.js';
import type { CommandResult } from '../cli/output.js';
import { integrity } from '../domain/errors.js';
import { progress } from '../cli/output.js';
import { withStores } from './shared.js';
import type { CatalogProblem, VerifyReport } from '../store/types.js';

export async function storeVerify(ctx: Context, idOrPrefix: string | undefined): Promise<CommandResult> {
  const { reports, problems } = await withStores(ctx, async (stores) => {
    const problems: CatalogProblem[] = [];
    const ids = idOrPrefix === undefined ? await stores.maintenance.ids({ problems }) : [await stores.catalog.resolve(idOrPrefix)];
    const reports: VerifyReport[] = [];
    for (const id of ids) reports.push(await stores.maintenance.verify(id));
    return { reports, problems };
  });

  // A dialogue the catalog could not even name (e.g. its catalog entry fails authentication) counts too.
  for (const problem of problems) {
    if (!reports.some((report) => report.id === problem.id)) {
      reports.push({ id: problem.id, items: 0, ok: false, problems: [{ item: problem.file, code: problem.code, message: problem.message }], notes: [] });
    }
  }
  const failed = reports.filter((report) => !report.ok);
  const lines = reports.map((report) =>
    report.ok
      ? `ok      ${report.id} (${report.items} item${report.items === 1 ? '' : 's'})`
      : `FAILED  ${report.id}: ${report.problems.map((p) => p.message).join('\n        ')}`,
  );
  for (const report of reports) for (const note of report.notes) progress(`${report.id}: ${note}`);
  const store = ctx.storeKind === 'dynamodb' ? `DynamoDB table ${ctx.dynamo.table}` : 'the file store';
  if (failed.length > 0) {
    const first = failed[0].problems.find((problem) => problem.item === 'head') ?? failed[0].problems[0];
    throw integrity(
      'verify_failed',
      `${failed.length} of ${reports.length} dialogue(s) in ${store} failed verification:\n${lines.filter((l) => l.startsWith('FAILED')).join('\n')}`,
      { dialogues: reports, item: first?.item, id: failed[0].id },
    );
  }
  return {
    json: { ok: true, store: ctx.storeKind, dialogues: reports },
    human: reports.length ? `${lines.join('\n')}\n${reports.length} dialogue(s) verified in ${store}.` : `No dialogues in ${store}.`,
  };
}
