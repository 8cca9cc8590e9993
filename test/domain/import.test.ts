// The pure mapping of `dialogue import`: the reference's three real folders, then one synthetic folder for
// each shape real folders come in beyond the samples, and malformed input. Each finding must name its file
// and line; nothing may be guessed.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boxTablesIn } from '../../src/domain/import/box-tables.js';
import { importDialogue, type ImportFolder, type ImportOptions, type ImportResult } from '../../src/domain/import/import.js';
import { readJson } from '../../src/domain/import/json-lines.js';
import { readStatus } from '../../src/domain/import/statuses.js';
import { roundMetrics } from '../../src/domain/scoring.js';
import { tensionStates } from '../../src/domain/tensions.js';
import { renderRecord } from '../../src/render/record.js';
import { POOL } from '../support/dialogue-factory.js';
import { readRecord, type RecordFigures } from '../support/record.js';
import { REFERENCE_DIALOGUES, RFC_0058 } from '../support/reference.js';

const DIALOGUES = REFERENCE_DIALOGUES;

const OPTIONS: ImportOptions = {
  outputPath: (id, n, name) => `.blue/dialogues/${id}/round-${n}/${name.toLowerCase()}.md`,
  sourcePath: (path) => `old/${path}`,
  now: new Date('2026-03-01T09:30:00Z'),
};

/** A folder on disk as the workspace hands it over: its files, its round folders' files, and those beside it. */
function fromDisk(dir: string, { beside = true } = {}): ImportFolder {
  const name = basename(dir);
  const files: ImportFolder['files'] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile()) files.push({ path: entry.name, text: readFileSync(join(dir, entry.name), 'utf8') });
    else for (const f of readdirSync(join(dir, entry.name))) files.push({ path: `${entry.name}/${f}`, text: readFileSync(join(dir, entry.name, f), 'utf8') });
  }
  if (beside) for (const f of readdirSync(dirname(dir))) if (f.startsWith(`${name}.`)) files.push({ path: `../${f}`, text: readFileSync(join(dirname(dir), f), 'utf8') });
  return { name, files, refused: [] };
}

/** A synthetic folder from `path -> text`. */
function folder(name: string, files: Record<string, string>, extra: Partial<ImportFolder> = {}): ImportFolder {
  return { name, files: Object.entries(files).map(([path, text]) => ({ path, text })), refused: [], ...extra };
}

const messages = (r: ImportResult, which: 'unmapped' | 'notes' = 'unmapped') => r[which].map((f) => `${f.file}:${f.line}: ${f.message}`);

/** A record's panel rows with equal scores in name order: the reference's order among ties is the judge's hand. */
function panelsByScore(figures: RecordFigures) {
  return figures.panels.map((p) => ({ ...p, rows: [...p.rows].sort((a, b) => Number(b.score) - Number(a.score) || a.agent.localeCompare(b.agent)) }));
}

const POOL_JSON = JSON.stringify(POOL, null, 2);

const panelJson = (round: number, panel: object[], extra: object = {}) => JSON.stringify({ round, ...extra, panel }, null, 2);

describe('importing the reference folders', () => {
  const reference = readRecord(readFileSync(join(DIALOGUES, `${RFC_0058}.dialogue.recorded.md`), 'utf8'));

  it('rfc-0058: every derived figure of the record equals the reference record', () => {
    const r = importDialogue(fromDisk(join(DIALOGUES, RFC_0058)), OPTIONS);
    expect(r.dialogue.id).toBe(RFC_0058);
    expect(r.rounds).toBe(4);
    const ours = readRecord(renderRecord(r.dialogue));
    expect(ours.title).toBe(reference.title);
    for (const field of ['Date', 'Status', 'ALIGNMENT Score', 'Rounds', 'Convergence', 'Linked RFC']) {
      expect([field, ours.header[field]]).toEqual([field, reference.header[field]]);
    }
    // The reference's table leaves out STRUDEL R2-T01 (raised in round 2, resolved by Strudel in round 3).
    expect(ours.header['Tensions Resolved']).toBe('18/18');
    expect(ours.total).toBe(reference.total);
    expect(ours.scoreboard).toEqual(reference.scoreboard);
    expect(ours.poolTiers).toEqual(reference.poolTiers);
    expect([ours.domain, ours.question]).toEqual([reference.domain, reference.question]);
    expect(ours.panels.map((p) => [p.round, p.size, p.label])).toEqual(reference.panels.map((p) => [p.round, p.size, p.label]));
    const theirs = panelsByScore(reference);
    panelsByScore(ours).forEach((panel, i) => {
      if (theirs[i].rows.length) expect(panel.rows).toEqual(theirs[i].rows);
    });
    expect(tensionStates(r.dialogue).every((s) => s.status === 'resolved')).toBe(true);
  });

  it('rfc-0058: the judge\'s R1 decisions come from tensions.md, the final ones from the verdict', () => {
    const r = importDialogue(fromDisk(join(DIALOGUES, RFC_0058)), OPTIONS);
    const judged = r.dialogue.events.filter((e) => e.origin === 'judge').map((e) => `R${e.round} ${e.tension} ${e.to}${e.by ? ` by ${e.by.join(' + ')}` : ''}`);
    expect(judged).toEqual(expect.arrayContaining([
      'R1 BRIOCHE-T01 resolved',
      'R1 STRUDEL-T01 narrowed',
      'R1 CANNOLI-T01 narrowed',
      'R1 CROISSANT-T01 superseded by CROISSANT R1-T01',
      'R1 MUFFIN-T01 superseded by MUFFIN R1-T01 + ECLAIR R1-T01',
      'R3 CUPCAKE-T01 resolved',
      'R3 CROISSANT R1-T01 resolved',
    ]));
    // Every marker the experts wrote is still theirs: Macaron resolved its own tension in round 1.
    expect(r.dialogue.events.find((e) => e.tension === 'MACARON-T01' && e.to === 'resolved')).toMatchObject({ actor: 'Macaron', round: 1, origin: 'ingest' });
    // The judge's counts stand as overrides beside blue's own: R3 needs none, as in the replay.
    expect(roundMetrics(r.dialogue, 3).overrides).toEqual([]);
    expect(roundMetrics(r.dialogue, 1).overrides.map((o) => [o.field, o.judge, o.computed])).toEqual([['openTensions', 7, 13], ['newPerspectives', 9, 16]]);
  });

  it('rfc-0058: what it could not map, each with file and line', () => {
    const r = importDialogue(fromDisk(join(DIALOGUES, RFC_0058)), OPTIONS);
    const unmapped = messages(r).filter((m) => !m.includes('a prompt is not kept'));
    expect(unmapped).toEqual([
      expect.stringMatching(/^round-3\/cannoli\.md:7: RESOLVED names no tension id/),
      expect.stringMatching(/^verdict\.md:1: its text is not kept: the record's Verdict/),
      expect.stringMatching(/^tensions\.md:83: the table under "Tension Summary"/),
      expect.stringMatching(/^tensions\.md:5: the judge's descriptions of the tensions are not kept/),
      expect.stringMatching(/^verdict\.md:35: the table under "Converged Decisions" \(Topic, Decision\)/),
    ]);
    expect(messages(r).filter((m) => m.includes('a prompt is not kept'))).toHaveLength(30);
    // The round-0 prompt calls Macaron the data-migration specialist; the judge's scoreboard (and record) a CTO.
    expect(messages(r, 'notes')).toContain(
      'round-0/macaron.prompt.md:1: Macaron\'s role is "Data Migration & Zero-Downtime Specialist" here, but "Startup CTO (Ship-Speed Pragmatist)" in scoreboard.md:14, which is kept (the judge\'s table outranks the prompt)',
    );
  });

  it('rfc-0058 without its record: the same figures, from the scoreboard, tensions.md and the verdict\'s box tables', () => {
    const r = importDialogue(fromDisk(join(DIALOGUES, RFC_0058), { beside: false }), { ...OPTIONS, rfc: '0058-encrypted-dynamodb-storage' });
    const ours = readRecord(renderRecord(r.dialogue));
    // The scoreboard's heading gives the title with a dash where the record has a colon.
    expect(ours.title).toBe('Alignment Dialogue: RFC 0058 Supersession — Hybrid Relational + DynamoDB Architecture');
    for (const field of ['Date', 'Status', 'ALIGNMENT Score', 'Rounds', 'Convergence', 'Linked RFC']) expect(ours.header[field]).toBe(reference.header[field]);
    expect(ours.header['Tensions Resolved']).toBe('18/18');
    expect(ours.scoreboard).toEqual(reference.scoreboard);
    expect(r.dialogue.verdicts[0].text).toContain('## 100% CONVERGENCE ACHIEVED');
    expect(r.dialogue.verdicts[0].insights).toMatch(/^1\. \*\*Strudel\*\* \(R0\)/);
    expect(r.dialogue.verdicts[0].text).not.toContain('Key Insights');
  });

  it('ukfs-spec-review: no outputs, so tensions and figures come from the judge\'s tables; the judge\'s slips are reported', () => {
    const r = importDialogue(fromDisk(join(DIALOGUES, 'ukfs-spec-review')), OPTIONS);
    expect(r.dialogue.id).toBe('2026-02-04T0000Z-ukfs-spec-review');
    expect(r.rounds).toBe(3);
    const d = r.dialogue;
    expect(d.rounds.map((round) => roundMetrics(d, round.n).roundScore.total)).toEqual([417, 374, 185]);
    expect(d.tensions.map((t) => `${t.id} R${t.round}`)).toEqual([...Array.from({ length: 14 }, (_, i) => `T${String(i + 1).padStart(2, '0')} R0`), 'T15 R1', 'T16 R1', 'T17 R1', 'T18 R1', 'T19 R1', 'T20 R1']);
    expect(d.tensions[0]).toMatchObject({ author: 'Muffin', text: 'Raised by Muffin, Eclair, Strudel.', file: 'old/round-0/scoreboard.md' });
    const status = Object.fromEntries(tensionStates(d).map((s) => [s.tension.id, s.status]));
    expect(Object.values(status).filter((s) => s === 'resolved')).toHaveLength(17);
    expect([status.T10, status.T11, status.T12]).toEqual(['accepted', 'accepted', 'accepted']);
    const t11 = tensionStates(d).find((s) => s.tension.id === 'T11')!;
    expect(t11.settledBy).toMatchObject({ round: 2, note: 'DEFERRED: Security RFC in v1.1' });
    expect(d.status).toBe('converged');
    expect(roundMetrics(d, 2)).toMatchObject({ convergePercent: 100, velocity: 0 });
    expect(d.experts.find((e) => e.name === 'Palmier')).toMatchObject({ origin: 'created', role: 'Implementation Pragmatist' });
    expect(messages(r)).toEqual(expect.arrayContaining([
      'round-1/panel.json:3: "focus" is not imported: a blue panel is its list of experts (each with its own focus), with nothing beside it',
      'CONVERGENCE.md:152: T10 is listed here among resolved tensions, but it was accepted unresolved; it stays accepted',
      'round-2/scoreboard.md:67: round 2\'s converge is written 9/9, which no count of its panel of 5 gives; not read',
      'CONVERGENCE.md:12: the dialogue\'s total W is written 354; its rounds add up to 296, which blue keeps',
      'background.md:1: not a file of a blue dialogue folder; not imported',
      'round-1/context-brief.md:1: a context brief is not kept: blue writes the brief into each newcomer\'s prompt itself',
    ]));
    expect(messages(r, 'notes')).toEqual(expect.arrayContaining([
      expect.stringMatching(/^CONVERGENCE\.md:167: the folder's name carries no time, so the id takes 2026-02-04 from here \(midnight UTC\)/),
      expect.stringMatching(/^\.:1: no file of the folder gives the dialogue's title, so it is "Ukfs spec review"/),
    ]));
  });

  it('local-prod-parity: a name given a second role is another expert; no per-expert scores, no verdict', () => {
    const r = importDialogue(fromDisk(join(DIALOGUES, 'local-prod-parity')), { ...OPTIONS, date: new Date('2026-02-05T10:00:00Z') });
    const d = r.dialogue;
    expect(d.id).toBe('2026-02-05T1000Z-local-prod-parity');
    expect(d.rounds.map((round) => roundMetrics(d, round.n).roundScore.total)).toEqual([87, 69, 87, 46]);
    expect(d.rounds[2].panel.map((m) => `${m.name}: ${m.role}`)).toContain('Beignet: Database Architect');
    expect(d.experts.find((e) => e.name === 'Eclair')!.role).toBe('Cloud Architect');
    expect(roundMetrics(d, 2).convergePercent).toBe(100);
    expect(d.status).toBe('open');
    expect(d.tensions.map((t) => t.id)).toEqual(['T0001', 'T0002', 'T0003', 'T0004', 'T0005', 'T0006']);
    expect(d.contributions.filter((c) => c.kind === 'perspective')).toHaveLength(17);
    expect(messages(r)).toEqual(expect.arrayContaining([
      'expert-pool.json:4: "supersedes" is not imported: a blue pool holds the domain, the question and the experts',
      'round-1/summary.md:49: T0002 is written REOPENED, but no file of the folder closed it before round 1; it stays open',
    ]));
    expect(messages(r, 'notes')).toEqual(expect.arrayContaining([
      'round-2/panel.json:10: Eclair is bound to "Cloud Architect"; "Database Architect" in round 2 is another expert, imported as Beignet (in blue a name keeps one role for the whole dialogue)',
      expect.stringMatching(/^\.:1: the folder holds no verdict .* the dialogue is imported open/),
      '.:1: T0003, T0005 are still open after the last round: no file of the folder settles them',
    ]));
  });
});

describe('shapes real folders come in', () => {
  const base = {
    'expert-pool.json': POOL_JSON,
    'round-0/panel.json': panelJson(0, [
      { name: 'Muffin', role: 'Head Baker', tier: 'core', source: 'pool' },
      { name: 'Cupcake', role: 'Finance Lead', tier: 'core', source: 'pool' },
      { name: 'Scone', role: 'Contrarian', tier: 'wildcard', source: 'pool' },
    ]),
    'round-0/muffin.md': '[PERSPECTIVE P01: Rent]\nThe rent doubles.\n\n[TENSION T01: Cash]\nCash runs short.\n',
    'round-0/cupcake.md': '[PERSPECTIVE P01: Margins]\nMargins hold.\n',
    'round-0/scone.md': '[PERSPECTIVE P01: Why]\nWhy a second shop at all?\n',
  };

  it('a scoreboard with more columns: running total, open tensions, new perspectives, and one blue does not know', () => {
    const r = importDialogue(folder('2026-03-01T0930Z-second-shop', {
      ...base,
      'scoreboard.md': [
        '# Scoreboard: Second shop',
        '',
        '| Expert | Role | R0 | Total |',
        '|---|---|---|---|',
        '| Muffin | Head Baker | 9 | 9 |',
        '| Cupcake | Finance Lead | 7 | 8 |',
        '| Scone | Contrarian | 5 | 5 |',
        '',
        '## ALIGNMENT Tracking',
        '',
        '| Open Tensions | Round | W | C | T | R | Score | Running Total | New Perspectives | Mood | Velocity | Converge % |',
        '|---|---|---|---|---|---|---|---|---|---|---|---|',
        '| 1 | 0 | 6 | 5 | 5 | 5 | 21 | 20 | 3 | calm | 4 | 0% |',
      ].join('\n'),
    }), OPTIONS);
    const m = roundMetrics(r.dialogue, 0);
    expect(m.roundScore).toEqual({ w: 6, c: 5, t: 5, r: 5, total: 21 });
    expect(r.dialogue.rounds[0].scores).toEqual({
      Muffin: { w: null, c: null, t: null, r: null, total: 9 },
      Cupcake: { w: null, c: null, t: null, r: null, total: 7 },
      Scone: { w: null, c: null, t: null, r: null, total: 5 },
    });
    expect(m.effective).toEqual({ openTensions: 1, newPerspectives: 3, convergeSignals: 0 });
    expect(messages(r)).toEqual([
      'scoreboard.md:6: Cupcake\'s total is 8, but its rounds add up to 7; blue adds them up itself',
      'scoreboard.md:11: column "Mood" of the table under "ALIGNMENT Tracking" is not imported: blue does not record it for a round',
      'scoreboard.md:13: the running total after round 0 is written 20; the rounds add up to 21, which blue keeps',
    ]);
  });

  it('tension statuses the samples do not use: deferred, accepted as a trade-off, partially resolved; an unknown one is reported', () => {
    const r = importDialogue(folder('2026-03-01T0930Z-second-shop', {
      ...base,
      'round-0/muffin.md': '[PERSPECTIVE P01: Rent]\nx\n\n[TENSION T01: Cash]\ny\n\n[TENSION T02: Staff]\nz\n\n[TENSION T03: Lease]\nw\n\n[TENSION T04: Brand]\nv\n',
      'round-0.summary.md': [
        '# Round 0',
        '',
        '| ID | Tension | Status | Resolution |',
        '|---|---|---|---|',
        '| MUFFIN-T01 | Cash | ✅ Deferred | to the next budget |',
        '| MUFFIN-T02 | Staff | **Accepted as a trade-off** | hire later |',
        '| MUFFIN-T03 | Lease | Partially resolved | only the deposit is open |',
        '| MUFFIN-T04 | Brand | Parked | nobody knows |',
      ].join('\n'),
    }), OPTIONS);
    const states = Object.fromEntries(tensionStates(r.dialogue).map((s) => [s.tension.id, [s.status, s.settledBy?.note]]));
    expect(states).toEqual({
      'MUFFIN-T01': ['accepted', 'Deferred: to the next budget'],
      'MUFFIN-T02': ['accepted', 'hire later'],
      'MUFFIN-T03': ['narrowed', 'only the deposit is open'],
      'MUFFIN-T04': ['open', undefined],
    });
    expect(messages(r)).toContain('round-0.summary.md:8: MUFFIN-T04\'s status "Parked" is not a status blue knows (open, resolved, narrowed, superseded, accepted, deferred, reopened); MUFFIN-T04 keeps the status it had');
  });

  it('a folder with no timestamp in its name: the time from its files, else their age, else now, and a note says which', () => {
    const plain = { ...base, 'verdict.md': '# Verdict\n\nOpen it. Held 2026-02-20T14:05Z.\n' };
    const dated = importDialogue(folder('second-shop', plain), OPTIONS);
    expect(dated.dialogue.id).toBe('2026-02-20T1405Z-second-shop');
    expect(messages(dated, 'notes')).toContain('verdict.md:3: the folder\'s name carries no time, so the id takes 2026-02-20T14:05 from here; give --date to set another');
    const aged = importDialogue(folder('second-shop', base, { earliestModified: '2026-01-15T08:00:00.000Z' }), OPTIONS);
    expect(aged.dialogue.id).toBe('2026-01-15T0800Z-second-shop');
    const now = importDialogue(folder('second-shop', base), OPTIONS);
    expect(now.dialogue.id).toBe('2026-03-01T0930Z-second-shop');
    expect(messages(now, 'notes')).toContain('.:1: the folder\'s name and files carry no date, so the id takes the time of the import; give --date to set another');
    expect(now.dialogue.title).toBe('Second shop');
  });

  it('prompts that were never saved, and no panel.json: the panel from the outputs and the scoreboard\'s roles', () => {
    const { 'round-0/panel.json': _panel, ...withoutPanel } = base;
    const r = importDialogue(folder('2026-03-01T0930Z-second-shop', {
      ...withoutPanel,
      'scoreboard.md': '| Expert | Role | R0 |\n|---|---|---|\n| Scone | Contrarian | 5 |\n| Muffin | Head Baker | 9 |\n| Cupcake | Finance Lead | 7 |\n',
    }), OPTIONS);
    expect(r.dialogue.rounds[0].panel.map((m) => [m.name, m.role, m.tier, m.source])).toEqual([
      ['Muffin', 'Head Baker', 'core', 'pool'],
      ['Cupcake', 'Finance Lead', 'core', 'pool'],
      ['Scone', 'Contrarian', 'wildcard', 'pool'],
    ]);
    expect(r.dialogue.rounds[0].ingest!.ingested).toEqual(['Muffin', 'Cupcake', 'Scone']);
    expect(messages(r)).toEqual([]);
    expect(messages(r, 'notes')).toContain('round-0:1: round 0 has no panel.json; its panel is read from the experts\' outputs, prompts and scores');
  });

  it('one name bound to two roles: a retained expert keeps its role, a newcomer with a taken name gets its own', () => {
    const r = importDialogue(folder('2026-03-01T0930Z-second-shop', {
      ...base,
      'round-1/panel.json': panelJson(1, [
        { name: 'Muffin', role: 'Master Baker', source: 'retained' },
        { name: 'Cupcake', role: 'Finance Lead', source: 'retained' },
        { name: 'Scone', role: 'Urban Planner', tier: 'wildcard', source: 'pool' },
      ]),
      'round-1/scone.md': '[PERSPECTIVE P01: Footfall]\nThe square is busy.\n',
      'scoreboard.md': '| Expert | R0 | R1 |\n|---|---|---|\n| Muffin | 9 | 8 |\n| Cupcake | 7 | 6 |\n| Scone | 5 | 4 |\n',
    }), OPTIONS);
    const panel = r.dialogue.rounds[1].panel.map((m) => `${m.name} ${m.role} ${m.source}`);
    expect(panel).toEqual(['Muffin Head Baker retained', 'Cupcake Finance Lead retained', 'Eclair Urban Planner pool']);
    // The round-1 output and score of "Scone" belong to the Urban Planner, now Eclair.
    expect(r.dialogue.rounds[1].scores.Eclair.total).toBe(4);
    expect(r.dialogue.rounds[1].ingest!.outputs.Eclair).toContain('Footfall');
    expect(messages(r, 'notes')).toEqual(expect.arrayContaining([
      'round-1/panel.json:4: Muffin\'s role is written "Master Baker" here; Muffin is bound to "Head Baker", which it keeps (a retained expert keeps its role)',
      'round-1/panel.json:14: Scone is bound to "Contrarian"; "Urban Planner" in round 1 is another expert, imported as Eclair (in blue a name keeps one role for the whole dialogue)',
    ]));
  });

  it('a round missing from the middle ends the import there, and says so for every later file', () => {
    const r = importDialogue(folder('2026-03-01T0930Z-second-shop', { ...base, 'round-2/panel.json': panelJson(2, []), 'round-2/muffin.md': 'x' }), OPTIONS);
    expect(r.rounds).toBe(1);
    expect(messages(r)).toEqual([
      'round-2/panel.json:1: round 2 is not imported: the folder has no round 1, and rounds are imported in order',
      'round-2/muffin.md:1: round 2 is not imported: the folder has no round 1, and rounds are imported in order',
    ]);
  });
});

describe('malformed input', () => {
  const pool = { 'expert-pool.json': POOL_JSON };

  it('bad JSON in panel.json: reported with its line, and the panel read from the round\'s other files', () => {
    const r = importDialogue(folder('2026-03-01T0930Z-x', {
      ...pool,
      'round-0/panel.json': '{\n  "round": 0,\n  "panel": [\n    { "name": "Muffin", "role": "Head Baker" "source": "pool" }\n  ]\n}\n',
      'round-0/muffin.prompt.md': 'You are Muffin 🧁, a Head Baker in an ALIGNMENT-seeking dialogue.\n',
      'round-0/muffin.md': '[PERSPECTIVE P01: Bread]\nMore bread.\n',
    }), OPTIONS);
    expect(r.dialogue.rounds[0].panel.map((m) => m.name)).toEqual(['Muffin']);
    expect(messages(r)[0]).toMatch(/^round-0\/panel\.json:4: not valid JSON \(.+\); the panel is read from the round's other files instead$/);
  });

  it('bad JSON in the pool: exit 2, naming the file and line', () => {
    expect(() => importDialogue(folder('x', { 'expert-pool.json': '{\n  "domain": "Bakery",\n  "experts": [,]\n}\n', 'round-0/muffin.md': 'x' }), OPTIONS)).toThrow(
      expect.objectContaining({ exitCode: 2, code: 'invalid_pool', message: expect.stringMatching(/^expert-pool\.json:3: not valid JSON/) }),
    );
  });

  it('a panel entry blue cannot take is left off, the rest of the panel kept', () => {
    const r = importDialogue(folder('2026-03-01T0930Z-x', {
      ...pool,
      'round-0/panel.json': panelJson(0, [{ name: 'Muffin', role: 'Head Baker', source: 'pool' }, { name: 'Alice', role: 'Finance Lead', source: 'pool' }]),
      'round-0/muffin.md': '[PERSPECTIVE P01: Bread]\nMore bread.\n',
    }), OPTIONS);
    expect(r.dialogue.rounds[0].panel.map((m) => m.name)).toEqual(['Muffin']);
    expect(messages(r)[0]).toMatch(/^round-0\/panel\.json:9: panel\[1\]\.name "Alice" is not a pastry name; .*; that expert is left off the panel$/);
  });

  it('a score table with missing columns and cells: what is there is read, the rest reported by line', () => {
    const r = importDialogue(folder('2026-03-01T0930Z-x', {
      ...pool,
      'round-0/panel.json': panelJson(0, [{ name: 'Muffin', role: 'Head Baker', source: 'pool' }, { name: 'Cupcake', role: 'Finance Lead', source: 'pool' }]),
      'round-0/muffin.md': '[PERSPECTIVE P01: Bread]\nMore bread.\n',
      'round-0/cupcake.md': '[PERSPECTIVE P01: Money]\nLess money.\n',
      'round-0/scoreboard.md': '# Round 0\n\n| Expert | W | C | Score |\n|---|---|---|---|\n| Muffin | 3 | 2 | 9 |\n| Cupcake | lots |\n',
    }), OPTIONS);
    expect(r.dialogue.rounds[0].scores).toEqual({ Muffin: { w: null, c: null, t: null, r: null, total: 9 } });
    expect(messages(r)).toEqual([
      'round-0/scoreboard.md:6: Cupcake\'s W is "lots", not a number; not imported',
      'round-0/scoreboard.md:5: Muffin\'s round 0 W/C/T/R is incomplete; only its total is imported',
    ]);
    expect(messages(r, 'notes')).toContain('round-0:1: the folder gives no round 0 score for Cupcake');
  });

  it('a folder that is not a blue dialogue folder, and one without a pool: exit 2 with the fix', () => {
    expect(() => importDialogue(folder('photos', { 'cat.md': 'meow' }), OPTIONS)).toThrow(expect.objectContaining({ exitCode: 2, code: 'not_a_dialogue_folder' }));
    expect(() => importDialogue(folder('x', { 'round-0/muffin.md': 'x' }), OPTIONS)).toThrow(
      expect.objectContaining({ exitCode: 2, code: 'missing_pool', message: expect.stringContaining('--pool <file>') }),
    );
  });

  it('a key given twice in the pool or a panel.json: exit 2 naming the file as blue prints it, the key and both lines', () => {
    const panel = '{\n  "round": 0,\n  "panel": [\n    { "name": "Muffin", "role": "Head Baker",\n      "role": "Finance Lead", "source": "pool" }\n  ]\n}\n';
    const files = { ...pool, 'round-0/panel.json': panel, 'round-0/muffin.md': '[PERSPECTIVE P01: Bread]\nMore bread.\n' };
    expect(() => importDialogue(folder('2026-03-01T0930Z-x', files), OPTIONS)).toThrow(
      expect.objectContaining({ exitCode: 2, code: 'invalid_panel', message: 'old/round-0/panel.json gives panel[0].role twice in one object (line 4 and line 5); JSON would keep the last without a word, so blue takes neither', details: expect.objectContaining({ file: 'old/round-0/panel.json', line: 5, key: 'panel[0].role' }) }),
    );
    const poolTwice = POOL_JSON.replace('{\n', '{\n  "domain": "Finance",\n');
    expect(() => importDialogue(folder('2026-03-01T0930Z-x', { ...files, 'expert-pool.json': poolTwice, 'round-0/panel.json': panelJson(0, [{ name: 'Muffin', role: 'Head Baker', source: 'pool' }]) }), OPTIONS)).toThrow(
      expect.objectContaining({ exitCode: 2, code: 'invalid_pool', message: expect.stringMatching(/^old\/expert-pool\.json gives domain twice in one object \(line 2 and line 3\)/) }),
    );
  });

  it('a judge\'s figure past its bound is reported and not read, never recorded rounded (or as Infinity)', () => {
    const r = importDialogue(folder('2026-03-01T0930Z-x', {
      'expert-pool.json': JSON.stringify({ ...POOL, max_rounds: 1e300, panel_size: 25 }, null, 2),
      'round-0/panel.json': panelJson(0, [{ name: 'Muffin', role: 'Head Baker', source: 'pool' }]),
      'round-0/muffin.md': '[PERSPECTIVE P01: Bread]\nMore bread.\n',
      'scoreboard.md': `# Scoreboard\n\n| Round | W | C | T | R | Score | Open Tensions | New Perspectives |\n|---|---|---|---|---|---|---|---|\n| 0 | 1 | 1 | 1 | 1 | 4 | ${'9'.repeat(400)} | 1000001 |\n\n**Max Rounds:** 9007199254740993\n`,
    }), OPTIONS);
    expect(r.dialogue.maxRounds).toBe(10);
    expect(r.dialogue.rounds[0].judge).toBeUndefined();
    expect(messages(r)).toEqual(expect.arrayContaining([
      'expert-pool.json:46: "max_rounds" is a figure past 2^53: a dialogue has at most 100 rounds: a round number has two digits in tension and perspective ids (CROISSANT R12-T01, T1201); not read',
      'expert-pool.json:47: "panel_size" is 25: a panel is drawn from the pool, which holds at most 24 experts; not read',
      expect.stringMatching(/^scoreboard\.md:5: round 0's open tensions is a figure past 2\^53 here: a count is at most 1,000,000.*; not read$/),
      expect.stringMatching(/^scoreboard\.md:5: round 0's new perspectives is 1000001 here: a count is at most 1,000,000.*; not read$/),
      expect.stringMatching(/^scoreboard\.md:7: the maximum of rounds is a figure past 2\^53 here: a dialogue has at most 100 rounds/),
    ]));
  });

  it('what the workspace refused to read is reported, never read', () => {
    const r = importDialogue(folder('2026-03-01T0930Z-x', { ...pool, 'round-0/muffin.md': '[PERSPECTIVE P01: Bread]\nx\n', 'round-0/panel.json': panelJson(0, [{ name: 'Muffin', role: 'Head Baker', source: 'pool' }]) }, { refused: [{ path: 'round-0/cupcake.md', why: 'it is a symlink' }] }), OPTIONS);
    expect(messages(r)).toEqual(['round-0/cupcake.md:1: not read: it is a symlink']);
  });
});

describe('the readers under import', () => {
  it('box tables: the header, rows, a continued cell and a spanning line', () => {
    const code = ['┌────┬──────────┐', '│ ID │ Note     │', '├────┼──────────┤', '│ T1 │ first    │', '│    │ continued│', '├────┼──────────┤', '│ T2 │ x        │', '│   (spanning)  │', '└────┴──────────┘'].join('\n');
    expect(boxTablesIn(code, 10)).toEqual([{ header: ['ID', 'Note'], rows: [['T1', 'first continued'], ['T2', 'x (spanning)']], line: 11, rowLines: [13, 16] }]);
  });

  it('status words, arrows, rounds and notes', () => {
    expect(readStatus('**Resolved in R1** by Macaron: the factory')).toEqual({ status: 'resolved', word: 'Resolved', note: 'by Macaron: the factory', round: 1 });
    expect(readStatus('Evolved → eliminated: arrays removed')).toMatchObject({ status: 'resolved', word: 'Evolved → eliminated', note: 'arrays removed' });
    expect(readStatus('RESOLVED (judge, R2) — settled')).toMatchObject({ status: 'resolved', round: 2, note: 'settled' });
    expect(readStatus('DEFERRED')).toMatchObject({ status: 'accepted', deferred: true });
    expect(readStatus('Postponed')).toBeUndefined();
  });

  it('JSON with the line of every key, and of a syntax error', () => {
    const read = readJson('{\n  "a": 1,\n  "b": [\n    {"c": 2}\n  ]\n}');
    expect(read.ok && Object.fromEntries(read.lines)).toEqual({ a: 2, b: 3, 'b[0]': 4, 'b[0].c': 4 });
    expect(readJson('{\n "a": 1,\n "b" 2\n}')).toMatchObject({ ok: false, line: 3 });
  });
});
