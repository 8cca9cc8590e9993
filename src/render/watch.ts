// What `blue dialogue show --watch` shows, as plain data: the scoreboard with its trend, convergence
// progress, the open tensions, the current panel with each expert's state, and the latest events. The
// watch use case (app/watch.ts) reads a WatchSnapshot; the live view (views/watch-view.tsx) lays this model
// out on the terminal. Pure: the time it is read at comes in as a value.

import type { ExpertRunState, RunState } from '../domain/agent-run.js';
import { isFinalRunState } from '../domain/agent-run.js';
import type { Dialogue, DialogueStatus, Round, Score, TensionStatus, VerdictType } from '../domain/model.js';
import { normaliseName } from '../domain/names.js';
import { finalVerdict, openRoundOf, scoredRounds } from '../domain/queries.js';
import { computedCounts, convergenceGate, roundMetrics, totalAlignment } from '../domain/scoring.js';
import { isOpen, orderedEvents, tensionStates } from '../domain/tensions.js';
import { firstLine } from '../domain/values.js';

/** What `show --watch` knows at one moment: the stored dialogue and, for its open round, the files on disk. */
export interface WatchSnapshot {
  dialogue: Dialogue;
  /** When this was read (ISO 8601). */
  at: string;
  /** The open round's folder, as this clone holds it. */
  openRound?: {
    n: number;
    /** Panel members whose output file `round-<n>/<name>.md` exists. */
    outputs: string[];
    /** `round-<n>/run.json`, written by a `round run` (maybe in another process), and whether that process lives. */
    run?: { state: RunState; alive: boolean };
    /** run.json is there but is not a run state (damaged, or not a regular file). */
    runProblem?: string;
  };
  /** The last poll failed (the store unreachable, a damaged store file): `dialogue` is the one read before. */
  problem?: { code: string; message: string };
}

export interface ScoreboardRow {
  round: number;
  label?: string;
  score: Score;
  cumulative: number;
  openTensions: number;
  newPerspectives: number;
  velocity: number;
  convergeSignals: number;
  panelSize: number;
  convergePercent: number;
  /** A figure of this row rests on a judge's count that differs from blue's. */
  overridden: boolean;
}

/** An expert's line in the current panel. */
export interface PanelEntry {
  name: string;
  role: string;
  /** Scored rounds: the expert's total. Open rounds: whether blue read the output, or it is on disk, or neither. */
  score?: number;
  output?: 'ingested' | 'written' | 'missing';
  converged: boolean;
  /** What `round run` says of this expert; `stopped` when that run's process is gone before it finished. */
  run?: RunFacts;
}

/** An expert's run as the views show it. */
export interface RunFacts {
  state: ExpertRunState | 'stopped';
  /** For `stopped`: what it was doing when its run's process went away. */
  was?: ExpertRunState;
  attempt: number;
  maxAttempts: number;
  /** Seconds since the attempt started while it runs, or what the attempts took once final. */
  seconds?: number;
  error?: string;
  exitCode?: number | null;
}

export interface RunSummary {
  pid: number;
  /** running: the process lives and has not finished; finished; stopped: gone without finishing. */
  status: 'running' | 'finished' | 'interrupted' | 'stopped';
  startedAt: string;
  updatedAt: string;
}

export interface WatchEvent {
  at: string;
  round?: number;
  kind: 'dialogue' | 'round' | 'tension' | 'verdict';
  text: string;
}

export interface WatchModel {
  title: string;
  id: string;
  status: DialogueStatus;
  /** "converged", "converged (forced)", "abandoned: <reason>"; undefined while open. */
  ending?: string;
  rounds: number;
  openRound?: number;
  alignment: Score;
  scoreboard: ScoreboardRow[];
  convergence: {
    /** The last scored round's converge signals and panel size; undefined before the first score. */
    scored?: { round: number; signals: number; panelSize: number; percent: number; velocity: number };
    /** The open round's signals as ingested so far (blue's count; the judge's comes with the score). */
    open?: { round: number; signals: number; panelSize: number; ingested: boolean };
    canConverge: boolean;
    blockers: string[];
  };
  tensions: Array<{ id: string; label: string; status: TensionStatus; author: string; round: number }>;
  panel?: { round: number; state: 'open' | 'scored'; ingested: boolean; members: PanelEntry[]; run?: RunSummary; runProblem?: string };
  verdicts: Array<{ type: VerdictType; round: number; forced: boolean }>;
  events: WatchEvent[];
  at: string;
  problem?: { code: string; message: string };
}

export function watchModel(snapshot: WatchSnapshot, nowMs: number): WatchModel {
  const d = snapshot.dialogue;
  const gate = convergenceGate(d);
  const open = openRoundOf(d);
  const last = gate.last;
  const final = finalVerdict(d);
  const ending =
    d.status === 'converged' ? `converged${final?.forced ? ' (forced)' : ''}` : d.status === 'abandoned' ? `abandoned${d.abandoned ? `: ${d.abandoned.reason}` : ''}` : undefined;
  return {
    title: d.title,
    id: d.id,
    status: d.status,
    ...(ending ? { ending } : {}),
    rounds: d.rounds.length,
    ...(open ? { openRound: open.n } : {}),
    alignment: totalAlignment(d),
    scoreboard: scoreboardOf(d),
    convergence: {
      ...(last ? { scored: { round: last.round, signals: last.effective.convergeSignals, panelSize: last.panelSize, percent: last.convergePercent, velocity: last.velocity } } : {}),
      ...(open ? { open: { round: open.n, signals: computedCounts(d, open.n).counts.convergeSignals, panelSize: open.panel.length, ingested: open.ingest !== undefined } } : {}),
      canConverge: gate.canConverge && d.status === 'open',
      blockers: d.status === 'open' ? gate.blockers : [],
    },
    tensions: tensionStates(d)
      .filter((s) => isOpen(s.status))
      .map((s) => ({ id: s.tension.id, label: s.tension.label, status: s.status, author: s.tension.author, round: s.tension.round })),
    ...(d.rounds.length ? { panel: panelOf(d, snapshot, nowMs) } : {}),
    verdicts: d.verdicts.map((v) => ({ type: v.type, round: v.round, forced: v.forced ?? false })),
    events: eventsOf(d),
    at: snapshot.at,
    ...(snapshot.problem ? { problem: snapshot.problem } : {}),
  };
}

function scoreboardOf(d: Dialogue): ScoreboardRow[] {
  return scoredRounds(d).map((round) => {
    const m = roundMetrics(d, round.n);
    return {
      round: round.n,
      ...(round.label ? { label: round.label } : {}),
      score: m.roundScore,
      cumulative: m.cumulative.total,
      openTensions: m.effective.openTensions,
      newPerspectives: m.effective.newPerspectives,
      velocity: m.velocity,
      convergeSignals: m.effective.convergeSignals,
      panelSize: m.panelSize,
      convergePercent: m.convergePercent,
      overridden: m.overrides.length > 0,
    };
  });
}

/** The panel of the latest round: in an open round, each expert's output and `round run` state. */
function panelOf(d: Dialogue, snapshot: WatchSnapshot, nowMs: number): NonNullable<WatchModel['panel']> {
  const round = d.rounds[d.rounds.length - 1];
  const converged = new Set(computedCounts(d, round.n).converged);
  const folder = snapshot.openRound?.n === round.n ? snapshot.openRound : undefined;
  const run = round.status === 'open' ? folder?.run : undefined;
  const summary = run ? runSummary(run.state, run.alive) : undefined;
  const members = round.panel.map((m): PanelEntry => {
    const entry: PanelEntry = { name: m.name, role: m.role, converged: converged.has(m.name) };
    if (round.status === 'scored') {
      if (round.scores[m.name]) entry.score = round.scores[m.name].total;
      return entry;
    }
    entry.output = outputState(round, m.name, folder?.outputs ?? []);
    const status = run?.state.experts.find((e) => sameName(e.name, m.name));
    if (status) {
      const stopped = summary?.status === 'stopped' || summary?.status === 'interrupted';
      const unfinished = !isFinalRunState(status.state);
      const seconds = unfinished ? elapsedSeconds(status.startedAt, nowMs, run!.alive ? undefined : run!.state.updatedAt) : status.seconds;
      entry.run = {
        state: stopped && unfinished ? 'stopped' : status.state,
        ...(stopped && unfinished ? { was: status.state } : {}),
        attempt: status.attempt,
        maxAttempts: status.maxAttempts,
        ...(seconds !== undefined ? { seconds } : {}),
        ...(status.error ? { error: firstLine(status.error) } : {}),
        ...(status.exitCode !== undefined ? { exitCode: status.exitCode } : {}),
      };
    }
    return entry;
  });
  return {
    round: round.n,
    state: round.status,
    ingested: round.ingest !== undefined,
    members,
    ...(summary ? { run: summary } : {}),
    ...(round.status === 'open' && folder?.runProblem ? { runProblem: folder.runProblem } : {}),
  };
}

function outputState(round: Round, name: string, onDisk: readonly string[]): PanelEntry['output'] {
  if (round.ingest?.ingested.includes(name)) return 'ingested';
  return onDisk.some((n) => sameName(n, name)) ? 'written' : 'missing';
}

function runSummary(state: RunState, alive: boolean): RunSummary {
  const status = state.finishedAt ? (state.interrupted ? 'interrupted' : 'finished') : alive ? 'running' : 'stopped';
  return { pid: state.pid, status, startedAt: state.startedAt, updatedAt: state.updatedAt };
}

/** Seconds from `startedAt` to now, or to `until` (the last word of a run that is gone). */
function elapsedSeconds(startedAt: string | undefined, nowMs: number, until?: string): number | undefined {
  if (!startedAt) return undefined;
  const start = Date.parse(startedAt);
  const end = until ? Date.parse(until) : nowMs;
  if (Number.isNaN(start) || Number.isNaN(end)) return undefined;
  return Math.max(0, Math.floor((end - start) / 1000));
}

function sameName(a: string, b: string): boolean {
  return normaliseName(a) === normaliseName(b);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * What happened, latest first: the dialogue started, rounds opened, ingested and scored, every tension
 * event, verdicts, abandonment. Events of the same moment keep the order they took effect in.
 */
export function eventsOf(d: Dialogue): WatchEvent[] {
  const events: WatchEvent[] = [{ at: d.createdAt, kind: 'dialogue', text: `dialogue started: ${plural(d.pool.experts.length, 'expert')} in the pool` }];
  for (const r of d.rounds) {
    events.push({ at: r.openedAt, round: r.n, kind: 'round', text: `round ${r.n} opened: ${plural(r.panel.length, 'expert')}` });
    if (r.ingest) {
      const missing = r.ingest.missing.length ? `; missing ${r.ingest.missing.join(', ')}` : '';
      events.push({ at: r.ingest.at, round: r.n, kind: 'round', text: `round ${r.n} ingested: ${r.ingest.ingested.length}/${r.panel.length} outputs read${missing}` });
    }
  }
  for (const e of orderedEvents(d.events)) {
    const who = e.actor === 'judge' ? 'the judge' : e.actor;
    const note = e.note ? `: ${e.note}` : '';
    const label = e.kind === 'raised' ? d.tensions.find((t) => t.id === e.tension)?.label : undefined;
    const text =
      e.kind === 'raised'
        ? `${e.tension} raised by ${who}${label ? `: ${label}` : ''}`
        : e.from === e.to
          ? `${e.tension} stays ${e.to} (${who})${note}`
          : `${e.tension} ${e.from} → ${e.to}${e.by?.length ? ` by ${e.by.join(', ')}` : ''} (${who})${note}`;
    events.push({ at: e.at, round: e.round, kind: 'tension', text });
  }
  for (const r of scoredRounds(d)) {
    const m = roundMetrics(d, r.n);
    events.push({
      at: r.scoredAt ?? r.openedAt,
      round: r.n,
      kind: 'round',
      text: `round ${r.n} scored: ${m.roundScore.total} ALIGNMENT, velocity ${m.velocity}, converge ${m.convergePercent}%${m.canConverge ? ' (may converge)' : ''}`,
    });
  }
  for (const v of d.verdicts) {
    events.push({ at: v.at, round: v.round, kind: 'verdict', text: `${v.type} verdict recorded${v.forced ? ' (forced)' : ''}${v.confidence ? `, ${v.confidence}` : ''}` });
  }
  if (d.abandoned) events.push({ at: d.abandoned.at, round: d.abandoned.round, kind: 'dialogue', text: `abandoned: ${d.abandoned.reason}` });
  // Stable: what was pushed later at the same moment (a score after the judge's decisions) stays later.
  return events
    .map((e, i) => ({ e, i, t: Date.parse(e.at) }))
    .sort((a, b) => b.t - a.t || b.i - a.i)
    .map(({ e }) => e);
}
