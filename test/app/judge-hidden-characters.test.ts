// The judge's control characters (ESC, the rest of C0, BEL, DEL, C1) and bidi controls (U+202A-U+202E,
// U+2066-U+2069) are refused with exit 2 `hidden_character` before anything is recorded: in an option,
// naming it; in a file, naming the file and its line, or the value an escape wrote. Tabs and line breaks
// (CRLF too) are text, and a directional mark is not refused. An expert's: test/app/hidden-characters.test.ts.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { abandon } from '../../src/app/abandon.js';
import { importFolder } from '../../src/app/import.js';
import { roundIngest } from '../../src/app/round-ingest.js';
import { roundOpen } from '../../src/app/round-open.js';
import { score, type ScoreRequest } from '../../src/app/score.js';
import { start } from '../../src/app/start.js';
import { verdict } from '../../src/app/verdict.js';
import { BlueError } from '../../src/domain/errors.js';
import { SMALL_POOL_YAML, testProject, type TestProject } from '../support/app.js';
import { onesFor, openRound, refusal } from '../support/round-zero.js';

/** The error `call` fails with, exit 2 hidden_character; the store file (when one is named) is as it was. */
async function refused(p: TestProject, store: string | undefined, call: () => Promise<unknown>): Promise<BlueError> {
  const error = await refusal(p, store, call);
  expect([error.exitCode, error.code]).toEqual([2, 'hidden_character']);
  return error;
}

describe("the judge's control and bidi characters are refused before anything is recorded", () => {
  it('in the options of start, naming the option; no dialogue is created', async () => {
    const p = testProject();
    p.write('pool.yaml', SMALL_POOL_YAML);
    const given: Array<[string, Parameters<typeof start>[1]]> = [
      ['<title>', { title: 'Demo \u202eevil', pool: 'pool.yaml' }],
      ['--question', { title: 'Demo', pool: 'pool.yaml', question: 'Why\u001b[2J?' }],
      ['--rfc', { title: 'Demo', pool: 'pool.yaml', rfc: 'RFC\u2066-1' }],
      ['--source', { title: 'Demo', pool: 'pool.yaml', sources: ['a.md', 'b\u0007.md'] }],
    ];
    for (const [option, request] of given) {
      const error = await refused(p, undefined, () => start(p.ports, request));
      expect(error.message.startsWith(`${option} holds U+`), error.message).toBe(true);
      expect(error.details.option).toBe(option);
    }
    expect(readdirSync(join(p.root, '.blue'))).not.toContain('dialogues');
    // A directional mark is not refused: right-to-left text needs it.
    await start(p.ports, { title: 'Demo \u200f!', pool: 'pool.yaml' });
  });

  it('in a pool file: as written, naming its line; through an escape, naming the value', async () => {
    const p = testProject();
    p.write('raw.yaml', SMALL_POOL_YAML.replace('role: Finance Lead', 'role: Finance \u202eLead'));
    p.write('escaped.yaml', SMALL_POOL_YAML.replace('role: Finance Lead', 'role: "Finance \\e[31mLead"'));
    p.write('comment.yaml', `# a note \u2067\n${SMALL_POOL_YAML}`);
    const raw = await refused(p, undefined, () => start(p.ports, { title: 'Demo', pool: 'raw.yaml' }));
    expect(raw.message).toMatch(/^pool file raw\.yaml holds U\+202E \(right-to-left override\) on line 5: a bidi control/);
    expect(raw.details).toMatchObject({ file: 'raw.yaml', line: 5 });
    const escaped = await refused(p, undefined, () => start(p.ports, { title: 'Demo', pool: 'escaped.yaml' }));
    expect(escaped.message).toMatch(/^pool file escaped\.yaml: experts\[1\]\.role holds U\+001B \(escape\) \(written as an escape\)/);
    expect((await refused(p, undefined, () => start(p.ports, { title: 'Demo', pool: 'comment.yaml' }))).details.line).toBe(1);
  });

  it('in round open: --focus and a panel file', async () => {
    const { p, id, panel, store } = await openRound();
    for (const m of panel) p.write(m.output_file, '[PERSPECTIVE P01: fine]\nok\n');
    await roundIngest(p.ports, id);
    await score(p.ports, { id, scores: onesFor(panel.map((m) => m.name)), judge: {}, decisions: [] });
    expect((await refused(p, store, () => roundOpen(p.ports, { id, focus: [['Muffin', 'costs \u202e']] }))).details.option).toBe('--focus');
    p.write('panel.json', '[{ "role": "Head Baker", "source": "pool", "focus": "ovens\\u2069" }]');
    const inPanel = await refused(p, store, () => roundOpen(p.ports, { id, panel: 'panel.json' }));
    expect(inPanel.details).toMatchObject({ file: 'panel.json', field: '[0].focus' });
  });

  it('in score: --label, a decision note, the summary file and the scores file; CRLF and tabs in a summary are fine', async () => {
    const { p, id, panel, store } = await openRound();
    for (const m of panel) p.write(m.output_file, '[TENSION T01: open]\nx\n');
    await roundIngest(p.ports, id);
    const names = panel.map((m) => m.name);
    const request = (over: Partial<ScoreRequest>): ScoreRequest => ({ id, scores: onesFor(names), judge: {}, decisions: [], ...over });
    expect((await refused(p, store, () => score(p.ports, request({ label: 'graduated \u202erotation' })))).details.option).toBe('--label');
    const note = await refused(p, store, () => score(p.ports, request({ decisions: [{ tension: 'MUFFIN-T01', to: 'accepted', note: 'fine\u0085' }] })));
    expect(note.details.option).toBe('--accept');
    p.write('summary.md', '# Round 0\n\nAll \u001b[1mgood\u001b[0m.\n');
    const summary = await refused(p, store, () => score(p.ports, request({ summaryFile: 'summary.md' })));
    expect(summary.details).toMatchObject({ file: 'summary.md', line: 3 });
    p.write('scores.json', JSON.stringify({ Muffin: 1, Cupcake: 1, 'Scone\u202e': 1 }));
    expect((await refused(p, store, () => score(p.ports, { ...request({ scoresFile: 'scores.json' }), scores: [] }))).details.file).toBe('scores.json');
    p.write('summary.md', '# Round 0\r\n\r\n- a\tb\r\n');
    await score(p.ports, request({ summaryFile: 'summary.md' }));
  });

  it('in verdict (the text and insights files, --vote, --warning) and abandon (--reason)', async () => {
    const { p, id, panel, store } = await openRound();
    for (const m of panel) p.write(m.output_file, '[PERSPECTIVE P01: fine]\nok\n\n[MOVE:CONVERGE]\n');
    await roundIngest(p.ports, id);
    await score(p.ports, { id, scores: onesFor(panel.map((m) => m.name)), judge: {}, decisions: [] });
    p.write('v.md', 'We adopt X.\n');
    p.write('bad.md', 'We adopt \u202eX.\n');
    expect((await refused(p, store, () => verdict(p.ports, { id, textFile: 'bad.md' }))).details).toMatchObject({ file: 'bad.md', line: 1 });
    expect((await refused(p, store, () => verdict(p.ports, { id, textFile: 'v.md', insightsFile: 'bad.md' }))).message).toMatch(/^insights file bad\.md holds U\+202E/);
    expect((await refused(p, store, () => verdict(p.ports, { id, textFile: 'v.md', vote: 'yes\u2068' }))).details.option).toBe('--vote');
    expect((await refused(p, store, () => verdict(p.ports, { id, textFile: 'v.md', force: true, warning: 'x\u007f' }))).details.option).toBe('--warning');
    expect((await refused(p, store, () => abandon(p.ports, { id, reason: 'out of time\u001b[2J' }))).details.option).toBe('--reason');
  });

  it('in import: --title', async () => {
    const { p, dir } = await openRound();
    const error = await refused(p, undefined, () => importFolder(p.ports, { folder: dir, title: 'Old \u202e' }));
    expect(error.details.option).toBe('--title');
  });
});
