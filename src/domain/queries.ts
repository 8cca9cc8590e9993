// Questions the use cases and renderers ask of a dialogue, answered once here.

import type { Dialogue, Round, Verdict } from './model.js';
import { isOpen, tensionStates } from './tensions.js';

export function finalVerdict(dialogue: Dialogue): Verdict | undefined {
  return dialogue.verdicts.find((v) => v.type === 'final');
}

export function scoredRounds(dialogue: Dialogue): Round[] {
  return dialogue.rounds.filter((r) => r.status === 'scored');
}

export function openRoundOf(dialogue: Dialogue): Round | undefined {
  return dialogue.rounds.find((r) => r.status === 'open');
}

/** The last earlier round an expert sat in, for one who returns after sitting rounds out. */
export function lastSeenRound(dialogue: Dialogue, name: string, n: number): number | undefined {
  const earlier = dialogue.rounds.filter((r) => r.n < n && r.panel.some((m) => m.name === name));
  return earlier.length ? earlier[earlier.length - 1].n : undefined;
}

/** What a newcomer to round n needs from the store: the last panel with its scores, and the open tensions. */
export function briefInputs(dialogue: Dialogue, n: number) {
  const previous = dialogue.rounds.find((r) => r.n === n - 1)!;
  return {
    previous,
    lastPanel: previous.panel.map((m) => ({ name: m.name, role: m.role, ...(previous.scores[m.name] ? { score: previous.scores[m.name].total } : {}) })),
    // As they stood when round n opened (after round n-1), so that a prompt written again later says the same.
    openTensions: tensionStates(dialogue, n - 1)
      .filter((s) => isOpen(s.status))
      .map((s) => ({ id: s.tension.id, label: s.tension.label, status: s.status, author: s.tension.author })),
  };
}
