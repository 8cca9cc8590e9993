// What `round run` is doing, expert by expert: the table its live view draws, and the file
// (`round-<n>/run.json`, workspace/layout.ts) it rewrites on every change so that `show --watch` in another
// process can show the same states. Pure: the times come in as values.

import { isRecord } from './values.js';

export const EXPERT_RUN_STATES = ['waiting', 'running', 'retrying', 'done', 'failed', 'timeout', 'skipped'] as const;
export type ExpertRunState = (typeof EXPERT_RUN_STATES)[number];

export interface ExpertRunStatus {
  name: string;
  state: ExpertRunState;
  /** The attempt running or last run (1-based); 0 before the first. */
  attempt: number;
  /** The most attempts this run allows the expert (1 + retries). */
  maxAttempts: number;
  /** When the current or last attempt started (ISO 8601). */
  startedAt?: string;
  /** How long the expert's attempts took, once it is done, failed or timed out. */
  seconds?: number;
  exitCode?: number | null;
  /** The first line of the error, for a failed or timed-out expert (or the failed attempt before a retry). */
  error?: string;
}

/** `round-<n>/run.json`: one `round run` of one round, as it stands. */
export interface RunState {
  dialogue: string;
  round: number;
  /** The process running it, so a reader can tell a finished or killed run from a live one. */
  pid: number;
  startedAt: string;
  updatedAt: string;
  /** Set when the run ended (every expert final, or interrupted). */
  finishedAt?: string;
  interrupted?: boolean;
  experts: ExpertRunStatus[];
}

/** Whether an expert's state is final for this run. */
export const isFinalRunState = (state: ExpertRunState): boolean => state === 'done' || state === 'failed' || state === 'timeout' || state === 'skipped';

/** Reads a run.json written by any blue (or damaged): undefined when it is not a run state. Never throws. */
export function parseRunState(data: unknown): RunState | undefined {
  if (!isRecord(data) || typeof data.dialogue !== 'string' || typeof data.round !== 'number' || typeof data.pid !== 'number') return undefined;
  if (typeof data.startedAt !== 'string' || typeof data.updatedAt !== 'string' || !Array.isArray(data.experts)) return undefined;
  const experts: ExpertRunStatus[] = [];
  for (const e of data.experts) {
    if (!isRecord(e) || typeof e.name !== 'string' || !(EXPERT_RUN_STATES as readonly unknown[]).includes(e.state)) return undefined;
    if (typeof e.attempt !== 'number' || typeof e.maxAttempts !== 'number') return undefined;
    experts.push({
      name: e.name,
      state: e.state as ExpertRunState,
      attempt: e.attempt,
      maxAttempts: e.maxAttempts,
      ...(typeof e.startedAt === 'string' ? { startedAt: e.startedAt } : {}),
      ...(typeof e.seconds === 'number' ? { seconds: e.seconds } : {}),
      ...(typeof e.exitCode === 'number' || e.exitCode === null ? { exitCode: e.exitCode as number | null } : {}),
      ...(typeof e.error === 'string' ? { error: e.error } : {}),
    });
  }
  return {
    dialogue: data.dialogue,
    round: data.round,
    pid: data.pid,
    startedAt: data.startedAt,
    updatedAt: data.updatedAt,
    ...(typeof data.finishedAt === 'string' ? { finishedAt: data.finishedAt } : {}),
    ...(data.interrupted === true ? { interrupted: true } : {}),
    experts,
  };
}

/**
 * What `round run` tells whoever shows its progress: the whole table on every change, then `close` when the
 * run is over (a live view restores the terminal there). The live view (src/views/round-run-view.tsx) and
 * the plain one-line-per-change reporter are both observers.
 */
export interface RunObserver {
  update(experts: readonly ExpertRunStatus[]): void;
  /** A line for the judge beside the progress (blue stopping on a signal); a live view draws it above itself. */
  notice?(message: string): void;
  close?(): void | Promise<void>;
}
