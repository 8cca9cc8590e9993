// Bad input gets a clear error and loses nothing: titles too long in bytes for a folder name, scores too big
// to add exactly, names or keys given twice, files that are not UTF-8, and a round whose every output was
// refused.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { roundOpen } from '../../src/app/round-open.js';
import { show } from '../../src/app/show.js';
import { start } from '../../src/app/start.js';
import { SMALL_POOL_YAML, testProject } from '../support/app.js';

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
