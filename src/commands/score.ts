// `blue dialogue score <id>`: the judge's scores and decisions for the open round (or --round n to
// replace a scored round's). Closes the round and rewrites the judge-facing files.

import { join, resolve } from 'node:path';
import type { Context } from '../cli/context.js';
import type { CommandResult } from '../cli/output.js';
import type { Counts, Dialogue, Score } from '../domain/model.js';
import { parseScore, roundMetrics, scoreFromValue } from '../domain/scoring.js';
import { scoreRound, type TensionDecision } from '../domain/protocol.js';
import { badInput } from '../domain/errors.js';
import { normaliseName } from '../domain/names.js';
import { absDialogueDir, dialogueDir, parseInteger, splitPair, withStores } from './shared.js';
import { readInputFile, writeOwnedFile } from '../workspace/files.js';
import { renderRoundSummary, renderScoreboard, renderTensions } from '../render/judge-files.js';
import { scoreWithParts } from '../render/common.js';

export interface ScoreOptions {
  round?: string;
  expert?: string[];
  scores?: string;
  roundScore?: string;
  newPerspectives?: string;
  openTensions?: string;
  convergeSignals?: string;
  resolve?: string[];
  narrow?: string[];
  supersede?: string[];
  accept?: string[];
  reopen?: string[];
  label?: string;
  summaryFile?: string;
}

async function readScoresFile(path: string): Promise<Record<string, Score>> {
  const { parseDataFile } = await import('../workspace/data-file.js');
  const { isRecord: isPlainObject } = await import('../domain/values.js');
  const data = parseDataFile(readInputFile(path, 'scores file'), path, 'invalid_scores');
  if (!isPlainObject(data)) throw badInput('invalid_scores', `${path} must map expert names to a total or {w, c, t, r}`);
  return Object.fromEntries(Object.entries(data).map(([name, value]) => [name, scoreFromValue(value, `${path}: ${name}`)]));
}

function decisions(options: ScoreOptions): TensionDecision[] {
  const out: TensionDecision[] = [];
  const add = (list: string[] | undefined, to: TensionDecision['to'], option: string, needsValue: boolean) => {
    for (const item of list ?? []) {
      const [tension, value] = splitPair(item, option, needsValue);
      if (!tension) throw badInput('invalid_option', `${option} needs a tension id (got "${item}")`);
      if (needsValue && !value) throw badInput('invalid_option', `${option} ${tension}= needs a value after '='`);
      out.push(
        to === 'superseded'
          ? { tension, to, by: (value ?? '').split(',').map((id) => id.trim()).filter(Boolean) }
          : { tension, to, ...(value ? { note: value } : {}) },
      );
    }
  };
  add(options.resolve, 'resolved', '--resolve', false);
  add(options.narrow, 'narrowed', '--narrow', false);
  add(options.supersede, 'superseded', '--supersede', true); // <tension>=<by>[,<by>...]
  add(options.accept, 'accepted', '--accept', true);
  add(options.reopen, 'reopened', '--reopen', false);
  return out;
}

export async function score(ctx: Context, idArg: string, options: ScoreOptions): Promise<CommandResult> {
  const scores: Record<string, Score> = options.scores ? await readScoresFile(resolve(process.cwd(), options.scores)) : {};
  for (const item of options.expert ?? []) {
    const [name, value] = splitPair(item, '--expert');
    const twice = Object.keys(scores).find((known) => normaliseName(known) === normaliseName(name));
    if (twice) throw badInput('duplicate_score', `${normaliseName(name)} is scored twice (${twice} and ${name}); give each expert one score`);
    scores[name] = parseScore(value ?? '', `--expert ${name}`);
  }
  if (Object.keys(scores).length === 0) {
    throw badInput('missing_scores', 'give each expert a score: --expert <name>=<total> or <name>=<W>,<C>,<T>,<R> (repeatable), or --scores <file>');
  }
  const judge: Partial<Counts> = {};
  const np = parseInteger(options.newPerspectives, '--new-perspectives');
  const ot = parseInteger(options.openTensions, '--open-tensions');
  const cs = parseInteger(options.convergeSignals, '--converge-signals');
  if (np !== undefined) judge.newPerspectives = np;
  if (ot !== undefined) judge.openTensions = ot;
  if (cs !== undefined) judge.convergeSignals = cs;
  const summary = options.summaryFile ? readInputFile(resolve(process.cwd(), options.summaryFile), 'summary file') : undefined;
  const input = {
    round: parseInteger(options.round, '--round'),
    scores,
    ...(options.roundScore ? { roundScore: parseScore(options.roundScore, '--round-score') } : {}),
    judge,
    decisions: decisions(options),
    ...(options.label !== undefined ? { label: options.label } : {}),
    ...(summary !== undefined ? { summary } : {}),
    at: new Date().toISOString(),
  };
  if (input.roundScore && input.roundScore.w === null) {
    throw badInput('invalid_score', '--round-score takes the round\'s components W,C,T,R (e.g. 45,30,25,25)');
  }
  const { dialogue, n } = await withStores(ctx, async (stores) => {
    // Only the id is needed here: update() loads (and checks) the dialogue under the lock itself.
    const id = await stores.catalog.resolve(idArg);
    let scored = -1;
    const saved = await stores.store.update(id, (d) => {
      const result = scoreRound(d, input);
      scored = result.round;
      return result.dialogue;
    });
    return { dialogue: saved, n: scored };
  });
  await writeJudgeFiles(ctx, dialogue);
  const m = roundMetrics(dialogue, n);
  const round = dialogue.rounds.find((r) => r.n === n)!;
  const asJson = (s: Score) => ({ w: s.w, c: s.c, t: s.t, r: s.r, total: s.total });
  const json = {
    round: n,
    scores: Object.fromEntries(Object.entries(round.scores).map(([name, s]) => [name, asJson(s)])),
    round_score: asJson(m.roundScore),
    cumulative: asJson(m.cumulative),
    open_tensions: m.effective.openTensions,
    new_perspectives: m.effective.newPerspectives,
    converge_signals: m.effective.convergeSignals,
    computed: { open_tensions: m.computed.openTensions, new_perspectives: m.computed.newPerspectives, converge_signals: m.computed.convergeSignals },
    panel_size: m.panelSize,
    converge_percent: m.convergePercent,
    velocity: m.velocity,
    can_converge: m.canConverge,
    blockers: m.blockers,
    max_rounds_reached: m.maxRoundsReached,
  };
  const lines = [
    `Round ${n} scored: ${scoreWithParts(m.roundScore)}; cumulative ${scoreWithParts(m.cumulative)}`,
    `  velocity ${m.velocity} (${m.effective.openTensions} open tensions + ${m.effective.newPerspectives} new perspectives), converge ${m.convergePercent}% (${m.effective.convergeSignals}/${m.panelSize})`,
    ...m.overrides.map((o) => `  judge override: ${o.field} ${o.judge} (blue counted ${o.computed})`),
    m.canConverge
      ? `  The dialogue may converge: blue dialogue verdict ${dialogue.id} --text-file <verdict.md>`
      : m.maxRoundsReached
        ? `  Maximum rounds reached: the final verdict will be recorded as forced. Blockers: ${m.blockers.join('; ')}`
        : `  Not converged: ${m.blockers.join('; ')}\n  Next: blue dialogue round open ${dialogue.id}`,
  ];
  return { json, human: lines.join('\n') };
}

/**
 * Rewrites scoreboard.md, tensions.md and the scored rounds' summaries from the stored dialogue, so
 * the next round's experts read exactly what the store holds. Returns the paths written.
 */
export async function writeJudgeFiles(ctx: Context, dialogue: Dialogue): Promise<string[]> {
  const dir = absDialogueDir(ctx, dialogue.id);
  const written: [string, string][] = [
    ['scoreboard.md', renderScoreboard(dialogue)],
    ['tensions.md', renderTensions(dialogue)],
    ...dialogue.rounds
      .filter((r) => r.status === 'scored')
      .map((r): [string, string] => [`round-${r.n}.summary.md`, renderRoundSummary(dialogue, r.n)]),
  ];
  await Promise.all(written.map(([name, content]) => writeOwnedFile(join(dir, name), content)));
  return written.map(([name]) => `${dialogueDir(dialogue.id)}/${name}`);
}

