// `blue dialogue round open`: opens the next round and writes its panel.json and one prompt per expert.

import { parsePanelFile, PANEL_FILE_ERROR, type PanelInput } from '../domain/panel.js';
import { openRound } from '../domain/protocol.js';
import { readPreviousSummary, roundFiles, type RoundFiles } from './judge-files.js';
import type { Ports } from './ports.js';
import { updateWith, withStores } from './shared.js';
import type { Dialogue } from '../domain/model.js';

export interface RoundOpenRequest {
  id: string;
  round?: number;
  /** The panel file as the judge named it. */
  panel?: string;
  /** name -> focus line. */
  focus?: Record<string, string>;
}

export interface RoundOpened {
  dialogue: Dialogue;
  round: number;
  panel: RoundFiles['panel'];
}

export async function roundOpen(ports: Ports, request: RoundOpenRequest): Promise<RoundOpened> {
  const { workspace } = ports;
  let panel: PanelInput[] | undefined;
  if (request.panel) {
    const file = await workspace.readData(request.panel, 'panel file', PANEL_FILE_ERROR);
    panel = parsePanelFile(file.data, file.path);
  }
  const at = ports.clock.now().toISOString();
  const { dialogue, value: n } = await withStores(ports, async (stores) => {
    const id = await stores.catalog.resolve(request.id);
    return updateWith(stores.store, id, (d) => {
      const opened = openRound(d, { round: request.round, panel, focus: request.focus ?? {}, at });
      return { dialogue: opened.dialogue, value: opened.round };
    });
  });
  const summaryText = await readPreviousSummary(workspace, dialogue.id, n);
  const files = roundFiles(dialogue, n, workspace.templates(), summaryText);
  await workspace.write(files.files);
  return { dialogue, round: n, panel: files.panel };
}
