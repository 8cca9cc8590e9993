// The tension life cycle (CLI.md, "Tension life cycle") as a state machine over events.
// A tension's status is never stored on its own: it is the fold of its events, so the history
// and the status can never disagree, and replacing a round's ingest or a round's decisions is a
// matter of replacing its events and replaying.

import type { Dialogue, Tension, TensionEvent, TensionStatus } from './model.js';
import { badInput, refused } from './errors.js';
import { displayId, parseIdRef } from './ids.js';
import { blueCommand } from './shell.js';

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
const DECISION_OPTION = (status: TensionStatus): string =>
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
 * The state of every tension after the events up to and including round `asOfRound` (all rounds
 * when omitted), in the order the tensions were raised.
 */
export function tensionStates(dialogue: Dialogue, asOfRound = Infinity): TensionState[] {
  const states = new Map<string, TensionState>();
  for (const tension of dialogue.tensions) {
    if (tension.round <= asOfRound) states.set(tension.id, { tension, status: 'open', history: [] });
  }
  for (const event of orderedEvents(dialogue.events)) {
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
      // Superseded by one or more successors: a repeat (a note, or another successor) keeps the earlier ones.
      const by = previous === 'superseded' ? [...new Set([...(state.supersededBy ?? []), ...(event.by ?? [])])] : event.by;
      state.supersededBy = by?.length ? by : undefined;
    } else if (event.to !== event.from) state.supersededBy = undefined;
  }
  return [...states.values()];
}

export function stateOf(dialogue: Dialogue, id: string, asOfRound = Infinity): TensionState {
  const state = tensionStates(dialogue, asOfRound).find((s) => s.tension.id === id);
  if (!state) throw badInput('unknown_tension', `no tension ${id} in dialogue ${dialogue.id}`, { tension: id, fix: KNOWN_TENSIONS_FIX(dialogue) });
  return state;
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
  if (ref.global) {
    return dialogue.tensions.find((t) => t.globalId === raw.trim().toUpperCase());
  }
  if (!ref.author) return undefined;
  const id = displayId(ref.author, ref.round ?? 0, 'T', ref.seq);
  return dialogue.tensions.find((t) => t.id === id);
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
 * Repeating the current status is allowed: it adds the note.
 */
export function changeStatus(dialogue: Dialogue, change: StatusChange): Dialogue {
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
    seq: nextEventSeq(dialogue),
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
  const originRank = (e: TensionEvent) => (e.origin === 'ingest' ? 0 : 1);
  return [...events].sort((a, b) => a.round - b.round || originRank(a) - originRank(b) || a.seq - b.seq);
}

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
