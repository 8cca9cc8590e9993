// What the use cases share: opening and closing the stores, and a change whose result is more than the
// new dialogue.

import type { Dialogue } from '../domain/model.js';
import { explained } from '../domain/next.js';
import type { CatalogProblem, DialogueStore, Stores, UpdateOptions } from '../store/types.js';
import type { Log, Ports } from './ports.js';

export async function withStores<T>(ports: Ports, work: (stores: Stores) => Promise<T>): Promise<T> {
  const stores = await ports.openStores();
  try {
    return await work(stores);
  } finally {
    await stores.close?.();
  }
}

/**
 * `store.update` with a change that also returns a value (the round opened, the verdict recorded). A store
 * may run the change more than once (DynamoDB retries on a conflict); the value returned is the one of the
 * run that was committed, which is the last.
 */
export async function updateWith<T>(
  store: DialogueStore,
  id: string,
  change: (current: Dialogue) => { dialogue: Dialogue; value: T },
  options?: UpdateOptions,
): Promise<{ dialogue: Dialogue; value: T }> {
  let committed: { value: T } | undefined;
  const dialogue = await store.update(id, (current) => {
    // A refusal names what the judge can do instead: the dialogue's next steps as it stands.
    const result = explained(current, () => change(current));
    committed = { value: result.value };
    return result.dialogue;
  }, options);
  return { dialogue, value: committed!.value };
}

/** Resolves an id, unique prefix or bare slug and loads the dialogue. */
export async function loadDialogue(stores: Stores, idOrPrefix: string): Promise<Dialogue> {
  return stores.store.load(await stores.catalog.resolve(idOrPrefix));
}

/**
 * Dialogues a listing could not read are not hidden: each is named on stderr (and in the --json answer),
 * by its file once: most messages start with it already.
 */
export function warnUnreadable(log: Log, problems: readonly CatalogProblem[]): void {
  for (const p of problems) log.warn(p.message.includes(p.file) ? p.message : `${p.file}: ${p.message}`);
}
