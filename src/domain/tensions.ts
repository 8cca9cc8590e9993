// The tension life cycle (CLI.md, "Tension life cycle") as a state machine over events.
// A tension's status is never stored on its own: it is the fold of its events, so the history
// and the status can never disagree, and replacing a round's ingest or a round's decisions is a
// matter of replacing its events and replaying.

import type { Dialogue, Tension, TensionEvent, TensionStatus } from './model.js';
import { badInput, refused } from './errors.js';
import { displayId, parseIdRef } from './ids.js';
import { blueCommand } from './shell.js';
import { firstWith, memoOf, peekMemo, type Memo } from './memo.js';

export const ALLOWED: Record<TensionStatus, readonly TensionStatus[]> = {
  open: ['addressed', 'narrowed', 'superseded', 'resolved', 'accepted'],
  reopened: ['addressed', 'narrowed', 'superseded', 'resolved', 'accepted'],
  addressed: ['open', 'narrowed', 'superseded', 'resolved', 'accepted'],
  narrowed: ['addressed', 'superseded', 'resolved', 'accepted'],
  superseded: ['resolved', 'reopened'],
  accepted: ['resolved', 'reopened'],
  resolved: ['reopened'],
};

/** The judge's option that moves a tension to a status (addressed and open are the experts' moves). */
export const DECISION_OPTION = (status: TensionStatus): string =>
  ({ resolved: '--resolve', narrowed: '--narrow', superseded: '--supersede', accepted: '--accept', reopened: '--reopen' })[status as string] ?? `${status} (by an expert's marker)`;

const KNOWN_TENSIONS_FIX = (dialogue: Dialogue): string =>
  dialogue.tensions.length
    ? `use one of this dialogue's tension ids: ${dialogue.tensions.map((t) => t.id.replace(' ', '-')).join(', ')} (\`blue dialogue show ${dialogue.id}\` lists the open ones)`
    : 'no tension has been raised yet: drop the decision';

const OPEN_STATUSES: ReadonlySet<TensionStatus> = new Set(['open', 'addressed', 'narrowed', 'reopened']);

/** Open, addressed, narrowed and reopened count as open; superseded, accepted and resolved do not. */
export function isOpen(status: TensionStatus): boolean {
  return OPEN_STATUSES.has(status);
}

export function canMove(from: TensionStatus, to: TensionStatus): boolean {
  return from === to || ALLOWED[from].includes(to);
}

export interface TensionState {
  tension: Tension;
  status: TensionStatus;
  /** The event that set the current status (undefined while only raised). */
  settledBy?: TensionEvent;
  supersededBy?: string[];
  history: TensionEvent[];
}

/**
 * The fold of one tension's events, given in effect order (orderedEvents), up to and including round
 * `asOfRound`. Each tension's state depends on its own events alone, so folding one tension gives exactly
 * what folding every event gives for it.
 */
function foldTension(tension: Tension, events: readonly TensionEvent[], asOfRound: number): TensionState {
  const state: TensionState = { tension, status: 'open', history: [] };
  for (const event of events) {
    if (event.round > asOfRound) break; // effect order is by round first
    state.history.push(event);
    if (event.kind !== 'status') continue;
    const previous = state.status;
    state.status = event.to;
    if (event.from !== event.to) state.settledBy = event;
    else if (!state.settledBy || state.settledBy.to !== event.to) state.settledBy = event;
    if (event.to === 'superseded') {
      // Superseded by one or more successors: a repeat (a note, or another successor) keeps the earlier ones.
      const by = previous === 'superseded' ? [...new Set([...(state.supersededBy ?? []), ...(event.by ?? [])])] : event.by;
      state.supersededBy = by?.length ? by : undefined;
    } else if (event.to !== event.from) state.supersededBy = undefined;
  }
  return state;
}

/** The tensions in force as of a round: those raised by then, one per id (the last of that id), in raised order. */
function tensionsAsOf(dialogue: Dialogue, asOfRound: number): Tension[] {
  const byId = new Map<string, Tension>();
  for (const tension of dialogue.tensions) if (tension.round <= asOfRound) byId.set(tension.id, tension);
  return [...byId.values()];
}

const NO_EVENTS: readonly TensionEvent[] = Object.freeze([]);

/**
 * What every question about tensions reads, computed once per events array: each tension's events in
 * effect order (one sort of all events, not one per question), the states as of each round asked for, and
 * the number of open tensions after every round.
 */
interface TensionIndex {
  byTension: Map<string, readonly TensionEvent[]>;
  states: Map<number, readonly TensionState[]>;
  openCounts?: OpenCounts;
}

const tensionIndexes = new WeakMap<readonly TensionEvent[], Memo<TensionIndex>>();

/** Keyed by the events array, which every change to a tension's life replaces; valid for these tensions only. */
const indexDeps = (dialogue: Dialogue): unknown[] => [dialogue.events.length, dialogue.tensions, dialogue.tensions.length];

function tensionIndex(dialogue: Dialogue): TensionIndex {
  return memoOf(tensionIndexes, dialogue.events, indexDeps(dialogue), () => {
    const byTension = new Map<string, TensionEvent[]>();
    for (const event of orderedEvents(dialogue.events)) {
      const events = byTension.get(event.tension);
      if (events) events.push(event);
      else byTension.set(event.tension, [event]);
    }
    return { byTension, states: new Map() };
  });
}

/** A state handed out from the index: shared by every caller, so frozen against a caller changing it. */
function frozen(state: TensionState): TensionState {
  Object.freeze(state.history);
  if (state.supersededBy) Object.freeze(state.supersededBy);
  return Object.freeze(state);
}

/**
 * The state of every tension after the events up to and including round `asOfRound` (all rounds
 * when omitted), in the order the tensions were raised. Computed once per dialogue value and round; the
 * array is the caller's own, the states in it are shared (and frozen).
 */
export function tensionStates(dialogue: Dialogue, asOfRound = Infinity): TensionState[] {
  const index = tensionIndex(dialogue);
  let states = index.states.get(asOfRound);
  if (!states) {
    states = tensionsAsOf(dialogue, asOfRound).map((t) => frozen(foldTension(t, index.byTension.get(t.id) ?? NO_EVENTS, asOfRound)));
    index.states.set(asOfRound, states);
  }
  return [...states];
}

/** A tension's events in effect order: from the index when the dialogue has one, else by one pass over the events. */
function eventsOf(dialogue: Dialogue, id: string): readonly TensionEvent[] {
  const index = peekMemo(tensionIndexes, dialogue.events, indexDeps(dialogue));
  if (index) return index.byTension.get(id) ?? NO_EVENTS;
  return orderedEvents(dialogue.events.filter((e) => e.tension === id));
}

/**
 * One tension's state as of a round: the fold of its own events only, so a status change (which makes a
 * new dialogue each time) costs one pass over the events, not a sort and fold of all of them.
 */
export function stateOf(dialogue: Dialogue, id: string, asOfRound = Infinity): TensionState {
  let tension: Tension | undefined;
  for (const t of dialogue.tensions) if (t.id === id && t.round <= asOfRound) tension = t;
  if (!tension) throw badInput('unknown_tension', `no tension ${id} in dialogue ${dialogue.id}`, { tension: id, fix: KNOWN_TENSIONS_FIX(dialogue) });
  return foldTension(tension, eventsOf(dialogue, id), asOfRound);
}

/** The current status of each of `ids` (tensions of the dialogue), from one pass over the events. */
export function statusesOf(dialogue: Dialogue, ids: ReadonlySet<string>): Map<string, TensionStatus> {
  const statuses = new Map<string, TensionStatus>();
  for (const id of ids) statuses.set(id, 'open');
  for (const event of orderedEvents(dialogue.events.filter((e) => ids.has(e.tension)))) {
    if (event.kind === 'status') statuses.set(event.tension, event.to);
  }
  return statuses;
}

/** How many tensions are open after each round: the rounds where the count changes, and the count from each on. */
interface OpenCounts {
  rounds: number[];
  counts: number[];
}

/**
 * One pass over every tension's events: a tension counts from the round it is first raised in, open or
 * not as its status stands after each round. The same counts as folding every event once per round.
 */
function openCounts(dialogue: Dialogue, index: TensionIndex): OpenCounts {
  const firstRaised = new Map<string, number>();
  for (const t of dialogue.tensions) firstRaised.set(t.id, Math.min(t.round, firstRaised.get(t.id) ?? Infinity));
  const delta = new Map<number, number>();
  const add = (round: number, d: number) => delta.set(round, (delta.get(round) ?? 0) + d);
  for (const [id, from] of firstRaised) {
    const events = index.byTension.get(id) ?? NO_EVENTS;
    let status: TensionStatus = 'open';
    let i = 0;
    for (; i < events.length && events[i].round <= from; i++) if (events[i].kind === 'status') status = events[i].to;
    let open = isOpen(status);
    if (open) add(from, 1);
    while (i < events.length) {
      const round = events[i].round;
      for (; i < events.length && events[i].round === round; i++) if (events[i].kind === 'status') status = events[i].to;
      if (isOpen(status) !== open) {
        open = !open;
        add(round, open ? 1 : -1);
      }
    }
  }
  const rounds = [...delta.keys()].sort((a, b) => a - b);
  let running = 0;
  return { rounds, counts: rounds.map((r) => (running += delta.get(r)!)) };
}

/** The number of open tensions after round `asOfRound`: `tensionStates(d, asOfRound)` counted, without the fold. */
export function openTensionCount(dialogue: Dialogue, asOfRound = Infinity): number {
  const index = tensionIndex(dialogue);
  const { rounds, counts } = (index.openCounts ??= openCounts(dialogue, index));
  // The last change at or before asOfRound.
  let lo = 0;
  let hi = rounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rounds[mid] <= asOfRound) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : counts[lo - 1];
}

/**
 * Finds a tension by any of the id forms judges and experts write: `MUFFIN-T01`, `CROISSANT R1-T01`,
 * `croissant-r1-t01`, `MUFFIN-T0101` (round 1, number 1) or the global `T0101`.
 */
export function findTension(dialogue: Dialogue, raw: string): Tension | undefined {
  // A tension imported as its judge numbered it (`T15`, raised in round 1) is found by that id as written.
  const written = raw.trim().replace(/\s+/g, ' ').toUpperCase();
  const exact = dialogue.tensions.find((t) => t.id === written);
  if (exact) return exact;
  const ref = parseIdRef(raw.trim());
  if (!ref || ref.letter !== 'T') return undefined;
  if (ref.global) return firstWith(dialogue.tensions, 'globalId', raw.trim().toUpperCase());
  if (!ref.author) return undefined;
  return firstWith(dialogue.tensions, 'id', displayId(ref.author, ref.round ?? 0, 'T', ref.seq));
}

export function requireTension(dialogue: Dialogue, raw: string): Tension {
  const tension = findTension(dialogue, raw);
  if (tension) return tension;
  const known = dialogue.tensions.map((t) => t.id);
  throw badInput(
    'unknown_tension',
    `no tension "${raw}" in this dialogue; tension ids look like MUFFIN-T01 (round 0) or CROISSANT R1-T01` +
      (known.length ? ` (known: ${known.join(', ')})` : ' (none raised yet)'),
    { tension: raw, known, fix: KNOWN_TENSIONS_FIX(dialogue) },
  );
}

export interface StatusChange {
  tension: string; // display id
  to: TensionStatus;
  actor: string;
  origin: 'ingest' | 'judge';
  round: number;
  at: string;
  note?: string;
  by?: string[];
}

/** The next event sequence number. */
export function nextEventSeq(dialogue: Dialogue): number {
  return dialogue.events.reduce((max, e) => Math.max(max, e.seq), 0) + 1;
}

/**
 * Records one status change as an event, refusing (exit 3) a transition the life cycle forbids.
 * Repeating the current status is allowed: it adds the note. `seq` is the event's sequence number: a caller
 * making several changes counts them from nextEventSeq once instead of scanning the events for each.
 */
export function changeStatus(dialogue: Dialogue, change: StatusChange, seq = nextEventSeq(dialogue)): Dialogue {
  // The status as of the change's round: re-scoring an earlier round slots its decisions in before the
  // later rounds' events (replayHistory then checks those still hold).
  const state = stateOf(dialogue, change.tension, change.round);
  if (!canMove(state.status, change.to)) {
    throw refused(
      'invalid_transition',
      `${change.tension} is ${state.status}; from ${state.status} it can only become ` +
        `${ALLOWED[state.status].join(', ')} (not ${change.to})`,
      {
        tension: change.tension,
        status: state.status,
        requested: change.to,
        fix: `decide ${change.tension} with one of ${ALLOWED[state.status].map(DECISION_OPTION).join(', ')} instead, or leave it out`,
      },
    );
  }
  const event: TensionEvent = {
    seq,
    kind: 'status',
    at: change.at,
    round: change.round,
    tension: change.tension,
    actor: change.actor,
    origin: change.origin,
    from: state.status,
    to: change.to,
    ...(change.note ? { note: change.note } : {}),
    ...(change.by ? { by: change.by } : {}),
  };
  return { ...dialogue, events: [...dialogue.events, event] };
}

/**
 * Events in the order they take effect: by round, within a round what the experts wrote (ingest)
 * before what the judge decided, then by sequence. Replacing an earlier round's decisions therefore
 * slots the new events back into that round instead of after later rounds.
 */
export function orderedEvents(events: readonly TensionEvent[]): TensionEvent[] {
  // A stable sort: the events of one tension come out in the same order whether sorted alone or with all.
  return [...events].sort(effectOrder);
}

const originRank = (e: TensionEvent) => (e.origin === 'ingest' ? 0 : 1);
const effectOrder = (a: TensionEvent, b: TensionEvent) => a.round - b.round || originRank(a) - originRank(b) || a.seq - b.seq;

/**
 * Replays every status event in effect order, recomputing each event's `from`. A judge's decision the
 * life cycle no longer allows is refused (exit 3), so that replacing an earlier round's decisions cannot
 * leave an impossible history behind. An expert's marker that no longer applies is dropped instead: at
 * ingest time it would have been skipped with a warning, and the marker itself stays as a reference.
 */
export function replayHistory(dialogue: Dialogue): Dialogue {
  const status = new Map<string, TensionStatus>();
  const replayed = new Map<number, TensionEvent>();
  for (const event of orderedEvents(dialogue.events)) {
    if (event.kind !== 'status') {
      replayed.set(event.seq, event);
      continue;
    }
    const current = status.get(event.tension) ?? 'open';
    if (!canMove(current, event.to)) {
      if (event.origin === 'ingest') continue;
      throw refused(
        'invalid_transition',
        `round ${event.round}: ${event.tension} would be ${current} when ${event.actor} moves it to ${event.to}`,
        {
          tension: event.tension,
          status: current,
          requested: event.to,
          round: event.round,
          fix: `re-score round ${event.round} without that decision on ${event.tension}, or re-score the earlier round so that ${event.tension} can still become ${event.to}`,
        },
      );
    }
    status.set(event.tension, event.to);
    replayed.set(event.seq, current === event.from ? event : { ...event, from: current });
  }
  return { ...dialogue, events: dialogue.events.flatMap((e) => replayed.get(e.seq) ?? []) };
}
