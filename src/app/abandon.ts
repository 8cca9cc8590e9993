// `blue dialogue abandon`: ends a dialogue that will not be finished, with the reason.

import type { Dialogue } from '../domain/model.js';
import { abandonDialogue } from '../domain/protocol.js';
import { refuseHiddenCharacters } from '../domain/hidden-characters.js';
import type { Ports } from './ports.js';
import { updateWith, withStores } from './shared.js';

export async function abandon(ports: Ports, request: { id: string; reason?: string }): Promise<Dialogue> {
  refuseHiddenCharacters({ '--reason': request.reason });
  const at = ports.clock.now().toISOString();
  return withStores(ports, async (stores) => {
    const id = await stores.catalog.resolve(request.id);
    return (await updateWith(stores.store, id, (d) => ({ dialogue: abandonDialogue(d, { reason: request.reason ?? '', at }), value: undefined }))).dialogue;
  });
}
