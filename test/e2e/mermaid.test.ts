// The charts as GitHub draws them: every ```mermaid block of the replay's record and transcript and of a
// twenty-round dialogue goes through Mermaid's own parser in headless Chromium (scripts/mermaid.mjs), the
// code GitHub runs. Without chromium this fails and says how to install it; it never skips.

import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mermaidBlocks, parseCharts, screenshotCharts, type MermaidParse } from '../../scripts/mermaid.mjs';
import { exportDialogues } from '../../src/app/export.js';
import { renderTranscript } from '../../src/render/export.js';
import { renderRecord } from '../../src/render/record.js';
import { longDialogue } from '../support/dialogue-factory.js';
import { replayInProcess } from '../support/replay.js';

const BROKEN = 'xychart-beta\n    title "broken"\n    x-axis "Round" ["R0", "R1"\n    bar [1, 2]';

describe('the charts blue writes', () => {
  const documents: Record<string, string> = {};
  let results: Map<string, MermaidParse[]>;

  beforeAll(async () => {
    const replay = await replayInProcess();
    await exportDialogues(replay.p.ports, { id: replay.id, format: 'transcript' });
    documents['the replay\'s record'] = replay.record;
    documents['the replay\'s transcript'] = replay.p.read(`.blue/dialogues/${replay.id}/transcript.md`);
    const long = longDialogue(20);
    documents['a 20-round record'] = renderRecord(long);
    documents['a 20-round transcript'] = renderTranscript(long);
    // One browser for every chart, and a broken one to show the parser does refuse what it cannot read.
    const names = Object.keys(documents);
    const charts = names.flatMap((name) => mermaidBlocks(documents[name]));
    const parsed = await parseCharts([...charts, BROKEN]);
    results = new Map([['a broken chart', [parsed.pop()!]]]);
    let at = 0;
    for (const name of names) {
      const n = mermaidBlocks(documents[name]).length;
      results.set(name, parsed.slice(at, at + n));
      at += n;
    }
  }, 180_000);

  it.each(['the replay\'s record', 'the replay\'s transcript', 'a 20-round record', 'a 20-round transcript'])('%s: two charts that Mermaid parses as xycharts', (name) => {
    expect(results.get(name)).toEqual([
      { ok: true, type: 'xychart' },
      { ok: true, type: 'xychart' },
    ]);
  });

  it('twenty rounds make twenty points on each chart', () => {
    const [alignment] = mermaidBlocks(documents['a 20-round record']);
    expect(alignment).toContain(`x-axis "Round" [${Array.from({ length: 20 }, (_, i) => `"R${i}"`).join(', ')}]`);
  });

  it('while a broken chart is refused with Mermaid\'s own message', () => {
    const [broken] = results.get('a broken chart')!;
    expect(broken.ok).toBe(false);
    expect(broken.ok === false && broken.error).toMatch(/Parse error on line 3/);
  });

  it('draws the replay\'s charts into a PNG, as GitHub shows them', async () => {
    const png = join(mkdtempSync(join(tmpdir(), 'blue-chart-')), 'charts.png');
    await screenshotCharts(mermaidBlocks(documents['the replay\'s record']), png, { width: 820, height: 1060 });
    const bytes = readFileSync(png);
    expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(10_000); // a blank page of that size is about 5 KB; the two charts make ten times that
  }, 60_000);
});
