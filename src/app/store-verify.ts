// `blue store verify [<id>]`: reads and authenticates everything stored for one dialogue or all of them.
// Every failing item is named; any failure is exit 4. Leftovers of an interrupted write are noted, not failed.

import { integrity, INTEGRITY_FIX } from '../domain/errors.js';
import type { CatalogProblem, VerifyReport } from '../store/types.js';
import type { Ports } from './ports.js';
import { withStores } from './shared.js';

export async function storeVerify(ports: Ports, idOrPrefix: string | undefined, storeName: string): Promise<VerifyReport[]> {
  const { reports, problems } = await withStores(ports, async (stores) => {
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
  for (const report of reports) for (const note of report.notes) ports.log.progress(`${report.id}: ${note}`);
  const failed = reports.filter((report) => !report.ok);
  if (failed.length > 0) {
    const first = failed[0].problems.find((problem) => problem.item === 'head') ?? failed[0].problems[0];
    throw integrity(
      'verify_failed',
      `${failed.length} of ${reports.length} dialogue(s) in ${storeName} failed verification:\n${failed.map(verifyLine).join('\n')}`,
      { dialogues: reports, item: first?.item, id: failed[0].id, fix: INTEGRITY_FIX },
    );
  }
  return reports;
}

/** One dialogue's line in the report: `ok      <id> (n items)` or `FAILED  <id>: ...`. */
export function verifyLine(report: VerifyReport): string {
  return report.ok
    ? `ok      ${report.id} (${report.items} item${report.items === 1 ? '' : 's'})`
    : `FAILED  ${report.id}: ${report.problems.map((p) => p.message).join('\n        ')}`;
}
