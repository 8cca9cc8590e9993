// Bad input gets a clear error and loses nothing: titles too long in bytes for a folder name, scores too big
// to add exactly, names or keys given twice, files that are not UTF-8, and a round whose every output was
// refused.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { roundIngest } from '../../src/app/round-ingest.js';
import { roundOpen } from '../../src/app/round-open.js';
import { score } from '../../src/app/score.js';
import { show } from '../../src/app/show.js';
import { start } from '../../src/app/start.js';
import { BlueError } from '../../src/domain/errors.js';
import { SMALL_POOL_YAML, testProject, type TestProject } from '../support/app.js';

/** A dialogue with round 0 open, its panel Muffin, Cupcake, Scone, and the store file's path. */
async function openRound(p: TestProject = testProject()) {
  p.write('pool.yaml', SMALL_POOL_YAML);
  const { dialogue } = await start(p.ports, { title: 'Demo', pool: 'pool.yaml', panelSize: 3, seed: 6 });
  const opened = await roundOpen(p.ports, { id: dialogue.id });
  return { p, id: dialogue.id, panel: opened.panel, store: `.blue/dialogues/${dialogue.id}/store.json` };
}

/** The error `call` fails with; the store file is as it was. */
async function refusal(p: TestProject, store: string | undefined, call: () => Promise<unknown>): Promise<BlueError> {
  const before = store === undefined ? undefined : p.read(store);
  const error = await call().then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(BlueError);
  if (store !== undefined) expect(p.read(store)).toBe(before);
  return error as BlueError;
}

describe('a title of any script up to 120 characters', () => {
  it('starts a dialogue whose folder fits, found by its id, a prefix, its slug and the slug of the whole title', async () => {
    const p = testProject();
    p.write('pool.yaml', SMALL_POOL_YAML);
    for (const [title, kept, minute] of [
      ['日'.repeat(120), '日'.repeat(79), '0930'],
      ['é'.repeat(120), 'é'.repeat(119), '0931'],
    ]) {
      const { dialogue } = await start(p.ports, { title, pool: 'pool.yaml', panelSize: 3, seed: 1 });
      expect(dialogue.id).toBe(`2026-03-01T${minute}Z-${kept}`);
      expect(dialogue.title).toBe(title);
      expect(existsSync(join(p.root, '.blue/dialogues', dialogue.id, 'store.json'))).toBe(true);
      const opened = await roundOpen(p.ports, { id: kept });
      expect(existsSync(join(p.root, opened.panel[0].prompt_file))).toBe(true);
      for (const word of [dialogue.id, kept.slice(0, 5), title]) expect((await show(p.ports, word)).id).toBe(dialogue.id);
      p.setTime('2026-03-01T09:31:00.000Z');
    }
  });
});

describe('a name or a key given twice', () => {
  it('in a scores file, in any case, is refused with exit 2 as two --expert are, and nothing is recorded', async () => {
    const { p, id, panel, store } = await openRound();
    for (const m of panel) p.write(m.output_file, '[PERSPECTIVE P01: x]\ny\n');
    await roundIngest(p.ports, id);
    const names = panel.map((m) => m.name);
    expect(names).toEqual(['Muffin', 'Cupcake', 'Scone']);
    p.write('s.yaml', 'Muffin: 9\nmuffin: 1\nCupcake: 0\nScone: 0\n');
    const yaml = await refusal(p, store, () => score(p.ports, { id, scores: [], scoresFile: 's.yaml', judge: {}, decisions: [] }));
    expect({ exit: yaml.exitCode, code: yaml.code, message: yaml.message }).toEqual({ exit: 2, code: 'duplicate_score', message: 'Muffin is scored twice (Muffin and muffin); give each expert one score' });
    expect(yaml.details.fix).toBe('give Muffin one score, once in s.yaml (names are case-insensitive)');
    p.write('s.json', '{"Muffin": 9, "Muffin": 1, "Cupcake": 0, "Scone": 0}');
    const json = await refusal(p, store, () => score(p.ports, { id, scores: [], scoresFile: 's.json', judge: {}, decisions: [] }));
    expect({ exit: json.exitCode, code: json.code }).toEqual({ exit: 2, code: 'invalid_scores' });
    expect(json.message).toMatch(/^s\.json gives Muffin twice in one object/);
    p.write('parts.yaml', 'Muffin: {w: 1, W: 9, c: 1, t: 1, r: 1}\nCupcake: 0\nScone: 0\n');
    const parts = await refusal(p, store, () => score(p.ports, { id, scores: [], scoresFile: 'parts.yaml', judge: {}, decisions: [] }));
    expect({ exit: parts.exitCode, code: parts.code, message: parts.message }).toEqual({ exit: 2, code: 'invalid_score', message: 'parts.yaml: Muffin gives W twice (w and W); give each of w, c, t, r once' });
    // Each once: recorded.
    p.write('ok.yaml', 'muffin: 9\nCupcake: 0\nScone: 0\n');
    const scored = await score(p.ports, { id, scores: [], scoresFile: 'ok.yaml', judge: {}, decisions: [] });
    expect(scored.dialogue.rounds[0].scores.Muffin.total).toBe(9);
  });

  it('in a JSON pool is refused before a dialogue is made', async () => {
    const p = testProject();
    p.write('pool.json', JSON.stringify({ domain: 'Bakery', experts: [] }).replace('{', '{"domain": "Finance", '));
    const error = await refusal(p, undefined, () => start(p.ports, { title: 'Demo', pool: 'pool.json' }));
    expect({ exit: error.exitCode, code: error.code, message: error.message }).toEqual({
      exit: 2,
      code: 'invalid_pool',
      message: 'pool.json gives domain twice in one object (line 1 and line 1); JSON would keep the last without a word, so blue takes neither',
    });
    expect(existsSync(join(p.root, '.blue/dialogues')) ? readdirSync(join(p.root, '.blue/dialogues')) : []).toEqual([]);
  });
});
