// Scores, cumulative ALIGNMENT, velocity, converge % and the convergence gate (RFC 0057).
// Everything here is derived from the stored dialogue on demand, so re-scoring an earlier round
// recomputes every later figure without any stored copy going stale.

import type { Counts, Dialogue, Round, Score } from './model.js';
import { grouped, MAX_SCORE, pastBound, SCORE_BOUND } from './bounds.js';
import { badInput } from './errors.js';
import { openTensionCount } from './tensions.js';
import { memoOf, ofRound, type Memo } from './memo.js';

const NON_NEGATIVE_INTEGER = /^\d+$/;
const SCORE_FIX = 'write each score as W,C,T,R (non-negative integers, e.g. --expert Muffin=8,6,5,4) or a total (e.g. --expert Muffin=23)';

function integer(text: string, what: string): number {
  const trimmed = text.trim();
  if (!NON_NEGATIVE_INTEGER.test(trimmed)) {
    throw badInput('invalid_score', `${what} must be a non-negative integer (got "${text}")`, { fix: SCORE_FIX });
  }
  const value = Number(trimmed);
  if (value > MAX_SCORE) throw pastBound('invalid_score', what, trimmed, SCORE_BOUND, { fix: `give ${what} a score of at most ${grouped(MAX_SCORE)}` });
  return value;
}

/** `25` (a total) or `10,5,5,5` (W,C,T,R). */
export function parseScore(text: string, what: string): Score {
  const parts = text.split(',');
  if (parts.length === 1) {
    const total = integer(parts[0], what);
    // A bare 0 has parts too: nothing in each (CLI.md), so it never hides the round's W/C/T/R.
    return total === 0 ? { w: 0, c: 0, t: 0, r: 0, total: 0 } : { w: null, c: null, t: null, r: null, total };
  }
  if (parts.length !== 4) {
    throw badInput('invalid_score', `${what} must be a total such as 22 or W,C,T,R such as 8,5,5,4 (got "${text}")`, { fix: SCORE_FIX });
  }
  const [w, c, t, r] = parts.map((p, i) => integer(p, `${what} ${'WCTR'[i]}`));
  return { w, c, t, r, total: w + c + t + r };
}

/** A value of a scores file as text; a whole number in full (1e21 prints as "1e+21"), so a huge one is told the limit. */
function numberText(value: unknown): string {
  return typeof value === 'number' && Number.isInteger(value) ? BigInt(value).toString() : String(value);
}

/** A score from a scores file: a number, or an object with w, c, t, r (any case). */
export function scoreFromValue(value: unknown, what: string): Score {
  if (typeof value === 'number' || typeof value === 'string') return parseScore(numberText(value), what);
  if (value && typeof value === 'object') {
    // w and W are one part: given both, neither wins silently.
    const entries: Record<string, unknown> = {};
    const written = new Map<string, string>();
    for (const [k, v] of Object.entries(value)) {
      const part = k.toLowerCase();
      const twice = written.get(part);
      if (twice !== undefined) throw badInput('invalid_score', `${what} gives ${part.toUpperCase()} twice (${twice} and ${k}); give each of w, c, t, r once`, { fix: SCORE_FIX });
      written.set(part, k);
      entries[part] = v;
    }
    const parts = ['w', 'c', 't', 'r'].map((k) => {
      const v = entries[k];
      if (v === undefined) throw badInput('invalid_score', `${what} is missing "${k}" (give w, c, t and r, or a total)`, { fix: SCORE_FIX });
      return numberText(v);
    });
    return parseScore(parts.join(','), what);
  }
  throw badInput('invalid_score', `${what} must be a number or {w, c, t, r}`, { fix: SCORE_FIX });
}

export function hasComponents(score: Score): boolean {
  return score.w !== null && score.c !== null && score.t !== null && score.r !== null;
}

/** Sums scores; the components are known only when every score has them. */
export function sumScores(scores: readonly Score[]): Score {
  const complete = scores.every(hasComponents);
  const sum = (k: 'w' | 'c' | 't' | 'r') => (complete ? scores.reduce((a, s) => a + (s[k] as number), 0) : null);
  return { w: sum('w'), c: sum('c'), t: sum('t'), r: sum('r'), total: scores.reduce((a, s) => a + s.total, 0) };
}

/** The round's W/C/T/R: the judge's when given, else the sum of the experts' scores. */
export function roundScore(round: Round): Score {
  return round.roundScore ?? sumScores(Object.values(round.scores));
}

export interface RoundMetrics {
  round: number;
  panelSize: number;
  computed: Counts;
  judge: Partial<Counts>;
  /** The counts in force: the judge's where given, else the computed ones. */
  effective: Counts;
  /** Counts where the judge's differs from blue's. */
  overrides: { field: keyof Counts; computed: number; judge: number }[];
  roundScore: Score;
  cumulative: Score;
  velocity: number;
  convergePercent: number;
  canConverge: boolean;
  blockers: string[];
  /** Panel members who signalled [MOVE:CONVERGE] this round. */
  converged: string[];
  maxRoundsReached: boolean;
}

/** What blue counts for a round from its outputs and the tensions as they stand after it. */
export function computedCounts(dialogue: Dialogue, n: number): { counts: Counts; converged: string[] } {
  const round = dialogue.rounds.find((r) => r.n === n);
  const panelNames = new Set(round?.panel.map((m) => m.name) ?? []);
  const converged = [
    ...new Set(
      ofRound(dialogue.moves, n).filter((m) => m.kind === 'converge' && panelNames.has(m.author)).map((m) => m.author),
    ),
  ];
  // An expert who signals [MOVE:CONVERGE] says it has nothing new to add: its perspectives that round
  // restate, and do not count as new (CLI.md, the converge rule; the reference judge counted so too).
  const restating = new Set(converged);
  const newPerspectives = ofRound(dialogue.contributions, n).filter((c) => c.kind === 'perspective' && !restating.has(c.author)).length;
  const openTensions = openTensionCount(dialogue, n);
  return { counts: { newPerspectives, openTensions, convergeSignals: converged.length }, converged };
}

const metricsMemo = new WeakMap<Dialogue, Memo<Map<number, RoundMetrics>>>();

/** Everything a round's metrics read: if any of it is not what it was, they are computed again. */
function metricsDeps(d: Dialogue): unknown[] {
  return [d.rounds, d.rounds.length, d.contributions, d.contributions.length, d.moves, d.moves.length, d.events, d.events.length, d.tensions, d.tensions.length, d.maxRounds];
}

/**
 * A round's scores, counts, velocity, converge % and blockers. Computed once per dialogue value and round
 * (the record, the scoreboard and show each ask for every round's, several times); what comes back is
 * shared, and frozen.
 */
export function roundMetrics(dialogue: Dialogue, n: number): RoundMetrics {
  const byRound = memoOf(metricsMemo, dialogue, metricsDeps(dialogue), () => new Map<number, RoundMetrics>());
  let metrics = byRound.get(n);
  if (!metrics) {
    metrics = freezeMetrics(computeRoundMetrics(dialogue, n));
    byRound.set(n, metrics);
  }
  return metrics;
}

function freezeMetrics(m: RoundMetrics): RoundMetrics {
  for (const part of [m.computed, m.judge, m.effective, m.overrides, m.blockers, m.converged, m.cumulative, ...m.overrides]) Object.freeze(part);
  return Object.freeze(m);
}

function computeRoundMetrics(dialogue: Dialogue, n: number): RoundMetrics {
  const round = dialogue.rounds.find((r) => r.n === n);
  if (!round) {
    throw badInput('unknown_round', `dialogue ${dialogue.id} has no round ${n}`, {
      round: n,
      fix: `name a round it has: ${dialogue.rounds.map((r) => r.n).join(', ') || 'none yet'}`,
    });
  }
  const { counts: computed, converged } = computedCounts(dialogue, n);
  // The judge's counts as the round holds them, copied: the metrics are frozen, the dialogue is not.
  const judge = { ...(round.judge ?? {}) };
  const effective: Counts = { ...computed, ...judge };
  const overrides = (Object.keys(judge) as (keyof Counts)[])
    .filter((k) => judge[k] !== undefined && judge[k] !== computed[k])
    .map((field) => ({ field, computed: computed[field], judge: judge[field] as number }));
  const panelSize = round.panel.length;
  const velocity = effective.openTensions + effective.newPerspectives;
  const convergePercent = panelSize === 0 ? 0 : Math.round((effective.convergeSignals / panelSize) * 100);
  const scoredUpTo = dialogue.rounds.filter((r) => r.n <= n && r.status === 'scored');
  const cumulative = sumScores(scoredUpTo.map(roundScore));
  const blockers: string[] = [];
  if (velocity > 0) {
    blockers.push(
      `velocity is ${velocity} (${effective.openTensions} open tension${plural(effective.openTensions)} + ` +
        `${effective.newPerspectives} new perspective${plural(effective.newPerspectives)}); it must be 0`,
    );
  }
  if (convergePercent < 100) {
    const holdouts = round.panel.map((m) => m.name).filter((name) => !converged.includes(name));
    blockers.push(
      `converge is ${convergePercent}% (${effective.convergeSignals}/${panelSize}); every expert must signal [MOVE:CONVERGE]` +
        (holdouts.length && judge.convergeSignals === undefined ? ` (not yet: ${holdouts.join(', ')})` : ''),
    );
  }
  if (round.status !== 'scored') blockers.unshift(`round ${n} is not scored yet`);
  return {
    round: n,
    panelSize,
    computed,
    judge,
    effective,
    overrides,
    roundScore: roundScore(round),
    cumulative,
    velocity,
    convergePercent,
    canConverge: blockers.length === 0,
    blockers,
    converged,
    maxRoundsReached: round.status === 'scored' && n + 1 >= dialogue.maxRounds,
  };
}

/** The last scored round's metrics, or undefined before the first score. */
export function lastScoredMetrics(dialogue: Dialogue): RoundMetrics | undefined {
  const scored = dialogue.rounds.filter((r) => r.status === 'scored');
  return scored.length ? roundMetrics(dialogue, scored[scored.length - 1].n) : undefined;
}

/** Total ALIGNMENT over every scored round. */
export function totalAlignment(dialogue: Dialogue): Score {
  return sumScores(dialogue.rounds.filter((r) => r.status === 'scored').map(roundScore));
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}

export interface ConvergenceGate {
  /** The round that is open, if any: while it is, the dialogue cannot converge. */
  open?: Round;
  /** The last scored round's metrics; undefined before the first score. */
  last?: RoundMetrics;
  canConverge: boolean;
  /** What keeps the dialogue from converging now, in the words `show` and `verdict` print. */
  blockers: string[];
}

/**
 * The one convergence gate: the dialogue may converge when no round is open and the last scored round has
 * velocity 0 and every expert signalling [MOVE:CONVERGE]. `show` prints it; `verdict` enforces it.
 */
export function convergenceGate(dialogue: Dialogue): ConvergenceGate {
  const open = dialogue.rounds.find((r) => r.status === 'open');
  const last = lastScoredMetrics(dialogue);
  // Each of the last scored round's blockers says which round it comes from: while a round is open, they
  // are the previous round's, not the open one's.
  const scored = (last?.blockers ?? []).map((b) => `round ${last!.round}: ${b}`);
  const blockers = open ? [`round ${open.n} is open`, ...scored] : last ? scored : ['no round scored yet'];
  return { ...(open ? { open } : {}), ...(last ? { last } : {}), canConverge: !open && (last?.canConverge ?? false), blockers };
}
