// `blue dialogue start <title>`: creates the dialogue, samples the suggested round-0 panel, writes
// expert-pool.json and prints the judge protocol.

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Context } from '../cli/context.js';
import type { CommandResult } from '../cli/output.js';
import { warn } from '../cli/output.js';
import { readInputFile, rel, writeOwnedFile } from '../workspace/files.js';
import { parsePool, serialisePool } from '../domain/pool.js';
import { startDialogue } from '../domain/protocol.js';
import { parseDate } from '../domain/ids.js';
import { badInput } from '../domain/errors.js';
import { ROTATION_MODES, type RotationMode } from '../domain/model.js';
import { renderProtocol } from '../render/prompts.js';
import { absDialogueDir, dialogueDir, parseInteger, withStores } from './shared.js';

export interface StartOptions {
  pool?: string;
  question?: string;
  panelSize?: string;
  rotation?: string;
  seed?: string;
  maxRounds?: string;
  rfc?: string;
  source?: string[];
  date?: string;
}

export async function start(ctx: Context, title: string, options: StartOptions): Promise<CommandResult> {
  if (!options.pool) throw badInput('missing_pool', '--pool <file> is required: the expert pool, JSON or YAML ({domain, question?, experts: [{role, tier, relevance}]})');
  const poolPath = resolve(process.cwd(), options.pool);
  const pool = parsePool(readInputFile(poolPath, 'pool file'), rel(ctx.root, poolPath));
  const rotation = options.rotation ?? 'graduated';
  if (!ROTATION_MODES.includes(rotation as RotationMode)) {
    throw badInput('invalid_option', `--rotation must be one of ${ROTATION_MODES.join(', ')} (got "${rotation}")`);
  }
  const sources = (options.source ?? []).map((s) => rel(ctx.root, resolve(process.cwd(), s)));
  for (const source of sources) {
    if (!existsSync(join(ctx.root, source))) warn(`grounding file ${source} does not exist (yet); experts will be told to read it`);
  }
  const dialogue = startDialogue({
    title,
    pool,
    question: options.question,
    panelSize: parseInteger(options.panelSize, '--panel-size', 1),
    rotation: rotation as RotationMode,
    seed: parseInteger(options.seed, '--seed'),
    maxRounds: parseInteger(options.maxRounds, '--max-rounds', 1),
    rfc: options.rfc,
    sources,
    createdAt: options.date ? parseDate(options.date) : new Date(),
  });
  await withStores(ctx, (stores) => stores.store.create(dialogue));
  const dir = dialogueDir(dialogue.id);
  await writeOwnedFile(join(absDialogueDir(ctx, dialogue.id), 'expert-pool.json'), serialisePool({ ...pool, question: dialogue.question }));
  const panel = dialogue.suggestedPanel.map((m) => ({ name: m.name, role: m.role, tier: m.tier, relevance: m.relevance ?? null }));
  const protocol = renderProtocol({
    id: dialogue.id,
    title: dialogue.title,
    question: dialogue.question,
    dir,
    panel: dialogue.suggestedPanel,
    rotation: dialogue.rotation,
    maxRounds: dialogue.maxRounds,
    sources,
  });
  return {
    json: { id: dialogue.id, dir, title: dialogue.title, question: dialogue.question, panel, protocol },
    human: protocol,
  };
}
