// The other export formats: the whole dialogue as versioned JSON, and the transcript (every round in
// full, each expert's output verbatim).

import type { Dialogue } from '../domain/model.js';
import { roundMetrics, totalAlignment } from '../domain/scoring.js';
import { tensionStates } from '../domain/tensions.js';
import { CHARTS_SECTION } from '../domain/xychart.js';
import { renderCharts } from './charts.js';
import { forcedWarning, formatDate, panelByScore, scoreWithParts, verdictDetails } from './common.js';
import { fileStem } from '../domain/names.js';
import { escapeHiddenCharactersInJson } from '../domain/hidden-characters.js';
import { closeBlocks, inlineText, markdownFile, proseBlock } from './markdown-text.js';

export const EXPORT_FORMAT = 'blue.dialogue.export';
export const EXPORT_VERSION = 1;

export function renderJson(d: Dialogue): string {
  const doc = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    dialogue: d,
    derived: {
      alignment: totalAlignment(d),
      rounds: d.rounds.filter((r) => r.status === 'scored').map((r) => {
        const m = roundMetrics(d, r.n);
        return {
          round: r.n,
          round_score: m.roundScore,
          cumulative: m.cumulative,
          computed: m.computed,
          effective: m.effective,
          velocity: m.velocity,
          converge_percent: m.convergePercent,
          can_converge: m.canConverge,
          blockers: m.blockers,
        };
      }),
      tensions: tensionStates(d).map((s) => ({
        id: s.tension.id,
        status: s.status,
        ...(s.supersededBy ? { superseded_by: s.supersededBy } : {}),
      })),
    },
  };
  // The characters no reader sees are written as JSON escapes: the same data, and a file that reads as written.
  return escapeHiddenCharactersInJson(JSON.stringify(doc, null, 2) + '\n');
}

export function renderTranscript(d: Dialogue): string {
  const lines = [`# Transcript: ${inlineText(d.title)}`, '', `**Date**: ${formatDate(d.createdAt)}`, `**Question**: ${inlineText(d.question)}`, ''];
  // The overview first: a long transcript is read round by round, and the charts show where each one stands.
  const charts = renderCharts(d);
  if (charts) lines.push(`## ${CHARTS_SECTION}`, '', charts);
  for (const round of d.rounds) {
    lines.push(`## Round ${round.n}${round.label ? ` — ${inlineText(round.label)}` : ''}`, '');
    const outputs = round.ingest?.outputs ?? {};
    for (const member of round.panel) {
      const score = round.scores[member.name];
      lines.push(`### ${member.name} — ${inlineText(member.role)}${score ? ` — score ${scoreWithParts(score)}` : ''}`, '');
      if (member.focus) lines.push(`_Focus: ${inlineText(member.focus)}_`, '');
      const text = outputs[member.name];
      // Verbatim; only a code block or HTML block it leaves open is closed, so the rounds after it stay rounds.
      lines.push(text === undefined ? `_No output (round-${round.n}/${fileStem(member.name)}.md was missing)._` : closeBlocks(text.trim()), '');
    }
    if (round.summary) lines.push(`### Judge's summary`, '', closeBlocks(round.summary.trim()), '');
    if (round.status === 'scored') {
      const m = roundMetrics(d, round.n);
      const ranked = panelByScore(round).map((p) => `${p.name} ${p.score ?? '—'}`).join(', ');
      lines.push(`**Scores**: ${ranked}. Round ${scoreWithParts(m.roundScore)}; velocity ${m.velocity}; converge ${m.convergePercent}%.`, '');
    }
  }
  for (const v of d.verdicts) {
    lines.push(`## ${v.type.charAt(0).toUpperCase() + v.type.slice(1)} verdict (Round ${v.round})`, '');
    // As in the record: a forced verdict says so above its text, so no reader takes it for a converged one.
    if (v.forced) lines.push(forcedWarning(v), '');
    lines.push(proseBlock(v.text.trim(), 3), '');
    // The vote and confidence of the other verdicts, as the record shows them. A final verdict's are in the
    // record only: the transcripts written so far never showed them, and each is pinned byte for byte.
    const details = v.type === 'final' ? undefined : verdictDetails(v);
    if (details) lines.push(details, '');
  }
  return markdownFile(lines.join('\n'));
}
