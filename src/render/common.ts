// Small formatting helpers shared by the Markdown renderers.

import type { Counts, Dialogue, Round, Score, Source, TensionEvent, TensionStatus, Verdict } from '../domain/model.js';
import { capitalise } from '../domain/values.js';
import type { TensionState } from '../domain/tensions.js';
import { inlineText } from './markdown-text.js';

export function formatDate(iso: string): string {
  // 2026-02-06T18:39:00.000Z -> 2026-02-06 18:39Z, the record's form.
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z`;
}


export { capitalise };

export function sourceLabel(source: Source): string {
  return capitalise(source);
}

/** The line above a forced final verdict's text, in the record and the transcript. */
export function forcedWarning(verdict: Verdict): string {
  return `> **Warning**: convergence was forced. ${inlineText(verdict.warning ?? '')}`.trimEnd();
}

/**
 * A verdict's vote and confidence, where the judge gave them (`--vote`, `--confidence`, for any type):
 * the lines under its text in the record and the transcript; undefined when it has neither.
 */
export function verdictDetails(verdict: Verdict): string | undefined {
  const details = [
    verdict.vote ? `**Vote**: ${inlineText(verdict.vote)}` : '',
    verdict.confidence ? `**Confidence**: ${capitalise(verdict.confidence)}` : '',
  ].filter(Boolean);
  return details.length ? details.join('  \n') : undefined;
}

/** `415 (W:135 C:104 T:92 R:84)`, or the total alone when the components are unknown. */
export function scoreWithParts(score: Score): string {
  if (score.w === null || score.c === null || score.t === null || score.r === null) return String(score.total);
  return `${score.total} (W:${score.w} C:${score.c} T:${score.t} R:${score.r})`;
}

/** A round's panel ordered by score (highest first), ties in the order the judge gave the scores. */
export function panelByScore(round: Round): { name: string; role: string; source: Source; score?: number }[] {
  const order = Object.keys(round.scores);
  const rank = (name: string) => {
    const i = order.indexOf(name);
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  return round.panel
    .map((m, i) => ({ name: m.name, role: m.role, source: m.source, score: round.scores[m.name]?.total, i }))
    .sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || rank(a.name) - rank(b.name) || a.i - b.i)
    .map(({ i: _i, ...rest }) => rest);
}

export const STATUS_WORD: Record<TensionStatus, string> = {
  open: 'Open',
  addressed: 'Addressed',
  narrowed: 'Narrowed',
  superseded: 'Superseded',
  resolved: 'Resolved',
  accepted: 'Accepted unresolved',
  reopened: 'Reopened',
};

/**
 * The note that explains a tension's current status: the judge's if any, else the expert's. The judge's is
 * the latest judge note on that status, together with the notes of the judge's decisions it repeated (the
 * same status, one after the other), in order and joined by `; `: a decision that repeats the status adds
 * its note (CLI.md), it does not replace the earlier one.
 */
export function statusNote(state: TensionState): string | undefined {
  const changes = state.history.filter((e) => e.kind === 'status');
  const byJudge = (e: TensionEvent) => e.origin === 'judge' && !!e.note && e.to === state.status;
  let last = changes.length - 1;
  while (last >= 0 && !byJudge(changes[last])) last--;
  if (last >= 0) {
    let first = last;
    while (first > 0 && changes[first - 1].to === state.status) first--;
    return [...new Set(changes.slice(first, last + 1).filter(byJudge).map((e) => e.note!))].join('; ');
  }
  return [...changes].reverse().find((e) => e.to === state.status && e.note)?.note;
}

/** Who set the current status, and in which round: "judge, R2" or "Macaron, R1". */
export function settledIn(state: TensionState): string | undefined {
  const e = state.settledBy;
  return e ? `${e.actor === 'judge' ? 'judge' : e.actor}, R${e.round}` : undefined;
}

/** Escapes the characters that would break a Markdown table cell: line breaks and pipes. */
export { tableCell as cell } from './markdown-text.js';

export { scoredRounds } from '../domain/queries.js';

/** The judge's counts in words, for the notes that show an override beside blue's count. */
export const OVERRIDE_LABEL: Record<keyof Counts, string> = {
  newPerspectives: 'new perspectives',
  openTensions: 'open tensions',
  convergeSignals: 'converge signals',
};
