// Builds valid dialogues for store tests. Everything is derived from the id, so tests only say what matters.

import type { Dialogue, Round, Score, TensionEvent } from '../../src/domain/model.js';

/** `2025-03-04T0506Z-some-title` -> `2025-03-04T05:06:00.000Z`. */
export function createdAtOf(id: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2})(\d{2})Z-/.exec(id);
  if (!match) throw new Error(`not a dialogue id: ${id}`);
  return `${match[1]}T${match[2]}:${match[3]}:00.000Z`;
}

export function makeDialogue(id: string, overrides: Partial<Dialogue> = {}): Dialogue {
  const createdAt = createdAtOf(id);
  const slug = id.slice('YYYY-MM-DDTHHMMZ-'.length);
  return {
    schema: 1,
    id,
    title: slug.replace(/-/g, ' '),
    question: `What should we do about ${slug}?`,
    pool: {
      domain: 'software architecture',
      experts: [
        { role: 'Storage engineer', tier: 'core', relevance: 0.9 },
        { role: 'Security reviewer', tier: 'adjacent', relevance: 0.6, focus: 'threat model' },
      ],
    },
    createdAt,
    sources: [],
    rotation: 'graduated',
    seed: 42,
    maxRounds: 5,
    panelSize: 3,
    suggestedPanel: [{ name: 'Muffin', role: 'Storage engineer', tier: 'core', source: 'pool', relevance: 0.9 }],
    status: 'open',
    version: 0,
    updatedAt: createdAt,
    experts: [{ name: 'Muffin', role: 'Storage engineer', tier: 'core', relevance: 0.9, origin: 'pool', firstRound: 0 }],
    rounds: [],
    contributions: [],
    tensions: [],
    refs: [],
    moves: [],
    events: [],
    verdicts: [],
    ...overrides,
  };
}

export function makeScore(total: number): Score {
  return { w: null, c: null, t: null, r: null, total };
}

/** A scored round whose round score is `total` (or an open round when `total` is undefined). */
export function makeRound(n: number, total?: number): Round {
  const base: Round = {
    n,
    status: total === undefined ? 'open' : 'scored',
    openedAt: '2025-01-01T00:00:00.000Z',
    panel: [{ name: 'Muffin', role: 'Storage engineer', tier: 'core', source: 'pool' }],
    scores: {},
  };
  if (total === undefined) return base;
  return { ...base, scoredAt: '2025-01-01T01:00:00.000Z', scores: { Muffin: makeScore(total) }, roundScore: makeScore(total), roundScoreGiven: false };
}

/** A tension event; `note` lets concurrent writers leave a recognisable marker. */
export function makeEvent(seq: number, note?: string): TensionEvent {
  return {
    seq,
    kind: 'status',
    at: '2025-01-01T00:00:00.000Z',
    round: 0,
    tension: 'MUFFIN-T01',
    actor: 'judge',
    origin: 'judge',
    from: 'open',
    to: 'addressed',
    ...(note === undefined ? {} : { note }),
  };
}
