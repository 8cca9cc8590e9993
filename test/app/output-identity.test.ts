// The RFC 0058 replay in process (fixed clock): every file blue writes into the dialogue's folder (prompts,
// panels, judge files, the record) and every export format and show's answer, byte for byte as committed
// in __snapshots__/output-identity.json. store.json is left out: its format is the store's business.

import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { render } from '../../src/app/export.js';
import { renderShow, showDocument } from '../../src/render/show.js';
import { replayInProcess } from '../support/replay.js';
import { digestTable, filesUnder } from '../support/digests.js';

describe('the replay of RFC 0058', () => {
  it('writes and exports what it always has', async () => {
    const { p, id } = await replayInProcess();
    const written = filesUnder(join(p.root, '.blue', 'dialogues', id), (path) => /^store\.(json|lock)/.test(path));
    const stored = p.stored(id);
    // The file store stamps updatedAt with its own clock, not the test's: held fixed for the JSON export.
    const d = { ...stored, updatedAt: stored.createdAt };
    const outputs: Record<string, string> = {
      ...Object.fromEntries(Object.entries(written).map(([path, content]) => [`folder/${path}`, content])),
      'export/record': render(d, 'record'),
      'export/transcript': render(d, 'transcript'),
      'export/json': render(d, 'json'),
      'show.json': JSON.stringify(showDocument(d), null, 2),
      'show.txt': renderShow(d),
    };
    await expect(digestTable(outputs)).toMatchFileSnapshot('__snapshots__/output-identity.json');
  });
});
