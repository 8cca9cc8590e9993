// The tension life cycle (CLI.md, "Tension life cycle") as a state machine over events.

import { describe, it, expect } from 'vitest';
import type { Dialogue, TensionEvent, TensionStatus } from '../../src/domain/model.js';
import {
  ALLOWED,
  canMove,
  changeStatus,
  findTension,
  isOpen,
  orderedEvents,
  replayHistory,
  requireTension,
  stateOf,
  tensionStates,
  type StatusChange,
} from '../../src/domain/tensions.js';
import { at, expectBlueError, ingest, open, play, score, start, statusOf } from '../support/dialogue-factory.js';

const STATUSES: TensionStatus[] = ['open', 'addressed', 'narrowed', 'superseded', 'resolved', 'accepted', 'reopened'];

/** CLI.md's table, written out as the contract states it (not read from the code under test). */
const CONTRACT: Record<TensionStatus, TensionStatus[]> = {
  open: ['addressed', 'narrowed', 'superseded', 'resolved', 'accepted'],
  reopened: ['addressed', 'narrowed', 'superseded', 'resolved', 'accepted'],
  addressed: ['open', 'narrowed', 'superseded', 'resolved', 'accepted'],
  narrowed: ['addressed', 'superseded', 'resolved', 'accepted'],
  superseded: ['resolved', 'reopened'],
  accepted: ['resolved', 'reopened'],
  resolved: ['reopened'],
};

/** Round 0: Muffin raises MUFFIN-T01, Cupcake raises CUPCAKE-T01 (its successor, when one is needed). */
function twoTensions(): Dialogue {
  return ingest(open(start()), {
    muffin: '[PERSPECTIVE P01: Demand is proven]\nQueues.\n\n[TENSION T01: Capital vs. quality]\nTwo ovens, one head baker.\n',
    cupcake: '[TENSION T01: Hiring lead time]\nSix months to hire a baker.\n',
  });
}

function change(d: Dialogue, to: TensionStatus, extra: Partial<StatusChange> = {}): Dialogue {
  return changeStatus(d, {
    tension: 'MUFFIN-T01',
    to,
    actor: 'judge',
    origin: 'judge',
    round: 0,
    at: at(5),
    ...(to === 'superseded' ? { by: ['CUPCAKE-T01'] } : {}),
    ...extra,
  });
}

/** MUFFIN-T01 brought into `status` by the shortest legal path. */
function inStatus(status: TensionStatus): Dialogue {
  const d = twoTensions();
  if (status === 'open') return d;
  if (status === 'reopened') return change(change(d, 'resolved'), 'reopened');
  return change(d, status);
}

describe('the transition table', () => {
  it('is the table of CLI.md', () => {
    expect(Object.fromEntries(STATUSES.map((s) => [s, [...ALLOWED[s]].sort()]))).toEqual(
      Object.fromEntries(STATUSES.map((s) => [s, [...CONTRACT[s]].sort()])),
    );
  });

  const cases = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to] as const));
  const allowed = cases.filter(([from, to]) => CONTRACT[from].includes(to));
  const forbidden = cases.filter(([from, to]) => from !== to && !CONTRACT[from].includes(to));
  const repeats = STATUSES.map((s) => [s, s] as const);

  it('has 24 allowed moves, 7 repeats and 18 forbidden moves', () => {
    expect([allowed.length, repeats.length, forbidden.length]).toEqual([24, 7, 18]);
  });

  it.each(allowed)('allows %s -> %s, recording an event with who, round, from and note', (from, to) => {
    const before = inStatus(from);
    expect(statusOf(before, 'MUFFIN-T01')).toBe(from);
    expect(canMove(from, to)).toBe(true);
    const after = change(before, to, { note: `to ${to}`, round: 1, actor: 'judge' });
    expect(statusOf(after, 'MUFFIN-T01')).toBe(to);
    const event = after.events[after.events.length - 1];
    expect(event).toMatchObject({ kind: 'status', tension: 'MUFFIN-T01', from, to, actor: 'judge', origin: 'judge', round: 1, note: `to ${to}` });
    expect(event.seq).toBe(Math.max(...before.events.map((e) => e.seq)) + 1);
    expect(after.events).toHaveLength(before.events.length + 1);
    // Pure: the dialogue it was given is unchanged.
    expect(statusOf(before, 'MUFFIN-T01')).toBe(from);
  });

  it.each(forbidden)('refuses %s -> %s with exit 3, naming the tension and its status', (from, to) => {
    const before = inStatus(from);
    expect(canMove(from, to)).toBe(false);
    const error = expectBlueError(() => change(before, to), 3, 'invalid_transition');
    expect(error.message).toContain(`MUFFIN-T01 is ${from}`);
    expect(error.message).toContain(`not ${to}`);
    expect(error.details).toEqual({ tension: 'MUFFIN-T01', status: from, requested: to, fix: expect.stringMatching(/^decide MUFFIN-T01 with one of .* instead, or leave it out$/) });
  });

  it.each(repeats)('accepts a repeat of %s as a note, without error', (status) => {
    const before = inStatus(status);
    const after = change(before, status, { note: 'still so, and here is why' });
    expect(statusOf(after, 'MUFFIN-T01')).toBe(status);
    const event = after.events[after.events.length - 1];
    expect(event).toMatchObject({ kind: 'status', from: status, to: status, note: 'still so, and here is why' });
    const state = stateOf(after, 'MUFFIN-T01');
    expect(state.history.map((e) => e.note).filter(Boolean)).toContain('still so, and here is why');
  });

  it('refuses a status change of a tension that does not exist (exit 2)', () => {
    expectBlueError(() => change(twoTensions(), 'resolved', { tension: 'DONUT-T09' }), 2, 'unknown_tension');
  });
});

describe('open and closed statuses', () => {
  it.each([
    ['open', true],
    ['addressed', true],
    ['narrowed', true],
    ['reopened', true],
    ['superseded', false],
    ['accepted', false],
    ['resolved', false],
  ] as const)('%s counts as open: %s', (status, expected) => {
    expect(isOpen(status)).toBe(expected);
  });
});

describe('tensionStates', () => {
  it('starts every tension open, in the order raised, with its raised event in the history', () => {
    const states = tensionStates(twoTensions());
    expect(states.map((s) => [s.tension.id, s.status, s.settledBy])).toEqual([
      ['MUFFIN-T01', 'open', undefined],
      ['CUPCAKE-T01', 'open', undefined],
    ]);
    expect(states[0].history).toEqual([expect.objectContaining({ kind: 'raised', actor: 'Muffin', origin: 'ingest' })]);
  });

  it('keeps supersededBy on a superseded tension, also through a repeated note', () => {
    let d = change(twoTensions(), 'superseded');
    expect(stateOf(d, 'MUFFIN-T01')).toMatchObject({ status: 'superseded', supersededBy: ['CUPCAKE-T01'] });
    d = change(d, 'superseded', { by: undefined, note: 'the hiring question subsumes it' });
    expect(stateOf(d, 'MUFFIN-T01')).toMatchObject({ status: 'superseded', supersededBy: ['CUPCAKE-T01'] });
    // The one that settled it is still the supersession.
    expect(stateOf(d, 'MUFFIN-T01').settledBy).toMatchObject({ from: 'open', to: 'superseded' });
  });

  it('keeps every successor when a superseded tension is superseded again by another', () => {
    let d = ingest(open(start()), {
      muffin: '[TENSION T01: Capital vs. quality]\nx\n',
      cupcake: '[TENSION T01: Hiring lead time]\nx\n',
      scone: '[TENSION T01: Which neighbourhood]\nx\n',
    });
    d = change(d, 'superseded', { by: ['CUPCAKE-T01'] });
    d = change(d, 'superseded', { by: ['SCONE-T01'] });
    expect(stateOf(d, 'MUFFIN-T01').supersededBy).toEqual(['CUPCAKE-T01', 'SCONE-T01']);
    // Naming a successor again does not list it twice.
    d = change(d, 'superseded', { by: ['CUPCAKE-T01'] });
    expect(stateOf(d, 'MUFFIN-T01').supersededBy).toEqual(['CUPCAKE-T01', 'SCONE-T01']);
  });

  it('drops supersededBy once the tension leaves superseded', () => {
    const d = change(change(twoTensions(), 'superseded'), 'reopened');
    expect(stateOf(d, 'MUFFIN-T01')).toMatchObject({ status: 'reopened' });
    expect(stateOf(d, 'MUFFIN-T01').supersededBy).toBeUndefined();
  });

  it('gives the states as of an earlier round', () => {
    // R0: MUFFIN-T01 raised; R1: the judge resolves it and Cupcake raises CUPCAKE R1-T01.
    let d = play(start(), { texts: { muffin: '[TENSION T01: Capital vs. quality]\nx\n' } });
    d = play(d, {
      texts: { muffin: '[PERSPECTIVE P01: fine]\nx\n', cupcake: '[TENSION T01: Parking]\nNo parking.\n' },
      decisions: [{ tension: 'MUFFIN-T01', to: 'resolved', note: 'hire first' }],
    });
    expect(tensionStates(d, 0).map((s) => [s.tension.id, s.status])).toEqual([['MUFFIN-T01', 'open']]);
    expect(tensionStates(d, 1).map((s) => [s.tension.id, s.status])).toEqual([
      ['MUFFIN-T01', 'resolved'],
      ['CUPCAKE R1-T01', 'open'],
    ]);
    expect(tensionStates(d).map((s) => s.status)).toEqual(['resolved', 'open']);
    expect(statusOf(d, 'MUFFIN-T01', 0)).toBe('open');
  });
});

describe('findTension and requireTension', () => {
  /** MUFFIN-T01 and CUPCAKE-T01 in round 0; CROISSANT R1-T01 and MUFFIN R1-T01 in round 1. */
  function dialogue(): Dialogue {
    let d = score(twoTensions(), { muffin: 1, cupcake: 1 });
    d = open(d, {
      panel: [
        { name: 'Croissant', role: 'Contrarian', source: 'pool' },
        { name: 'Muffin', role: 'Head Baker', source: 'retained' },
      ],
    });
    return ingest(d, {
      croissant: '[TENSION T01: Why a second shop at all?]\nx\n',
      muffin: '[TENSION T01: Oven capacity]\nx\n',
    });
  }

  it.each([
    ['MUFFIN-T01', 'MUFFIN-T01'],
    ['muffin-t01', 'MUFFIN-T01'],
    ['  Muffin-T1 ', 'MUFFIN-T01'],
    ['CUPCAKE-T01', 'CUPCAKE-T01'],
    ['croissant r1-t01', 'CROISSANT R1-T01'],
    ['CROISSANT R1-T01', 'CROISSANT R1-T01'],
    ['CROISSANT-R1-T01', 'CROISSANT R1-T01'],
    ['Croissant  R01-T01', 'CROISSANT R1-T01'],
    ['MUFFIN-T0101', 'MUFFIN R1-T01'],
    ['T0001', 'MUFFIN-T01'],
    ['T0002', 'CUPCAKE-T01'],
    ['T0101', 'CROISSANT R1-T01'],
    ['t0102', 'MUFFIN R1-T01'],
  ])('finds %s as %s', (raw, id) => {
    expect(findTension(dialogue(), raw)?.id).toBe(id);
  });

  it.each(['T01', 'R1-T01', 'MUFFIN-P01', 'P0001', 'DONUT-T01', 'MUFFIN-T02', 'T0003', 'CROISSANT-T01', '@muffin', '', 'nonsense'])(
    'finds nothing for %j',
    (raw) => {
      expect(findTension(dialogue(), raw)).toBeUndefined();
    },
  );

  it('requireTension returns the tension or fails with exit 2 listing the known ids', () => {
    const d = dialogue();
    expect(requireTension(d, 'croissant-r1-t01').id).toBe('CROISSANT R1-T01');
    const error = expectBlueError(() => requireTension(d, 'DONUT-T01'), 2, 'unknown_tension');
    expect(error.message).toContain('no tension "DONUT-T01"');
    expect(error.message).toContain('known: MUFFIN-T01, CUPCAKE-T01, CROISSANT R1-T01, MUFFIN R1-T01');
    expect(error.details).toEqual({
      tension: 'DONUT-T01',
      known: ['MUFFIN-T01', 'CUPCAKE-T01', 'CROISSANT R1-T01', 'MUFFIN R1-T01'],
      fix: expect.stringContaining("use one of this dialogue's tension ids: MUFFIN-T01, CUPCAKE-T01, CROISSANT-R1-T01, MUFFIN-R1-T01"),
    });
  });

  it('requireTension says when no tension has been raised yet', () => {
    const d = ingest(open(start()), { muffin: '[PERSPECTIVE P01: x]\ny\n' });
    const error = expectBlueError(() => requireTension(d, 'MUFFIN-T01'), 2, 'unknown_tension');
    expect(error.message).toContain('none raised yet');
    expect(error.details.known).toEqual([]);
  });

  it('stateOf refuses an unknown display id with exit 2', () => {
    expectBlueError(() => stateOf(twoTensions(), 'MUFFIN-T09'), 2, 'unknown_tension');
  });
});

describe('event order and replayHistory', () => {
  const event = (seq: number, round: number, origin: 'ingest' | 'judge', from: TensionStatus, to: TensionStatus, extra: Partial<TensionEvent> = {}): TensionEvent => ({
    seq,
    kind: 'status',
    at: at(seq),
    round,
    tension: 'MUFFIN-T01',
    actor: origin === 'judge' ? 'judge' : 'Cupcake',
    origin,
    from,
    to,
    ...extra,
  });

  function withEvents(events: TensionEvent[]): Dialogue {
    const d = twoTensions();
    return { ...d, events: [...d.events, ...events] };
  }

  it('orders events by round, then ingest before judge, then sequence', () => {
    const events = [
      event(10, 1, 'judge', 'open', 'resolved'),
      event(11, 0, 'judge', 'open', 'narrowed'),
      event(12, 0, 'ingest', 'open', 'addressed'),
      event(13, 1, 'ingest', 'open', 'addressed'),
      event(14, 0, 'judge', 'open', 'narrowed'),
    ];
    expect(orderedEvents(events).map((e) => e.seq)).toEqual([12, 11, 14, 13, 10]);
  });

  it('replays a history recorded out of order, recomputing each from, keeping the stored order', () => {
    // A re-scored round 0 added its judge decision (seq 4) after round 1's (seq 3), and an ingest
    // event of round 0 (seq 5) was recorded after the judge's: in effect order, ingest, judge, round 1.
    const d = withEvents([
      event(3, 1, 'judge', 'open', 'resolved'),
      event(4, 0, 'judge', 'open', 'narrowed'),
      event(5, 0, 'ingest', 'open', 'addressed'),
    ]);
    const replayed = replayHistory(d);
    const bySeq = Object.fromEntries(replayed.events.map((e) => [e.seq, [e.from, e.to]]));
    expect(bySeq).toMatchObject({ 3: ['narrowed', 'resolved'], 4: ['addressed', 'narrowed'], 5: ['open', 'addressed'] });
    expect(replayed.events.map((e) => e.seq)).toEqual(d.events.map((e) => e.seq));
    expect(statusOf(replayed, 'MUFFIN-T01')).toBe('resolved');
    expect(statusOf(replayed, 'MUFFIN-T01', 0)).toBe('narrowed');
    // Events that needed no change are the same objects.
    expect(replayed.events.find((e) => e.seq === 5)).toBe(d.events.find((e) => e.seq === 5));
  });

  it('refuses an impossible history with exit 3, naming the round, the tension and its status', () => {
    const d = withEvents([event(3, 0, 'judge', 'open', 'resolved'), event(4, 1, 'judge', 'resolved', 'narrowed')]);
    const error = expectBlueError(() => replayHistory(d), 3, 'invalid_transition');
    expect(error.message).toMatch(/round 1: MUFFIN-T01 would be resolved when judge moves it to narrowed/);
    expect(error.details).toEqual({ tension: 'MUFFIN-T01', status: 'resolved', requested: 'narrowed', round: 1, fix: expect.stringMatching(/^re-score round 1 without that decision on MUFFIN-T01/) });
  });

  it('refuses a history made impossible by re-ordering: a round-0 event slotted before round 1', () => {
    // Recorded: R1 judge resolves (seq 3); then R0 judge accepts (seq 4). In effect order R0 accepted,
    // R1 resolved: allowed. But R0 accepted then R1 accepted->narrowed is not.
    const ok = withEvents([event(3, 1, 'judge', 'open', 'resolved'), event(4, 0, 'judge', 'open', 'accepted')]);
    expect(statusOf(replayHistory(ok), 'MUFFIN-T01')).toBe('resolved');
    const bad = withEvents([event(3, 1, 'judge', 'open', 'narrowed'), event(4, 0, 'judge', 'open', 'accepted')]);
    expectBlueError(() => replayHistory(bad), 3, 'invalid_transition');
  });

  it('drops an expert\'s marker that no longer applies, instead of refusing the judge\'s re-score', () => {
    // Round 0 re-scored to resolve MUFFIN-T01 (seq 4); Cupcake had addressed it in round 1 (seq 3).
    // At ingest time that marker would have been skipped; now it is dropped the same way.
    const d = withEvents([event(3, 1, 'ingest', 'open', 'addressed'), event(4, 0, 'judge', 'open', 'resolved')]);
    const replayed = replayHistory(d);
    expect(replayed.events.some((e) => e.seq === 3)).toBe(false);
    expect(statusOf(replayed, 'MUFFIN-T01')).toBe('resolved');
  });

  it('treats a repeat as allowed during a replay', () => {
    const d = withEvents([event(3, 0, 'judge', 'open', 'narrowed'), event(4, 1, 'judge', 'narrowed', 'narrowed', { note: 'still' })]);
    expect(replayHistory(d).events.map((e) => e.to)).toEqual(d.events.map((e) => e.to));
  });
});
