// An expert's control characters (ESC, the rest of C0, BEL, DEL, C1) and bidi controls (U+202A-U+202E,
// U+2066-U+2069) through the use cases: kept as written in the store, named in an ingest warning with the
// file and line, and shown as `\u{202E}` in every Markdown file blue writes (and as JSON escapes in the
// JSON export); lint reports them in a record. The judge's: test/app/judge-hidden-characters.test.ts.

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportDialogues } from '../../src/app/export.js';
import { lintFile } from '../../src/app/lint.js';
import { roundIngest } from '../../src/app/round-ingest.js';
import { roundOpen } from '../../src/app/round-open.js';
import { score } from '../../src/app/score.js';
import { hasHiddenCharacters } from '../../src/domain/hidden-characters.js';
import type { TestProject } from '../support/app.js';
import { onesFor, openRound } from '../support/round-zero.js';

const ESCAPES = '\u001b[2J\u001b]0;pwned\u0007';
const LABEL = `costs ${ESCAPES} nul\u0001 del\u007f c1\u009b \u202eevil\u202c`;
const SHOWN_LABEL = 'costs \\u{001B}[2J\\u{001B}]0;pwned\\u{0007} nul\\u{0001} del\\u{007F} c1\\u{009B} \\u{202E}evil\\u{202C}';

/** Every file under `dir` (relative to the project root), but the experts' own outputs and the store. */
function filesBlueWrote(p: TestProject, dir: string, outputs: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (rel: string) => {
    for (const name of readdirSync(join(p.root, rel))) {
      const path = `${rel}/${name}`;
      if (statSync(join(p.root, path)).isDirectory()) walk(path);
      else if (!outputs.includes(path) && name !== 'store.json') found.push(path);
    }
  };
  walk(dir);
  return found;
}

describe("an expert's control and bidi characters", () => {
  it('are kept as written, named in an ingest warning, and shown as escapes in every file blue writes', async () => {
    const { p, id, panel, dir } = await openRound();
    const [muffin, cupcake, scone] = panel;
    p.write(muffin.output_file, `Intro.\n[TENSION T01: ${LABEL}]\nwhy \u001b[31mred\n\n[PERSPECTIVE P01: p \u2066iso\u2069]\nbody\n`);
    p.write(cupcake.output_file, '[PERSPECTIVE P01: fine]\nok, with a\ttab\r\nand CRLF\r\n');
    p.write(scone.output_file, '[PERSPECTIVE P01: fine]\nok\n');
    const report = await roundIngest(p.ports, id);
    const hidden = report.warnings.filter((w) => w.message.includes('output holds'));
    expect(hidden).toEqual([
      {
        file: muffin.output_file,
        line: 2,
        message:
          "Muffin's output holds U+001B (escape) on line 2 (and 2 more lines): a control character, which a terminal obeys and a Markdown viewer hides. " +
          "It is recorded as written; the record, the transcript and the judge's files show each such character as \\u{001B}",
      },
    ]);
    // Nothing of the expert's is lost: the store holds the label as written.
    expect(p.stored(id).tensions[0].label).toBe(LABEL);

    await score(p.ports, { id, scores: onesFor(panel.map((m) => m.name)), judge: {}, decisions: [] });
    // Round 1: a newcomer's brief quotes the open tension's label.
    p.write('panel.yaml', `- { role: ${muffin.role}, source: retained }\n- { role: Urban Planner, source: pool }\n`);
    const next = await roundOpen(p.ports, { id, panel: 'panel.yaml' });
    await exportDialogues(p.ports, { id });
    await exportDialogues(p.ports, { id, format: 'transcript' });
    await exportDialogues(p.ports, { id, format: 'json' });

    const outputs = [...panel, ...next.panel].map((m) => m.output_file);
    const written = filesBlueWrote(p, dir, outputs);
    expect(written).toEqual(expect.arrayContaining([`${dir}/dialogue.md`, `${dir}/transcript.md`, `${dir}/dialogue.json`, `${dir}/tensions.md`, `${dir}/round-0.summary.md`]));
    expect(written.some((f) => f.endsWith('.prompt.md') && p.read(f).includes(SHOWN_LABEL))).toBe(true);
    for (const file of written) expect(hasHiddenCharacters(p.read(file)), file).toBe(false);

    expect(p.read(`${dir}/tensions.md`)).toContain(`: ${SHOWN_LABEL}\nRaised by Muffin in R0. why \\u{001B}[31mred\n`);
    expect(p.read(`${dir}/round-0.summary.md`)).toContain('- MUFFIN-P01: p \\u{2066}iso\\u{2069}\n');
    expect(p.read(`${dir}/dialogue.md`)).toContain(`| ${SHOWN_LABEL} | Open |`);
    const transcript = p.read(`${dir}/transcript.md`);
    expect(transcript).toContain(`[TENSION T01: ${SHOWN_LABEL}]\nwhy \\u{001B}[31mred\n`);
    // Tabs and line breaks are text: the transcript keeps Cupcake's as written.
    expect(transcript).toContain('ok, with a\ttab\r\nand CRLF');
    // The JSON export escapes them: the same data once parsed.
    expect(JSON.parse(p.read(`${dir}/dialogue.json`)).dialogue.tensions[0].label).toBe(LABEL);

    for (const file of ['dialogue.md', 'transcript.md']) expect((await lintFile(p.ports, `${dir}/${file}`)).findings, file).toEqual([]);
  });

  it('a carriage return alone in a label is folded in the judge files: a heading stays one line', async () => {
    const { p, id, panel, dir } = await openRound();
    p.write(panel[0].output_file, '[TENSION T01: one\rtwo]\nwhy\n');
    for (const m of panel.slice(1)) p.write(m.output_file, '[PERSPECTIVE P01: fine]\nok\n');
    await roundIngest(p.ports, id);
    await score(p.ports, { id, scores: onesFor(panel.map((m) => m.name)), judge: {}, decisions: [] });
    expect(p.read(`${dir}/tensions.md`)).toContain('### MUFFIN-T01 (R0): one two\n');
    expect(p.read(`${dir}/round-0.summary.md`)).toContain('- MUFFIN-T01 (Muffin): one two\n');
  });
});

describe('lint of a record that holds a control or bidi character', () => {
  it('is a critical finding on its line; the file is read, not refused', async () => {
    const { p, id, panel, dir } = await openRound();
    for (const m of panel) p.write(m.output_file, '[TENSION T01: costs]\nx\n');
    await roundIngest(p.ports, id);
    await score(p.ports, { id, scores: onesFor(panel.map((m) => m.name)), judge: {}, decisions: [] });
    await exportDialogues(p.ports, { id });
    const record = p.read(`${dir}/dialogue.md`);
    const lines = record.split('\n');
    const row = lines.findIndex((line) => line.startsWith('| MUFFIN-T01'));
    const column = lines[row].indexOf('costs') + 'costs '.length + 1;
    lines[row] = lines[row].replace('costs', 'costs \u202eevil');
    p.write('edited.md', lines.join('\n'));
    const linted = await lintFile(p.ports, 'edited.md');
    expect(linted.ok).toBe(false);
    expect(linted.findings).toEqual([
      expect.objectContaining({ severity: 'critical', rule: 'hidden-character', line: row + 1, message: expect.stringMatching(new RegExp(`^holds U\\+202E \\(right-to-left override\\) at character ${column}: a bidi control`)) }),
    ]);
  });
});
