// Tension states, open counts and round metrics are computed once per dialogue value (src/domain/memo.ts).
// Two things are checked here: a changed dialogue never gets states computed for another (a new value, an
// array grown in place, other tensions beside the same events), and the one-pass answers are the same as
// folding every event for every question, which is how blue answered before, on thousands of random
// histories, odd ones included (events of unknown tensions, events before the tension's round, ids raised
// twice, judge and expert events in one round, repeats of a status).

import { describe, expect, it } from 'vitest';
import type { Dialogue, Tension, TensionEvent, TensionStatus } from '../../src/domain/model.js';
import { firstWith, ofRound } from '../../src/domain/memo.js';
import { createRng } from '../../src/domain/sampling.js';
import { roundMetrics } from '../../src/domain/scoring.js';
import { isOpen, openTensionCount, stateOf, statusesOf, tensionStates, type TensionState } from '../../src/domain/tensions.js';
import { at, ingest, open, play, start } from '../support/dialogue-factory.js';

// ---------------------------------------------------------------------------------------------------
// The fold as blue did it before: every event, sorted, for every question.
// ---------------------------------------------------------------------------------------------------

function referenceStates(dialogue: Dialogue, asOfRound = Infinity): TensionState[] {
  const states = new Map<string, TensionState>();
  for (const tension of dialogue.tensions) {
    if (tension.round <= asOfRound) states.set(tension.id, { tension, status: 'open', history: [] });
  }
  const rank = (e: TensionEvent) => (e.origin === 'ingest' ? 0 : 1);
  const ordered = [...dialogue.events].sort((a, b) => a.round - b.round || rank(a) - rank(b) || a.seq - b.seq);
  for (const event of ordered) {
    if (event.round > asOfRound) continue;
    const state = states.get(event.tension);
    if (!state) continue;
    state.history.push(event);
    if (event.kind !== 'status') continue;
    const previous = state.status;
    state.status = event.to;
    if (event.from !== event.to) state.settledBy = event;
    else if (!state.settledBy || state.settledBy.to !== event.to) state.settledBy = event;
    if (event.to === 'superseded') {
      const by = previous === 'superseded' ? [...new Set([...(state.supersededBy ?? []), ...(event.by ?? [])])] : event.by;
      state.supersededBy = by?.length ? by : undefined;
    } else if (event.to !== event.from) state.supersededBy = undefined;
  }
  return [...states.values()];
}

// ---------------------------------------------------------------------------------------------------
// Random histories
// ---------------------------------------------------------------------------------------------------

const STATUSES: TensionStatus[] = ['open', 'addressed', 'narrowed', 'superseded', 'resolved', 'accepted', 'reopened'];

function randomDialogue(seed: number): Dialogue {
  const random = createRng(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const rounds = 1 + Math.floor(random() * 8);
  const tensions: Tension[] = [];
  const count = Math.floor(random() * 12);
  for (let i = 0; i < count; i++) {
    const round = Math.floor(random() * rounds);
    // Now and then an id raised twice (a hand-edited store): the later one stands, as before.
    const id = random() < 0.1 && tensions.length ? pick(tensions).id : `MUFFIN R${round}-T${String(i + 1).padStart(2, '0')}`;
    tensions.push({ id, globalId: `T${String(round).padStart(2, '0')}${String(i + 1).padStart(2, '0')}`, author: 'Muffin', round, seq: i + 1, label: `t${i}`, text: '', file: 'f.md', line: 1 });
  }
  const ids = [...tensions.map((t) => t.id), 'NOBODY-T09'];
  const events: TensionEvent[] = [];
  const eventCount = Math.floor(random() * 30);
  for (let seq = 1; seq <= eventCount; seq++) {
    const to = pick(STATUSES);
    const status = random() < 0.85;
    events.push({
      seq: random() < 0.9 ? seq : Math.floor(random() * eventCount) + 1,
      kind: status ? 'status' : 'raised',
      at: at(seq),
      round: Math.floor(random() * rounds),
      tension: pick(ids),
      actor: random() < 0.5 ? 'judge' : 'Cupcake',
      origin: random() < 0.5 ? 'judge' : 'ingest',
      from: random() < 0.3 ? to : pick(STATUSES),
      to: status ? to : 'open',
      ...(to === 'superseded' && random() < 0.8 ? { by: [pick(ids), pick(ids)] } : {}),
      ...(random() < 0.5 ? { note: `n${seq}` } : {}),
    });
  }
  // Shuffled: the stored order is not the effect order.
  for (let i = events.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [events[i], events[j]] = [events[j], events[i]];
  }
  return { ...start(), tensions, events };
}

describe('the one-pass tension answers', () => {
  it('are the fold of every event, for every round, on 2,000 random histories', () => {
    // Compared as JSON (what every renderer prints them as), and through expect only when they differ:
    // expect's own deep comparison would make this test take many seconds.
    const same = (actual: unknown, expected: unknown, where: string) => {
      const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
      if (a !== e) expect(a, where).toBe(e);
    };
    for (let seed = 1; seed <= 2000; seed++) {
      const d = randomDialogue(seed);
      for (const asOf of [-1, 0, 1, 2, 3, 4, 5, 6, 7, 8, Infinity]) {
        const where = `seed ${seed}, round ${asOf}`;
        const expected = referenceStates(d, asOf);
        same(tensionStates(d, asOf), expected, where);
        same(openTensionCount(d, asOf), expected.filter((s) => isOpen(s.status)).length, where);
        for (const state of expected) same(stateOf(d, state.tension.id, asOf), state, `${where}, ${state.tension.id}`);
      }
      const all = referenceStates(d);
      const ids = new Set(all.map((s) => s.tension.id));
      same([...statusesOf(d, ids)], all.map((s) => [s.tension.id, s.status]), `seed ${seed}`);
    }
  });

  it('stateOf answers the same with or without the index built', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const fresh = randomDialogue(seed);
      const indexed = randomDialogue(seed);
      tensionStates(indexed); // builds the index of `indexed` only
      for (const t of fresh.tensions) expect(stateOf(indexed, t.id)).toEqual(stateOf(fresh, t.id));
    }
  });
});

describe('the memo never answers for another dialogue', () => {
  const raised = () => ingest(open(start()), {
    muffin: '[PERSPECTIVE P01: Demand]\nQueues.\n\n[TENSION T01: Capital]\nTwo ovens.\n',
    cupcake: '[TENSION T01: Hiring]\nSix months.\n',
  });
  const resolving = (seq: number): TensionEvent => ({
    seq, kind: 'status', at: at(9), round: 0, tension: 'MUFFIN-T01', actor: 'judge', origin: 'judge', from: 'open', to: 'resolved', note: 'settled',
  });

  it('a new dialogue value gets its own states; the old one keeps its own', () => {
    const d = raised();
    expect(tensionStates(d).map((s) => s.status)).toEqual(['open', 'open']);
    expect(openTensionCount(d, 0)).toBe(2);
    const next = { ...d, events: [...d.events, resolving(99)] };
    expect(tensionStates(next).map((s) => s.status)).toEqual(['resolved', 'open']);
    expect(openTensionCount(next, 0)).toBe(1);
    expect(tensionStates(d).map((s) => s.status)).toEqual(['open', 'open']);
    expect(openTensionCount(d, 0)).toBe(2);
  });

  it('an events array grown in place is seen, not answered from before', () => {
    const d = raised();
    expect(openTensionCount(d)).toBe(2);
    (d.events as TensionEvent[]).push(resolving(99));
    expect(tensionStates(d).map((s) => s.status)).toEqual(['resolved', 'open']);
    expect(openTensionCount(d)).toBe(1);
  });

  it('the same events with other tensions beside them are folded again', () => {
    const d = raised();
    expect(tensionStates(d)).toHaveLength(2);
    const fewer = { ...d, tensions: d.tensions.slice(0, 1) };
    expect(tensionStates(fewer).map((s) => s.tension.id)).toEqual(['MUFFIN-T01']);
    expect(openTensionCount(fewer)).toBe(1);
    expect(tensionStates(d)).toHaveLength(2);
  });

  it('round metrics follow a changed round, a changed dialogue and a round replaced in place', () => {
    const d = play(start(), { texts: { muffin: '[PERSPECTIVE P01: Demand]\nQueues.\n\n[TENSION T01: Capital]\nTwo ovens.\n' } });
    expect(roundMetrics(d, 0).effective.openTensions).toBe(1);
    const overruled = { ...d, rounds: d.rounds.map((r) => ({ ...r, judge: { openTensions: 0 } })) };
    expect(roundMetrics(overruled, 0).effective.openTensions).toBe(0);
    expect(roundMetrics(d, 0).effective.openTensions).toBe(1);
    const settled = { ...d, events: [...d.events, resolving(99)] };
    expect(roundMetrics(settled, 0).computed.openTensions).toBe(0);
    // The same object with its rounds reassigned (no change in length): the metrics are computed again.
    const mutable = { ...d } as Dialogue;
    expect(roundMetrics(mutable, 0).panelSize).toBe(4);
    mutable.rounds = mutable.rounds.map((r) => ({ ...r, panel: r.panel.slice(0, 2) }));
    expect(roundMetrics(mutable, 0).panelSize).toBe(2);
  });

  it('hands out states and metrics no caller can change for the next one, and arrays each caller owns', () => {
    const d = raised();
    const states = tensionStates(d);
    states.reverse(); // the caller's own array
    expect(tensionStates(d).map((s) => s.tension.id)).toEqual(['MUFFIN-T01', 'CUPCAKE-T01']);
    expect(() => {
      (tensionStates(d)[0] as { status: TensionStatus }).status = 'resolved';
    }).toThrow(TypeError);
    expect(() => tensionStates(d)[0].history.push(resolving(1))).toThrow(TypeError);
    const scored = play(start(), { texts: { muffin: '[PERSPECTIVE P01: Demand]\nQueues.\n' } });
    expect(() => roundMetrics(scored, 0).blockers.push('x')).toThrow(TypeError);
    expect(roundMetrics(scored, 0).blockers).not.toContain('x');
  });
});

describe('ofRound and firstWith', () => {
  it('answer as filter and find do, and see an array grown in place', () => {
    const items = [{ round: 1, id: 'a', globalId: 'A' }, { round: 0, id: 'b', globalId: 'B' }, { round: 1, id: 'a', globalId: 'C' }];
    expect(ofRound(items, 1)).toEqual(items.filter((x) => x.round === 1));
    expect(ofRound(items, 5)).toEqual([]);
    expect(firstWith(items, 'id', 'a')).toBe(items[0]);
    expect(firstWith(items, 'globalId', 'C')).toBe(items[2]);
    expect(firstWith(items, 'id', 'z')).toBeUndefined();
    items.push({ round: 5, id: 'z', globalId: 'Z' });
    expect(ofRound(items, 5)).toEqual([items[3]]);
    expect(firstWith(items, 'id', 'z')).toBe(items[3]);
  });
});
