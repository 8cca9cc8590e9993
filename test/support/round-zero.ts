// The start most use-case tests share: a fresh project, the dialogue "Demo" on SMALL_POOL_YAML with a panel
// of 3 (seed 6: Muffin, Cupcake, Scone) and round 0 open; and the check that a refused call recorded nothing.

import { expect } from 'vitest';
import { roundOpen } from '../../src/app/round-open.js';
import type { ScoreRequest } from '../../src/app/score.js';
import { start } from '../../src/app/start.js';
import { BlueError } from '../../src/domain/errors.js';
import { parseScore } from '../../src/domain/scoring.js';
import { SMALL_POOL_YAML, testProject, type TestProject } from './app.js';

/** A dialogue with round 0 open, its panel Muffin, Cupcake, Scone; its folder and its store file's path. */
export async function openRound(p: TestProject = testProject()) {
  p.write('pool.yaml', SMALL_POOL_YAML);
  const { dialogue } = await start(p.ports, { title: 'Demo', pool: 'pool.yaml', panelSize: 3, seed: 6 });
  const opened = await roundOpen(p.ports, { id: dialogue.id });
  const dir = `.blue/dialogues/${dialogue.id}`;
  return { p, id: dialogue.id, panel: opened.panel, dir, store: `${dir}/store.json` };
}

/** The same score, 1,1,1,1, for each of `names`, as `--expert` gives them. */
export const onesFor = (names: readonly string[]): ScoreRequest['scores'] => names.map((name) => [name, parseScore('1,1,1,1', 'score')]);

/** The error `call` fails with; the store file (when one is named) is as it was. */
export async function refusal(p: TestProject, store: string | undefined, call: () => Promise<unknown>): Promise<BlueError> {
  const before = store === undefined ? undefined : p.read(store);
  const error = await call().then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(BlueError);
  if (store !== undefined) expect(p.read(store)).toBe(before);
  return error as BlueError;
}
