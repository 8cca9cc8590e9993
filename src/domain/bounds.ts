// The largest value each whole number a judge gives blue may take, and why. Past these a figure is a typo
// or hostile, and past 2^53 it is not even the figure that was written: JavaScript reads 9007199254740993
// as ...992 and a number of 400 digits as Infinity, which blue then recorded as given, or which the store
// refused as a bug in blue (exit 1). Every command refuses a figure out of bounds as bad input (exit 2),
// naming the option (or the file and key) and the bound, before anything is recorded.

import { badInput, type BlueError, type ErrorDetails } from './errors.js';
import { POOL_MAX_EXPERTS } from './pool.js';

export interface Bound {
  /** The largest value taken. */
  max: number;
  /** Why, naming the bound: it completes "<option> is <value>: ". */
  rule: string;
}

/** `1000000` -> `1,000,000`, as the messages write a bound. */
export function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * The largest score blue takes, a total or any of W, C, T, R. Sums of scores are exact only while they stay
 * below 2^53; a million a score keeps every sum blue makes (24 experts, four parts, any number of rounds a
 * dialogue really has) far below it, and is far above any score a judge gives.
 */
export const MAX_SCORE = 1_000_000;
export const SCORE_BOUND: Bound = {
  max: MAX_SCORE,
  rule: `a score is at most ${grouped(MAX_SCORE)} (a total, and each of W, C, T, R), so that every sum blue records is exact`,
};

/**
 * The judge's counts (`--open-tensions`, `--new-perspectives`, `--converge-signals`), and those an import
 * reads from the judge's tables. A million, as for a score: velocity adds two counts and converge % takes
 * one times 100, which stay exact far beyond it, and no round holds nearly so many (the reference's
 * largest count is 20; each output is bounded by limits.output_bytes).
 */
export const MAX_COUNT = 1_000_000;
export const COUNT_BOUND: Bound = {
  max: MAX_COUNT,
  rule: `a count is at most ${grouped(MAX_COUNT)}, as a score is, so that velocity and converge % stay exact (no round holds nearly so many)`,
};

/**
 * Rounds are numbered 0 to 99: a round has two digits in the ids experts and judges write (`CROISSANT
 * R12-T01`, the global `T1201`), and an id of round 100 would no longer read back. So a dialogue holds at
 * most 100 rounds (`--max-rounds`), and `--round` names one of 0 to 99.
 */
export const MAX_ROUNDS = 100;
const TWO_DIGITS = 'a round number has two digits in tension and perspective ids (CROISSANT R12-T01, T1201)';
export const MAX_ROUNDS_BOUND: Bound = { max: MAX_ROUNDS, rule: `a dialogue has at most ${MAX_ROUNDS} rounds: ${TWO_DIGITS}` };
export const ROUND_NUMBER_BOUND: Bound = { max: MAX_ROUNDS - 1, rule: `rounds are numbered 0 to ${MAX_ROUNDS - 1}: ${TWO_DIGITS}` };

/** The sampler keeps 32 bits of its seed (`seed >>> 0`, sampling.ts): a larger one drew the panel of a smaller one. */
export const MAX_SEED = 0xffff_ffff;
export const SEED_BOUND: Bound = {
  max: MAX_SEED,
  rule: `a seed is at most ${grouped(MAX_SEED)} (2^32 - 1): the sampling keeps 32 bits of it, so a larger seed would draw the panel of a smaller one`,
};

/** `--panel-size`: the pool's own size is checked when the pool is read; this is the most any pool holds. */
export const PANEL_SIZE_BOUND: Bound = { max: POOL_MAX_EXPERTS, rule: `a panel is drawn from the pool, which holds at most ${POOL_MAX_EXPERTS} experts` };

/**
 * `round run --parallel` and `agent.parallel`: more experts never run at once than a panel holds, and a
 * panel holds at most as many as a pool (`panel_too_large`, protocol.ts).
 */
export const MAX_PARALLEL = POOL_MAX_EXPERTS;
export const PARALLEL_BOUND: Bound = {
  max: MAX_PARALLEL,
  rule: `at most ${MAX_PARALLEL} experts run at once, as many as a panel holds`,
};

/** `round run --retries` and `agent.retries`: each attempt may take the whole timeout. */
export const MAX_RETRIES = 10;
export const RETRIES_BOUND: Bound = {
  max: MAX_RETRIES,
  rule: `an expert gets at most ${MAX_RETRIES} further attempts: each may take the whole timeout, and an agent that failed ${MAX_RETRIES + 1} times running is not mended by more`,
};

/**
 * `round run --timeout` and `agent.timeout`, in seconds. Node's timers wait at most 2^31 - 1 ms (24.8
 * days) and fire at once past it, which timed every expert out on the spot; a week is longer than any
 * agent run, and far inside that.
 */
export const MAX_AGENT_TIMEOUT_SECONDS = 7 * 24 * 3600;
export const AGENT_TIMEOUT_BOUND: Bound = {
  max: MAX_AGENT_TIMEOUT_SECONDS,
  rule: `a timeout is at most ${grouped(MAX_AGENT_TIMEOUT_SECONDS)} seconds (7 days): no agent run takes longer, and past 24.8 days the timer would fire at once`,
};

/**
 * A number blue read from a file (JSON, YAML, a judge's table) as a message shows it: past 2^53 it is no
 * longer the figure that was written (9007199254740993 reads as ...992, 400 digits as Infinity), so it is
 * not shown as one.
 */
export function readFigure(value: number): string {
  return Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? String(value) : 'a figure past 2^53';
}

/** A figure as the judge wrote it, shortened when it is too long to read in a message (400 digits, say). */
function asWritten(text: string): string {
  return text.length > 24 ? `${text.slice(0, 12)}... (${text.length} characters)` : text;
}

/**
 * The exit-2 error for a figure past its bound: `what` names where it was given (`--open-tensions`,
 * `.blue/config.yaml: agent.parallel`), `written` is the figure as written (never the number JavaScript
 * rounded it to), `code` the error code of the input (`invalid_option`, `invalid_config`).
 */
export function pastBound(code: string, what: string, written: string, bound: Bound, details: ErrorDetails): BlueError {
  return badInput(code, `${what} is ${asWritten(written)}: ${bound.rule}`, { max: bound.max, ...details });
}
