// Scores, cumulative ALIGNMENT, velocity, converge % and the convergence gate, on dialogues built
// through the real functions.

import { describe, it, expect } from 'vitest';
import type { Dialogue } from '../../src/domain/model.js';
import {
  computedCounts,
  hasComponents,
  lastScoredMetrics,
  parseScore,
  roundMetrics,
  roundScore,
  scoreFromValue,
  sumScores,
  totalAlignment,
} from '../../src/domain/scoring.js';
import { scoreRound } from '../../src/domain/protocol.js';
import { Findings } from '../../src/domain/import/folder.js';
import { scoreOf } from '../../src/domain/import/figures.js';
import { at, everyone, expectBlueError, ingest, open, play, score, start } from '../support/dialogue-factory.js';

const CONVERGE = '[MOVE:CONVERGE]\nAgreed.\n';

describe('parseScore', () => {
  it.each([
    ['25', { w: null, c: null, t: null, r: null, total: 25 }],
    ['0', { w: 0, c: 0, t: 0, r: 0, total: 0 }], // a bare 0 is 0,0,0,0
    [' 7 ', { w: null, c: null, t: null, r: null, total: 7 }],
    ['007', { w: null, c: null, t: null, r: null, total: 7 }],
    ['10,5,5,5', { w: 10, c: 5, t: 5, r: 5, total: 25 }],
    ['8, 5, 5, 4', { w: 8, c: 5, t: 5, r: 4, total: 22 }],
    ['0,0,0,0', { w: 0, c: 0, t: 0, r: 0, total: 0 }],
    ['135,104,92,84', { w: 135, c: 104, t: 92, r: 84, total: 415 }],
  ])('reads %j', (text, expected) => {
    expect(parseScore(text, '--expert Muffin')).toEqual(expected);
  });

  it.each([
    ['-1', /--expert Muffin must be a non-negative integer \(got "-1"\)/],
    ['1.5', /non-negative integer/],
    ['', /non-negative integer/],
    ['abc', /non-negative integer/],
    ['1e3', /non-negative integer/],
    ['1,2,3', /must be a total such as 22 or W,C,T,R such as 8,5,5,4 \(got "1,2,3"\)/],
    ['1,2,3,4,5', /W,C,T,R/],
    ['1,2', /W,C,T,R/],
    ['1,,2,3', /--expert Muffin C must be a non-negative integer/],
    ['1,2,3,-4', /--expert Muffin R must be a non-negative integer/],
    ['w,c,t,r', /--expert Muffin W must be a non-negative integer/],
  ])('refuses %j with exit 2', (text, message) => {
    const error = expectBlueError(() => parseScore(text, '--expert Muffin'), 2, 'invalid_score');
    expect(error.message).toMatch(message);
  });
});

describe('the largest score', () => {
  it('is 1,000,000, a total and each part: anything above would let a sum be rounded, and is refused with exit 2 saying so', () => {
    expect(parseScore('1000000', 'm').total).toBe(1_000_000);
    expect(parseScore('1000000,1000000,1000000,1000000', 'm').total).toBe(4_000_000);
    for (const [text, what] of [
      ['99999999999999999999,1,1,1', '--expert Muffin W is 99999999999999999999'],
      ['1,1,1,9007199254740993', '--expert Muffin R is 9007199254740993'],
      ['1000001', '--expert Muffin is 1000001'],
      ['00000001000001', '--expert Muffin is 00000001000001'],
    ]) {
      const error = expectBlueError(() => parseScore(text, '--expert Muffin'), 2, 'invalid_score');
      expect(error.message).toBe(`${what}: a score is at most 1,000,000 (a total, and each of W, C, T, R), so that every sum blue records is exact`);
      expect(error.details.fix).toMatch(/at most 1,000,000/);
    }
  });

  it('holds for a scores file too, whatever form YAML or JSON gave the number', () => {
    for (const value of [1e20, 1e21, 2 ** 53 + 2, { w: 1e21, c: 1, t: 1, r: 1 }, '99999999999999999999']) {
      expect(expectBlueError(() => scoreFromValue(value, 's.yaml: Muffin'), 2, 'invalid_score').message).toMatch(/^s\.yaml: Muffin( W)? is \d+: a score is at most 1,000,000/);
    }
  });
});

describe('an imported score over the largest', () => {
  it('is not imported, and said so with its file and line', () => {
    const findings = new Findings();
    expect(scoreOf({ w: 99999999999999999999, c: 1, t: 1, r: 1, file: 'scoreboard.md', line: 7 }, 'Muffin', 0, findings)).toBeUndefined();
    expect(scoreOf({ total: 2_000_000, file: 'scoreboard.md', line: 8 }, 'Cupcake', 0, findings)).toBeUndefined();
    expect(scoreOf({ total: 1_000_000, file: 'scoreboard.md', line: 9 }, 'Scone', 0, findings)?.total).toBe(1_000_000);
    expect(findings.unmapped).toEqual([
      { file: 'scoreboard.md', line: 7, message: "Muffin's round 0 score holds 100000000000000000000, over 1,000,000, the largest score blue takes (sums beyond it are not exact); the score is not imported" },
      { file: 'scoreboard.md', line: 8, message: "Cupcake's round 0 score holds 2000000, over 1,000,000, the largest score blue takes (sums beyond it are not exact); the score is not imported" },
    ]);
  });
});

describe('scoreFromValue', () => {
  it('reads a number, a numeric string and {w, c, t, r} in any case', () => {
    expect(scoreFromValue(12, 'm')).toEqual({ w: null, c: null, t: null, r: null, total: 12 });
    expect(scoreFromValue('3,3,3,3', 'm')).toEqual({ w: 3, c: 3, t: 3, r: 3, total: 12 });
    expect(scoreFromValue({ W: 4, c: 3, T: 2, r: 1 }, 'm')).toEqual({ w: 4, c: 3, t: 2, r: 1, total: 10 });
  });

  it('refuses a partial object, a negative part and other types with exit 2', () => {
    expect(expectBlueError(() => scoreFromValue({ w: 1, c: 1, t: 1 }, 'scores.yaml: Muffin'), 2, 'invalid_score').message).toMatch(/scores\.yaml: Muffin is missing "r"/);
    expectBlueError(() => scoreFromValue({ w: 1, c: 1, t: 1, r: -1 }, 'm'), 2, 'invalid_score');
    expectBlueError(() => scoreFromValue(null, 'm'), 2, 'invalid_score');
    expectBlueError(() => scoreFromValue(true, 'm'), 2, 'invalid_score');
    expectBlueError(() => scoreFromValue(-3, 'm'), 2, 'invalid_score');
  });
});

describe('sumScores', () => {
  it('sums components when every score has them', () => {
    const s = sumScores([parseScore('5,4,3,3', 'a'), parseScore('4,3,2,1', 'b')]);
    expect(s).toEqual({ w: 9, c: 7, t: 5, r: 4, total: 25 });
    expect(hasComponents(s)).toBe(true);
  });

  it('keeps only the total when any score is a total alone', () => {
    const s = sumScores([parseScore('5,4,3,3', 'a'), parseScore('10', 'b')]);
    expect(s).toEqual({ w: null, c: null, t: null, r: null, total: 25 });
    expect(hasComponents(s)).toBe(false);
    expect(sumScores([parseScore('10', 'a'), parseScore('12', 'b')])).toEqual({ w: null, c: null, t: null, r: null, total: 22 });
  });

  it('sums nothing to zero', () => {
    expect(sumScores([])).toEqual({ w: 0, c: 0, t: 0, r: 0, total: 0 });
  });
});

/** Round 0 of the CLI test: 3 perspectives, 1 tension (addressed by Cupcake), 1 converge signal, Eclair missing. */
function roundZero(): Dialogue {
  return ingest(open(start()), {
    muffin: '[PERSPECTIVE P01: Demand is proven]\nQueues every morning.\n\n[TENSION T01: Capital vs. quality]\nTwo ovens, one head baker.\n',
    cupcake: '[PERSPECTIVE P01: Cash flow covers it]\nWe can fund it.\n\n[RESOLVED MUFFIN-T01]\nHire a second head baker first.\n',
    scone: '[PERSPECTIVE P01: Staffing is the bottleneck]\nNobody to run it.\n[MOVE:CONVERGE]\n',
  });
}

const ROUND_ZERO_SCORES = { Muffin: '5,4,3,3', Cupcake: '4,3,2,1', Scone: '3,3,3,3', Eclair: '0,0,0,0' };

describe('roundMetrics', () => {
  it('counts perspectives, open tensions and converge signals; velocity is open tensions + new perspectives', () => {
    const m = roundMetrics(score(roundZero(), ROUND_ZERO_SCORES), 0);
    expect(m).toMatchObject({
      round: 0,
      panelSize: 4,
      // Scone signals [MOVE:CONVERGE], so its perspective restates and is not new (the converge rule).
      computed: { newPerspectives: 2, openTensions: 1, convergeSignals: 1 },
      effective: { newPerspectives: 2, openTensions: 1, convergeSignals: 1 },
      overrides: [],
      roundScore: { w: 12, c: 10, t: 8, r: 7, total: 37 },
      cumulative: { w: 12, c: 10, t: 8, r: 7, total: 37 },
      velocity: 3,
      convergePercent: 25,
      canConverge: false,
      converged: ['Scone'],
      maxRoundsReached: false,
    });
  });

  it('keeps the judge override beside the computed count, and uses it', () => {
    const d = score(roundZero(), ROUND_ZERO_SCORES, { judge: { openTensions: 0, newPerspectives: 2 } });
    const m = roundMetrics(d, 0);
    expect(m.computed).toEqual({ newPerspectives: 2, openTensions: 1, convergeSignals: 1 });
    expect(m.judge).toEqual({ openTensions: 0, newPerspectives: 2 });
    expect(m.effective).toEqual({ newPerspectives: 2, openTensions: 0, convergeSignals: 1 });
    // A judge count equal to blue's is not an override.
    expect(m.overrides).toEqual([{ field: 'openTensions', computed: 1, judge: 0 }]);
    expect(m.velocity).toBe(2);
  });

  it('names the holdouts in the converge blocker, and the parts of the velocity', () => {
    const m = roundMetrics(score(roundZero(), ROUND_ZERO_SCORES), 0);
    expect(m.blockers).toEqual([
      'velocity is 3 (1 open tension + 2 new perspectives); it must be 0',
      'converge is 25% (1/4); every expert must signal [MOVE:CONVERGE] (not yet: Muffin, Cupcake, Eclair)',
    ]);
  });

  it("does not count a converging expert's perspectives as new: they restate (the converge rule)", () => {
    // Every expert converges and restates a perspective; nothing is open: the round may converge.
    let d = open(start({ panelSize: 3 }));
    const names = d.rounds[0].panel.map((m) => m.name);
    d = ingest(d, Object.fromEntries(names.map((name) => [name, `[PERSPECTIVE P01: ${name} restates]\nAs before.\n[MOVE:CONVERGE]\n`])));
    const m = roundMetrics(score(d, {}, { fill: 1 }), 0);
    expect(d.contributions.filter((c) => c.kind === 'perspective')).toHaveLength(3);
    expect([m.computed.newPerspectives, m.velocity, m.convergePercent, m.canConverge]).toEqual([0, 0, 100, true]);
    // One expert holds out: its perspective is new, and the round cannot converge.
    let e = open(start({ panelSize: 3 }));
    e = ingest(e, Object.fromEntries(names.map((name, i) => [name, `[PERSPECTIVE P01: ${name}'s view]\nText.\n${i === 0 ? '' : '[MOVE:CONVERGE]\n'}`])));
    const held = roundMetrics(score(e, {}, { fill: 1 }), 0);
    expect([held.computed.newPerspectives, held.velocity, held.canConverge]).toEqual([1, 1, false]);
  });

  it('does not name holdouts when the judge overrules the converge count', () => {
    const m = roundMetrics(score(roundZero(), ROUND_ZERO_SCORES, { judge: { convergeSignals: 3 } }), 0);
    expect(m.convergePercent).toBe(75);
    expect(m.blockers[1]).toBe('converge is 75% (3/4); every expert must signal [MOVE:CONVERGE]');
    expect(m.overrides).toEqual([{ field: 'convergeSignals', computed: 1, judge: 3 }]);
  });

  it('puts "not scored yet" first for an open round', () => {
    const m = roundMetrics(roundZero(), 0);
    expect(m.blockers[0]).toBe('round 0 is not scored yet');
    expect(m.canConverge).toBe(false);
    expect(m.cumulative.total).toBe(0);
    expect(m.maxRoundsReached).toBe(false);
  });

  it('refuses an unknown round with exit 2', () => {
    expectBlueError(() => roundMetrics(roundZero(), 3), 2, 'unknown_round');
  });

  it.each([
    [6, 5, 83],
    [3, 2, 67],
    [6, 1, 17],
    [3, 1, 33],
    [4, 1, 25],
    [6, 0, 0],
    [6, 6, 100],
  ])('with %i experts of whom %i converge, converge %% is %i (rounded)', (size, converging, percent) => {
    let d = open(start({ panelSize: size }));
    const names = d.rounds[0].panel.map((m) => m.name);
    d = ingest(d, Object.fromEntries(names.map((name, i) => [name, i < converging ? CONVERGE : 'Thinking.\n'])));
    const m = roundMetrics(score(d, {}, { fill: 1 }), 0);
    expect([m.panelSize, m.effective.convergeSignals, m.convergePercent]).toEqual([size, converging, percent]);
  });

  it('counts one converge signal per expert, however often it is written', () => {
    const d = ingest(open(start()), { muffin: `${CONVERGE}${CONVERGE}`, cupcake: CONVERGE });
    expect(computedCounts(d, 0)).toEqual({ counts: { newPerspectives: 0, openTensions: 0, convergeSignals: 2 }, converged: ['Muffin', 'Cupcake'] });
  });

  describe('the convergence gate needs velocity 0 AND converge 100%', () => {
    it('refuses 100% converge with velocity > 0', () => {
      let d = open(start());
      // A converging expert's perspectives restate, but a tension it raises stays open.
      d = ingest(d, { ...everyone(d, CONVERGE), muffin: `[TENSION T01: One more thing]\nx\n${CONVERGE}` });
      const m = roundMetrics(score(d, {}, { fill: 1 }), 0);
      expect([m.velocity, m.convergePercent, m.canConverge]).toEqual([1, 100, false]);
      expect(m.blockers).toEqual(['velocity is 1 (1 open tension + 0 new perspectives); it must be 0']);
    });

    it('refuses velocity 0 with converge below 100%', () => {
      let d = open(start());
      d = ingest(d, { ...everyone(d, CONVERGE), eclair: 'Not yet.\n' });
      const m = roundMetrics(score(d, {}, { fill: 1 }), 0);
      expect([m.velocity, m.convergePercent, m.canConverge]).toEqual([0, 75, false]);
      expect(m.blockers).toEqual(['converge is 75% (3/4); every expert must signal [MOVE:CONVERGE] (not yet: Eclair)']);
    });

    it('opens with velocity 0 and 100%', () => {
      let d = open(start());
      d = ingest(d, everyone(d, CONVERGE));
      const m = roundMetrics(score(d, {}, { fill: 1 }), 0);
      expect([m.velocity, m.convergePercent, m.canConverge, m.blockers]).toEqual([0, 100, true, []]);
    });

    it('opens when the judge overrules the counts', () => {
      const d = score(roundZero(), ROUND_ZERO_SCORES, { judge: { openTensions: 0, newPerspectives: 0, convergeSignals: 4 } });
      expect(roundMetrics(d, 0).canConverge).toBe(true);
    });

    it('counts a tension as open until it is resolved, accepted or superseded', () => {
      const base = roundZero();
      const accepted = score(base, ROUND_ZERO_SCORES, { decisions: [{ tension: 'MUFFIN-T01', to: 'accepted', note: 'we live with it' }] });
      expect(roundMetrics(accepted, 0).computed.openTensions).toBe(0);
      const narrowed = score(base, ROUND_ZERO_SCORES, { decisions: [{ tension: 'MUFFIN-T01', to: 'narrowed', note: 'ovens only' }] });
      expect(roundMetrics(narrowed, 0).computed.openTensions).toBe(1);
    });
  });

  it('says when the maximum round is reached: after scoring round maxRounds - 1', () => {
    let d = play(start({ maxRounds: 2 }), { texts: { muffin: 'x\n' } });
    expect(roundMetrics(d, 0).maxRoundsReached).toBe(false);
    d = open(d);
    d = ingest(d, { muffin: 'x\n' });
    expect(roundMetrics(d, 1).maxRoundsReached).toBe(false); // not yet scored
    d = score(d);
    expect(roundMetrics(d, 1).maxRoundsReached).toBe(true);
    expect(roundMetrics(d, 0).maxRoundsReached).toBe(false);
  });
});

describe('round scores and cumulative ALIGNMENT', () => {
  function threeRounds(): Dialogue {
    let d = play(start(), { texts: { muffin: '[PERSPECTIVE P01: a]\nx\n', cupcake: 'y\n' }, scores: { Muffin: '5,4,3,3', Cupcake: '1,1,1,1' }, fill: '0,0,0,0' });
    d = play(d, { texts: { muffin: '[PERSPECTIVE P01: b]\nx\n', scone: 'y\n' }, scores: { Muffin: '2,2,2,2', Scone: '1,0,0,0' }, fill: '0,0,0,0' });
    d = play(d, { texts: { muffin: CONVERGE }, scores: { Muffin: '1,1,1,1' }, fill: '0,0,0,0' });
    return d;
  }

  it('sums the experts\' components per round and accumulates over rounds', () => {
    const d = threeRounds();
    expect([0, 1, 2].map((n) => roundMetrics(d, n).roundScore.total)).toEqual([19, 9, 4]);
    expect([0, 1, 2].map((n) => roundMetrics(d, n).cumulative)).toEqual([
      { w: 6, c: 5, t: 4, r: 4, total: 19 },
      { w: 9, c: 7, t: 6, r: 6, total: 28 },
      { w: 10, c: 8, t: 7, r: 7, total: 32 },
    ]);
    expect(totalAlignment(d)).toEqual({ w: 10, c: 8, t: 7, r: 7, total: 32 });
    expect(lastScoredMetrics(d)?.round).toBe(2);
  });

  it('uses the judge\'s round score when given', () => {
    let d = open(start());
    d = ingest(d, { muffin: 'x\n' });
    d = score(d, { Muffin: 3 }, { roundScore: parseScore('45,30,25,25', 'r') });
    expect(d.rounds[0].roundScoreGiven).toBe(true);
    expect(roundScore(d.rounds[0])).toEqual({ w: 45, c: 30, t: 25, r: 25, total: 125 });
    expect(roundMetrics(d, 0).cumulative.total).toBe(125);
  });

  it('loses the cumulative components once a round has totals only, keeping the total', () => {
    let d = play(start(), { texts: { muffin: 'x\n' }, scores: { Muffin: '5,4,3,3' }, fill: '0,0,0,0' });
    d = play(d, { texts: { muffin: 'x\n' }, scores: { Muffin: 10 } });
    expect(roundMetrics(d, 0).roundScore).toEqual({ w: 5, c: 4, t: 3, r: 3, total: 15 });
    expect(roundMetrics(d, 1).roundScore).toEqual({ w: null, c: null, t: null, r: null, total: 10 });
    expect(roundMetrics(d, 1).cumulative).toEqual({ w: null, c: null, t: null, r: null, total: 25 });
  });

  it('leaves open rounds out of the cumulative and the total', () => {
    let d = threeRounds();
    d = ingest(open(d), { muffin: 'x\n' });
    expect(totalAlignment(d).total).toBe(32);
    expect(lastScoredMetrics(d)?.round).toBe(2);
  });

  it('has no last scored metrics before the first score', () => {
    expect(lastScoredMetrics(roundZero())).toBeUndefined();
    expect(totalAlignment(roundZero())).toEqual({ w: 0, c: 0, t: 0, r: 0, total: 0 });
  });

  it('re-scoring an earlier round recomputes every later figure', () => {
    let d = threeRounds();
    d = scoreRound(d, { round: 0, scores: { Muffin: parseScore('10,10,10,10', 'x'), Cupcake: parseScore('0,0,0,0', 'x'), Scone: parseScore('0,0,0,0', 'x'), Eclair: parseScore('0,0,0,0', 'x') }, at: at(500) }).dialogue;
    expect(d.rounds.map((r) => r.status)).toEqual(['scored', 'scored', 'scored']);
    expect([0, 1, 2].map((n) => roundMetrics(d, n).cumulative.total)).toEqual([40, 49, 53]);
    expect(totalAlignment(d).total).toBe(53);
  });

  it('re-scoring an earlier round with a decision recomputes the later open-tension counts', () => {
    // R0: MUFFIN-T01 raised. R1: nothing decided. Both rounds count it open.
    let d = play(start(), { texts: { muffin: '[TENSION T01: Capital vs. quality]\nx\n' } });
    d = play(d, { texts: { muffin: 'x\n' } });
    expect([0, 1].map((n) => roundMetrics(d, n).computed.openTensions)).toEqual([1, 1]);
    // The judge re-scores round 0, resolving it there: round 1 no longer counts it.
    d = score(d, {}, { round: 0, decisions: [{ tension: 'MUFFIN-T01', to: 'resolved', note: 'hire first' }] });
    expect([0, 1].map((n) => roundMetrics(d, n).computed.openTensions)).toEqual([0, 0]);
    expect(roundMetrics(d, 1).velocity).toBe(0);
  });
});
