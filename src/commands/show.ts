// `blue dialogue show <id>`: where the dialogue stands: rounds, scoreboard, open tensions,
// convergence blockers, and the judge's overrides beside blue's counts.

import type { Context } from '../cli/context.js';
import type { CommandResult } from '../cli/output.js';
import { lastScoredMetrics, roundMetrics, totalAlignment } from '../domain/scoring.js';
import { isOpen, tensionStates } from '../domain/tensions.js';
import { scoreWithParts, formatDate } from '../render/common.js';
import { OVERRIDE_LABEL } from '../render/judge-files.js';
import { scoreboardRows } from '../render/record.js';
import { dialogueDir } from '../domain/ids.js';
import { loadDialogue, withStores } from './shared.js';

export async function show(ctx: Context, idArg: string): Promise<CommandResult> {
  const d = await withStores(ctx, (stores) => loadDialogue(stores, idArg));
  const scored = d.rounds.filter((r) => r.status === 'scored').map((r) => roundMetrics(d, r.n));
  const open = d.rounds.find((r) => r.status === 'open');
  const openTensions = tensionStates(d).filter((s) => isOpen(s.status));
  const last = lastScoredMetrics(d);
  const blockers = open ? [`round ${open.n} is open`, ...(last?.blockers ?? [])] : last?.blockers ?? ['no round scored yet'];
  const overrides = scored.flatMap((m) => m.overrides.map((o) => ({ round: m.round, field: o.field, computed: o.computed, judge: o.judge })));
  const total = totalAlignment(d);
  const json = {
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
        missing: r.ingest?.missing ?? [],
        ...(m ? { round_score: m.roundScore, velocity: m.velocity, converge_percent: m.convergePercent, open_tensions: m.effective.openTensions, new_perspectives: m.effective.newPerspectives } : {}),
      };
    }),
    alignment: total,
    open_tensions: openTensions.map((s) => ({ id: s.tension.id, label: s.tension.label, status: s.status, author: s.tension.author, round: s.tension.round })),
    can_converge: !open && (last?.canConverge ?? false),
    blockers: d.status === 'converged' ? [] : blockers,
    overrides,
    verdicts: d.verdicts.map((v) => ({ type: v.type, round: v.round, forced: v.forced ?? false })),
  };
  const lines = [
    `${d.title}`,
    `${d.id} · ${d.status} · started ${formatDate(d.createdAt)} · ${d.rounds.length} round${d.rounds.length === 1 ? '' : 's'} · ALIGNMENT ${scoreWithParts(total)}`,
    '',
  ];
  if (scored.length) lines.push(...scoreboardRows(d, 'tracking'), '');
  if (open) lines.push(`Round ${open.n} is open: ${open.ingest ? `ingested ${open.ingest.ingested.length}/${open.panel.length}` : 'not ingested yet'} (${open.panel.map((p) => p.name).join(', ')})`, '');
  lines.push(openTensions.length ? `Open tensions (${openTensions.length}):` : 'No open tensions.');
  for (const s of openTensions) lines.push(`  ${s.tension.id.padEnd(22)} ${s.status.padEnd(10)} ${s.tension.label}`);
  if (overrides.length) {
    lines.push('', 'Judge overrides (judge / blue counted):');
    for (const o of overrides) lines.push(`  R${o.round} ${OVERRIDE_LABEL[o.field]}: ${o.judge} / ${o.computed}`);
  }
  if (d.status === 'converged') lines.push('', `Converged${d.verdicts.find((v) => v.type === 'final')?.forced ? ' (forced)' : ''}: final verdict recorded.`);
  else lines.push('', json.can_converge ? 'May converge: record the final verdict.' : `Blockers:\n${blockers.map((b) => `  - ${b}`).join('\n')}`);
  return { json, human: lines.join('\n') };
}
