// `blue completion --ids <word>`: the dialogue ids (or slugs) the shell offers where an id goes. Asked on
// every TAB after a command that takes an id, so it is cheap: one folder listing on the file store, no
// store file read; the catalog on DynamoDB (which is one query there).

import { completeDialogueId, hasIdStamp } from '../domain/ids.js';
import { DIALOGUES_FOLDER } from '../workspace/layout.js';
import type { Ports } from './ports.js';
import { withStores } from './shared.js';

export async function dialogueIdsFor(ports: Ports, word: string): Promise<string[]> {
  const ids =
    ports.storeKind === 'file'
      ? (await ports.workspace.list(DIALOGUES_FOLDER)).filter(hasIdStamp)
      : await withStores(ports, async (stores) => (await stores.catalog.list()).map((d) => d.id));
  return completeDialogueId(ids, word);
}
