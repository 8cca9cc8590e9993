// The judge-facing files blue rewrites in the dialogue's folder after every score, so that the
// next round's experts (and the judge) can read where the dialogue stands: scoreboard.md,
// tensions.md and round-<n>.summary.md. Their shapes follow the reference dialogue's files.

import type { Dialogue, TensionEvent } from '../domain/model.js';
import { roundMetrics, totalAlignment, lastScoredMetrics } from '../domain/scoring.js';
import { isOpen, tensionStates, type TensionState } from '../domain/tensions.js';
import { idWithRound } from '../domain/ids.js';
import { ofRound } from '../domain/memo.js';
import { cell, scoreWithParts, scoredRounds, STATUS_WORD, statusNote, settledIn } from './common.js';
import { OVERRIDE_LABEL } from './common.js';
import { markdownFile, noHtml } from './markdown-text.js';
import { scoreboardRows } from './record.js';

export function renderScoreboard(d: Dialogue): string {
  const rounds = scoredRounds(d);
  const names: string[] = [];
  for (const r of d.rounds) for (const m of r.panel) if (!names.includes(m.name)) names.push(m.name);
  const role = (name: string) => d.experts.find((e) => e.name === name)?.role ?? '';
  const total = (name: string) => rounds.reduce((a, r) => a + (r.scores[name]?.total ?? 0), 0);
  const ordered = [...names].sort((a, b) => total(b) - total(a));
  const lines = [`# Scoreboard: ${d.title}`, '', '## Expert Scores', ''];
  lines.push(`| Expert | Role | ${rounds.map((r) => `R${r.n}`).join(' | ')} | Total |`);
  lines.push(`|--------|------|${rounds.map(() => '----|').join('')}-------|`);
  for (const name of ordered) {
    const cells = rounds.map((r) => (r.scores[name] ? String(r.scores[name].total) : '—'));
    lines.push(`| ${name} | ${cell(role(name))} | ${cells.join(' | ')} | ${total(name)} |`);
  }
  lines.push('', '## ALIGNMENT Tracking', '', ...scoreboardRows(d, 'tracking'), '');
  lines.push(`**Total ALIGNMENT:** ${scoreWithParts(totalAlignment(d))}`);
  lines.push(`**Max Rounds:** ${d.maxRounds}`);
  const last = lastScoredMetrics(d);
  if (last) {
    lines.push(
      last.canConverge
        ? `**Convergence:** ✓ ACHIEVED (Round ${last.round}, velocity=0, ${last.effective.convergeSignals}/${last.panelSize} unanimous)`
        : `**Convergence:** not yet (Round ${last.round}): ${last.blockers.join('; ')}`,
    );
    for (const m of rounds.map((r) => roundMetrics(d, r.n))) {
      for (const o of m.overrides) {
        lines.push(`**Judge override (R${m.round})**: ${OVERRIDE_LABEL[o.field]} ${o.judge} (blue counted ${o.computed})`);
      }
    }
  }
  return markdownFile(lines.join('\n') + '\n');
}


const GROUPS: { title: string; statuses: TensionState['status'][] }[] = [
  { title: 'OPEN', statuses: ['open', 'reopened', 'addressed', 'narrowed'] },
  { title: 'ACCEPTED UNRESOLVED', statuses: ['accepted'] },
  { title: 'SUPERSEDED', statuses: ['superseded'] },
  { title: 'RESOLVED', statuses: ['resolved'] },
];

export function renderTensions(d: Dialogue): string {
  const states = tensionStates(d);
  const lines = ['# Accumulated Tensions', ''];
  lines.push(`${states.filter((s) => isOpen(s.status)).length} open, ${states.filter((s) => s.status === 'resolved').length} resolved, ${states.length} raised.`, '');
  lines.push('Refer to a tension by its id (e.g. `[RESOLVED MUFFIN-T01]` or `[RESOLVED CROISSANT R1-T01]`).', '');
  for (const group of GROUPS) {
    const members = states.filter((s) => group.statuses.includes(s.status));
    if (!members.length) continue;
    lines.push(`## ${group.title}`, '');
    for (const s of members) {
      lines.push(`### ${idWithRound(s.tension.id, s.tension.round)}: ${markerLabel(s.tension.label)}`);
      lines.push(`Raised by ${s.tension.author} in R${s.tension.round}.${s.tension.text ? ` ${lineOfText(s.tension.text)}` : ''}`);
      const note = statusNote(s);
      const by = s.supersededBy?.length ? ` by ${s.supersededBy.join(', ')}` : '';
      const where = settledIn(s);
      lines.push(`**Status: ${STATUS_WORD[s.status].toUpperCase()}**${by}${where ? ` (${where})` : ''}${note ? ` — ${lineOfText(note)}` : ''}`);
      const earlier = s.history.filter((e) => e.kind === 'status' && e !== s.settledBy);
      for (const e of earlier) {
        lines.push(`- R${e.round} ${e.actor}: ${e.from} → ${e.to}${successors(e)}${e.note ? ` — ${lineOfText(e.note)}` : ''}`);
      }
      lines.push('');
    }
  }
  if (!states.length) lines.push('No tensions raised yet.', '');
  return markdownFile(lines.join('\n'));
}

export function renderRoundSummary(d: Dialogue, n: number): string {
  const round = d.rounds.find((r) => r.n === n)!;
  const m = roundMetrics(d, n);
  const lines: string[] = [];
  if (round.summary?.trim()) {
    lines.push(round.summary.trim(), '', '---', '');
  } else {
    lines.push(`# Round ${n} Summary`, '');
  }
  lines.push(`## Round ${n} in figures (written by blue)`, '');
  lines.push(`- Panel: ${round.panel.map((p) => p.name).join(', ')} (${m.panelSize})`);
  lines.push(`- Round score: ${scoreWithParts(m.roundScore)}; cumulative ${scoreWithParts(m.cumulative)}`);
  lines.push(`- Open tensions: ${m.effective.openTensions}; new perspectives: ${m.effective.newPerspectives}; velocity ${m.velocity}`);
  lines.push(`- Converge: ${m.convergePercent}% (${m.effective.convergeSignals}/${m.panelSize})${m.converged.length ? `: ${m.converged.join(', ')}` : ''}`);
  for (const o of m.overrides) lines.push(`- Judge override: ${OVERRIDE_LABEL[o.field]} ${o.judge} (blue counted ${o.computed})`);
  lines.push(m.canConverge ? '- Convergence: may converge' : `- Convergence blockers: ${m.blockers.join('; ')}`);
  const raised = ofRound(d.tensions, n);
  if (raised.length) {
    lines.push('', '### Tensions raised', '');
    for (const t of raised) lines.push(`- ${t.id} (${t.author}): ${markerLabel(t.label)}`);
  }
  const changes = ofRound(d.events, n).filter((e) => e.kind === 'status');
  if (changes.length) {
    lines.push('', '### Tension changes', '');
    for (const e of changes) lines.push(`- ${e.tension}: ${e.from} → ${e.to}${successors(e)} (${e.actor})${e.note ? ` — ${lineOfText(e.note)}` : ''}`);
  }
  const perspectives = ofRound(d.contributions, n).filter((c) => c.kind === 'perspective');
  if (perspectives.length) {
    lines.push('', '### Perspectives', '');
    for (const p of perspectives) lines.push(`- ${p.id}: ${markerLabel(p.label)}`);
  }
  return markdownFile(lines.join('\n') + '\n');
}

function successors(e: TensionEvent): string {
  return e.by?.length ? ` by ${e.by.join(', ')}` : '';
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]\s*/g, ' ').trim();
}

/** A text of the judge's or an expert's (a tension's text, a note) on the line it follows: folded, without raw HTML. */
function lineOfText(text: string): string {
  return noHtml(oneLine(text));
}

/**
 * A marker's label on the line of a heading or a list item. It was read from one line of the output, but
 * a carriage return alone is a line break to Markdown (the reader splits at LF and CRLF only): folded, it
 * cannot end the heading and start a block of its own. A label without one is written as it is.
 */
function markerLabel(label: string): string {
  return noHtml(/\r/.test(label) ? oneLine(label) : label);
}
