// The words judges write for a tension's status, read into blue's life cycle. Real folders write them in
// more ways than blue's own files: `**RESOLVED**`, `✅ RESOLVED`, `Status: PARTIALLY RESOLVED`, `Resolved in
// R1 by Macaron: ...`, `Narrowed → resolved: ...`, `ACCEPTED` (a trade-off), `DEFERRED` (to a later
// version), `CONDITIONAL`, `REOPENED`. Anything else is no status blue knows, and the caller reports it.

/** The statuses a judge's file can set: open (no change), or one of the judge's decisions. */
export type JudgeStatus = 'open' | 'resolved' | 'narrowed' | 'superseded' | 'accepted' | 'reopened';

export interface StatusReading {
  status: JudgeStatus;
  /** The status as the judge wrote it, e.g. `PARTIALLY RESOLVED`, `Narrowed → resolved`. */
  word: string;
  /** What follows the status: the judge's reason, e.g. `by Macaron: RFC 0053's factory ...`. */
  note: string;
  /** `Resolved in R1`, `(judge, R2)`: the round the status was set in, when the judge said. */
  round?: number;
  /** Deferred to later: blue records it as accepted unresolved, with the word kept in the note. */
  deferred?: boolean;
}

// Longest phrases first: "accepted as a trade-off" before "accepted", "partially resolved" before "resolved".
const PHRASES: ReadonlyArray<[RegExp, JudgeStatus, 'deferred'?]> = [
  [/^accepted\s+as\s+(?:an?\s+)?trade-?\s?offs?\b/i, 'accepted'],
  [/^accepted(?:\s+unresolved)?\b/i, 'accepted'],
  [/^(?:trade-?\s?offs?)(?:\s+accepted)?\b/i, 'accepted'],
  [/^deferred\b/i, 'accepted', 'deferred'],
  [/^partially\s+(?:resolved|addressed)\b/i, 'narrowed'],
  [/^partial\b/i, 'narrowed'],
  [/^narrowed\b/i, 'narrowed'],
  [/^(?:resolved|closed|settled|eliminated|done)\b/i, 'resolved'],
  // Refined or evolved "into" other tensions: superseded by them (the caller finds the successors).
  [/^(?:superseded|subsumed|refined|evolved)\b/i, 'superseded'],
  [/^re-?opened\b/i, 'reopened'],
  [/^(?:open|new|pending|conditional|unresolved|addressed|active)\b/i, 'open'],
];

const ARROW = /^\s*(?:→|->|=>|⇒)\s*/;

/**
 * Reads a status phrase at the start of `text` (after any emoji, bullet or bold mark), following arrows to
 * the last status (`Evolved → eliminated` is resolved). Undefined when `text` starts with no status word.
 */
export function readStatus(text: string): StatusReading | undefined {
  let rest = text.replace(/\*\*|__/g, '').replace(/^[^\p{L}]+/u, '');
  const start = rest;
  let status: JudgeStatus | undefined;
  let deferred = false;
  let round: number | undefined;
  for (;;) {
    const phrase = PHRASES.map(([pattern, to, flag]) => ({ m: pattern.exec(rest), to, flag })).find((p) => p.m);
    if (!phrase?.m) break;
    status = phrase.to;
    deferred = phrase.flag === 'deferred';
    rest = rest.slice(phrase.m[0].length);
    const inRound = /^\s+in\s+R(\d{1,3})\b/i.exec(rest);
    if (inRound) {
      round = Number(inRound[1]);
      rest = rest.slice(inRound[0].length);
    }
    const arrow = ARROW.exec(rest);
    if (!arrow) break;
    rest = rest.slice(arrow[0].length);
  }
  if (!status) return undefined;
  const word = start.slice(0, start.length - rest.length).replace(/\s+in\s+R\d+\s*$/i, '').trim();
  // "(judge, R2)": who set it and in which round, as blue's own tensions.md writes it.
  const who = /^\s*\(([^)]*\bR(\d{1,3})\b[^)]*)\)/.exec(rest);
  if (who) {
    round = Number(who[2]);
    rest = rest.slice(who[0].length);
  }
  const note = rest.replace(/^[\s:—–\-,.;]+/, '').trim();
  return { status, word, note, ...(round !== undefined ? { round } : {}), ...(deferred ? { deferred } : {}) };
}
