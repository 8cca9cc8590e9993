// `blue dialogue round open`: opens the next round and writes its panel.json and one prompt per expert.

import { parsePanelFile, PANEL_FILE_ERROR, type PanelInput } from '../domain/panel.js';
import { openRound, replaceRound, type FocusInput } from '../domain/protocol.js';
import { panelInputWarnings } from '../domain/input-check.js';
import { refuseHiddenCharacters } from '../domain/hidden-characters.js';
import { outputFile, promptFile, roundFolder } from '../workspace/layout.js';
import { readPreviousSummary, roundFiles, type RoundFiles } from './judge-files.js';
import type { Ports } from './ports.js';
import { updateWith, withStores } from './shared.js';
import type { Dialogue, PanelMember } from '../domain/model.js';
import { BlueError } from '../domain/errors.js';

export interface RoundOpenRequest {
  id: string;
  round?: number;
  /** The panel file as the judge named it. */
  panel?: string;
  /** name -> focus line, or the `--focus` pairs in the order given (a name given twice is refused). */
  focus?: FocusInput;
  /** Re-open the open, unscored round with a new panel (`--replace`). */
  replace?: boolean;
}

export interface RoundOpened {
  dialogue: Dialogue;
  round: number;
  panel: RoundFiles['panel'];
  /** With --replace: the outputs and prompts of experts who left the panel, and where they were moved. */
  movedAside: Array<{ from: string; to: string }>;
}

export async function roundOpen(ports: Ports, request: RoundOpenRequest): Promise<RoundOpened> {
  const { workspace } = ports;
  const focus = request.focus ?? {};
  refuseHiddenCharacters({ '--focus': (Array.isArray(focus) ? focus : Object.entries(focus)).map(([name, text]) => `${name}=${text}`) });
  let panel: PanelInput[] | undefined;
  if (request.panel) {
    const file = await workspace.readData(request.panel, 'panel file', PANEL_FILE_ERROR);
    for (const w of panelInputWarnings(file.data, file.path)) ports.log.warn(`${w.file}: ${w.message}`, w);
    panel = parsePanelFile(file.data, file.path);
  }
  const at = ports.clock.now().toISOString();
  const outcome = await withStores(ports, async (stores) => {
    const id = await stores.catalog.resolve(request.id);
    try {
      return await updateWith(stores.store, id, (d) => {
        const input = { round: request.round, panel, focus: request.focus ?? {}, at };
        const opened = request.replace ? replaceRound(d, input) : { ...openRound(d, input), replaced: [] as PanelMember[] };
        return { dialogue: opened.dialogue, value: { n: opened.round, replaced: opened.replaced } };
      });
    } catch (error) {
      // Refused because the round is open: if its files were lost after its commit, write them instead.
      const repaired = error instanceof BlueError && error.code === 'round_not_scored' ? await repairOpenRound(ports, await stores.store.load(id), request) : undefined;
      if (repaired) return { repaired };
      throw error;
    }
  });
  if ('repaired' in outcome) return outcome.repaired;
  const { dialogue, value } = outcome;
  const { n, replaced } = value;
  const round = dialogue.rounds.find((r) => r.n === n)!;
  // Who stays is a name with the same role: a name freed by the replaced panel may go to a new role,
  // whose expert must not inherit the old one's output.
  const staying = new Set(round.panel.map((m) => `${m.name}\n${m.role}`));
  const movedAside: RoundOpened['movedAside'] = [];
  for (const leaver of replaced.filter((m) => !staying.has(`${m.name}\n${m.role}`))) {
    for (const from of [outputFile(dialogue.id, n, leaver.name), promptFile(dialogue.id, n, leaver.name)]) {
      const to = await workspace.moveAside(from, `${roundFolder(dialogue.id, n)}/replaced`);
      if (to) movedAside.push({ from, to });
    }
  }
  const summaryText = await readPreviousSummary(workspace, dialogue.id, n);
  const files = roundFiles(dialogue, n, workspace.templates(), summaryText);
  await workspace.write(files.files);
  return { dialogue, round: n, panel: files.panel, movedAside };
}

/**
 * A crash between the commit of `round open` and its files leaves an open round without its panel.json
 * or prompts. Running the same `round open` again then writes what is missing (the store has it all)
 * instead of refusing because the round is open. With --replace, or when nothing is missing, it is not a
 * repair and the usual rules apply.
 */
async function repairOpenRound(ports: Ports, dialogue: Dialogue, request: RoundOpenRequest): Promise<RoundOpened | undefined> {
  const last = dialogue.rounds[dialogue.rounds.length - 1];
  if (request.replace || !last || last.status !== 'open' || dialogue.status !== 'open') return undefined;
  if (request.round !== undefined && request.round !== last.n) return undefined;
  const summaryText = await readPreviousSummary(ports.workspace, dialogue.id, last.n);
  const files = roundFiles(dialogue, last.n, ports.workspace.templates(), summaryText);
  const missing = [];
  for (const file of files.files) if (!(await ports.workspace.exists(file.path))) missing.push(file);
  if (missing.length === 0) return undefined;
  await ports.workspace.write(missing);
  ports.log.warn(`round ${last.n} was open without ${missing.length} of its files (a command stopped after its commit?); wrote them from the store: ${missing.map((f) => f.path).join(', ')}`);
  return { dialogue, round: last.n, panel: files.panel, movedAside: [] };
}

