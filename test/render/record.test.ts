// The Markdown dialogue record (and the other renderings) of a small synthetic dialogue built through
// the real functions.

import { describe, it, expect } from 'vitest';
import type { Dialogue } from '../../src/domain/model.js';
import { recordVerdict } from '../../src/domain/protocol.js';
import { renderRecord, scoreboardRows } from '../../src/render/record.js';
import { EXPORT_FORMAT, EXPORT_VERSION, renderJson, renderTranscript } from '../../src/render/export.js';
import { renderRoundSummary, renderScoreboard, renderTensions } from '../../src/render/judge-files.js';
import { at, everyone, ingest, open, play, score, start, verdict } from '../support/dialogue-factory.js';

const CONVERGE = '[MOVE:CONVERGE]\nAgreed.\n';
const EVERY_FIVE = '5,5,5,5';

/** Three perspectives and two tensions: 6 experts give 18 + 12 = velocity 30 in round 0. */
function opening(name: string): string {
  const perspectives = [1, 2, 3].map((i) => `[PERSPECTIVE P0${i}: ${name} view ${i}]\nWhy ${i}.\n`);
  const tensions = [1, 2].map((i) => `[TENSION T0${i}: ${name} worry ${i}]\nBecause ${i}.\n`);
  return [...perspectives, ...tensions].join('\n');
}

const R0_NAMES = ['Muffin', 'Cupcake', 'Scone', 'Eclair', 'Donut', 'Brioche'];

/**
 * Four rounds with six experts. R0: scores with ties, W45 C30 T25 R25, velocity 30. R1 (graduated
 * rotation): Eclair leaves, the judge creates a Landlord (Croissant) who raises a tension; the judge
 * settles every round-0 tension (MUFFIN-T02 superseded). R2: Croissant resolves its own; half converge.
 * R3: all six converge.
 */
function fourRounds(): Dialogue {
  let d = start({ panelSize: 6, rfc: '0058-encrypted-dynamodb-storage' });
  d = play(d, {
    texts: Object.fromEntries(R0_NAMES.map((n) => [n, opening(n)])),
    // The judge's order: Scone before Cupcake and Brioche before Donut, unlike the panel's.
    scores: { Muffin: '10,5,5,5', Scone: '8,5,4,4', Cupcake: '8,5,4,4', Eclair: '7,5,4,4', Brioche: '6,5,4,4', Donut: '6,5,4,4' },
    fill: null,
  });
  const roundZeroTensions = d.tensions.map((t) => t.id).filter((id) => id !== 'MUFFIN-T02' && id !== 'MUFFIN-T01');
  d = play(d, {
    open: {
      panel: [
        { role: 'Head Baker', source: 'retained' },
        { role: 'Finance Lead', source: 'retained' },
        { role: 'Marketing Lead', source: 'retained' },
        { role: 'Customer Researcher', source: 'retained' },
        { role: 'Urban Planner', source: 'retained' },
        { role: 'Landlord', source: 'created', tier: 'wildcard' },
      ],
    },
    texts: {
      muffin: '[PERSPECTIVE P01: Hire first]\nA second head baker.\n',
      cupcake: '[PERSPECTIVE P01: Fund from cash flow]\nNo loan.\n',
      scone: 'Listening.\n',
      donut: 'Listening.\n',
      brioche: 'Listening.\n',
      croissant: '[TENSION T01: Lease length]\nTen years is long.\n',
    },
    fill: EVERY_FIVE,
    label: 'graduated rotation',
    decisions: [
      { tension: 'MUFFIN-T02', to: 'superseded', by: ['CUPCAKE-T01'] },
      { tension: 'MUFFIN-T01', to: 'resolved', note: 'Second head baker hired first' },
      ...roundZeroTensions.map((tension) => ({ tension, to: 'resolved' as const })),
    ],
  });
  d = play(d, {
    texts: {
      croissant: '[RESOLVED T01: lease]\nFive years with an option.\n[MOVE:CONVERGE]\n',
      muffin: CONVERGE,
      cupcake: CONVERGE,
      scone: 'Thinking.\n',
      donut: 'Thinking.\n',
      brioche: 'Thinking.\n',
    },
    fill: EVERY_FIVE,
  });
  d = open(d);
  d = score(ingest(d, everyone(d, CONVERGE)), {}, { fill: EVERY_FIVE });
  d = verdict(d, {
    text: 'Open the second shop in spring, after hiring a second head baker.\n',
    insights: '- Hire before you build\n- Lease for five years, not ten\n',
    vote: '6-0',
    confidence: 'unanimous',
  }).dialogue;
  return recordVerdict(d, { type: 'minority', text: 'Wait a year.', experts: ['eclair'], at: at(1000) }).dialogue;
}

const lines = (markdown: string) => markdown.split('\n');

/** The lines of one `## ` section, heading excluded, up to the next `## `. */
function section(markdown: string, title: string): string[] {
  const all = lines(markdown);
  const startAt = all.findIndex((l) => l === `## ${title}` || l.startsWith(`## ${title} (`));
  if (startAt < 0) throw new Error(`no section ${title}`);
  const end = all.findIndex((l, i) => i > startAt && l.startsWith('## '));
  return all.slice(startAt + 1, end < 0 ? undefined : end);
}

describe('the record of a converged dialogue', () => {
  const d = fourRounds();
  const record = renderRecord(d);

  it('has the title, then the sections in the reference\'s order', () => {
    expect(lines(record).filter((l) => /^#{1,2} /.test(l))).toEqual([
      '# Alignment Dialogue: Second shop?',
      '## Expert Pool',
      '## Expert Panels by Round',
      '## ALIGNMENT Scoreboard',
      '## Verdict',
      '## Tensions Resolved (12/13; 1 superseded)',
      '## Key Insights',
      '## Dialogue Location',
    ]);
  });

  it('states the header fields, every figure derived', () => {
    expect(record.startsWith([
      '# Alignment Dialogue: Second shop?',
      '',
      '**Date**: 2026-03-01 09:30Z',
      '**Status**: Converged',
      '**ALIGNMENT Score**: 485 (W:135 C:120 T:115 R:115)',
      '**Rounds**: 4 (R0-R3)',
      '**Convergence**: 100% (6/6 unanimous, Round 3)',
      '**Tensions Resolved**: 12/13; 1 superseded',
      '**Linked RFC**: 0058-encrypted-dynamodb-storage',
      '',
      '## Expert Pool',
    ].join('\n'))).toBe(true);
  });

  it('lists the pool by tier and the experts the judge created', () => {
    expect(section(record, 'Expert Pool')).toEqual([
      '',
      '**Domain**: Bakery Operations',
      '**Question**: Should the bakery open a second shop?',
      '',
      '| Tier | Experts |',
      '|------|--------|',
      '| Core | Head Baker, Finance Lead, Operations Manager |',
      '| Adjacent | Marketing Lead, Supply Chain Analyst, Customer Researcher |',
      '| Wildcard | Contrarian, Urban Planner |',
      '',
      '**Created by the judge**: Croissant (Landlord, Wildcard, R1)',
      '',
    ]);
  });

  it('orders each panel by score, ties in the judge\'s order; no Source column in round 0', () => {
    const panels = section(record, 'Expert Panels by Round');
    const r0 = panels.indexOf('### Round 0 (6 experts)');
    expect(panels.slice(r0, r0 + 9)).toEqual([
      '### Round 0 (6 experts)',
      '| Agent | Role | Score |',
      '|-------|------|-------|',
      '| Muffin | Head Baker | 25 |',
      '| Scone | Marketing Lead | 21 |',
      '| Cupcake | Finance Lead | 21 |',
      '| Eclair | Supply Chain Analyst | 20 |',
      '| Brioche | Urban Planner | 19 |',
      '| Donut | Customer Researcher | 19 |',
    ]);
  });

  it('gives later rounds a Source column and the round\'s label', () => {
    const panels = section(record, 'Expert Panels by Round');
    const r1 = panels.indexOf('### Round 1 (6 experts — graduated rotation)');
    expect(r1).toBeGreaterThan(0);
    expect(panels.slice(r1 + 1, r1 + 9)).toEqual([
      '| Agent | Role | Source | Score |',
      '|-------|------|--------|-------|',
      '| Muffin | Head Baker | Retained | 20 |',
      '| Cupcake | Finance Lead | Retained | 20 |',
      '| Scone | Marketing Lead | Retained | 20 |',
      '| Donut | Customer Researcher | Retained | 20 |',
      '| Brioche | Urban Planner | Retained | 20 |',
      '| Croissant | Landlord | Created | 20 |',
    ]);
    expect(panels).toContain('### Round 2 (6 experts)');
  });

  it('says so when every expert of a round converged', () => {
    const panels = section(record, 'Expert Panels by Round');
    const r3 = panels.indexOf('### Round 3 (6 experts)');
    expect(panels[r3 + 1]).toBe('All 6 experts signaled [MOVE:CONVERGE]. Zero new tensions.');
    expect(panels.filter((l) => l.startsWith('All '))).toHaveLength(1);
  });

  it('lays out the scoreboard exactly as the reference does', () => {
    expect(section(record, 'ALIGNMENT Scoreboard')).toEqual([
      '',
      '| Round | W | C | T | R | Score | Velocity | Converge % |',
      '|-------|---|---|---|---|-------|----------|------------|',
      '| 0     | 45| 30| 25| 25| 125   | 30       | 0%         |',
      '| 1     | 30| 30| 30| 30| 120   | 3        | 0%         |',
      '| 2     | 30| 30| 30| 30| 120   | 0        | 50%        |',
      '| 3     | 30| 30| 30| 30| 120   | 0        | 100%       |',
      '',
      '**Total ALIGNMENT**: 485 (W:135 C:120 T:115 R:115)',
      '',
      // The charts draw the table's figures under it: ALIGNMENT and velocity, then tensions raised
      // (6 experts x 2 in R0, Croissant's in R1) and resolved (11 by the judge in R1, Croissant's own in R2).
      '```mermaid',
      'xychart-beta',
      '    title "ALIGNMENT (bars) and velocity (line) by round"',
      '    x-axis "Round" ["R0", "R1", "R2", "R3"]',
      '    y-axis "ALIGNMENT, velocity" 0 --> 125',
      '    bar [125, 120, 120, 120]',
      '    line [30, 3, 0, 0]',
      '```',
      '',
      '```mermaid',
      'xychart-beta',
      '    title "Tensions raised (bars) and resolved (line) by round"',
      '    x-axis "Round" ["R0", "R1", "R2", "R3"]',
      '    y-axis "Tensions" 0 --> 12',
      '    bar [12, 1, 0, 0]',
      '    line [0, 11, 1, 0]',
      '```',
      '',
    ]);
  });

  it('gives the verdict as the judge wrote it, with its details and the minority verdict', () => {
    expect(section(record, 'Verdict')).toEqual([
      '',
      'Open the second shop in spring, after hiring a second head baker.',
      '',
      '**Vote**: 6-0  ',
      '**Confidence**: Unanimous',
      '',
      '### Minority verdict (Round 3) — Eclair',
      '',
      'Wait a year.',
      '',
    ]);
  });

  it('lists every tension with its resolution', () => {
    const rows = section(record, 'Tensions Resolved');
    expect(rows.slice(0, 6)).toEqual([
      '',
      '| ID | Tension | Resolution | Settled |',
      '|----|---------|-----------|---------|',
      '| MUFFIN-T01 (R0) | Muffin worry 1 | Resolved: Second head baker hired first | judge, R1 |',
      '| MUFFIN-T02 (R0) | Muffin worry 2 | Superseded by CUPCAKE-T01 | judge, R1 |',
      '| CUPCAKE-T01 (R0) | Cupcake worry 1 | Resolved | judge, R1 |',
    ]);
    expect(rows.filter((l) => l.startsWith('| ') && !l.startsWith('| ID'))).toHaveLength(13);
    expect(rows.find((l) => l.startsWith('| CROISSANT R1-T01 |'))).toMatch(/^\| CROISSANT R1-T01 \| Lease length \| .+ \|$/);
  });

  it('ends with the key insights and the dialogue location', () => {
    expect(section(record, 'Key Insights')).toEqual(['', '- Hire before you build', '- Lease for five years, not ten', '']);
    expect(record.endsWith('## Dialogue Location\n\n`.blue/dialogues/2026-03-01T0930Z-second-shop/`\n')).toBe(true);
  });

  it('is a pure function of the dialogue', () => {
    expect(renderRecord(structuredClone(d))).toBe(record);
  });
});

describe('the record of a dialogue in progress', () => {
  function inProgress(): Dialogue {
    let d = play(start(), {
      texts: {
        muffin: '[PERSPECTIVE P01: Demand]\nx\n[TENSION T01: Capital | quality]\ny\n',
        cupcake: '[PERSPECTIVE P01: Cash]\nx\n[RESOLVED MUFFIN-T01]\nHire.\n',
        scone: CONVERGE,
      },
      scores: { Muffin: 10, Cupcake: 8, Scone: 6 },
    });
    d = open(d);
    return ingest(d, { muffin: 'x\n' });
  }

  it('renders the open round with — for its scores, and leaves it out of the scoreboard', () => {
    const record = renderRecord(inProgress());
    const panels = section(record, 'Expert Panels by Round');
    const r1 = panels.indexOf('### Round 1 (4 experts)');
    expect(panels.slice(r1 + 3, r1 + 7)).toEqual([
      '| Muffin | Head Baker | Retained | — |',
      '| Cupcake | Supply Chain Analyst | Retained | — |',
      '| Scone | Customer Researcher | Retained | — |',
      '| Eclair | Urban Planner | Retained | — |',
    ]);
    expect(section(record, 'ALIGNMENT Scoreboard').filter((l) => /^\| \d/.test(l))).toEqual([
      '| 0     | — | — | — | — | 24    | 3        | 25%        |',
    ]);
  });

  it('states the header of an open dialogue, from the last scored round', () => {
    const record = renderRecord(inProgress());
    expect(lines(record).slice(2, 8)).toEqual([
      '**Date**: 2026-03-01 09:30Z',
      '**Status**: Open',
      '**ALIGNMENT Score**: 24',
      '**Rounds**: 2 (R0-R1; R1 not scored yet)',
      '**Convergence**: 25% (1/4, Round 0)',
      '**Tensions Resolved**: 0/1',
    ]);
    expect(record).not.toContain('**Linked RFC**');
  });

  it('escapes a table cell and shows a tension\'s status', () => {
    const record = renderRecord(inProgress());
    expect(section(record, 'Tensions Resolved (0/1)')).toContain(
      '| MUFFIN-T01 (R0) | Capital \\| quality | Addressed: Hire. | Cupcake, R0 |',
    );
  });

  it('says what is not there yet', () => {
    const record = renderRecord(inProgress());
    expect(section(record, 'Verdict')).toEqual(['', '_No final verdict yet._', '']);
    expect(section(record, 'Key Insights')).toEqual(['', '_None recorded._', '']);
  });

  it('before any round: no rounds, not yet scored, an empty scoreboard', () => {
    const record = renderRecord(start());
    expect(record).toContain('**Rounds**: 0\n');
    expect(record).toContain('**Convergence**: not yet scored\n');
    expect(record).toContain('**ALIGNMENT Score**: 0 (W:0 C:0 T:0 R:0)\n');
    expect(record).toContain('## Tensions Resolved (0/0)');
  });

  it('gives a single round as (R0), and one expert in the singular', () => {
    const d = play(start({ panelSize: 1 }), { texts: { muffin: 'x\n' }, scores: { Muffin: 3 } });
    const record = renderRecord(d);
    expect(record).toContain('**Rounds**: 1 (R0)\n');
    expect(record).toContain('### Round 0 (1 expert)\n');
  });

  it('warns about a forced final verdict above its text', () => {
    let d = score(inProgress(), { Muffin: 1 });
    d = verdict(d, { force: true, warning: 'Owner decided' }).dialogue;
    expect(section(renderRecord(d), 'Verdict').slice(0, 4)).toEqual([
      '',
      '> **Warning**: convergence was forced. Owner decided',
      '',
      'Open the second shop in spring.',
    ]);
  });

  it('takes the key insights of the latest verdict that has some when the final has none', () => {
    let d = score(inProgress(), { Muffin: 1 });
    d = verdict(d, { type: 'interim', text: 'Keep going.', insights: '- interim insight' }).dialogue;
    expect(section(renderRecord(d), 'Key Insights')).toEqual(['', '- interim insight', '']);
    expect(section(renderRecord(d), 'Verdict')).toContain('### Interim verdict (Round 1)');
  });

  it('gives the vote and confidence of an interim, minority or dissent verdict too, under its text', () => {
    let d = score(inProgress(), { Muffin: 1 });
    d = verdict(d, { type: 'interim', text: 'Keep going.', vote: '4-2', confidence: 'split' }).dialogue;
    d = verdict(d, { type: 'dissent', text: 'Not this year.', experts: ['scone'], confidence: 'strong' }).dialogue;
    d = verdict(d, { type: 'minority', text: 'Rent first.', experts: ['cupcake'], vote: '2 of 6' }).dialogue;
    expect(section(renderRecord(d), 'Verdict')).toEqual([
      '',
      '_No final verdict yet._',
      '',
      '### Interim verdict (Round 1)',
      '',
      'Keep going.',
      '',
      '**Vote**: 4-2  ',
      '**Confidence**: Split',
      '',
      '### Dissent verdict (Round 1) — Scone',
      '',
      'Not this year.',
      '',
      '**Confidence**: Strong',
      '',
      '### Minority verdict (Round 1) — Cupcake',
      '',
      'Rent first.',
      '',
      '**Vote**: 2 of 6',
      '',
    ]);
  });
});

describe('scoreboard rows', () => {
  it('pads wide numbers in the narrow columns without breaking the row', () => {
    let d = open(start());
    d = ingest(d, { muffin: 'x\n' });
    d = score(d, { Muffin: '135,104,92,8' }, { fill: '0,0,0,0' });
    expect(scoreboardRows(d, 'record')[2]).toBe('| 0     | 135| 104| 92| 8 | 339   | 0        | 0%         |');
  });
});

describe('the JSON export', () => {
  it('is valid JSON with the format, the version, the dialogue and the derived figures', () => {
    const d = fourRounds();
    const doc = JSON.parse(renderJson(d));
    expect(doc.format).toBe(EXPORT_FORMAT);
    expect(doc.format).toBe('blue.dialogue.export');
    expect(doc.version).toBe(EXPORT_VERSION);
    expect(doc.version).toBe(1);
    expect(doc.dialogue).toEqual(JSON.parse(JSON.stringify(d)));
    expect(doc.derived.alignment).toEqual({ w: 135, c: 120, t: 115, r: 115, total: 485 });
    expect(doc.derived.rounds.map((r: any) => [r.round, r.velocity, r.converge_percent, r.can_converge])).toEqual([
      [0, 30, 0, false],
      [1, 3, 0, false],
      [2, 0, 50, false],
      [3, 0, 100, true],
    ]);
    expect(doc.derived.tensions).toHaveLength(13);
    expect(doc.derived.tensions.find((t: any) => t.id === 'MUFFIN-T02')).toEqual({ id: 'MUFFIN-T02', status: 'superseded', superseded_by: ['CUPCAKE-T01'] });
  });

  it('ends with a newline and renders a fresh dialogue too', () => {
    const text = renderJson(start());
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text).derived).toEqual({ alignment: { w: 0, c: 0, t: 0, r: 0, total: 0 }, rounds: [], tensions: [] });
  });
});

describe('the transcript', () => {
  it('keeps every output verbatim and names the missing ones', () => {
    let d = open(start());
    d = ingest(d, { muffin: '[PERSPECTIVE P01: Demand]\nQueues.\n\nThis line must survive.\n' });
    d = score(d, { Muffin: 3 });
    const transcript = renderTranscript(d);
    expect(transcript).toContain('### Muffin — Head Baker — score 3\n\n[PERSPECTIVE P01: Demand]\nQueues.\n\nThis line must survive.\n');
    expect(transcript).toContain('_No output (round-0/eclair.md was missing)._');
    expect(transcript).toContain('**Scores**: Muffin 3, Cupcake 0, Scone 0, Eclair 0. Round 3; velocity 1; converge 0%.');
  });

  it('gives the vote and confidence of an interim, minority or dissent verdict under its text', () => {
    let d = score(ingest(open(start()), { muffin: '[PERSPECTIVE P01: Demand]\nQueues.\n' }), { Muffin: 3 });
    d = verdict(d, { type: 'interim', text: 'Keep going.', vote: '4-2', confidence: 'contested' }).dialogue;
    d = verdict(d, { type: 'dissent', text: 'Not this year.', experts: ['scone'], confidence: 'strong' }).dialogue;
    const transcript = renderTranscript(d);
    expect(transcript).toContain('## Interim verdict (Round 0)\n\nKeep going.\n\n**Vote**: 4-2  \n**Confidence**: Contested\n');
    expect(transcript).toContain('## Dissent verdict (Round 0)\n\nNot this year.\n\n**Confidence**: Strong\n');
  });
});

describe('the judge-facing files', () => {
  function cliRoundZero(): Dialogue {
    const d = ingest(open(start()), {
      muffin: '[PERSPECTIVE P01: Demand is proven]\nQueues.\n\n[TENSION T01: Capital vs. quality]\nTwo ovens.\n',
      cupcake: '[PERSPECTIVE P01: Cash flow covers it]\nWe can fund it.\n\n[RESOLVED MUFFIN-T01]\nHire first.\n',
      scone: '[PERSPECTIVE P01: Staffing]\nNobody.\n[MOVE:CONVERGE]\n',
    });
    return score(d, { Muffin: '5,4,3,3', Cupcake: '4,3,2,1', Scone: '3,3,3,3', eclair: '0,0,0,0' }, { judge: { openTensions: 0 }, label: 'opening' });
  }

  it('scoreboard.md tracks open tensions and new perspectives, and shows the judge\'s override', () => {
    const board = renderScoreboard(cliRoundZero());
    expect(board).toContain('| 0     | 12| 10| 8 | 7 | 37    | 0*            | 2                | 2*       | 25%        |');
    expect(board).toContain('**Judge override (R0)**: open tensions 0 (blue counted 1)');
    expect(board).toContain('| Muffin | Head Baker | 15 | 15 |');
    expect(board).toContain('**Max Rounds:** 10');
  });

  it('tensions.md groups tensions by status', () => {
    const tensions = renderTensions(cliRoundZero());
    expect(tensions).toContain('1 open, 0 resolved, 1 raised.');
    expect(tensions).toContain('## OPEN\n\n### MUFFIN-T01 (R0): Capital vs. quality\nRaised by Muffin in R0. Two ovens.\n**Status: ADDRESSED** (Cupcake, R0)');
  });

  it('round-<n>.summary.md gives the round in figures', () => {
    const summary = renderRoundSummary(cliRoundZero(), 0);
    expect(summary).toContain('- Judge override: open tensions 0 (blue counted 1)');
    expect(summary).toContain('- Converge: 25% (1/4): Scone');
    expect(summary).toContain('- MUFFIN-T01: open → addressed (Cupcake)');
  });
});

describe('a judge decision that repeats the current status', () => {
  /** Round 0: MUFFIN-T01 raised; the judge resolves it, then resolves it again in the same command. */
  function resolvedTwice(notes: string[]): Dialogue {
    const d = ingest(open(start()), { muffin: '[TENSION T01: Capital vs. quality]\nTwo ovens.\n' });
    return score(d, {}, { decisions: notes.map((note) => ({ tension: 'MUFFIN-T01', to: 'resolved' as const, note })) });
  }
  const row = (record: string) => record.split('\n').find((l) => l.startsWith('| MUFFIN-T01 '));

  it('adds its note: tensions.md shows both, on the status line and in the history', () => {
    const tensions = renderTensions(resolvedTwice(['a=b', 'again']));
    expect(tensions).toContain('**Status: RESOLVED** (judge, R0) — a=b; again\n- R0 judge: resolved → resolved — again\n');
  });

  it('adds its note in the record\'s resolution cell and in the round summary', () => {
    const d = resolvedTwice(['a=b', 'again']);
    expect(row(renderRecord(d))).toBe('| MUFFIN-T01 (R0) | Capital vs. quality | Resolved: a=b; again | judge, R0 |');
    const summary = renderRoundSummary(d, 0);
    expect(summary).toContain('- MUFFIN-T01: open → resolved (judge) — a=b\n- MUFFIN-T01: resolved → resolved (judge) — again\n');
  });

  it('shows a note repeated word for word once', () => {
    expect(row(renderRecord(resolvedTwice(['hire first', 'hire first'])))).toBe('| MUFFIN-T01 (R0) | Capital vs. quality | Resolved: hire first | judge, R0 |');
  });

  it('keeps the notes of a repeat across rounds, but not those of a status set again after another', () => {
    let d = resolvedTwice(['hire first']);
    d = play(d, { texts: { muffin: 'x\n' }, decisions: [{ tension: 'MUFFIN-T01', to: 'resolved', note: 'still so in R1' }] });
    expect(row(renderRecord(d))).toBe('| MUFFIN-T01 (R0) | Capital vs. quality | Resolved: hire first; still so in R1 | judge, R0 |');
    d = play(d, { texts: { muffin: 'x\n' }, decisions: [{ tension: 'MUFFIN-T01', to: 'reopened', note: 'numbers changed' }, { tension: 'MUFFIN-T01', to: 'resolved', note: 'second oven' }] });
    expect(row(renderRecord(d))).toBe('| MUFFIN-T01 (R0) | Capital vs. quality | Resolved: second oven | judge, R2 |');
  });
});

describe('the record of a dialogue just started', () => {
  it('has every section, says no round is open yet, and counts nothing', () => {
    const record = renderRecord(start());
    expect(record).toContain('**Rounds**: 0\n**Convergence**: not yet scored\n**Tensions Resolved**: 0/0');
    expect(record).toContain('## Expert Panels by Round\n\n_No round opened yet._\n');
    expect(record).toContain('_No final verdict yet._');
    expect(record.match(/^## /gm)).toHaveLength(7);
  });
});
