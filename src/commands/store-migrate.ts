// `blue store migrate --from <store> --to <store>`: copy every dialogue, each one all-or-nothing (the target
// store commits a dialogue in one step), resumable (a dialogue already identical in the target is skipped),
// never overwriting a different one. Progress goes to stderr; the result says what was copied.

import type { Context } from '../cli/context.js';
import { parseStoreKind } from '../cli/context.js';
import type { CommandResult } from '../cli/output.js';
import { BlueError, badInput, failure } from '../domain/errors.js';
import { progress } from '../cli/output.js';
import { canonicalJson, toPlainJson } from '../store/canonical-json.js';
import type { CatalogProblem, Stores } from '../store/types.js';

interface Failed {
  id: string;
  code: string;
  message: string;
}

export async function storeMigrate(ctx: Context, options: { from: string; to: string }): Promise<CommandResult> {
  const from = parseStoreKind(options.from, '--from store');
  const to = parseStoreKind(options.to, '--to store');
  if (from === to) throw badInput('invalid_option', `--from and --to are both ${from}: nothing to migrate.`);

  const source = await ctx.openStoresOf(from);
  let target: Stores | undefined;
  const copied: string[] = [];
  const skipped: string[] = [];
  const failed: Failed[] = [];
  try {
    target = await ctx.openStoresOf(to);
    const problems: CatalogProblem[] = [];
    const ids = await source.maintenance.ids({ problems });
    for (const problem of problems) if (!ids.includes(problem.id)) failed.push({ id: problem.id, code: problem.code, message: problem.message });
    for (const [index, id] of ids.entries()) {
      const step = `[${index + 1}/${ids.length}] ${id}`;
      try {
        const outcome = await copyOne(source, target, id);
        (outcome === 'copied' ? copied : skipped).push(id);
        progress(`${step}: ${outcome === 'copied' ? 'copied' : 'already in the target, identical: skipped'}`);
      } catch (error) {
        if (!(error instanceof BlueError)) throw error;
        failed.push({ id, code: error.code, message: error.message });
        progress(`${step}: not copied: ${error.message}`);
      }
    }
  } finally {
    await target?.close?.();
    await source.close?.();
  }

  const summary = `${copied.length} copied, ${skipped.length} already there, ${failed.length} failed (${from} -> ${to})`;
  if (failed.length > 0) {
    throw failure('migrate_incomplete', `${summary}:\n${failed.map((f) => `  ${f.id}: ${f.message}`).join('\n')}\nFix these and run the same command again; what was copied stays copied.`, {
      from, to, copied, skipped, failed,
    });
  }
  return { json: { from, to, copied, skipped, failed }, human: summary };
}

/** Copies one dialogue, then reads it back from the target to prove the copy is exact. */
async function copyOne(source: Stores, target: Stores, id: string): Promise<'copied' | 'skipped'> {
  const dialogue = toPlainJson(await source.store.load(id));
  if (await target.store.exists(id)) {
    const existing = await target.store.load(id);
    if (canonicalJson(toPlainJson(existing)) === canonicalJson(dialogue)) return 'skipped';
    throw failure('migrate_conflict', `the target already holds a different version of ${id} (version ${existing.version}, source ${dialogue.version}); blue never overwrites a dialogue.`, { id });
  }
  await target.maintenance.restore(dialogue);
  const copy = await target.store.load(id);
  if (canonicalJson(toPlainJson(copy)) !== canonicalJson(dialogue)) {
    throw failure('migrate_mismatch', `the copy of ${id} read back from the target differs from the source.`, { id });
  }
  return 'copied';
}
