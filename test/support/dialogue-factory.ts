// The one set of dialogue builders for tests. Two kinds, for two kinds of test:
//
// - Through the real domain functions (no CLI, no file system), for the domain and render tests:
//   start() with the bakery POOL (the pool the CLI tests give bin/blue, as POOL_YAML), then
//   open -> ingest (marker text) -> score -> verdict, or play() for a whole round. Tests say only what
//   matters to them; everything else gets a sensible default.
// - As plain stored values derived from an id, for the store tests: makeDialogue, makeRound, makeEvent,
//   makeScore. A store keeps what it is given, so these build shapes, not protocol: a round score of 12.5
//   or -2 is fine here, where score() would refuse it as the CLI does.

import { expect } from 'vitest';
import { BlueError } from '../../src/domain/errors.js';
import type { Dialogue, Pool, Round, Score, TensionEvent, TensionStatus, Verdict } from '../../src/domain/model.js';
import {
  openRound,
  recordVerdict,
  scoreRound,
  startDialogue,
  type OpenRoundInput,
  type ScoreInput,
  type StartInput,
  type TensionDecision,
  type VerdictInput,
} from '../../src/domain/protocol.js';
import { ingestRound, type ExpertOutput, type IngestReport } from '../../src/domain/ingest.js';
import { parseScore } from '../../src/domain/scoring.js';
import { normaliseName } from '../../src/domain/names.js';
import { tensionStates } from '../../src/domain/tensions.js';

// ---------------------------------------------------------------------------------------------------
// Through the protocol
// ---------------------------------------------------------------------------------------------------

/** The bakery pool of the CLI and domain tests: 3 core, 3 adjacent, 2 wildcard. */
export const POOL: Pool = {
  domain: 'Bakery Operations',
  question: 'Should the bakery open a second shop?',
  experts: [
    { role: 'Head Baker', tier: 'core', relevance: 0.95 },
    { role: 'Finance Lead', tier: 'core', relevance: 0.9 },
    { role: 'Operations Manager', tier: 'core', relevance: 0.85 },
    { role: 'Marketing Lead', tier: 'adjacent', relevance: 0.7 },
    { role: 'Supply Chain Analyst', tier: 'adjacent', relevance: 0.65 },
    { role: 'Customer Researcher', tier: 'adjacent', relevance: 0.6 },
    { role: 'Contrarian', tier: 'wildcard', relevance: 0.4 },
    { role: 'Urban Planner', tier: 'wildcard', relevance: 0.3 },
  ],
};

/** POOL as the YAML pool file a judge writes (`dialogue start --pool pool.yaml`). */
export const POOL_YAML = [
  `domain: ${POOL.domain}`,
  `question: ${POOL.question}`,
  'experts:',
  ...POOL.experts.map((e) => `  - { role: ${e.role}, tier: ${e.tier}, relevance: ${e.relevance} }`),
  '',
].join('\n');

export const CREATED_AT = '2026-03-01T09:30:00.000Z';
export const ID = '2026-03-01T0930Z-second-shop';

/**
 * Seed 7 gives, for panel size 4: Muffin (Head Baker), Cupcake (Supply Chain Analyst), Scone (Customer
 * Researcher), Eclair (Urban Planner); for 6: Muffin, Cupcake, Scone, Eclair, Donut, Brioche.
 */
export function start(overrides: Partial<StartInput> = {}): Dialogue {
  return startDialogue({
    title: 'Second shop?',
    pool: POOL,
    seed: 7,
    panelSize: 4,
    createdAt: new Date(CREATED_AT),
    ...overrides,
  });
}

/** A time stamp `minutes` after the dialogue's creation. */
export function at(minutes: number): string {
  return new Date(Date.parse(CREATED_AT) + minutes * 60_000).toISOString();
}

export function outputFile(d: Dialogue, n: number, name: string): string {
  return `.blue/dialogues/${d.id}/round-${n}/${name.toLowerCase()}.md`;
}

/** The round ingest and score act on: the open one, else the last. */
function currentRound(d: Dialogue) {
  const round = d.rounds.find((r) => r.status === 'open') ?? d.rounds[d.rounds.length - 1];
  if (!round) throw new Error('no round has been opened');
  return round;
}

export function open(d: Dialogue, input: Partial<OpenRoundInput> = {}): Dialogue {
  return openRound(d, { at: at(d.rounds.length * 10 + 1), ...input }).dialogue;
}

/**
 * Ingests the open round from marker text by expert name (any case). Panel members without text are
 * reported missing, as the command does.
 */
export function ingestWith(d: Dialogue, texts: Record<string, string>, n?: number): { dialogue: Dialogue; report: IngestReport } {
  const round = n === undefined ? currentRound(d) : d.rounds.find((r) => r.n === n)!;
  const byName = new Map(Object.entries(texts).map(([name, text]) => [normaliseName(name), text]));
  for (const name of byName.keys()) {
    if (!round.panel.some((m) => m.name === name)) throw new Error(`${name} is not on round ${round.n}'s panel`);
  }
  const outputs: ExpertOutput[] = [];
  const missing: string[] = [];
  for (const member of round.panel) {
    const text = byName.get(member.name);
    if (text === undefined) missing.push(member.name);
    else outputs.push({ name: member.name, file: outputFile(d, round.n, member.name), text });
  }
  return ingestRound(d, round.n, outputs, missing, at(round.n * 10 + 2));
}

export function ingest(d: Dialogue, texts: Record<string, string>): Dialogue {
  return ingestWith(d, texts).dialogue;
}

export type ScoreLike = number | string | Score;

/** A score as the CLI reads it: a total or "W,C,T,R" (validated), or a Score as it is. */
export function toScore(value: ScoreLike): Score {
  return typeof value === 'object' ? value : parseScore(String(value), 'score');
}

/** Scores by name; panel members not named get `fill` (default 0) unless `fill` is null. */
export function score(
  d: Dialogue,
  scores: Record<string, ScoreLike> = {},
  extra: Partial<Omit<ScoreInput, 'scores'>> & { fill?: ScoreLike | null } = {},
): Dialogue {
  const { fill = 0, ...rest } = extra;
  const round = rest.round === undefined ? currentRound(d) : d.rounds.find((r) => r.n === rest.round)!;
  const all: Record<string, Score> = {};
  for (const [name, value] of Object.entries(scores)) all[name] = toScore(value);
  if (fill !== null) {
    for (const m of round.panel) {
      if (!Object.keys(all).some((k) => normaliseName(k) === m.name)) all[m.name] = toScore(fill);
    }
  }
  return scoreRound(d, { at: at(round.n * 10 + 3), ...rest, scores: all }).dialogue;
}

export interface RoundPlan {
  texts: Record<string, string>;
  scores?: Record<string, ScoreLike>;
  fill?: ScoreLike | null;
  decisions?: TensionDecision[];
  judge?: ScoreInput['judge'];
  roundScore?: Score;
  label?: string;
  summary?: string;
  open?: Partial<OpenRoundInput>;
}

/** open -> ingest -> score, in one go. */
export function play(d: Dialogue, plan: RoundPlan): Dialogue {
  let next = open(d, plan.open ?? {});
  next = ingest(next, plan.texts);
  const { texts: _t, scores, open: _o, fill, ...extra } = plan;
  return score(next, scores ?? {}, { ...extra, ...(fill !== undefined ? { fill } : {}) });
}

export function verdict(d: Dialogue, input: Partial<VerdictInput> = {}): { dialogue: Dialogue; verdict: Verdict } {
  return recordVerdict(d, { type: 'final', text: 'Open the second shop in spring.', at: at(999), ...input });
}

/** The same marker text for every member of the open round (e.g. everyone converges). */
export function everyone(d: Dialogue, text: string): Record<string, string> {
  return Object.fromEntries(currentRound(d).panel.map((m) => [m.name, text]));
}

/** Panel names of the open (or last) round. */
export function panelNames(d: Dialogue): string[] {
  return currentRound(d).panel.map((m) => m.name);
}

export function statusOf(d: Dialogue, id: string, asOfRound?: number): TensionStatus | undefined {
  return tensionStates(d, asOfRound).find((s) => s.tension.id === id)?.status;
}

/** Runs `fn`, insists it throws a BlueError and returns it. */
export function blueError(fn: () => unknown): BlueError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(BlueError);
    return error as BlueError;
  }
  throw new Error('expected a BlueError, but nothing was thrown');
}

/** Insists `fn` throws a BlueError with this exit code and code, and returns it. */
export function expectBlueError(fn: () => unknown, exitCode: number, code: string): BlueError {
  const error = blueError(fn);
  expect({ exitCode: error.exitCode, code: error.code, message: error.message }).toMatchObject({ exitCode, code });
  return error;
}

// ---------------------------------------------------------------------------------------------------
// Stored values, derived from an id
// ---------------------------------------------------------------------------------------------------

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

/** A total-only score, unvalidated (see toScore for one the CLI would accept). */
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

// ---------------------------------------------------------------------------------------------------
// A long dialogue
// ---------------------------------------------------------------------------------------------------

/**
 * `rounds` rounds (default 20) on start()'s panel of 4 (Muffin, Cupcake, Scone, Eclair) kept throughout (rotation none): in each round but the last
 * Muffin brings a perspective and a tension and the judge resolves the previous round's tension, scores
 * varying by round; in the last round everyone converges, the last tension is resolved, and the final
 * verdict is recorded.
 */
export function longDialogue(rounds = 20): Dialogue {
  let d = start({ maxRounds: rounds, rotation: 'none' });
  const tensionOf = (n: number) => (n === 0 ? 'MUFFIN-T01' : `MUFFIN R${n}-T01`);
  for (let n = 0; n < rounds; n++) {
    const last = n === rounds - 1;
    d = play(d, {
      texts: last
        ? everyone(d, '[MOVE:CONVERGE]\nNothing new.\n')
        : { muffin: `[PERSPECTIVE P01: Idea ${n}]\nWhy.\n\n[TENSION T01: Worry ${n}]\nBecause.\n`, cupcake: 'Listening.\n', scone: 'Listening.\n', eclair: 'Listening.\n' },
      scores: { Muffin: `${5 + (n % 4)},${4 + (n % 3)},5,${3 + (n % 2)}` },
      fill: '4,4,4,4',
      ...(n > 0 ? { decisions: [{ tension: tensionOf(n - 1), to: 'resolved' as const, note: `Settled in round ${n}` }] } : {}),
    });
  }
  return verdict(d, { text: 'Open the second shop, after twenty rounds.\n', insights: '- Patience\n' }).dialogue;
}
