// `blue dialogue show`: loads the dialogue; render/show.ts turns it into the answer and the text.

import type { Dialogue } from '../domain/model.js';
import type { Ports } from './ports.js';
import { loadDialogue, withStores } from './shared.js';

export async function show(ports: Ports, idArg: string): Promise<Dialogue> {
  return withStores(ports, (stores) => loadDialogue(stores, idArg));
}
