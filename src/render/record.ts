// The Markdown dialogue record, section by section in the reference record's order: header, Expert
// Pool, Expert Panels by Round, ALIGNMENT Scoreboard, Verdict, Tensions Resolved, Key Insights,
// Dialogue Location. Every figure is derived from the dialogue; only the verdict, the insights, the
// round labels and the resolution notes are the judge's words.

import type { Counts, Dialogue, Round, Tier, Verdict } from '../domain/model.js';
import { TIERS } from '../domain/model.js';
import { roundMetrics } from '../domain/scoring.js';
import { tensionStates, type TensionState } from '../domain/tensions.js';
import { dialogueDir, idWithRound } from '../domain/ids.js';
import { ofRound } from '../domain/memo.js';
import { totalAlignment } from '../domain/scoring.js';
import { renderCharts } from './charts.js';
import {
  capitalise,
  cell,
  formatDate,
  panelByScore,
  scoreWithParts,
  scoredRounds,
  sourceLabel,
  STATUS_WORD,
  statusNote,
  settledIn,
  OVERRIDE_LABEL,
  forcedWarning,
  verdictDetails,
} from './common.js';
import { inlineText, markdownFile, noHtml, proseBlock } from './markdown-text.js';

export function renderRecord(dialogue: Dialogue): string {
  const parts = [
    header(dialogue),
    expertPool(dialogue),
    panels(dialogue),
    scoreboard(dialogue),
    verdicts(dialogue),
    tensionsResolved(dialogue),
    insights(dialogue),
    `## Dialogue Location\n\n\`${dialogueDir(dialogue.id)}/\`\n`,
  ];
  return markdownFile(parts.filter(Boolean).join('\n'));
}

function header(d: Dialogue): string {
  const scored = scoredRounds(d);
  const forced = d.verdicts.some((v) => v.type === 'final' && v.forced);
  const lines = [`# Alignment Dialogue: ${inlineText(d.title)}`, '', `**Date**: ${formatDate(d.createdAt)}`, `**Status**: ${capitalise(d.status)}${forced ? ' (forced)' : ''}`];
  lines.push(`**ALIGNMENT Score**: ${scoreWithParts(totalAlignment(d))}`);
  const first = d.rounds[0]?.n;
  const last = d.rounds[d.rounds.length - 1]?.n;
  const open = d.rounds.find((r) => r.status === 'open');
  const span = d.rounds.length === 0 ? '' : first === last ? `R${first}` : `R${first}-R${last}`;
  lines.push(`**Rounds**: ${d.rounds.length}` + (span ? ` (${span}${open ? `; R${open.n} not scored yet` : ''})` : ''));
  if (scored.length) {
    const m = roundMetrics(d, scored[scored.length - 1].n);
    const unanimous = m.convergePercent === 100 ? ' unanimous' : '';
    lines.push(`**Convergence**: ${m.convergePercent}% (${m.effective.convergeSignals}/${m.panelSize}${unanimous}, Round ${m.round})`);
  } else {
    lines.push('**Convergence**: not yet scored');
  }
  lines.push(`**Tensions Resolved**: ${tensionCounts(tensionStates(d))}`);
  if (d.rfc) lines.push(`**Linked RFC**: ${inlineText(d.rfc)}`);
  return lines.join('\n') + '\n';
}

function expertPool(d: Dialogue): string {
  const lines = ['## Expert Pool', '', `**Domain**: ${inlineText(d.pool.domain)}`, `**Question**: ${inlineText(d.question)}`, '', '| Tier | Experts |', '|------|--------|'];
  for (const tier of TIERS) {
    const roles = d.pool.experts.filter((e) => e.tier === tier).map((e) => e.role);
    if (roles.length) lines.push(`| ${tierLabel(tier)} | ${noHtml(cell(roles.join(', ')))} |`);
  }
  const created = d.experts.filter((e) => e.origin === 'created');
  if (created.length) {
    lines.push('', `**Created by the judge**: ${created.map((e) => `${e.name} (${inlineText(e.role)}, ${tierLabel(e.tier)}, R${e.firstRound})`).join(', ')}`);
  }
  return lines.join('\n') + '\n';
}

function tierLabel(tier: Tier): string {
  return capitalise(tier);
}

function panels(d: Dialogue): string {
  const sections = d.rounds.map((round) => panelSection(d, round));
  return ['## Expert Panels by Round', '', sections.length ? sections.join('\n') : '_No round opened yet._\n'].join('\n');
}

function panelSection(d: Dialogue, round: Round): string {
  const size = round.panel.length;
  const heading = `### Round ${round.n} (${size} expert${size === 1 ? '' : 's'}${round.label ? ` — ${inlineText(round.label)}` : ''})`;
  const lines = [heading];
  if (round.status === 'scored') {
    const m = roundMetrics(d, round.n);
    if (m.convergePercent === 100) {
      const newTensions = ofRound(d.tensions, round.n).length;
      lines.push(
        `All ${size} experts signaled [MOVE:CONVERGE]. ${newTensions === 0 ? 'Zero new tensions.' : `${newTensions} new tension${newTensions === 1 ? '' : 's'}.`}`,
      );
    }
  }
  const withSource = round.n > 0;
  lines.push(withSource ? '| Agent | Role | Source | Score |' : '| Agent | Role | Score |');
  lines.push(withSource ? '|-------|------|--------|-------|' : '|-------|------|-------|');
  for (const member of panelByScore(round)) {
    const score = member.score === undefined ? '—' : String(member.score);
    lines.push(
      withSource
        ? `| ${member.name} | ${noHtml(cell(member.role))} | ${sourceLabel(member.source)} | ${score} |`
        : `| ${member.name} | ${noHtml(cell(member.role))} | ${score} |`,
    );
  }
  return lines.join('\n') + '\n';
}

/** The scoreboard table, laid out as the reference lays it out (padded to the header widths). */
export function scoreboardRows(d: Dialogue, columns: 'record' | 'tracking'): string[] {
  const head =
    columns === 'record'
      ? ['| Round | W | C | T | R | Score | Velocity | Converge % |', '|-------|---|---|---|---|-------|----------|------------|']
      : [
          '| Round | W | C | T | R | Score | Open Tensions | New Perspectives | Velocity | Converge % |',
          '|-------|---|---|---|---|-------|---------------|------------------|----------|------------|',
        ];
  const wide = (value: string | number, header: string) => ` ${String(value).padEnd(header.length)} `;
  const narrow = (value: number | null) => ` ${value ?? '—'}`.padEnd(3);
  const rows = scoredRounds(d).map((round) => {
    const m = roundMetrics(d, round.n);
    const s = m.roundScore;
    // A figure that rests on a judge's count that differs from blue's carries a `*`; the note under the
    // table gives both counts (overrideNote).
    const mark = (...fields: Array<keyof Counts>) => (m.overrides.some((o) => fields.includes(o.field)) ? '*' : '');
    const cells = [wide(round.n, 'Round'), narrow(s.w), narrow(s.c), narrow(s.t), narrow(s.r), wide(s.total, 'Score')];
    if (columns === 'tracking') {
      cells.push(wide(`${m.effective.openTensions}${mark('openTensions')}`, 'Open Tensions'), wide(`${m.effective.newPerspectives}${mark('newPerspectives')}`, 'New Perspectives'));
    }
    cells.push(wide(`${m.velocity}${mark('openTensions', 'newPerspectives')}`, 'Velocity'), wide(`${m.convergePercent}%${mark('convergeSignals')}`, 'Converge %'));
    return `|${cells.join('|')}|`;
  });
  return [...head, ...rows];
}

/**
 * The judge's overrides, each beside blue's own count: `* Judge's counts (blue's in brackets): R1 new
 * perspectives 9 (16); ...`. Undefined when the judge overruled nothing.
 */
export function overrideNote(d: Dialogue): string | undefined {
  const parts = scoredRounds(d).flatMap((round) =>
    roundMetrics(d, round.n).overrides.map((o) => `R${round.n} ${OVERRIDE_LABEL[o.field]} ${o.judge} (blue counted ${o.computed})`),
  );
  return parts.length ? `\\* Judge override, beside blue's count: ${parts.join('; ')}.` : undefined;
}

function scoreboard(d: Dialogue): string {
  const note = overrideNote(d);
  // The charts draw the table's figures, right under it, where GitHub shows them as charts.
  const charts = renderCharts(d);
  return [
    '## ALIGNMENT Scoreboard',
    '',
    ...scoreboardRows(d, 'record'),
    '',
    ...(note ? [note, ''] : []),
    `**Total ALIGNMENT**: ${scoreWithParts(totalAlignment(d))}`,
    '',
    ...(charts ? [charts] : []),
  ].join('\n');
}

function verdictLabel(v: Verdict): string {
  const who = v.experts?.length ? ` — ${v.experts.join(', ')}` : '';
  return `### ${capitalise(v.type)} verdict (Round ${v.round})${who}`;
}

function verdicts(d: Dialogue): string {
  const final = d.verdicts.find((v) => v.type === 'final');
  const others = d.verdicts.filter((v) => v.type !== 'final');
  const lines = ['## Verdict', ''];
  if (final) {
    if (final.forced) lines.push(forcedWarning(final), '');
    // The judge's headings stay below the record's sections (a `## Verdict` of its own would be a second one).
    lines.push(proseBlock(final.text.trim(), 3), '');
    const details = verdictDetails(final);
    if (details) lines.push(details, '');
  } else if (d.abandoned) {
    lines.push(`> **Abandoned** after Round ${d.abandoned.round} (${formatDate(d.abandoned.at)}): ${inlineText(d.abandoned.reason)}`, '');
  } else {
    lines.push('_No final verdict yet._', '');
  }
  for (const v of others) {
    lines.push(verdictLabel(v), '', proseBlock(v.text.trim(), 4), '');
    const details = verdictDetails(v);
    if (details) lines.push(details, '');
  }
  return lines.join('\n');
}

function tensionsResolved(d: Dialogue): string {
  const states = tensionStates(d);
  const lines = [`## Tensions Resolved (${tensionCounts(states)})`, '', '| ID | Tension | Resolution | Settled |', '|----|---------|-----------|---------|'];
  for (const state of states) {
    const note = statusNote(state);
    // The cell starts with the status word, as the reference's does ("Resolved: ..."), so a reader (and
    // `dialogue lint`) can tell a resolution from a note that merely mentions narrowing or reopening.
    const word = STATUS_WORD[state.status];
    const resolution =
      note && state.status === 'resolved' && /^resolved\b/i.test(note)
        ? note
        : `${word}${state.supersededBy?.length ? ` by ${state.supersededBy.join(', ')}` : ''}${note ? `: ${note}` : ''}`;
    lines.push(`| ${idWithRound(state.tension.id, state.tension.round)} | ${noHtml(cell(state.tension.label))} | ${noHtml(cell(resolution))} | ${settledIn(state) ?? '—'} |`);
  }
  return lines.join('\n') + '\n';
}

function insights(d: Dialogue): string {
  const final = d.verdicts.find((v) => v.type === 'final');
  const text = final?.insights ?? [...d.verdicts].reverse().find((v) => v.insights)?.insights;
  return ['## Key Insights', '', text ? proseBlock(text.trim(), 3) : '_None recorded._', ''].join('\n');
}

/**
 * `18/18`: resolved out of all raised; tensions closed without being resolved are named beside it
 * (`15/18; 2 accepted unresolved, 1 superseded`), so the count never hides them.
 */
function tensionCounts(states: TensionState[]): string {
  const resolved = states.filter((s) => s.status === 'resolved').length;
  const accepted = states.filter((s) => s.status === 'accepted').length;
  const superseded = states.filter((s) => s.status === 'superseded').length;
  const closed = [accepted ? `${accepted} accepted unresolved` : '', superseded ? `${superseded} superseded` : ''].filter(Boolean);
  return `${resolved}/${states.length}${closed.length ? `; ${closed.join(', ')}` : ''}`;
}
