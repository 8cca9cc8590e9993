// What several commands share: finding the dialogue, its folder, and the judge-facing files.

import { join } from 'node:path';
import type { Context } from '../context.js';
import type { Dialogue } from '../model.js';
import type { Stores } from '../store/types.js';
import { writeOwnedFile } from '../files.js';
import { badInput } from '../errors.js';
import { renderRoundSummary, renderScoreboard, renderTensions } from '../render/judge-files.js';
import { dialogueDir } from '../render/record.js';

export { dialogueDir };

export function absDialogueDir(ctx: Context, id: string): string {
  return join(ctx.root, dialogueDir(id));
}

export async function withStores<T>(ctx: Context, work: (stores: Stores) => Promise<T>): Promise<T> {
  const stores = await ctx.openStores();
  try {
    return await work(stores);
  } finally {
    await stores.close?.();
  }
}

/** Resolves an id, unique prefix or bare slug and loads the dialogue. */
export async function loadDialogue(stores: Stores, idOrPrefix: string): Promise<Dialogue> {
  const id = await stores.catalog.resolve(idOrPrefix);
  return stores.store.load(id);
}

/**
 * Rewrites scoreboard.md, tensions.md and the scored rounds' summaries from the stored dialogue, so
 * the next round's experts read exactly what the store holds. Returns the paths written.
 */
export async function writeJudgeFiles(ctx: Context, dialogue: Dialogue): Promise<string[]> {
  const dir = absDialogueDir(ctx, dialogue.id);
  const written: [string, string][] = [
    ['scoreboard.md', renderScoreboard(dialogue)],
    ['tensions.md', renderTensions(dialogue)],
    ...dialogue.rounds
      .filter((r) => r.status === 'scored')
      .map((r): [string, string] => [`round-${r.n}.summary.md`, renderRoundSummary(dialogue, r.n)]),
  ];
  await Promise.all(written.map(([name, content]) => writeOwnedFile(join(dir, name), content)));
  return written.map(([name]) => `${dialogueDir(dialogue.id)}/${name}`);
}

/** Splits `name=value` (value may contain '='). */
export function splitPair(text: string, option: string, valueRequired = true): [string, string | undefined] {
  const i = text.indexOf('=');
  if (i === -1) {
    if (valueRequired) {
      throw badInput('invalid_option', `${option} takes <name>=<value> (got "${text}")`);
    }
    return [text.trim(), undefined];
  }
  return [text.slice(0, i).trim(), text.slice(i + 1).trim()];
}
