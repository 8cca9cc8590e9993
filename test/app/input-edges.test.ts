// Bad input gets a clear error and loses nothing: titles too long in bytes for a folder name, scores too big
// to add exactly, names or keys given twice, files that are not UTF-8, and a round whose every output was
// refused.

import { existsSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFolder } from '../../src/app/import.js';
import { roundIngest } from '../../src/app/round-ingest.js';
import { roundRun } from '../../src/app/round-run.js';
import { roundOpen } from '../../src/app/round-open.js';
import { score } from '../../src/app/score.js';
import { show } from '../../src/app/show.js';
import { start } from '../../src/app/start.js';
import { verdict } from '../../src/app/verdict.js';
import { createContext } from '../../src/cli/context.js';
import { BlueError } from '../../src/domain/errors.js';
import { FsWorkspace } from '../../src/workspace/fs-workspace.js';
import { SMALL_POOL_YAML, testProject } from '../support/app.js';
import { openRound, refusal } from '../support/round-zero.js';

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

/** Latin-1 (Windows-1252) bytes of `text`: what an editor that does not save UTF-8 writes. */
const latin1 = (text: string) => Buffer.from(text, 'latin1');

describe('a file that is not UTF-8', () => {
  it('as an expert output is read, each byte that is not UTF-8 as Windows-1252, with a warning naming the file and the line', async () => {
    const { p, id, panel } = await openRound();
    writeFileSync(join(p.root, panel[0].output_file), latin1('Intro\n[PERSPECTIVE P01: Café]\nCoût élevé\n'));
    const report = await roundIngest(p.ports, id);
    expect(report.ingested).toEqual(['Muffin']);
    expect(report.warnings).toContainEqual({
      file: panel[0].output_file,
      line: 2,
      message:
        "Muffin's output is not UTF-8: line 2 (and 1 more line) holds the byte 0xE9, which UTF-8 does not allow there. " +
        'blue read each such byte as Windows-1252 (Latin-1), 0xE9 as "é", and the rest as written; if that is not what Muffin wrote, save the file as UTF-8 and ingest again',
    });
    const stored = p.stored(id);
    expect(stored.rounds[0].ingest.outputs.Muffin).toBe('Intro\n[PERSPECTIVE P01: Café]\nCoût élevé\n');
    expect(stored.contributions[0].label).toBe('Café');
    expect(JSON.stringify(stored)).not.toContain('\uFFFD');
  });

  it('as a binary or UTF-16 output is not read, and the warning says why and what to do', async () => {
    const { p, id, panel } = await openRound();
    writeFileSync(join(p.root, panel[0].output_file), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xe9]));
    writeFileSync(join(p.root, panel[1].output_file), Buffer.from('\uFEFF[PERSPECTIVE P01: Wide]\n', 'utf16le'));
    p.write(panel[2].output_file, '[PERSPECTIVE P01: Fine]\nx\n');
    const report = await roundIngest(p.ports, id);
    expect(report.missing).toEqual(['Muffin', 'Cupcake']);
    expect(report.warnings.slice(0, 2)).toEqual([
      { file: panel[0].output_file, line: 1, message: "Muffin's output was not read: it holds a NUL byte (line 1): it is a binary file (or UTF-16), not text. Have Muffin write its answer there as UTF-8 text, then ingest again" },
      { file: panel[1].output_file, line: 1, message: "Cupcake's output was not read: it is UTF-16 text (it starts with a UTF-16 byte-order mark), and blue reads UTF-8. Have Cupcake write its answer there as UTF-8 text, then ingest again" },
    ]);
  });

  it("as a judge's input file is exit 2 naming the file and line, saying to save it as UTF-8, before anything is recorded", async () => {
    const { p, id, panel, store } = await openRound();
    for (const m of panel) p.write(m.output_file, '[PERSPECTIVE P01: x]\ny\n');
    await roundIngest(p.ports, id);
    const notUtf8 = async (call: () => Promise<unknown>, what: string, line: number) => {
      const error = await refusal(p, store, call);
      expect({ exit: error.exitCode, code: error.code }).toEqual({ exit: 2, code: 'not_utf8' });
      expect(error.message).toMatch(new RegExp(`^${what} is not UTF-8: line ${line} holds the byte 0x[0-9A-F]{2}, which UTF-8 does not allow there \\(Latin-1 or Windows-1252 text\\?\\); save it as UTF-8 and run the same command again$`));
      expect(error.details).toMatchObject({ line, fix: expect.stringMatching(/^save .* as UTF-8/) });
    };
    writeFileSync(join(p.root, 'verdict.md'), latin1('# Verdict\n\nLe café reste.\n'));
    await notUtf8(() => verdict(p.ports, { id, textFile: 'verdict.md', force: true, warning: 'w' }), 'verdict text file verdict\\.md', 3);
    p.write('ok.md', 'fine\n');
    writeFileSync(join(p.root, 'insights.md'), latin1('- naïve\n'));
    await notUtf8(() => verdict(p.ports, { id, textFile: 'ok.md', insightsFile: 'insights.md', force: true, warning: 'w' }), 'insights file insights\\.md', 1);
    writeFileSync(join(p.root, 's.yaml'), latin1('# Notes: déjà vu\nMuffin: 1\nCupcake: 1\nScone: 1\n'));
    await notUtf8(() => score(p.ports, { id, scores: [], scoresFile: 's.yaml', judge: {}, decisions: [] }), 'scores file s\\.yaml', 1);
    writeFileSync(join(p.root, 'summary.md'), latin1('Round 0\n\nÇa va.\n'));
    await notUtf8(() => score(p.ports, { id, scores: [['Muffin', { w: null, c: null, t: null, r: null, total: 1 }]], summaryFile: 'summary.md', judge: {}, decisions: [] }), 'summary file summary\\.md', 3);
    writeFileSync(join(p.root, 'panel.yaml'), latin1('- {role: Pâtissier, source: created}\n'));
    await notUtf8(() => roundOpen(p.ports, { id, panel: 'panel.yaml', replace: true }), 'panel file panel\\.yaml', 1);
    writeFileSync(join(p.root, 'pool.yaml'), latin1(SMALL_POOL_YAML.replace('Head Baker', 'Chef pâtissier')));
    await notUtf8(() => start(p.ports, { title: 'Another', pool: 'pool.yaml' }), 'pool file pool\\.yaml', 4);
    expect(readdirSync(join(p.root, '.blue/dialogues'))).toEqual([id]);
  });

  it('as .blue/config.yaml is exit 2 naming it and the line', async () => {
    const p = testProject();
    writeFileSync(join(p.root, '.blue/config.yaml'), latin1('# réglages\nlimits:\n  output_bytes: 100\n'));
    const error = await createContext({}, p.root, {}).then(() => undefined, (e: unknown) => e as BlueError);
    expect(error).toMatchObject({ exitCode: 2, code: 'not_utf8', message: expect.stringMatching(/^\.blue\/config\.yaml is not UTF-8: line 1 holds the byte 0xE9/) });
  });

  it('printed by an agent on stdout becomes the output byte for byte, and ingest says what it read', async () => {
    const { p, id, panel } = await openRound();
    const report = await roundRun(p.ports, { id, agent: "printf '[PERSPECTIVE P01: Caf\\351]\\nCo\\373t\\n'", retryPauseMs: 0 });
    expect(report.experts.map((e) => e.status)).toEqual(['done', 'done', 'done']);
    expect(readFileSync(join(p.root, panel[0].output_file))).toEqual(latin1('[PERSPECTIVE P01: Café]\nCoût\n'));
    expect(report.ingest?.warnings).toContainEqual({ file: panel[0].output_file, line: 1, message: expect.stringMatching(/^Muffin's output is not UTF-8: line 1 \(and 1 more line\) holds the byte 0xE9/) });
    expect(p.stored(id).rounds[0].ingest.outputs.Muffin).toBe('[PERSPECTIVE P01: Café]\nCoût\n');
  });

  it('in a folder being imported is read the same way, and a note says so', async () => {
    const { p, id, panel } = await openRound();
    writeFileSync(join(p.root, panel[0].output_file), latin1('[PERSPECTIVE P01: Café]\nx\n'));
    const imported = await importFolder(p.ports, { folder: `.blue/dialogues/${id}`, date: '2026-01-01T00:00Z' });
    expect(imported.notes).toContainEqual({ file: panel[0].output_file, line: 1, message: 'not UTF-8: line 1 holds the byte 0xE9, which UTF-8 does not allow there; blue read each such byte as Windows-1252 (Latin-1), 0xE9 as "é", and the rest as written' });
  });
});

describe('a round whose every output present is refused', () => {
  it('is refused by ingest (exit 3) naming each file and its reason, as when another output is valid', async () => {
    const { p, id, panel, store } = await openRound();
    const small = { ...p.ports, workspace: new FsWorkspace(p.root, p.root, { outputBytes: 50 }) };
    p.write(panel[0].output_file, `[PERSPECTIVE P01: Long]\n${'x'.repeat(60)}\n`);
    symlinkSync('/etc/passwd', join(p.root, panel[1].output_file));
    const error = await refusal(p, store, () => roundIngest(small, id));
    expect({ exit: error.exitCode, code: error.code }).toEqual({ exit: 3, code: 'no_outputs' });
    const reasons = [
      { file: panel[0].output_file, line: 1, message: "Muffin's output was not read: it is 85 bytes, over the limit of 50. Have Muffin write a shorter answer, or raise limits.output_bytes in .blue/config.yaml, then ingest again" },
      { file: panel[1].output_file, line: 1, message: "Cupcake's output was not read: it is a symlink, and blue reads only regular files. Have Cupcake write a regular file of its own there (its prompt says which), then ingest again" },
    ];
    expect(error.message).toBe(`no output of round 0 could be read; ${reasons.map((r) => r.message).join('; ')}`);
    expect(error.details).toMatchObject({ missing: ['Muffin', 'Cupcake', 'Scone'], warnings: reasons, fix: expect.stringMatching(/^make each file named in warnings one blue reads/) });
    // The same files, with one valid output beside them: the same reasons, as warnings.
    p.write(panel[2].output_file, '[PERSPECTIVE P01: Short]\nx\n');
    expect((await roundIngest(small, id)).warnings.slice(0, 2)).toEqual(reasons);
  });

  it('by round run too: its ingest document names them beside why nothing was ingested', async () => {
    const { p, id, panel } = await openRound();
    symlinkSync('/etc/passwd', join(p.root, panel[0].output_file));
    const report = await roundRun(p.ports, { id, agent: 'exit 1', retries: 0, experts: ['Cupcake', 'Scone'], retryPauseMs: 0 });
    expect(report.ingest.ingested).toEqual([]);
    expect(report.ingest.warnings).toEqual([
      { file: report.runFile, line: 1, message: 'no expert of round 0 has an output, so nothing was ingested' },
      { file: panel[0].output_file, line: 1, message: expect.stringMatching(/^Muffin's output was not read: it is a symlink/) },
    ]);
  });

  it('with nothing written at all still says that no expert has written one yet', async () => {
    const { p, id, store } = await openRound();
    const error = await refusal(p, store, () => roundIngest(p.ports, id));
    expect(error.message).toMatch(/^no expert of round 0 has written an output yet \(expected /);
    expect(error.details.warnings).toBeUndefined();
  });
});
