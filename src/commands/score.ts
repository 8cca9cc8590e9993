// `blue dialogue score <id>`

import { COUNT_BOUND, ROUND_NUMBER_BOUND } from '../domain/bounds.js';
import { badInput } from '../domain/errors.js';
import type { Counts, Score } from '../domain/model.js';
import type { TensionDecision } from '../domain/protocol.js';
import { parseInteger, splitPair } from './parse.js';
import { ID_ARG, type CommandSpec } from './spec.js';

export const scoreCommand: CommandSpec = {
  path: ['dialogue', 'score'],
  args: [ID_ARG],
  description: "record the judge's scores and decisions for the open round and close it",
  options: [
    { flags: '--round <n>', description: "re-score a scored round: replaces all the judge gave for it (scores, round score, counts, decisions, label, summary; what is not given again is dropped) and recomputes everything after it" },
    { flags: '--expert <name=score>', description: 'one expert: <name>=<total> or <name>=<W>,<C>,<T>,<R>; repeatable', repeatable: true },
    { flags: '--scores <file>', description: 'YAML/JSON map of name to a total or {w,c,t,r}' },
    { flags: '--round-score <W,C,T,R>', description: "the round's components (default: the sum of the experts')" },
    { flags: '--new-perspectives <n>', description: "the judge's count where it differs from blue's" },
    { flags: '--open-tensions <n>', description: "the judge's count where it differs from blue's" },
    { flags: '--converge-signals <n>', description: "the judge's count where it differs from blue's" },
    { flags: '--resolve <tension[=note]>', description: 'resolve a tension; repeatable', repeatable: true },
    { flags: '--narrow <tension[=note]>', description: 'narrow a tension; repeatable', repeatable: true },
    { flags: '--supersede <tension=by>', description: 'supersede a tension by another; repeatable', repeatable: true },
    { flags: '--accept <tension=why>', description: 'accept a tension unresolved, with a rationale; repeatable', repeatable: true },
    { flags: '--reopen <tension>', description: 'reopen a tension; repeatable', repeatable: true },
    { flags: '--label <text>', description: "a note for the round's heading in the record" },
    { flags: '--summary-file <md>', description: "the judge's synthesis of the round" },
  ],
  examples: ['blue dialogue score <id> --expert Muffin=8,6,5,4 --expert Cupcake=7,6,5,5 --resolve MUFFIN-T01="settled by the trait split" --summary-file r0.md'],
  async run(ctx, [id], o) {
    // Loaded here, not at the top: every command's declaration is read at start-up, its work only when it runs.
    const [{ score }, { parseScore }, { scoreWithParts, OVERRIDE_LABEL }] = await Promise.all([
      import('../app/score.js'),
      import('../domain/scoring.js'),
      import('../render/common.js'),
    ]);
    const judge: Partial<Counts> = {};
    const np = parseInteger(o.newPerspectives, '--new-perspectives', 0, COUNT_BOUND);
    const ot = parseInteger(o.openTensions, '--open-tensions', 0, COUNT_BOUND);
    const cs = parseInteger(o.convergeSignals, '--converge-signals', 0, COUNT_BOUND);
    if (np !== undefined) judge.newPerspectives = np;
    if (ot !== undefined) judge.openTensions = ot;
    if (cs !== undefined) judge.convergeSignals = cs;
    const scored = await score(ctx.ports, {
      id: id!,
      round: parseInteger(o.round, '--round', 0, ROUND_NUMBER_BOUND),
      scores: ((o.expert ?? []) as string[]).map((item): [string, Score] => {
        const [name, value] = splitPair(item, '--expert', true, '<name>=<total> or <name>=<W>,<C>,<T>,<R>');
        return [name, parseScore(value ?? '', `--expert ${name}`)];
      }),
      scoresFile: o.scores,
      ...(o.roundScore ? { roundScore: parseScore(o.roundScore, '--round-score') } : {}),
      judge,
      decisions: decisions(o),
      label: o.label,
      summaryFile: o.summaryFile,
    });
    const { metrics: m, round: n, dialogue } = scored;
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
      `  velocity ${m.velocity} (${count(m.effective.openTensions, 'open tension')} + ${count(m.effective.newPerspectives, 'new perspective')}), converge ${m.convergePercent}% (${m.effective.convergeSignals}/${m.panelSize})`,
      ...m.overrides.map((ov) => `  judge override: ${OVERRIDE_LABEL[ov.field]} ${ov.judge} (blue counted ${ov.computed})`),
      m.canConverge
        ? `  The dialogue may converge: record the final verdict.`
        : m.maxRoundsReached
          ? `  Maximum rounds reached: the final verdict will be recorded as forced. Blockers: ${m.blockers.join('; ')}`
          : `  Not converged: ${m.blockers.join('; ')}`,
    ];
    return { json, human: lines.join('\n'), dialogue };
  },
};

function decisions(o: Record<string, string[] | undefined>): TensionDecision[] {
  const out: TensionDecision[] = [];
  const add = (list: string[] | undefined, to: TensionDecision['to'], option: string, expected: string | undefined) => {
    for (const item of list ?? []) {
      const [tension, value] = splitPair(item, option, expected !== undefined, expected);
      const form = `${option} ${expected ?? '<tension>[=<note>]'}`;
      if (!tension) throw badInput('invalid_option', `${option} needs a tension id (got "${item}")`, { option, fix: `write ${form}, e.g. ${option} MUFFIN-T01${expected ? '=<text>' : ''}` });
      if (expected !== undefined && !value) throw badInput('invalid_option', `${option} ${tension}= needs a value after '='`, { option, fix: `write ${form}` });
      out.push(
        to === 'superseded'
          ? { tension, to, by: (value ?? '').split(',').map((t) => t.trim()).filter(Boolean) }
          : { tension, to, ...(value ? { note: value } : {}) },
      );
    }
  };
  add(o.resolve, 'resolved', '--resolve', undefined);
  add(o.narrow, 'narrowed', '--narrow', undefined);
  add(o.supersede, 'superseded', '--supersede', '<tension>=<by>[,<by>...]');
  add(o.accept, 'accepted', '--accept', '<tension>=<why>');
  add(o.reopen, 'reopened', '--reopen', undefined);
  return out;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
