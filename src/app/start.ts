// `blue dialogue start`: creates a dialogue from the judge's pool, samples the suggested round-0 panel,
// writes expert-pool.json and returns the judge protocol.

import { BlueError, badInput, refused } from '../domain/errors.js';
import { parseDate } from '../domain/ids.js';
import { ROTATION_MODES, type Dialogue, type RotationMode } from '../domain/model.js';
import { parsePool, poolWarnings, POOL_FILE_ERROR, serialisePool } from '../domain/pool.js';
import { startDialogue } from '../domain/protocol.js';
import { blueCommand } from '../domain/shell.js';
import { poolInputWarnings } from '../domain/input-check.js';
import { refuseHiddenCharacters } from '../domain/hidden-characters.js';
import { renderProtocol } from '../render/prompts.js';
import { dialogueFolder, poolFile } from '../workspace/layout.js';
import type { Ports } from './ports.js';
import { withStores } from './shared.js';

export interface StartRequest {
  title: string;
  /** The pool file as the judge named it (relative to the working directory). */
  pool?: string;
  question?: string;
  panelSize?: number;
  rotation?: string;
  seed?: number;
  maxRounds?: number;
  rfc?: string;
  /** Grounding files as the judge named them. */
  sources?: string[];
  date?: string;
}

export interface Started {
  dialogue: Dialogue;
  dir: string;
  protocol: string;
}

export async function start(ports: Ports, request: StartRequest): Promise<Started> {
  const { workspace, log } = ports;
  refuseHiddenCharacters({ '<title>': request.title, '--question': request.question, '--rfc': request.rfc, '--source': request.sources });
  if (!request.pool) {
    throw badInput('missing_pool', '--pool <file> is required: the expert pool, JSON or YAML ({domain, question?, experts: [{role, tier, relevance}]})', {
      fix: `write a pool file (8 to 24 experts) and give it: ${blueCommand('dialogue', 'start', request.title, '--pool', '<pool.yaml>')}`,
    });
  }
  const poolData = await workspace.readData(request.pool, 'pool file', POOL_FILE_ERROR);
  for (const w of poolInputWarnings(poolData.data, poolData.path)) log.warn(`${w.file}: ${w.message}`, w);
  const pool = parsePool(poolData.data, poolData.path);
  for (const warning of poolWarnings(pool)) log.warn(`${poolData.path}: ${warning}`);
  const rotation = request.rotation ?? 'graduated';
  if (!ROTATION_MODES.includes(rotation as RotationMode)) {
    throw badInput('invalid_option', `--rotation must be one of ${ROTATION_MODES.join(', ')} (got "${rotation}")`, { fix: `give --rotation ${ROTATION_MODES.join(', ')}, or leave it out for graduated` });
  }
  const sources = (request.sources ?? []).map((source) => workspace.projectPath(source));
  for (const source of sources) {
    if (!(await workspace.exists(source))) log.warn(`grounding file ${source} does not exist (yet); experts will be told to read it`);
  }
  const dialogue = startDialogue({
    title: request.title,
    pool,
    question: request.question,
    panelSize: request.panelSize,
    rotation: rotation as RotationMode,
    seed: request.seed ?? Math.floor(ports.random() * 2 ** 31),
    maxRounds: request.maxRounds,
    rfc: request.rfc,
    sources,
    createdAt: request.date ? parseDate(request.date) : ports.clock.now(),
  });
  await withStores(ports, (stores) => stores.store.create(dialogue)).catch((error: unknown) => {
    if (error instanceof BlueError && error.code === 'dialogue_exists') {
      throw refused(
        'dialogue_exists',
        `${error.message} It was started with the same title in the same minute. Continue it (blue dialogue show ${dialogue.id}), ` +
          'or start another with a different title or a --date in another minute.',
        {
          ...error.details,
          id: dialogue.id,
          fix: `continue it (${blueCommand('dialogue', 'show', dialogue.id)}), or start another with a different title or --date`,
          next: [{ command: blueCommand('dialogue', 'show', dialogue.id), why: 'where the existing dialogue stands, and its next steps' }],
        },
      );
    }
    throw error;
  });
  const dir = dialogueFolder(dialogue.id);
  await workspace.write([{ path: poolFile(dialogue.id), content: serialisePool({ ...pool, question: dialogue.question }) }]);
  const protocol = renderProtocol(
    {
      id: dialogue.id,
      title: dialogue.title,
      question: dialogue.question,
      dir,
      panel: dialogue.suggestedPanel,
      rotation: dialogue.rotation,
      maxRounds: dialogue.maxRounds,
      sources,
    },
    workspace.templates(),
  );
  return { dialogue, dir, protocol };
}
