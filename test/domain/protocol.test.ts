// The protocol's operations: startDialogue, openRound, scoreRound, recordVerdict. Each is pure and
// refuses what the protocol forbids before anything changes.

import { describe, it, expect } from 'vitest';
import type { Dialogue } from '../../src/domain/model.js';
import { openRound, recordVerdict, replaceRound, scoreRound, startDialogue } from '../../src/domain/protocol.js';
import { finalVerdict } from '../../src/domain/queries.js';
import { lastScoredMetrics, parseScore, roundMetrics } from '../../src/domain/scoring.js';
import { stateOf } from '../../src/domain/tensions.js';
import {
  CREATED_AT,
  ID,
  POOL,
  at,
  everyone,
  expectBlueError,
  ingest,
  open,
  panelNames,
  play,
  score,
  start,
  statusOf,
  verdict,
} from '../support/dialogue-factory.js';

const CONVERGE = '[MOVE:CONVERGE]\nAgreed.\n';

/** Round 0 ingested (not scored): MUFFIN-T01 raised, Eclair missing. */
function ingestedRoundZero(d: Dialogue = start()): Dialogue {
  return ingest(open(d), {
    muffin: '[PERSPECTIVE P01: Demand]\nx\n[TENSION T01: Capital vs. quality]\ny\n',
    cupcake: '[PERSPECTIVE P01: Cash]\nx\n[TENSION T01: Hiring]\ny\n',
    scone: '[PERSPECTIVE P01: Staff]\nz\n[MOVE:CONVERGE]\n',
  });
}

/** Round `n`'s scores as stored: a re-score that changes nothing but what the test is about. */
function scoresOf(d: Dialogue, n: number) {
  return { ...d.rounds.find((r) => r.n === n)!.scores };
}

/** A dialogue that may converge after round 0: everyone converges, nothing open. */
function converged(overrides: Parameters<typeof start>[0] = {}): Dialogue {
  const d = open(start(overrides));
  return score(ingest(d, everyone(d, CONVERGE)), {}, { fill: 5 });
}

describe('startDialogue', () => {
  it('creates an open dialogue with an id, the pool\'s question and a suggested panel', () => {
    const d = start({ title: '  Second shop?  ', rfc: '0058-x', sources: ['docs/plan.md'] });
    expect(d).toMatchObject({
      schema: 1,
      id: ID,
      title: 'Second shop?',
      question: 'Should the bakery open a second shop?',
      createdAt: CREATED_AT,
      updatedAt: CREATED_AT,
      rfc: '0058-x',
      sources: ['docs/plan.md'],
      rotation: 'graduated',
      seed: 7,
      maxRounds: 10,
      panelSize: 4,
      status: 'open',
      version: 0,
      experts: [],
      rounds: [],
      verdicts: [],
    });
    expect(d.suggestedPanel.map((m) => [m.name, m.role, m.source])).toEqual([
      ['Muffin', 'Head Baker', 'pool'],
      ['Cupcake', 'Supply Chain Analyst', 'pool'],
      ['Scone', 'Customer Researcher', 'pool'],
      ['Eclair', 'Urban Planner', 'pool'],
    ]);
  });

  it('defaults the panel to min(pool size, 12) and lets --question win over the pool\'s', () => {
    const d = startDialogue({ title: 'T', pool: POOL, question: ' Or a food truck? ', seed: 5, createdAt: new Date(CREATED_AT) });
    expect(d.panelSize).toBe(8);
    expect(d.suggestedPanel).toHaveLength(8);
    expect(d.question).toBe('Or a food truck?');
    expect(d.seed).toBe(5); // the use case draws a seed when the judge gives none (test/app)
  });

  it('is reproducible for a seed', () => {
    expect(start({ panelSize: 6, seed: 99 }).suggestedPanel).toEqual(start({ panelSize: 6, seed: 99 }).suggestedPanel);
  });

  it.each([
    [{ pool: { ...POOL, question: undefined } }, 'missing_question'],
    [{ pool: { ...POOL, question: undefined }, question: '   ' }, 'missing_question'],
    [{ panelSize: 0 }, 'invalid_panel_size'],
    [{ panelSize: 9 }, 'invalid_panel_size'],
    [{ panelSize: 2.5 }, 'invalid_panel_size'],
    [{ maxRounds: 0 }, 'invalid_max_rounds'],
    [{ maxRounds: 1.5 }, 'invalid_max_rounds'],
    // A round number has two digits in ids: round 100 would not read back.
    [{ maxRounds: 101 }, 'invalid_max_rounds'],
    [{ maxRounds: 2 ** 53 }, 'invalid_max_rounds'],
    // The sampling keeps 32 bits of the seed: these drew the panels of other seeds.
    [{ seed: 2 ** 32 }, 'invalid_seed'],
    [{ seed: -1 }, 'invalid_seed'],
    [{ seed: Number.POSITIVE_INFINITY }, 'invalid_seed'],
    [{ title: '???' }, 'invalid_title'],
  ] as const)('refuses %j with exit 2 (%s)', (overrides, code) => {
    expectBlueError(() => start(overrides as never), 2, code);
  });
});

describe('openRound', () => {
  it('opens round 0 with the suggested panel and binds its names', () => {
    const { dialogue: d, round } = openRound(start(), { at: at(1) });
    expect(round).toBe(0);
    expect(d.rounds).toEqual([{ n: 0, status: 'open', openedAt: at(1), panel: start().suggestedPanel, scores: {} }]);
    expect(d.experts.map((e) => [e.name, e.role, e.origin, e.firstRound])).toEqual([
      ['Muffin', 'Head Baker', 'pool', 0],
      ['Cupcake', 'Supply Chain Analyst', 'pool', 0],
      ['Scone', 'Customer Researcher', 'pool', 0],
      ['Eclair', 'Urban Planner', 'pool', 0],
    ]);
  });

  it('refuses to open the next round while the last is unscored (exit 3)', () => {
    const d = ingestedRoundZero();
    const error = expectBlueError(() => open(d), 3, 'round_not_scored');
    expect(error.message).toMatch(/round 0 is still open: score it/);
    expect(error.details).toEqual({ round: 0, fix: `finish round 0 first (the next steps say how), or redo it with blue dialogue round open ${ID} --replace while nothing in it is scored` });
    expect(error.message).toBe(`round 0 is still open: score it with \`blue dialogue score ${ID}\` before opening round 1`);
    expect(expectBlueError(() => open(d, { round: 1 }), 3, 'round_not_scored').message).toBe(error.message);
  });

  it('names the round asked for while one is open: the open round itself, or one out of order', () => {
    const d = ingestedRoundZero();
    const same = expectBlueError(() => open(d, { round: 0 }), 3, 'round_not_scored');
    expect(same.message).toBe(`round 0 is already open: run its experts and score it with \`blue dialogue score ${ID}\`, or redo it with --replace while nothing in it is scored`);
    expect(same.message).not.toContain('round 1');
    const later = expectBlueError(() => open(d, { round: 3 }), 3, 'round_not_scored');
    expect(later.message).toBe(`round 0 is still open: score it with \`blue dialogue score ${ID}\` before opening another; and rounds open in order: the next is 1, not 3`);
  });

  it('refuses a --round that is not the next one (exit 3)', () => {
    expect(expectBlueError(() => open(start(), { round: 1 }), 3, 'wrong_round').details).toEqual({ round: 0, fix: `leave --round out, or give --round 0: blue dialogue round open ${ID}` });
    const d = score(ingestedRoundZero());
    expect(expectBlueError(() => open(d, { round: 0 }), 3, 'wrong_round').message).toMatch(/the next round is 1, not 0/);
    expectBlueError(() => open(d, { round: 2 }), 3, 'wrong_round');
    expect(openRound(d, { round: 1, at: at(20) }).round).toBe(1);
  });

  it('refuses to open a round beyond the maximum (exit 3)', () => {
    let d = play(start({ maxRounds: 2 }), { texts: { muffin: 'x\n' } });
    d = play(d, { texts: { muffin: 'x\n' } });
    const error = expectBlueError(() => open(d), 3, 'max_rounds_reached');
    expect(error.details).toEqual({ maxRounds: 2, fix: `blue dialogue verdict ${ID} --text-file <verdict.md> --insights-file <insights.md>` });
    expectBlueError(() => open(play(start({ maxRounds: 1 }), { texts: { muffin: 'x\n' } })), 3, 'max_rounds_reached');
  });

  it('refuses once the dialogue is closed by a final verdict (exit 3)', () => {
    const d = verdict(converged()).dialogue;
    expect(expectBlueError(() => open(d), 3, 'dialogue_closed').message).toMatch(/converged/);
  });

  it('keeps the previous panel, retained, when no panel is given', () => {
    const d = open(score(ingestedRoundZero()));
    expect(d.rounds[1].panel.map((m) => [m.name, m.role, m.source])).toEqual([
      ['Muffin', 'Head Baker', 'retained'],
      ['Cupcake', 'Supply Chain Analyst', 'retained'],
      ['Scone', 'Customer Researcher', 'retained'],
      ['Eclair', 'Urban Planner', 'retained'],
    ]);
    expect(d.experts).toHaveLength(4);
  });

  it('keeps every name bound to its role across rounds', () => {
    // R1: Cupcake leaves, a pool role and a created role join.
    let d = open(score(ingestedRoundZero()), {
      panel: [
        { role: 'Head Baker', source: 'retained' },
        { role: 'Contrarian', source: 'pool' },
        { role: 'Landlord', source: 'created', tier: 'wildcard', focus: 'lease terms' },
      ],
    });
    expect(d.rounds[1].panel.map((m) => [m.name, m.role, m.source])).toEqual([
      ['Muffin', 'Head Baker', 'retained'],
      ['Donut', 'Contrarian', 'pool'],
      ['Brioche', 'Landlord', 'created'],
    ]);
    expect(d.experts.slice(4).map((e) => [e.name, e.role, e.origin, e.firstRound])).toEqual([
      ['Donut', 'Contrarian', 'pool', 1],
      ['Brioche', 'Landlord', 'created', 1],
    ]);
    d = score(ingest(d, { muffin: 'x\n' }));
    // R2: Cupcake comes back from the pool under its own name; Donut is retained.
    d = open(d, { panel: [{ role: 'Supply Chain Analyst', source: 'pool' }, { role: 'Contrarian', source: 'retained' }] });
    expect(d.rounds[2].panel.map((m) => [m.name, m.role, m.source])).toEqual([
      ['Cupcake', 'Supply Chain Analyst', 'pool'],
      ['Donut', 'Contrarian', 'retained'],
    ]);
    expect(d.experts.map((e) => e.name)).toEqual(['Muffin', 'Cupcake', 'Scone', 'Eclair', 'Donut', 'Brioche']);
    // A bound name cannot take another role (exit 2).
    const scored = score(ingest(d, { cupcake: 'x\n' }));
    expectBlueError(() => open(scored, { panel: [{ name: 'Muffin', role: 'Finance Lead', source: 'pool' }] }), 2, 'name_bound_to_other_role');
  });

  it('applies --focus to the named expert, any case', () => {
    const d = open(start(), { focus: { scone: 'Staffing', ECLAIR: 'Zoning' } });
    expect(d.rounds[0].panel.map((m) => [m.name, m.focus])).toEqual([
      ['Muffin', undefined],
      ['Cupcake', undefined],
      ['Scone', 'Staffing'],
      ['Eclair', 'Zoning'],
    ]);
  });

  it('refuses an empty --focus, and one expert given twice (exit 2), before anything else', () => {
    const empty = expectBlueError(() => open(start(), { focus: { Muffin: '' } }), 2, 'invalid_option');
    expect(empty.message).toBe('--focus Muffin= gives Muffin no focus text: it takes <name>=<text>');
    expect(empty.details).toEqual({ option: '--focus', expert: 'Muffin', fix: 'write the focus after the =: --focus Muffin=<text>; or leave --focus out for Muffin' });
    expectBlueError(() => open(start(), { focus: [['scone', ' \t ']] }), 2, 'invalid_option');
    expect(expectBlueError(() => open(start(), { focus: [['', 'x']] }), 2, 'invalid_option').message).toMatch(/gives no expert name/);
    const twice = expectBlueError(() => open(start(), { focus: [['Muffin', 'one'], ['MUFFIN', 'two']] }), 2, 'invalid_option');
    expect(twice.message).toBe('--focus names Muffin twice ("one", then "two"); an expert has one focus');
    expect(twice.details).toMatchObject({ option: '--focus', expert: 'Muffin' });
    expect(typeof twice.details.fix).toBe('string');
    // As a map, names that differ only in case are the same expert too.
    expectBlueError(() => open(start(), { focus: { muffin: 'one', Muffin: 'two' } }), 2, 'invalid_option');
    // Bad input is said before the round's state is: a round already open does not hide it.
    expectBlueError(() => open(ingestedRoundZero(), { focus: { Muffin: '' } }), 2, 'invalid_option');
    expectBlueError(() => replaceRound(open(start()), { focus: [['Muffin', 'a'], ['Muffin', 'b']], at: at(2) }), 2, 'invalid_option');
    // Pairs in order, each once, are applied as a map is.
    expect(open(start(), { focus: [['scone', 'Staffing'], ['Eclair', 'Zoning']] }).rounds[0].panel.map((m) => m.focus)).toEqual([undefined, undefined, 'Staffing', 'Zoning']);
  });

  it('refuses a --focus for someone not on the panel (exit 2)', () => {
    const error = expectBlueError(() => open(start(), { focus: { donut: 'Anything' } }), 2, 'unknown_expert');
    expect(error.message).toMatch(/--focus names Donut, who is not on this round's panel \(Muffin, Cupcake, Scone, Eclair\)/);
  });

  it('does not change the dialogue it was given', () => {
    const d = start();
    const copy = structuredClone(d);
    open(d);
    expect(d).toEqual(copy);
  });
});

describe('scoreRound', () => {
  const ALL = { Muffin: '5,4,3,3', Cupcake: '4,3,2,1', Scone: '3,3,3,3', Eclair: 0 };

  it('refuses a judge count past 1,000,000 or not whole, and more converge signals than the panel has (exit 2)', () => {
    const d = ingestedRoundZero();
    for (const judge of [{ openTensions: 1_000_001 }, { newPerspectives: 2 ** 53 }, { openTensions: Number.POSITIVE_INFINITY }, { newPerspectives: -1 }, { openTensions: 1.5 }]) {
      const error = expectBlueError(() => score(d, ALL, { judge }), 2, 'invalid_option');
      expect(error.message, JSON.stringify(judge)).toMatch(/^--(open-tensions|new-perspectives) must be a whole number from 0 to 1,000,000 \(got .+\); a count is at most 1,000,000/);
    }
    const error = expectBlueError(() => score(d, ALL, { judge: { convergeSignals: 5 } }), 2, 'invalid_option');
    expect(error.message).toBe("--converge-signals is 5, but round 0's panel has 4 experts: at most 4 can signal [MOVE:CONVERGE]");
    expect(roundMetrics(score(d, ALL, { judge: { convergeSignals: 4, openTensions: 1_000_000 } }), 0)).toMatchObject({ convergePercent: 100, velocity: 1_000_000 + 2 });
  });

  it('records the scores under the canonical names, closes the round and keeps the judge\'s words', () => {
    const d = score(ingestedRoundZero(), { muffin: '5,4,3,3', CUPCAKE: '4,3,2,1', Scone: '3,3,3,3', eclair: 0 }, { fill: null, label: 'opening', summary: '# Summary\nGood start.\n' });
    const round = d.rounds[0];
    expect(round).toMatchObject({ status: 'scored', scoredAt: at(3), label: 'opening', summary: '# Summary\nGood start.\n', roundScoreGiven: false });
    expect(Object.keys(round.scores)).toEqual(['Muffin', 'Cupcake', 'Scone', 'Eclair']);
    // A bare 0 is 0,0,0,0: the round keeps its W/C/T/R.
    expect(round.scores.Eclair).toEqual({ w: 0, c: 0, t: 0, r: 0, total: 0 });
    expect(round.roundScore).toEqual({ w: 12, c: 10, t: 8, r: 7, total: 37 });
  });

  it('refuses bare totals mixed with W,C,T,R unless the round score is given, naming the experts and the fix', () => {
    const error = expectBlueError(() => score(ingestedRoundZero(), { muffin: '5,4,3,3', CUPCAKE: 10, Scone: 12, eclair: 0 }, { fill: null }), 2, 'mixed_scores');
    expect(error.message).toMatch(/round 0 mixes bare totals \(Cupcake, Scone\) with W,C,T,R scores.*--expert Cupcake=<W>,<C>,<T>,<R>.*--round-score <W>,<C>,<T>,<R>/);
    expect(error.details).toEqual({ experts: ['Cupcake', 'Scone'], fix: 'give --expert Cupcake=<W>,<C>,<T>,<R> --expert Scone=<W>,<C>,<T>,<R>, or add --round-score <W>,<C>,<T>,<R>' });
    const given = score(ingestedRoundZero(), { muffin: '5,4,3,3', CUPCAKE: 10, Scone: 12, eclair: 0 }, { fill: null, roundScore: { w: 10, c: 10, t: 9, r: 8, total: 37 } });
    expect(given.rounds[0].roundScore).toEqual({ w: 10, c: 10, t: 9, r: 8, total: 37 });
    // Totals only (a zero mixes with either) keep the total and say the parts are unknown.
    const totals = score(ingestedRoundZero(), { muffin: 9, CUPCAKE: 10, Scone: 12, eclair: 0 }, { fill: null });
    expect(totals.rounds[0].roundScore).toEqual({ w: null, c: null, t: null, r: null, total: 31 });
  });

  it('refuses an expert who is not on the round\'s panel (exit 2)', () => {
    const error = expectBlueError(() => score(ingestedRoundZero(), { ...ALL, Brioche: 3 }, { fill: null }), 2, 'unknown_expert');
    expect(error.message).toMatch(/Brioche is not on round 0's panel \(Muffin, Cupcake, Scone, Eclair\)/);
    expect(error.details).toEqual({ expert: 'Brioche', panel: ['Muffin', 'Cupcake', 'Scone', 'Eclair'], fix: "score the experts of round 0's panel, by these names: Muffin, Cupcake, Scone, Eclair" });
  });

  it('refuses a score above 0 for a missing output (exit 3), and accepts 0', () => {
    const error = expectBlueError(() => score(ingestedRoundZero(), { ...ALL, Eclair: 4 }, { fill: null }), 3, 'missing_output');
    expect(error.message).toMatch(/Eclair wrote no output in round 0, so cannot score above 0/);
    expect(error.details).toMatchObject({ expert: 'Eclair', fix: expect.stringMatching(/^score Eclair=0, or have Eclair write its output .* blue dialogue round ingest /) });
    expectBlueError(() => score(ingestedRoundZero(), { ...ALL, Eclair: '0,0,1,0' }, { fill: null }), 3, 'missing_output');
    expect(score(ingestedRoundZero(), { ...ALL, Eclair: '0,0,0,0' }, { fill: null }).rounds[0].status).toBe('scored');
  });

  it('refuses when an expert on the panel has no score (exit 2)', () => {
    const { Eclair: _e, Scone: _s, ...some } = ALL;
    const error = expectBlueError(() => score(ingestedRoundZero(), some, { fill: null }), 2, 'missing_scores');
    expect(error.message).toMatch(/missing: Scone, Eclair/);
    // Eclair wrote nothing, so the fix already gives it the only score it can have.
    expect(error.details).toEqual({ missing: ['Scone', 'Eclair'], fix: 'add --expert Scone=<W>,<C>,<T>,<R> --expert Eclair=0 to the same command' });
  });

  it('refuses a round that was not ingested (exit 3)', () => {
    const d = open(start());
    expect(expectBlueError(() => score(d, ALL), 3, 'round_not_ingested').message).toMatch(/round 0 has not been ingested/);
  });

  it('refuses when no round is open, or the round was never opened (exit 3)', () => {
    expect(expectBlueError(() => scoreRound(start(), { scores: {}, at: at(1) }), 3, 'no_open_round').message).toMatch(/no round is open/);
    const d = score(ingestedRoundZero());
    expect(expectBlueError(() => scoreRound(d, { scores: {}, at: at(1) }), 3, 'no_open_round').message).toMatch(/round 0 is already scored/);
    expectBlueError(() => scoreRound(d, { round: 4, scores: {}, at: at(1) }), 3, 'round_not_open');
  });

  it('records the judge\'s decisions as events of the round', () => {
    const d = score(ingestedRoundZero(), ALL, {
      fill: null,
      decisions: [
        { tension: 'muffin-t01', to: 'superseded', by: ['CUPCAKE-T01'] },
        { tension: 'CUPCAKE-T01', to: 'accepted', note: 'we live with slow hiring' },
      ],
    });
    expect(d.events.filter((e) => e.origin === 'judge').map((e) => [e.tension, e.from, e.to, e.actor, e.round, e.note ?? null, e.by ?? null])).toEqual([
      ['MUFFIN-T01', 'open', 'superseded', 'judge', 0, null, ['CUPCAKE-T01']],
      ['CUPCAKE-T01', 'open', 'accepted', 'judge', 0, 'we live with slow hiring', null],
    ]);
    expect(stateOf(d, 'MUFFIN-T01').supersededBy).toEqual(['CUPCAKE-T01']);
  });

  it('supersedes a tension by several successors at once', () => {
    const d = ingest(open(start()), {
      muffin: '[TENSION T01: Capital vs. quality]\nx\n[TENSION T02: Ovens]\ny\n',
      cupcake: '[TENSION T01: Hiring]\ny\n',
      scone: '[PERSPECTIVE P01: Staff]\nz\n',
    });
    const scored = score(d, ALL, { fill: null, decisions: [{ tension: 'MUFFIN-T01', to: 'superseded', by: ['muffin-t02', 'CUPCAKE-T01'] }] });
    expect(stateOf(scored, 'MUFFIN-T01')).toMatchObject({ status: 'superseded', supersededBy: ['MUFFIN-T02', 'CUPCAKE-T01'] });
  });

  it.each([
    [{ tension: 'MUFFIN-T01', to: 'superseded' }, 2, 'missing_successor'],
    [{ tension: 'MUFFIN-T01', to: 'superseded', by: ['muffin-t01'] }, 2, 'invalid_successor'],
    [{ tension: 'MUFFIN-T01', to: 'superseded', by: ['DONUT-T01'] }, 2, 'unknown_tension'],
    [{ tension: 'MUFFIN-T01', to: 'accepted' }, 2, 'missing_rationale'],
    [{ tension: 'DONUT-T01', to: 'resolved' }, 2, 'unknown_tension'],
    [{ tension: 'MUFFIN-T01', to: 'reopened' }, 3, 'invalid_transition'],
  ] as const)('refuses the decision %j (exit %i, %s)', (decision, exit, code) => {
    expectBlueError(() => score(ingestedRoundZero(), ALL, { fill: null, decisions: [decision as never] }), exit, code);
  });

  it('refuses a transition made impossible by an earlier decision in the same call', () => {
    const error = expectBlueError(
      () => score(ingestedRoundZero(), ALL, { fill: null, decisions: [{ tension: 'MUFFIN-T01', to: 'resolved' }, { tension: 'MUFFIN-T01', to: 'narrowed' }] }),
      3,
      'invalid_transition',
    );
    expect(error.message).toMatch(/MUFFIN-T01 is resolved/);
  });

  it('does not change the dialogue it was given when it refuses', () => {
    const d = ingestedRoundZero();
    const copy = structuredClone(d);
    expectBlueError(() => score(d, ALL, { fill: null, decisions: [{ tension: 'MUFFIN-T01', to: 'resolved' }, { tension: 'MUFFIN-T01', to: 'narrowed' }] }), 3, 'invalid_transition');
    expect(d).toEqual(copy);
  });

  describe('re-scoring an earlier round (--round)', () => {
    /** R0 and R1 scored; MUFFIN-T01 raised in R0, resolved by the judge in R1. */
    function twoRounds(): Dialogue {
      let d = score(ingestedRoundZero(), ALL, { fill: null });
      return play(d, { texts: { muffin: '[PERSPECTIVE P01: Still]\nx\n' }, decisions: [{ tension: 'MUFFIN-T01', to: 'resolved', note: 'hire first' }] });
    }

    it('replaces the scores and recomputes the later cumulative figures', () => {
      const d = twoRounds();
      expect(roundMetrics(d, 1).cumulative.total).toBe(37);
      const rescored = score(d, { Muffin: 20, Cupcake: 0, Scone: 0, Eclair: 0 }, { round: 0, fill: null });
      expect(rescored.rounds[0].scores).toEqual({
        Muffin: parseScore('20', 'x'),
        Cupcake: parseScore('0', 'x'),
        Scone: parseScore('0', 'x'),
        Eclair: parseScore('0', 'x'),
      });
      expect(roundMetrics(rescored, 1).cumulative.total).toBe(20);
      // The later round's own decision stays.
      expect(statusOf(rescored, 'MUFFIN-T01')).toBe('resolved');
    });

    it('slots a new decision into the earlier round, before the later rounds\' decisions', () => {
      // R0 now narrows MUFFIN-T01; R1 still resolves it. Legal in round order, although the latest
      // status (resolved) could not become narrowed.
      const d = score(twoRounds(), ALL, { round: 0, fill: null, decisions: [{ tension: 'MUFFIN-T01', to: 'narrowed', note: 'ovens only' }] });
      expect(statusOf(d, 'MUFFIN-T01', 0)).toBe('narrowed');
      expect(statusOf(d, 'MUFFIN-T01')).toBe('resolved');
      const history = stateOf(d, 'MUFFIN-T01').history.filter((e) => e.kind === 'status').map((e) => [e.round, e.origin, e.from, e.to]);
      expect(history).toEqual([
        [0, 'judge', 'open', 'narrowed'],
        [1, 'judge', 'narrowed', 'resolved'],
      ]);
      expect(roundMetrics(d, 0).computed.openTensions).toBe(2);
    });

    it('replaces the round\'s earlier decisions with the new ones', () => {
      let d = score(ingestedRoundZero(), ALL, { fill: null, decisions: [{ tension: 'MUFFIN-T01', to: 'accepted', note: 'first thought' }] });
      d = score(d, ALL, { round: 0, fill: null, decisions: [{ tension: 'CUPCAKE-T01', to: 'resolved' }] });
      expect(statusOf(d, 'MUFFIN-T01')).toBe('open');
      expect(statusOf(d, 'CUPCAKE-T01')).toBe('resolved');
      expect(d.events.filter((e) => e.origin === 'judge').map((e) => e.tension)).toEqual(['CUPCAKE-T01']);
    });

    it('refuses decisions that would make a later round\'s history impossible (exit 3)', () => {
      // R1 narrows MUFFIN-T01; re-scoring R0 to resolve it would leave R1 narrowing a resolved tension.
      let d = score(ingestedRoundZero(), ALL, { fill: null });
      d = play(d, { texts: { muffin: 'x\n' }, decisions: [{ tension: 'MUFFIN-T01', to: 'narrowed' }] });
      const error = expectBlueError(() => score(d, ALL, { round: 0, fill: null, decisions: [{ tension: 'MUFFIN-T01', to: 'resolved' }] }), 3, 'invalid_transition');
      expect(error.details).toMatchObject({ tension: 'MUFFIN-T01', status: 'resolved', requested: 'narrowed', round: 1 });
    });

    it('refuses a decision on a tension raised after the round (exit 2)', () => {
      let d = score(ingestedRoundZero(), ALL, { fill: null });
      d = play(d, { texts: { scone: '[TENSION T01: Parking]\nNone.\n' } });
      const error = expectBlueError(() => score(d, ALL, { round: 0, fill: null, decisions: [{ tension: 'SCONE R1-T01', to: 'resolved' }] }), 2, 'unknown_tension');
      expect(error.message).toMatch(/SCONE R1-T01 was raised in round 1, after round 0/);
    });

    it('may re-score an earlier round while a later one is open', () => {
      let d = open(twoRounds());
      d = score(d, { Muffin: 1, Cupcake: 1, Scone: 1, Eclair: 0 }, { round: 0, fill: null });
      expect(d.rounds.map((r) => r.status)).toEqual(['scored', 'scored', 'open']);
      expect(lastScoredMetrics(d)?.cumulative.total).toBe(3);
    });

    it('drops the round\'s earlier decisions when the re-score gives none, and replays the later rounds', () => {
      // R0 narrows MUFFIN-T01 and resolves CUPCAKE-T01; R1 resolves MUFFIN-T01.
      let d = score(ingestedRoundZero(), ALL, { fill: null, decisions: [{ tension: 'MUFFIN-T01', to: 'narrowed', note: 'ovens only' }, { tension: 'CUPCAKE-T01', to: 'resolved', note: 'hire in spring' }] });
      d = play(d, { texts: { muffin: 'x\n' }, decisions: [{ tension: 'MUFFIN-T01', to: 'resolved', note: 'second oven bought' }] });
      const rescored = scoreRound(d, { round: 0, scores: scoresOf(d, 0), at: at(50) });
      expect(rescored.dialogue.events.filter((e) => e.origin === 'judge' && e.round === 0)).toEqual([]);
      expect(statusOf(rescored.dialogue, 'CUPCAKE-T01')).toBe('open');
      expect(statusOf(rescored.dialogue, 'MUFFIN-T01', 0)).toBe('open');
      // R1's decision still holds; its `from` is what R0 now leaves.
      const history = stateOf(rescored.dialogue, 'MUFFIN-T01').history.filter((e) => e.kind === 'status').map((e) => [e.round, e.from, e.to, e.note]);
      expect(history).toEqual([[1, 'open', 'resolved', 'second oven bought']]);
      expect(roundMetrics(rescored.dialogue, 0).computed.openTensions).toBe(2);
      expect(roundMetrics(rescored.dialogue, 1).computed.openTensions).toBe(1);
      expect(rescored.dropped).toEqual(['--narrow MUFFIN-T01', '--resolve CUPCAKE-T01']);
    });

    it('drops the round\'s earlier count overrides, label and summary when the re-score does not give them again', () => {
      let d = score(ingestedRoundZero(), ALL, { fill: null, judge: { openTensions: 7, newPerspectives: 1 }, label: 'opening', summary: '# R0\nSo far.\n' });
      expect(d.rounds[0]).toMatchObject({ judge: { openTensions: 7, newPerspectives: 1 }, label: 'opening', summary: '# R0\nSo far.\n' });
      const rescored = scoreRound(d, { round: 0, scores: scoresOf(d, 0), judge: {}, at: at(50) });
      const round = rescored.dialogue.rounds[0];
      expect(round).not.toHaveProperty('judge');
      expect(round).not.toHaveProperty('label');
      expect(round).not.toHaveProperty('summary');
      const m = roundMetrics(rescored.dialogue, 0);
      expect(m.overrides).toEqual([]);
      expect(m.effective).toEqual(m.computed);
      expect(rescored.dropped).toEqual(['--new-perspectives 1', '--open-tensions 7', '--label', '--summary-file']);
    });

    it('keeps only what the re-score gives: a new decision and no override replace the old decisions and override', () => {
      let d = score(ingestedRoundZero(), ALL, { fill: null, judge: { openTensions: 7 }, decisions: [{ tension: 'MUFFIN-T01', to: 'narrowed', note: 'ovens only' }] });
      d = score(d, ALL, { round: 0, fill: null, decisions: [{ tension: 'CUPCAKE-T01', to: 'accepted', note: 'we hire slowly' }], label: 'again', summary: 'new' });
      expect(d.rounds[0].judge).toBeUndefined();
      expect(d.rounds[0]).toMatchObject({ label: 'again', summary: 'new' });
      expect(roundMetrics(d, 0).effective.openTensions).toBe(roundMetrics(d, 0).computed.openTensions);
      expect(d.events.filter((e) => e.origin === 'judge').map((e) => [e.tension, e.to])).toEqual([['CUPCAKE-T01', 'accepted']]);
      expect(statusOf(d, 'MUFFIN-T01')).toBe('open');
    });

    it('keeps the earlier round score only when given again, and says nothing is dropped when all is given again', () => {
      const roundScore = parseScore('9,9,9,9', 'x');
      const first = { fill: null, roundScore, judge: { openTensions: 0 }, decisions: [{ tension: 'MUFFIN-T01', to: 'narrowed' as const, note: 'ovens only' }], label: 'l', summary: 's' };
      const d = score(ingestedRoundZero(), ALL, first);
      const again = scoreRound(d, { round: 0, scores: scoresOf(d, 0), roundScore, judge: { openTensions: 0 }, decisions: first.decisions, label: 'l', summary: 's', at: at(50) });
      expect(again.dropped).toEqual([]);
      expect(again.dialogue.rounds[0]).toMatchObject({ roundScore, roundScoreGiven: true, judge: { openTensions: 0 }, label: 'l', summary: 's' });
      const bare = scoreRound(d, { round: 0, scores: scoresOf(d, 0), at: at(50) });
      // The round score is the experts' sum again, not the judge's earlier 36.
      expect(bare.dialogue.rounds[0]).toMatchObject({ roundScoreGiven: false });
      expect(bare.dialogue.rounds[0].roundScore!.total).toBe(Object.values(scoresOf(d, 0)).reduce((a, s) => a + s.total, 0));
      expect(bare.dropped).toEqual(['--round-score', '--open-tensions 0', '--narrow MUFFIN-T01', '--label', '--summary-file']);
    });

    it('refuses a re-score without decisions that leaves a later decision impossible (exit 3), changing nothing', () => {
      // R0 supersedes MUFFIN-T01 by CUPCAKE-T01; R1 reopens it. Without R0's supersession, R1 would reopen an open tension.
      let d = score(ingestedRoundZero(), ALL, { fill: null, decisions: [{ tension: 'MUFFIN-T01', to: 'superseded', by: ['CUPCAKE-T01'] }] });
      d = play(d, { texts: { muffin: 'x\n' }, decisions: [{ tension: 'MUFFIN-T01', to: 'reopened' }] });
      const copy = structuredClone(d);
      const error = expectBlueError(() => scoreRound(d, { round: 0, scores: scoresOf(d, 0), at: at(50) }), 3, 'invalid_transition');
      expect(error.message).toMatch(/round 1: MUFFIN-T01 would be open when judge moves it to reopened/);
      expect(error.details).toMatchObject({ tension: 'MUFFIN-T01', status: 'open', requested: 'reopened', round: 1 });
      expect(d).toEqual(copy);
    });

    it('keeps a later decision that becomes a repeat of the status the re-score sets, as a note', () => {
      let d = score(ingestedRoundZero(), ALL, { fill: null });
      d = play(d, { texts: { muffin: 'x\n' }, decisions: [{ tension: 'MUFFIN-T01', to: 'resolved', note: 'hire first' }] });
      d = score(d, ALL, { round: 0, fill: null, decisions: [{ tension: 'MUFFIN-T01', to: 'resolved', note: 'already in R0' }] });
      const history = stateOf(d, 'MUFFIN-T01').history.filter((e) => e.kind === 'status').map((e) => [e.round, e.from, e.to]);
      expect(history).toEqual([[0, 'open', 'resolved'], [1, 'resolved', 'resolved']]);
    });

    it('keeps the tensions the judge recorded as raised (an imported round) when it replaces the decisions', () => {
      let d = score(ingestedRoundZero(), ALL, { fill: null, decisions: [{ tension: 'MUFFIN-T01', to: 'resolved' }] });
      // Import records a tension its judge's tables list as raised by the judge.
      d = { ...d, events: d.events.map((e) => (e.kind === 'raised' && e.tension === 'CUPCAKE-T01' ? { ...e, origin: 'judge' as const } : e)) };
      const rescored = scoreRound(d, { round: 0, scores: scoresOf(d, 0), at: at(50) }).dialogue;
      expect(rescored.events.filter((e) => e.kind === 'raised').map((e) => e.tension)).toEqual(['MUFFIN-T01', 'CUPCAKE-T01']);
      expect(rescored.events.filter((e) => e.kind === 'status')).toEqual([]);
    });

    it('is refused once the final verdict is recorded (exit 3)', () => {
      const d = verdict(twoRounds(), { force: true, warning: 'owner decided' }).dialogue;
      expectBlueError(() => score(d, ALL, { round: 0, fill: null }), 3, 'dialogue_closed');
    });
  });
});

describe('recordVerdict', () => {
  it('refuses a final verdict before convergence (exit 3), listing the blockers', () => {
    const d = score(ingestedRoundZero());
    const error = expectBlueError(() => verdict(d), 3, 'not_converged');
    expect(error.details.blockers).toEqual(roundMetrics(d, 0).blockers);
    expect((error.details.blockers as string[]).length).toBe(2);
    expect(error.details.round).toBe(0);
    expect(error.message).toMatch(/--force --warning/);
    expect(error.details.fix).toBe(`run another round to settle the blockers: blue dialogue round open ${ID}; or record it anyway with --force --warning "<why>"`);
  });

  it('refuses a final verdict before any round is scored, or while a round is open (exit 3)', () => {
    expect(expectBlueError(() => verdict(start()), 3, 'not_converged').details).toEqual({ blockers: ['no round scored'], fix: `run round 0 first: blue dialogue round open ${ID}` });
    expectBlueError(() => verdict(ingestedRoundZero()), 3, 'round_open');
    expectBlueError(() => verdict(open(converged())), 3, 'round_open');
  });

  it('records a final verdict once the last round may converge, and closes the dialogue', () => {
    const { dialogue: d, verdict: v } = verdict(converged(), { insights: '- hire first', vote: '4-0', confidence: 'unanimous' });
    expect(v).toEqual({ type: 'final', seq: 1, at: at(999), round: 0, text: 'Open the second shop in spring.', insights: '- hire first', vote: '4-0', confidence: 'unanimous' });
    expect(d.status).toBe('converged');
    expect(finalVerdict(d)).toEqual(v);
  });

  it('records a forced final verdict with --force and the judge\'s warning', () => {
    const { dialogue: d, verdict: v } = verdict(score(ingestedRoundZero()), { force: true, warning: 'Owner decided' });
    expect(v).toMatchObject({ type: 'final', forced: true, warning: 'Owner decided', round: 0 });
    expect(d.status).toBe('converged');
  });

  it('needs a warning with --force (exit 2)', () => {
    expectBlueError(() => verdict(score(ingestedRoundZero()), { force: true }), 2, 'missing_warning');
    expectBlueError(() => verdict(score(ingestedRoundZero()), { force: true, warning: '  ' }), 2, 'missing_warning');
  });

  it('does not mark a verdict forced when the dialogue converged anyway', () => {
    const { verdict: v } = verdict(converged(), { force: true, warning: 'just in case' });
    expect(v.forced).toBeUndefined();
    expect(v.warning).toBeUndefined();
  });

  it('forces the final verdict automatically once the maximum round is reached, with a generated warning', () => {
    let d = play(start({ maxRounds: 2 }), { texts: { muffin: '[PERSPECTIVE P01: a]\nx\n' } });
    d = play(d, { texts: { muffin: '[PERSPECTIVE P01: b]\nx\n' } });
    expect(roundMetrics(d, 1).maxRoundsReached).toBe(true);
    const { dialogue: after, verdict: v } = verdict(d);
    expect(v).toMatchObject({ type: 'final', forced: true, round: 1 });
    expect(v.warning).toMatch(/^The maximum of 2 rounds was reached without convergence: velocity is 1 \(0 open tensions \+ 1 new perspective\); it must be 0; converge is 0%/);
    expect(after.status).toBe('converged');
    // The judge's own warning wins over the generated one.
    expect(verdict(d, { warning: 'Out of time' }).verdict).toMatchObject({ forced: true, warning: 'Out of time' });
  });

  it('refuses a second final verdict (exit 3)', () => {
    const d = verdict(converged()).dialogue;
    expect(expectBlueError(() => verdict(d), 3, 'final_verdict_exists').message).toMatch(/already has its final verdict/);
    expectBlueError(() => verdict(d, { force: true, warning: 'again' }), 3, 'final_verdict_exists');
  });

  it('needs the supporting experts for a minority or dissent verdict (exit 2)', () => {
    const d = score(ingestedRoundZero());
    expect(expectBlueError(() => verdict(d, { type: 'minority' }), 2, 'missing_experts').message).toMatch(/a minority verdict needs --experts/);
    expectBlueError(() => verdict(d, { type: 'dissent', experts: [] }), 2, 'missing_experts');
    expectBlueError(() => verdict(d, { type: 'dissent', experts: ['Donut'] }), 2, 'unknown_expert');
    const { dialogue: after, verdict: v } = verdict(d, { type: 'dissent', experts: ['scone', 'ECLAIR'], text: 'Too early.' });
    expect(v).toMatchObject({ type: 'dissent', experts: ['Scone', 'Eclair'], round: 0, seq: 1 });
    expect(after.status).toBe('open');
  });

  it('keeps the dialogue open after an interim verdict', () => {
    const d = score(ingestedRoundZero());
    const { dialogue: after, verdict: v } = verdict(d, { type: 'interim', text: 'Keep exploring.' });
    expect(v).toMatchObject({ type: 'interim', round: 0, seq: 1 });
    expect(v.forced).toBeUndefined();
    expect(after.status).toBe('open');
    expect(finalVerdict(after)).toBeUndefined();
    // An interim verdict does not stand in the way of the next round or the final one.
    expect(open(after).rounds).toHaveLength(2);
    expect(verdict(after, { force: true, warning: 'w' }).verdict.seq).toBe(2);
  });

  it('records minority and dissent verdicts beside the final one, but no interim after it', () => {
    const d = verdict(converged()).dialogue;
    const { dialogue: after, verdict: v } = recordVerdict(d, { type: 'minority', text: 'Wait a year.', experts: ['Eclair'], at: at(1000) });
    expect(v).toMatchObject({ type: 'minority', seq: 2, experts: ['Eclair'] });
    expect(after.status).toBe('converged');
    expect(after.verdicts.map((x) => x.type)).toEqual(['final', 'minority']);
    expectBlueError(() => verdict(d, { type: 'interim', text: 'More?' }), 3, 'dialogue_closed');
  });

  it('takes no verdict of any kind in an abandoned dialogue (exit 3)', () => {
    const d: Dialogue = { ...score(ingestedRoundZero()), status: 'abandoned' };
    for (const type of ['interim', 'minority', 'dissent'] as const) {
      expectBlueError(() => verdict(d, { type, experts: ['Muffin'] }), 3, 'dialogue_closed');
    }
  });

  it('refuses an empty verdict text (exit 2)', () => {
    expectBlueError(() => verdict(converged(), { text: ' \n' }), 2, 'empty_verdict');
  });

  it('does not change the dialogue it was given', () => {
    const d = converged();
    const copy = structuredClone(d);
    verdict(d);
    expect(d).toEqual(copy);
    expect(panelNames(d)).toEqual(['Muffin', 'Cupcake', 'Scone', 'Eclair']);
  });
});

describe('an abandoned dialogue', () => {
  it('takes no verdict of any kind (exit 3)', () => {
    const d: Dialogue = { ...converged(), status: 'abandoned' };
    for (const type of ['final', 'interim', 'minority', 'dissent'] as const) {
      expectBlueError(() => recordVerdict(d, { type, text: 'x', experts: ['Muffin'], at: at(9) }), 3, 'dialogue_closed');
    }
  });
});
