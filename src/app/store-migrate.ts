// `blue store migrate --from <store> --to <store>`: copies every dialogue, each one all-or-nothing (the
// target store commits a dialogue in one step), resumable (a dialogue already identical in the target is
// skipped), never overwriting a different one. Progress goes to the log; the result says what was copied.

import { BlueError, badInput, failure, integrity } from '../domain/errors.js';
import { canonicalJson, toPlainJson } from '../domain/canonical.js';
import type { CatalogProblem, StoreKind, Stores } from '../store/types.js';
import type { Ports } from './ports.js';

export interface Migrated {
  from: StoreKind;
  to: StoreKind;
  copied: string[];
  skipped: string[];
  failed: Array<{ id: string; code: string; message: string }>;
}

export async function storeMigrate(ports: Ports, from: StoreKind, to: StoreKind): Promise<Migrated> {
  if (from === to) throw badInput('invalid_option', `--from and --to are both ${from}: nothing to migrate.`, { fix: 'name two different stores: blue store migrate --from file --to dynamodb (or the other way)' });
  const result: Migrated = { from, to, copied: [], skipped: [], failed: [] };
  // Whether any failure was an integrity failure (exit 4, CLI.md), which the failed list's shape does not say.
  let damaged = false;
  const source = await ports.openStores(from);
  let target: Stores | undefined;
  try {
    target = await ports.openStores(to);
    const problems: CatalogProblem[] = [];
    const found = await source.maintenance.ids({ problems });
    // A folder with no store file holds no dialogue to copy (a clone working on DynamoDB has such folders).
    const empty = new Set(problems.filter((p) => p.code === 'store_file_missing').map((p) => p.id));
    for (const id of empty) ports.log.progress(`${id}: no store file in its folder; nothing to copy`);
    const ids = found.filter((id) => !empty.has(id));
    for (const problem of problems) {
      if (found.includes(problem.id)) continue;
      result.failed.push({ id: problem.id, code: problem.code, message: problem.message });
      if (problem.exitCode === 4) damaged = true;
    }
    for (const [index, id] of ids.entries()) {
      const step = `[${index + 1}/${ids.length}] ${id}`;
      try {
        const outcome = await copyOne(source, target, id);
        (outcome === 'copied' ? result.copied : result.skipped).push(id);
        ports.log.progress(`${step}: ${outcome === 'copied' ? 'copied' : 'already in the target, identical: skipped'}`);
      } catch (error) {
        if (!(error instanceof BlueError)) throw error;
        result.failed.push({ id, code: error.code, message: error.message });
        if (error.exitCode === 4) damaged = true;
        ports.log.progress(`${step}: not copied: ${error.message}`);
      }
    }
  } finally {
    await target?.close?.();
    await source.close?.();
  }
  if (result.failed.length > 0) {
    throw (damaged ? integrity : failure)('migrate_incomplete', `${migrateSummary(result)}:\n${result.failed.map((f) => `  ${f.id}: ${f.message}`).join('\n')}\nFix these and run the same command again; what was copied stays copied.`, {
      ...result,
      fix: 'fix what each failure names, then run the same `blue store migrate` again: what was copied stays copied',
    });
  }
  return result;
}

export function migrateSummary(m: Migrated): string {
  return `${m.copied.length} copied, ${m.skipped.length} already there, ${m.failed.length} failed (${m.from} -> ${m.to})`;
}

/** Copies one dialogue, then reads it back from the target to prove the copy is exact. */
async function copyOne(source: Stores, target: Stores, id: string): Promise<'copied' | 'skipped'> {
  const dialogue = toPlainJson(await source.store.load(id));
  if (await target.store.exists(id)) {
    const existing = await target.store.load(id);
    if (canonicalJson(toPlainJson(existing)) === canonicalJson(dialogue)) return 'skipped';
    throw failure('migrate_conflict', `the target already holds a different version of ${id} (version ${existing.version}, source ${dialogue.version}); blue never overwrites a dialogue.`, { id, fix: `compare the two (\`blue store verify ${id}\` on each store); remove the copy that is wrong from its store, then migrate again` });
  }
  await target.maintenance.restore(dialogue);
  const copy = await target.store.load(id);
  if (canonicalJson(toPlainJson(copy)) !== canonicalJson(dialogue)) {
    throw failure('migrate_mismatch', `the copy of ${id} read back from the target differs from the source.`, { id, fix: `run \`blue store verify ${id}\` on the target store, then migrate again` });
  }
  return 'copied';
}
