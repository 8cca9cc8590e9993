// Ingest: what the experts wrote in one round, turned into entities, references, moves and the
// status events their [RESOLVED ..] and [RE:..] markers imply.

import { describe, it, expect } from 'vitest';
import type { Dialogue } from '../../src/domain/model.js';
import { linkTension, withoutIngest } from '../../src/domain/ingest.js';
import { stateOf, tensionStates } from '../../src/domain/tensions.js';
import { ingest, ingestWith, open, outputFile, play, score, start, statusOf } from '../support/dialogue-factory.js';

const MUFFIN_R0 = '[PERSPECTIVE P01: Demand is proven]\nQueues every morning.\n\n[TENSION T01: Capital vs. quality]\nTwo ovens, one head baker.\n';
const CUPCAKE_R0 = '# Cupcake\n\n[PERSPECTIVE P01: Cash flow covers it]\nWe can fund it.\n\n[RESOLVED MUFFIN-T01]\nHire a second head baker first.\n\n[PERSPECTIVE: forgot the id]\nThis line must survive.\n';
const SCONE_R0 = '**[PERSPECTIVE P01: Staffing is the bottleneck]**\nNobody to run it.\n[MOVE:CONVERGE]\n';

function roundZero() {
  return ingestWith(open(start()), { muffin: MUFFIN_R0, cupcake: CUPCAKE_R0, scone: SCONE_R0 });
}

/** Round 0 scored: MUFFIN-T01 (T0001) and CUPCAKE-T01 (T0002) open; MUFFIN-P01 is P0001. */
function twoOpenTensions(): Dialogue {
  return play(start(), {
    texts: {
      muffin: '[PERSPECTIVE P01: Demand is proven]\nQueues.\n\n[TENSION T01: Capital vs. quality]\nTwo ovens.\n',
      cupcake: '[TENSION T01: Hiring lead time]\nSix months.\n',
    },
  });
}

const lastEvent = (d: Dialogue) => d.events[d.events.length - 1];

describe('ingestRound: what it records and reports', () => {
  it('reports ingested, missing, counts and warnings with file and line', () => {
    const { dialogue: d, report } = roundZero();
    expect(report).toMatchObject({
      round: 0,
      ingested: ['Muffin', 'Cupcake', 'Scone'],
      missing: ['Eclair'],
      counts: { perspectives: 3, tensions: 1, resolutions: 1, converge_signals: 1 },
    });
    expect(report.warnings).toEqual([
      { file: outputFile(d, 0, 'Cupcake'), line: 9, message: expect.stringMatching(/PERSPECTIVE names no id/) },
    ]);
    expect(d.rounds[0].ingest).toMatchObject({ ingested: ['Muffin', 'Cupcake', 'Scone'], missing: ['Eclair'], warnings: report.warnings });
  });

  it('keeps every output verbatim, so nothing written is lost', () => {
    const { dialogue: d } = roundZero();
    expect(d.rounds[0].ingest?.outputs).toEqual({ Muffin: MUFFIN_R0, Cupcake: CUPCAKE_R0, Scone: SCONE_R0 });
  });

  it('numbers entities per expert (display ids) and globally per type in panel order (RFC 0051 ids)', () => {
    const { dialogue: d } = roundZero();
    expect(d.contributions.map((c) => [c.kind, c.id, c.globalId, c.author, c.label, c.text, c.line])).toEqual([
      ['perspective', 'MUFFIN-P01', 'P0001', 'Muffin', 'Demand is proven', 'Queues every morning.', 1],
      ['perspective', 'CUPCAKE-P01', 'P0002', 'Cupcake', 'Cash flow covers it', 'We can fund it.', 3],
      ['perspective', 'SCONE-P01', 'P0003', 'Scone', 'Staffing is the bottleneck', 'Nobody to run it.', 1],
    ]);
    expect(d.tensions).toEqual([
      {
        id: 'MUFFIN-T01',
        globalId: 'T0001',
        author: 'Muffin',
        round: 0,
        seq: 1,
        label: 'Capital vs. quality',
        text: 'Two ovens, one head baker.',
        file: outputFile(d, 0, 'Muffin'),
        line: 4,
      },
    ]);
    expect(d.moves).toEqual([expect.objectContaining({ kind: 'converge', author: 'Scone', round: 0 })]);
    // The unreadable marker line stays in the body of the marker before it.
    expect(d.refs[0]?.text).toBe('Hire a second head baker first.\n\n[PERSPECTIVE: forgot the id]\nThis line must survive.');
    expect(d.refs).toEqual([
      expect.objectContaining({ kind: 'resolve', author: 'Cupcake', target: 'MUFFIN-T01', targetId: 'MUFFIN-T01', line: 6 }),
    ]);
  });

  it('records a raised event for every tension, then the status changes markers imply', () => {
    const { dialogue: d } = roundZero();
    expect(d.events).toEqual([
      expect.objectContaining({ seq: 1, kind: 'raised', tension: 'MUFFIN-T01', actor: 'Muffin', origin: 'ingest', round: 0, from: 'open', to: 'open' }),
      expect.objectContaining({ seq: 2, kind: 'status', tension: 'MUFFIN-T01', actor: 'Cupcake', origin: 'ingest', round: 0, from: 'open', to: 'addressed', note: 'Hire a second head baker first.' }),
    ]);
  });

  it('numbers later rounds with the round: CROISSANT R1-P01, P0101', () => {
    let d = twoOpenTensions();
    d = open(d, { panel: [{ name: 'Croissant', role: 'Contrarian', source: 'pool' }, { role: 'Head Baker', source: 'retained' }] });
    d = ingest(d, { croissant: '[PERSPECTIVE P01: Why grow?]\nx\n[TENSION T01: Identity]\ny\n', muffin: '[PERSPECTIVE P01: Ovens]\nz\n' });
    expect(d.contributions.filter((c) => c.round === 1).map((c) => [c.id, c.globalId])).toEqual([
      ['CROISSANT R1-P01', 'P0101'],
      ['MUFFIN R1-P01', 'P0102'],
    ]);
    expect(d.tensions.filter((t) => t.round === 1).map((t) => [t.id, t.globalId])).toEqual([['CROISSANT R1-T01', 'T0101']]);
  });

  it('counts one converge signal per expert', () => {
    const { report } = ingestWith(open(start()), { muffin: '[MOVE:CONVERGE]\n[MOVE:CONVERGE]\n', cupcake: '[MOVE:CONVERGE]\n' });
    expect(report.counts.converge_signals).toBe(2);
  });

  it('warns about an output without any marker, keeping it', () => {
    const { dialogue: d, report } = ingestWith(open(start()), { muffin: 'I have thoughts but no markers.\n' });
    expect(report.warnings).toEqual([{ file: outputFile(d, 0, 'Muffin'), line: 1, message: expect.stringMatching(/no markers found/) }]);
    expect(report.ingested).toEqual(['Muffin']);
    expect(d.rounds[0].ingest?.outputs.Muffin).toBe('I have thoughts but no markers.\n');
  });

  it('renumbers a duplicate P01 in one file, with a warning', () => {
    const { dialogue: d, report } = ingestWith(open(start()), {
      muffin: '[PERSPECTIVE P01: First]\na\n[PERSPECTIVE P01: Second]\nb\n[PERSPECTIVE P01: Third]\nc\n',
      cupcake: '[PERSPECTIVE P01: Cupcake own]\nd\n',
    });
    expect(d.contributions.map((c) => [c.id, c.label, c.globalId])).toEqual([
      ['MUFFIN-P01', 'First', 'P0001'],
      ['MUFFIN-P02', 'Second', 'P0002'],
      ['MUFFIN-P03', 'Third', 'P0003'],
      ['CUPCAKE-P01', 'Cupcake own', 'P0004'],
    ]);
    expect(report.warnings).toEqual([
      { file: outputFile(d, 0, 'Muffin'), line: 3, message: 'P01 is used twice by Muffin; the second is recorded as P02' },
      { file: outputFile(d, 0, 'Muffin'), line: 5, message: 'P01 is used twice by Muffin; the second is recorded as P03' },
    ]);
  });

  it('renumbers a duplicate tension id too, so both tensions exist', () => {
    const { dialogue: d } = ingestWith(open(start()), { muffin: '[TENSION T01: A]\na\n[TENSION T01: B]\nb\n' });
    expect(d.tensions.map((t) => [t.id, t.label])).toEqual([
      ['MUFFIN-T01', 'A'],
      ['MUFFIN-T02', 'B'],
    ]);
  });
});

describe('[RESOLVED ..]: linking and the status it implies', () => {
  it('resolves an expert\'s own tension, and only addresses another expert\'s', () => {
    let d = open(twoOpenTensions());
    d = ingest(d, { muffin: '[RESOLVED MUFFIN-T01]\nTwo ovens it is.\n\n[RESOLVED CUPCAKE-T01]\nHire now.\n' });
    expect(statusOf(d, 'MUFFIN-T01')).toBe('resolved');
    expect(statusOf(d, 'CUPCAKE-T01')).toBe('addressed');
    const changes = d.events.filter((e) => e.round === 1);
    expect(changes.map((e) => [e.tension, e.from, e.to, e.actor, e.origin])).toEqual([
      ['MUFFIN-T01', 'open', 'resolved', 'Muffin', 'ingest'],
      ['CUPCAKE-T01', 'open', 'addressed', 'Muffin', 'ingest'],
    ]);
  });

  it('lets an expert resolve a tension another expert raised in the same round', () => {
    // Muffin comes first in panel order, yet links Cupcake's tension: tensions are registered first.
    const { dialogue: d, report } = ingestWith(open(start()), {
      muffin: '[RESOLVED CUPCAKE-T01]\nHire now.\n',
      cupcake: '[TENSION T01: Hiring lead time]\nSix months.\n',
      scone: '[TENSION T01: Rent]\nHigh.\n\n[RESOLVED SCONE-T01]\nFound a cheap lease.\n',
    });
    // Nothing to say about the links; only that round 0 asks every expert for a perspective.
    expect(report.warnings.map((w) => w.message)).toEqual(Array(3).fill('no [PERSPECTIVE P01: ...] in an opening-round answer; round 0 requires at least P01'));
    expect(report.counts.resolutions).toBe(2);
    expect(statusOf(d, 'CUPCAKE-T01')).toBe('addressed');
    expect(statusOf(d, 'SCONE-T01')).toBe('resolved');
    expect(d.refs.map((r) => [r.author, r.targetId])).toEqual([
      ['Muffin', 'CUPCAKE-T01'],
      ['Scone', 'SCONE-T01'],
    ]);
  });

  it('links a bare [RESOLVED T01: label] to the author\'s own latest open T01', () => {
    // R0: MUFFIN-T01; R1: MUFFIN R1-T01. Both open: a bare T01 in R2 is the latest.
    let d = play(twoOpenTensions(), { texts: { muffin: '[TENSION T01: Oven capacity]\nOne oven.\n' } });
    d = open(d);
    const latest = ingestWith(d, { muffin: '[RESOLVED T01: done]\nBought a deck oven.\n' });
    expect(latest.dialogue.refs.find((r) => r.round === 2)).toMatchObject({ target: 'T01', targetId: 'MUFFIN R1-T01' });
    expect(statusOf(latest.dialogue, 'MUFFIN R1-T01')).toBe('resolved');
    expect(statusOf(latest.dialogue, 'MUFFIN-T01')).toBe('open');
    // A label that shares words with the earlier tension picks that one.
    const byLabel = ingestWith(d, { muffin: '[RESOLVED T01: capital question answered]\nBank loan.\n' });
    expect(byLabel.dialogue.refs.find((r) => r.round === 2)?.targetId).toBe('MUFFIN-T01');
  });

  it('skips the author\'s T01 that is no longer open', () => {
    // The judge resolved MUFFIN R1-T01 in round 1; in round 2 a bare T01 means the still open MUFFIN-T01.
    let d = play(twoOpenTensions(), {
      texts: { muffin: '[TENSION T01: Oven capacity]\nOne oven.\n' },
      decisions: [{ tension: 'MUFFIN R1-T01', to: 'resolved', note: 'bought one' }],
    });
    d = ingest(open(d), { muffin: '[RESOLVED T01]\nSettled.\n' });
    expect(d.refs.find((r) => r.round === 2)?.targetId).toBe('MUFFIN-T01');
    expect(statusOf(d, 'MUFFIN-T01')).toBe('resolved');
  });

  it('does not link a bare T01 to another expert\'s tension', () => {
    const { dialogue: d, report } = ingestWith(open(twoOpenTensions()), { scone: '[RESOLVED T01]\nNot mine.\n' });
    expect(report.counts.resolutions).toBe(0);
    expect(report.warnings).toEqual([{ file: outputFile(d, 1, 'Scone'), line: 1, message: '[RESOLVED T01] names no tension of this dialogue; recorded as text only' }]);
  });

  it('links tension ids in any accepted form, the global one included', () => {
    let d = twoOpenTensions();
    d = open(d, {
      panel: [
        { name: 'Croissant', role: 'Contrarian', source: 'pool' },
        { role: 'Head Baker', source: 'retained' },
        { role: 'Supply Chain Analyst', source: 'retained' },
      ],
    });
    d = score(ingest(d, { croissant: '[TENSION T01: Identity]\nx\n', muffin: 'x\n', cupcake: 'x\n' }));
    const { dialogue: after, report } = ingestWith(open(d), {
      croissant: '[RESOLVED croissant-r1-t01]\nWe stay a bakery.\n',
      muffin: '[RESOLVED T0002]\nHire now.\n\n[RESOLVED Muffin-T1]\nOvens bought.\n',
      cupcake: '[RESOLVED CROISSANT R1-T01]\nYes.\n',
    });
    expect(report.warnings).toEqual([]);
    expect(after.refs.map((r) => [r.author, r.target, r.targetId])).toEqual([
      ['Croissant', 'croissant-r1-t01', 'CROISSANT R1-T01'],
      ['Muffin', 'T0002', 'CUPCAKE-T01'],
      ['Muffin', 'Muffin-T1', 'MUFFIN-T01'],
      ['Cupcake', 'CROISSANT R1-T01', 'CROISSANT R1-T01'],
    ]);
    expect(tensionStates(after).map((s) => [s.tension.id, s.status])).toEqual([
      ['MUFFIN-T01', 'resolved'],
      ['CUPCAKE-T01', 'addressed'],
      ['CROISSANT R1-T01', 'resolved'],
    ]);
  });

  it('warns about a [RESOLVED ..] naming an unknown tension, with file and line, and changes nothing', () => {
    const before = open(twoOpenTensions());
    const { dialogue: d, report } = ingestWith(before, { muffin: 'Preamble.\n\n[RESOLVED DONUT-T07]\nWhatever that was.\n' });
    expect(report.warnings).toEqual([
      { file: outputFile(d, 1, 'Muffin'), line: 3, message: "[RESOLVED DONUT-T07] names DONUT, who is not an expert of this dialogue (Muffin, Cupcake, Scone, Eclair); it is not read as Muffin's own tension, and recorded as text only" },
    ]);
    expect(report.counts.resolutions).toBe(0);
    expect(d.events).toEqual(before.events);
    expect(tensionStates(d).map((s) => s.status)).toEqual(['open', 'open']);
    // The text stays, as a reference without a target.
    expect(d.refs).toEqual([expect.objectContaining({ kind: 'resolve', target: 'DONUT-T07', text: 'Whatever that was.' })]);
    expect(d.refs[0].targetId).toBeUndefined();
  });

  it('leaves a tension the judge already resolved as it is when another expert addresses it', () => {
    let d = play(twoOpenTensions(), { texts: { muffin: 'x\n' }, decisions: [{ tension: 'CUPCAKE-T01', to: 'resolved' }] });
    const { dialogue: after, report } = ingestWith(open(d), { muffin: '[RESOLVED CUPCAKE-T01]\nAgreed.\n' });
    expect(statusOf(after, 'CUPCAKE-T01')).toBe('resolved');
    expect(after.events).toEqual(d.events);
    expect(report.warnings).toEqual([]);
  });
});

describe('the RFC 0051 dialect', () => {
  /** Round 1 after twoOpenTensions: T0001 = MUFFIN-T01, T0002 = CUPCAKE-T01, P0001 = MUFFIN-P01. */
  function roundOne(texts: Record<string, string>) {
    return ingestWith(open(twoOpenTensions()), texts);
  }

  it('reads local ids [MUFFIN-P0101: x] as entities of the round', () => {
    const { dialogue: d, report } = roundOne({
      muffin: '[MUFFIN-P0101: Lease first]\nSign a lease.\n\n[MUFFIN-T0101: Lease length]\nTen years is long.\n\n[MUFFIN-R0101: Sign for five years]\nWith an option.\n',
      cupcake: '[CUPCAKE-E0101: Survey]\nTwo hundred replies.\n\n[CUPCAKE-C0101: Demand will hold]\nIt will.\n',
    });
    expect(report.warnings).toEqual([]);
    expect(d.contributions.filter((c) => c.round === 1).map((c) => [c.kind, c.id, c.globalId, c.label])).toEqual([
      ['perspective', 'MUFFIN R1-P01', 'P0101', 'Lease first'],
      ['recommendation', 'MUFFIN R1-R01', 'R0101', 'Sign for five years'],
      ['evidence', 'CUPCAKE R1-E01', 'E0101', 'Survey'],
      ['claim', 'CUPCAKE R1-C01', 'C0101', 'Demand will hold'],
    ]);
    expect(d.tensions.filter((t) => t.round === 1).map((t) => [t.id, t.globalId])).toEqual([['MUFFIN R1-T01', 'T0101']]);
  });

  it('warns when a local id names another round, and records it in this one', () => {
    const { dialogue: d, report } = roundOne({ muffin: '[MUFFIN-P0001: Old number]\nx\n' });
    expect(d.contributions.find((c) => c.round === 1)?.id).toBe('MUFFIN R1-P01');
    expect(report.warnings).toEqual([{ file: outputFile(d, 1, 'Muffin'), line: 1, message: 'MUFFIN-P0001 names round 0 but this is round 1; recorded in round 1' }]);
  });

  it('[RE:RESOLVE T0001] with a global id resolves the author\'s own tension and addresses another\'s', () => {
    const { dialogue: d, report } = roundOne({
      muffin: '[MUFFIN-P0101: Ovens]\nx\n[RE:RESOLVE T0001]\n',
      cupcake: '[CUPCAKE-P0101: Hire]\ny\n[RE:RESOLVE T0001]\n[RE:RESOLVE T0002]\n',
    });
    expect(report.counts.resolutions).toBe(3);
    expect(statusOf(d, 'MUFFIN-T01')).toBe('resolved');
    expect(statusOf(d, 'CUPCAKE-T01')).toBe('resolved');
    expect(d.refs.map((r) => [r.author, r.kind, r.target, r.targetId])).toEqual([
      ['Muffin', 'resolve', 'T0001', 'MUFFIN-T01'],
      ['Cupcake', 'resolve', 'T0001', 'MUFFIN-T01'],
      ['Cupcake', 'resolve', 'T0002', 'CUPCAKE-T01'],
    ]);
    // Cupcake's resolve of Muffin's (already resolved) tension changes nothing and says nothing.
    expect(report.warnings).toEqual([]);
    expect(d.events.filter((e) => e.round === 1).map((e) => [e.tension, e.actor, e.to])).toEqual([
      ['MUFFIN-T01', 'Muffin', 'resolved'],
      ['CUPCAKE-T01', 'Cupcake', 'resolved'],
    ]);
  });

  it('[RE:ADDRESS ..] addresses a tension, also one raised in the same round', () => {
    const { dialogue: d, report } = roundOne({
      muffin: '[MUFFIN-T0101: Lease length]\nLong.\n',
      cupcake: '[CUPCAKE-P0101: Short lease]\nx\n[RE:ADDRESS MUFFIN R1-T01]\n[RE:ADDRESS T0002]\n',
    });
    expect(report.warnings).toEqual([]);
    expect(report.counts.resolutions).toBe(0);
    expect(statusOf(d, 'MUFFIN R1-T01')).toBe('addressed');
    expect(statusOf(d, 'CUPCAKE-T01')).toBe('addressed'); // addressing one's own tension is addressing it
    expect(stateOf(d, 'MUFFIN R1-T01').history.at(-1)).toMatchObject({ actor: 'Cupcake', note: `marker at ${outputFile(d, 1, 'Cupcake')}:3` });
  });

  it('[RE:ADDRESS ..] naming something that is not a tension warns', () => {
    const { dialogue: d, report } = roundOne({ cupcake: '[CUPCAKE-P0101: x]\ny\n[RE:ADDRESS P0001]\n' });
    expect(report.warnings).toEqual([{ file: outputFile(d, 1, 'Cupcake'), line: 3, message: '[RE:ADDRESS P0001] must name a tension of this dialogue' }]);
    expect(d.events.filter((e) => e.round === 1)).toEqual([]);
  });

  it('[RE:SUPPORT ..] links to any entity, and warns on an id it cannot find', () => {
    const { dialogue: d, report } = roundOne({
      muffin: '[MUFFIN-P0101: Lease first]\nx\n',
      cupcake: '[CUPCAKE-P0101: Agree]\ny\n[RE:SUPPORT P0101]\n[RE:SUPPORT MUFFIN-P01]\n[RE:SUPPORT P0999]\n[RE:QUESTION @muffin]\n',
    });
    expect(d.refs.map((r) => [r.kind, r.target, r.targetId ?? null])).toEqual([
      ['support', 'P0101', 'MUFFIN R1-P01'],
      ['support', 'MUFFIN-P01', 'MUFFIN-P01'],
      ['support', 'P0999', null],
      ['question', '@muffin', '@muffin'],
    ]);
    expect(report.warnings).toEqual([{ file: outputFile(d, 1, 'Cupcake'), line: 5, message: '[RE:SUPPORT P0999] names nothing known in this dialogue' }]);
  });

  it('[RE:REFINE ..] within a type is fine; across types it warns', () => {
    const { dialogue: d, report } = roundOne({
      muffin: '[MUFFIN-P0101: Lease first]\nx\n[RE:REFINE P0001]\n',
      cupcake: '[CUPCAKE-R0101: Hire first]\ny\n[RE:REFINE P0001]\n\n[CUPCAKE-T0101: Lease risk]\nz\n[RE:REFINE T0001]\n',
    });
    expect(d.refs.map((r) => [r.author, r.kind, r.targetId])).toEqual([
      ['Muffin', 'refine', 'MUFFIN-P01'],
      ['Cupcake', 'refine', 'MUFFIN-P01'],
      ['Cupcake', 'refine', 'MUFFIN-T01'],
    ]);
    expect(report.warnings).toEqual([
      { file: outputFile(d, 1, 'Cupcake'), line: 3, message: '[RE:REFINE P0001] refines a P item from a R item; refine stays within a type' },
    ]);
  });

  it('[RE:REFINE ..] on the same line as its entity is checked too', () => {
    const { dialogue: d, report } = roundOne({ cupcake: '[CUPCAKE-E0101: Survey] [RE:REFINE P0001]\nTwo hundred replies.\n' });
    expect(d.contributions.find((c) => c.round === 1)).toMatchObject({ id: 'CUPCAKE R1-E01', text: 'Two hundred replies.' });
    expect(report.warnings).toEqual([
      { file: outputFile(d, 1, 'Cupcake'), line: 1, message: '[RE:REFINE P0001] refines a P item from a E item; refine stays within a type' },
    ]);
  });

  it('[RE:REOPEN ..] reopens a settled tension, and warns on one that is still open', () => {
    let d = play(twoOpenTensions(), { texts: { muffin: 'x\n' }, decisions: [{ tension: 'MUFFIN-T01', to: 'resolved' }] });
    const { dialogue: after, report } = ingestWith(open(d), { cupcake: '[CUPCAKE-P0201: Not so fast]\nx\n[RE:REOPEN MUFFIN-T01]\n[RE:REOPEN CUPCAKE-T01]\n' });
    expect(statusOf(after, 'MUFFIN-T01')).toBe('reopened');
    expect(statusOf(after, 'CUPCAKE-T01')).toBe('open');
    expect(report.warnings).toEqual([
      { file: outputFile(after, 2, 'Cupcake'), line: 4, message: 'CUPCAKE-T01 is open; the marker cannot make it reopened, so it is recorded as a reference only' },
    ]);
  });

  it('links move targets to entities', () => {
    const { dialogue: d } = roundOne({ muffin: '[MOVE:CHALLENGE T0002]\nSix months is pessimistic.\n\n[CONCESSION: CUPCAKE-T01 is real]\nFine.\n' });
    expect(d.moves.map((m) => [m.kind, m.targets])).toEqual([
      ['challenge', ['CUPCAKE-T01']],
      ['concession', ['CUPCAKE-T01']],
    ]);
  });
});

describe('re-running ingest of a round', () => {
  const FIRST = {
    muffin: '[PERSPECTIVE P01: A]\na\n[TENSION T01: Capital]\nb\n[MOVE:CONVERGE]\n',
    cupcake: '[PERSPECTIVE P01: B]\nc\n[RESOLVED MUFFIN-T01]\nd\n[RE:SUPPORT P0001]\n',
  };

  it('gives exactly the same dialogue when the outputs are the same (no duplicates)', () => {
    const once = ingest(open(start()), FIRST);
    const twice = ingest(once, FIRST);
    expect(twice).toEqual(once);
    expect(twice.contributions).toHaveLength(2);
    expect(twice.tensions).toHaveLength(1);
    expect(twice.events).toHaveLength(2);
  });

  it('replaces everything the previous ingest recorded', () => {
    const once = ingest(open(start()), FIRST);
    const { dialogue: again, report } = ingestWith(once, { muffin: '[PERSPECTIVE P01: A, revised]\na\n', scone: '[TENSION T01: Rent]\nr\n' });
    expect(again.contributions.map((c) => [c.id, c.label])).toEqual([['MUFFIN-P01', 'A, revised']]);
    expect(again.tensions.map((t) => t.id)).toEqual(['SCONE-T01']);
    expect(again.refs).toEqual([]);
    expect(again.moves).toEqual([]);
    expect(again.events.map((e) => [e.tension, e.kind])).toEqual([['SCONE-T01', 'raised']]);
    expect(again.rounds[0].ingest).toMatchObject({ ingested: ['Muffin', 'Scone'], missing: ['Cupcake', 'Eclair'] });
    expect(Object.keys(again.rounds[0].ingest!.outputs)).toEqual(['Muffin', 'Scone']);
    expect(report.counts).toEqual({ perspectives: 1, tensions: 1, resolutions: 0, converge_signals: 0 });
  });

  it('replaces only the round\'s own events, keeping earlier rounds\' and the judge\'s', () => {
    // R0 scored with the judge narrowing CUPCAKE-T01; R1 ingested twice.
    let d = play(start(), {
      texts: { muffin: '[TENSION T01: Capital]\nx\n', cupcake: '[TENSION T01: Hiring]\ny\n' },
      decisions: [{ tension: 'CUPCAKE-T01', to: 'narrowed', note: 'bakers only' }],
    });
    const earlier = d.events;
    d = open(d);
    const first = ingest(d, { muffin: '[RESOLVED MUFFIN-T01]\nDone.\n', cupcake: '[RESOLVED MUFFIN-T01]\nAgreed.\n[RESOLVED CUPCAKE-T01]\nHired.\n' });
    expect(first.events.filter((e) => e.round === 1).map((e) => [e.tension, e.to])).toEqual([
      ['MUFFIN-T01', 'resolved'],
      ['CUPCAKE-T01', 'resolved'],
    ]);
    const second = ingest(first, { cupcake: '[RESOLVED MUFFIN-T01]\nAgreed.\n' });
    expect(second.events.slice(0, earlier.length)).toEqual(earlier);
    expect(second.events.filter((e) => e.round === 1).map((e) => [e.tension, e.actor, e.to])).toEqual([['MUFFIN-T01', 'Cupcake', 'addressed']]);
    expect(statusOf(second, 'MUFFIN-T01')).toBe('addressed');
    expect(statusOf(second, 'CUPCAKE-T01')).toBe('narrowed');
  });

  it('withoutIngest removes the round\'s entities and the events of tensions raised in it', () => {
    const once = ingest(open(start()), FIRST);
    const cleared = withoutIngest(once, 0);
    expect([cleared.contributions, cleared.tensions, cleared.refs, cleared.moves, cleared.events]).toEqual([[], [], [], [], []]);
  });
});

describe('linkTension', () => {
  it('returns undefined for perspectives, unknown ids and others\' bare numbers', () => {
    const d = twoOpenTensions();
    expect(linkTension(d, 'MUFFIN-P01', 'Muffin', 1)).toBeUndefined();
    expect(linkTension(d, 'T09', 'Muffin', 1)).toBeUndefined();
    expect(linkTension(d, 'T01', 'Scone', 1)).toBeUndefined();
    expect(linkTension(d, 'T01', 'Cupcake', 1)?.id).toBe('CUPCAKE-T01');
    expect(linkTension(d, 'R0-T01', 'Muffin', 1)?.id).toBe('MUFFIN-T01');
    expect(linkTension(d, 'R1-T01', 'Muffin', 1)).toBeUndefined();
  });
});
