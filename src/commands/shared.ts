// What several commands share: the store, finding the dialogue, its folder, option pairs.

import { join } from 'node:path';
import type { Context } from '../cli/context.js';
import type { Dialogue } from '../domain/model.js';
import type { Stores } from '../store/types.js';
import { badInput } from '../domain/errors.js';
import { dialogueDir } from '../domain/ids.js';

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

export function parseInteger(text: string | undefined, option: string, min = 0): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.trim()) || Number(text) < min) {
    throw badInput('invalid_option', `${option} must be an integer of at least ${min} (got "${text}")`);
  }
  return Number(text);
}
