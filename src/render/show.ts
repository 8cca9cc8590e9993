// What `blue dialogue show` says: where the dialogue stands (rounds, scoreboard, open tensions, the
// convergence gate's blockers, the judge's overrides beside blue's counts), as JSON and as text.

import { dialogueDir } from '../domain/ids.js';
import type { Dialogue } from '../domain/model.js';
import { convergenceGate, roundMetrics, totalAlignment } from '../domain/scoring.js';
import { isOpen, tensionStates } from '../domain/tensions.js';
import { formatDate, OVERRIDE_LABEL, scoreWithParts } from './common.js';

import { scoreboardRows } from './record.js';

export function showDocument(d: Dialogue) {
  const scored = d.rounds.filter((r) => r.status === 'scored').map((r) => roundMetrics(d, r.n));
  const gate = convergenceGate(d);
  const overrides = scored.flatMap((m) => m.overrides.map((o) => ({ round: m.round, field: o.field, computed: o.computed, judge: o.judge })));
  return {
    id: d.id,
    title: d.title,
    question: d.question,
    status: d.status,
    dir: dialogueDir(d.id),
    created_at: d.createdAt,
    rounds: d.rounds.map((r) => {
      const m = r.status === 'scored' ? roundMetrics(d, r.n) : undefined;
      return {
        round: r.n,
        status: r.status,
        panel: r.panel.map((p) => p.name),
        ingested: r.ingest?.ingested ?? [],
        // Before the first ingest every expert is still to write; after it, those whose output was missing.
        missing: r.ingest?.missing ?? (r.status === 'open' ? r.panel.map((p) => p.name) : []),
        scores: Object.fromEntries(Object.entries(r.scores).map(([name, sc]) => [name, { w: sc.w, c: sc.c, t: sc.t, r: sc.r, total: sc.total }])),
        ...(m ? { round_score: m.roundScore, velocity: m.velocity, converge_percent: m.convergePercent, open_tensions: m.effective.openTensions, new_perspectives: m.effective.newPerspectives } : {}),
      };
    }),
    alignment: totalAlignment(d),
    open_tensions: tensionStates(d)
      .filter((s) => isOpen(s.status))
      .map((s) => ({ id: s.tension.id, label: s.tension.label, status: s.status, author: s.tension.author, round: s.tension.round })),
    // An abandoned dialogue takes no more rounds, scores or verdicts: nothing blocks it, nothing converges it.
    can_converge: gate.canConverge && d.status !== 'abandoned',
    blockers: d.status === 'open' ? gate.blockers : [],
    ...(d.abandoned ? { abandoned: { round: d.abandoned.round, reason: d.abandoned.reason, at: d.abandoned.at } } : {}),
    overrides,
    verdicts: d.verdicts.map((v) => ({ type: v.type, round: v.round, forced: v.forced ?? false })),
  };
}

export function renderShow(d: Dialogue): string {
  const doc = showDocument(d);
  const gate = convergenceGate(d);
  const open = gate.open;
  // The text says what the answer says: its open tensions, not a second fold of the events.
  const openTensions = doc.open_tensions;
  const lines = [
    `${d.title}`,
    `${d.id} · ${d.status} · started ${formatDate(d.createdAt)} · ${d.rounds.length} round${d.rounds.length === 1 ? '' : 's'} · ALIGNMENT ${scoreWithParts(doc.alignment)}`,
    '',
  ];
  if (d.rounds.some((r) => r.status === 'scored')) lines.push(...scoreboardRows(d, 'tracking'), '');
  const experts = expertScoreRows(d);
  if (experts.length) lines.push('Expert scores (total per round):', ...experts, '');
  if (open) {
    const missing = open.ingest ? open.ingest.missing : open.panel.map((p) => p.name);
    const state = open.ingest ? `ingested ${open.ingest.ingested.length}/${open.panel.length}` : 'not ingested yet';
    lines.push(`Round ${open.n} is open: ${state}${missing.length ? `; missing: ${missing.join(', ')}` : '; every output read'}`, '');
  }
  lines.push(openTensions.length ? `Open tension${openTensions.length === 1 ? '' : 's'} (${openTensions.length}):` : 'No open tensions.');
  for (const t of openTensions) lines.push(`  ${t.id.padEnd(22)} ${t.status.padEnd(10)} ${t.label}`);
  if (doc.overrides.length) {
    lines.push('', 'Judge overrides (judge / blue counted):');
    for (const o of doc.overrides) lines.push(`  R${o.round} ${OVERRIDE_LABEL[o.field]}: ${o.judge} / ${o.computed}`);
  }
  if (d.status === 'converged') lines.push('', `Converged${d.verdicts.find((v) => v.type === 'final')?.forced ? ' (forced)' : ''}: final verdict recorded.`);
  else if (d.status === 'abandoned') lines.push('', abandonedLine(d));
  else lines.push('', doc.can_converge ? 'May converge: record the final verdict.' : `Blockers:\n${gate.blockers.map((b) => `  - ${b}`).join('\n')}`);
  return lines.join('\n');
}

/** Why the dialogue ended without a verdict, as `dialogue abandon` and the watch view say it. */
function abandonedLine(d: Dialogue): string {
  if (!d.abandoned) return 'Abandoned.';
  return `Abandoned after round ${d.abandoned.round} (${formatDate(d.abandoned.at)}): ${d.abandoned.reason}`;
}

/** One line per expert who sat on a scored round: its total in each scored round, best overall first. */
function expertScoreRows(d: Dialogue): string[] {
  const rounds = d.rounds.filter((r) => r.status === 'scored');
  if (!rounds.length) return [];
  const names: string[] = [];
  for (const r of rounds) for (const m of r.panel) if (!names.includes(m.name)) names.push(m.name);
  const total = (name: string) => rounds.reduce((sum, r) => sum + (r.scores[name]?.total ?? 0), 0);
  const width = Math.max(...names.map((n) => n.length));
  return [
    `  ${''.padEnd(width)}  ${rounds.map((r) => `R${r.n}`.padStart(4)).join(' ')}  total`,
    ...[...names]
      .sort((a, b) => total(b) - total(a))
      .map((name) => `  ${name.padEnd(width)}  ${rounds.map((r) => String(r.scores[name]?.total ?? '—').padStart(4)).join(' ')}  ${String(total(name)).padStart(5)}`),
  ];
}

