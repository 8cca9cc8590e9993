// The protocol's operations on a dialogue: start, open a round, score it, record a verdict.
// Each is a pure function from the current dialogue (and the judge's input) to the next one, and
// refuses what the protocol forbids before anything is written.

import type {
  Confidence,
  Counts,
  Dialogue,
  Expert,
  PanelMember,
  Pool,
  RotationMode,
  Round,
  Score,
  TensionEvent,
  TensionStatus,
  Verdict,
  VerdictType,
} from './model.js';
import { SCHEMA_VERSION } from './model.js';
import { COUNT_BOUND, grouped, MAX_COUNT, MAX_ROUNDS, MAX_ROUNDS_BOUND, MAX_SEED, SEED_BOUND } from './bounds.js';
import { badInput, refused } from './errors.js';
import { dialogueId } from './ids.js';
import { samplePanel, nextPanel } from './sampling.js';
import { bindPanel, resolvePanel, type PanelInput } from './panel.js';
import { withoutIngest } from './ingest.js';
import { oneLine } from './values.js';
import { POOL_MAX_EXPERTS } from './pool.js';
import { normaliseName } from './names.js';
import { DECISION_OPTION, changeStatus, findTension, nextEventSeq, replayHistory, requireTension } from './tensions.js';
import { convergenceGate, hasComponents, sumScores } from './scoring.js';
import { blueCommand } from './shell.js';

const DEFAULT_MAX_ROUNDS = 10;
const DEFAULT_PANEL_CAP = 12;

export interface StartInput {
  title: string;
  pool: Pool;
  question?: string;
  panelSize?: number;
  rotation?: RotationMode;
  /** The sampling seed: the caller draws one when the judge gave none, so this module stays free of randomness. */
  seed: number;
  maxRounds?: number;
  rfc?: string;
  sources?: string[];
  createdAt: Date;
}

export function startDialogue(input: StartInput): Dialogue {
  const question = input.question ?? input.pool.question;
  if (!question || !question.trim()) {
    throw badInput('missing_question', 'the dialogue needs a question: give --question or put "question" in the pool file', {
      fix: 'run the same `blue dialogue start` again with --question "<question>", or add `question:` to the pool file',
    });
  }
  const panelSize = input.panelSize ?? Math.min(input.pool.experts.length, DEFAULT_PANEL_CAP);
  if (!Number.isInteger(panelSize) || panelSize < 1 || panelSize > input.pool.experts.length) {
    throw badInput('invalid_panel_size', `--panel-size must be between 1 and the pool's ${input.pool.experts.length} experts (got ${panelSize})`, {
      size: panelSize,
      fix: `give --panel-size a number from 1 to ${input.pool.experts.length}, or leave it out for min(pool size, ${DEFAULT_PANEL_CAP})`,
    });
  }
  const maxRounds = input.maxRounds ?? DEFAULT_MAX_ROUNDS;
  if (!Number.isInteger(maxRounds) || maxRounds < 1 || maxRounds > MAX_ROUNDS) {
    throw badInput('invalid_max_rounds', `--max-rounds must be a whole number from 1 to ${MAX_ROUNDS} (got ${maxRounds}); ${MAX_ROUNDS_BOUND.rule}`, {
      max: MAX_ROUNDS,
      fix: `give --max-rounds a whole number from 1 to ${MAX_ROUNDS}, or leave it out for ${DEFAULT_MAX_ROUNDS}`,
    });
  }
  const seed = input.seed;
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw badInput('invalid_seed', `--seed must be a whole number from 0 to ${grouped(MAX_SEED)} (got ${seed}); ${SEED_BOUND.rule}`, {
      max: MAX_SEED,
      fix: `give --seed a whole number from 0 to ${grouped(MAX_SEED)}, or leave it out for a random one`,
    });
  }
  const at = input.createdAt.toISOString();
  return {
    schema: SCHEMA_VERSION,
    id: dialogueId(input.createdAt, input.title),
    title: input.title.trim(),
    // It heads the record and every prompt as one line.
    question: oneLine(question),
    pool: input.pool,
    createdAt: at,
    ...(input.rfc ? { rfc: input.rfc } : {}),
    sources: input.sources ?? [],
    rotation: input.rotation ?? 'graduated',
    seed,
    maxRounds,
    panelSize,
    suggestedPanel: samplePanel(input.pool, panelSize, seed),
    status: 'open',
    version: 0,
    updatedAt: at,
    experts: [],
    rounds: [],
    contributions: [],
    tensions: [],
    refs: [],
    moves: [],
    events: [],
    verdicts: [],
  };
}

/** What to do with a dialogue that takes no more changes: export its record (or see it). */
function closedFix(dialogue: Dialogue): string {
  return `nothing more can change in it; write its record with ${blueCommand('dialogue', 'export', dialogue.id)}, or start another dialogue`;
}

/** A tension id as a judge types it, without the space of `CROISSANT R1-T01` (so it needs no quotes). */
function inputId(id: string): string {
  return id.replace(' ', '-');
}

function requireOpenDialogue(dialogue: Dialogue, action: string): void {
  if (dialogue.status !== 'open') {
    throw refused('dialogue_closed', `dialogue ${dialogue.id} is ${dialogue.status}; it cannot ${action}`, {
      status: dialogue.status,
      fix: closedFix(dialogue),
    });
  }
}

/**
 * `--focus <name>=<text>`: a map of name to text, or the pairs as the judge gave them, in order, so that a
 * name given twice is seen (a map keeps only the last).
 */
export type FocusInput = Readonly<Record<string, string>> | ReadonlyArray<readonly [name: string, text: string]>;

export interface OpenRoundInput {
  round?: number;
  panel?: PanelInput[];
  focus?: FocusInput;
  at: string;
}

/**
 * `round open --replace`: re-opens the open round while nothing in it is scored. Its ingest is dropped,
 * experts it bound for the first time are unbound, and the round is opened again with the new panel (the
 * judge's, or the rotation's). Returns the panel it replaced, so the caller can move aside the outputs of
 * experts who left.
 */
export function replaceRound(dialogue: Dialogue, input: OpenRoundInput): { dialogue: Dialogue; round: number; replaced: PanelMember[] } {
  focusByName(input.focus ?? {}); // bad input first, as openRound says it
  requireOpenDialogue(dialogue, 'replace a round');
  const last = dialogue.rounds[dialogue.rounds.length - 1];
  if (!last) {
    throw refused('no_open_round', `no round is open to replace; open round 0 with \`${blueCommand('dialogue', 'round', 'open', dialogue.id)}\``, {
      fix: blueCommand('dialogue', 'round', 'open', dialogue.id),
    });
  }
  if (last.status === 'scored') {
    const rescore = blueCommand('dialogue', 'score', dialogue.id, '--round', String(last.n), '--expert', '<Name>=<W>,<C>,<T>,<R>');
    throw refused('round_scored', `round ${last.n} is scored and cannot be replaced; re-score it with \`${rescore}\``, {
      round: last.n,
      fix: `re-score it (every expert of its panel): ${rescore}; or open the next round: ${blueCommand('dialogue', 'round', 'open', dialogue.id)}`,
    });
  }
  if (input.round !== undefined && input.round !== last.n) {
    throw refused('wrong_round', `--replace re-opens the open round, ${last.n}, not ${input.round}`, {
      round: last.n,
      fix: blueCommand('dialogue', 'round', 'open', dialogue.id, '--replace'),
    });
  }
  const cleared = withoutIngest(dialogue, last.n);
  const base: Dialogue = {
    ...cleared,
    experts: cleared.experts.filter((e) => e.firstRound !== last.n),
    rounds: cleared.rounds.filter((r) => r.n !== last.n),
  };
  const opened = openRound(base, { ...input, round: last.n });
  return { ...opened, replaced: last.panel };
}

export function openRound(dialogue: Dialogue, input: OpenRoundInput): { dialogue: Dialogue; round: number } {
  const focus = focusByName(input.focus ?? {}); // bad input is said first, whatever the round's state
  requireOpenDialogue(dialogue, 'open a round');
  const last = dialogue.rounds[dialogue.rounds.length - 1];
  const next = last ? last.n + 1 : 0;
  if (last && last.status !== 'scored') {
    const score = `\`${blueCommand('dialogue', 'score', dialogue.id)}\``;
    // The round asked for: the next one, the open one itself, or one out of order.
    const message =
      input.round === undefined || input.round === next
        ? `round ${last.n} is still open: score it with ${score} before opening round ${next}`
        : input.round === last.n
          ? `round ${last.n} is already open: run its experts and score it with ${score}, or redo it with --replace while nothing in it is scored`
          : `round ${last.n} is still open: score it with ${score} before opening another; and rounds open in order: the next is ${next}, not ${input.round}`;
    throw refused('round_not_scored', message, {
      round: last.n,
      fix: `finish round ${last.n} first (the next steps say how), or redo it with ${blueCommand('dialogue', 'round', 'open', dialogue.id, '--replace')} while nothing in it is scored`,
    });
  }
  if (input.round !== undefined && input.round !== next) {
    throw refused('wrong_round', `the next round is ${next}, not ${input.round}: rounds open in order`, {
      round: next,
      fix: `leave --round out, or give --round ${next}: ${blueCommand('dialogue', 'round', 'open', dialogue.id)}`,
    });
  }
  if (next >= dialogue.maxRounds) {
    throw refused('max_rounds_reached', `the dialogue has had its ${dialogue.maxRounds} rounds; record the verdict (convergence is forced with a warning)`, {
      maxRounds: dialogue.maxRounds,
      fix: blueCommand('dialogue', 'verdict', dialogue.id, '--text-file', '<verdict.md>', '--insights-file', '<insights.md>'),
    });
  }
  let panel: PanelMember[];
  if (input.panel) {
    ({ panel } = resolvePanel(input.panel, { pool: dialogue.pool, experts: dialogue.experts, previous: last?.panel ?? [], round: next }));
  } else if (!last) {
    panel = dialogue.suggestedPanel.map((m) => ({ ...m }));
  } else {
    panel = nextPanel(dialogue.rotation, last.panel, dialogue.pool, dialogue.experts, dialogue.seed, next);
  }
  // Panels are capped like pools: more experts than a pool may hold is no panel but a flood.
  if (panel.length > POOL_MAX_EXPERTS) {
    throw badInput('panel_too_large', `the panel lists ${panel.length} experts; a panel holds at most ${POOL_MAX_EXPERTS}, like a pool`, {
      size: panel.length,
      fix: `keep at most ${POOL_MAX_EXPERTS} experts in the panel file and run the same \`blue dialogue round open\` again`,
    });
  }
  panel = applyFocus(panel, focus);
  const added = bindPanel(panel, dialogue.experts, next);
  return {
    round: next,
    dialogue: {
      ...dialogue,
      experts: [...dialogue.experts, ...added],
      rounds: [...dialogue.rounds, { n: next, status: 'open', openedAt: input.at, panel, scores: {} }],
    },
  };
}

/** `--focus` by expert name; an empty name or text, or a name given twice, is bad input (exit 2). */
function focusByName(focus: FocusInput): Map<string, string> {
  const byName = new Map<string, string>();
  const pairs: ReadonlyArray<readonly [string, string]> = Array.isArray(focus) ? focus : Object.entries(focus);
  for (const [given, text] of pairs) {
    const name = normaliseName(given);
    if (name === '' || oneLine(text) === '') {
      throw badInput('invalid_option', `--focus ${given.trim()}=${text.trim()} gives ${name === '' ? 'no expert name' : `${name} no focus text`}: it takes <name>=<text>`, {
        option: '--focus',
        ...(name === '' ? {} : { expert: name }),
        fix: name === '' ? 'write --focus <name>=<text>, naming an expert of the panel' : `write the focus after the =: --focus ${name}=<text>; or leave --focus out for ${name}`,
      });
    }
    if (byName.has(name)) {
      throw badInput('invalid_option', `--focus names ${name} twice ("${byName.get(name)}", then "${text.trim()}"); an expert has one focus`, {
        option: '--focus',
        expert: name,
        fix: `give ${name} one --focus ${name}=<text>, its whole focus in one line`,
      });
    }
    byName.set(name, text);
  }
  return byName;
}

function applyFocus(panel: PanelMember[], byName: ReadonlyMap<string, string>): PanelMember[] {
  for (const name of byName.keys()) {
    if (!panel.some((m) => m.name === name)) {
      throw badInput('unknown_expert', `--focus names ${name}, who is not on this round's panel (${panel.map((m) => m.name).join(', ')})`, {
        expert: name,
        panel: panel.map((m) => m.name),
        fix: `give --focus one of the panel's names: ${panel.map((m) => m.name).join(', ')}`,
      });
    }
  }
  return panel.map((m) => (byName.has(m.name) ? { ...m, focus: oneLine(byName.get(m.name)!) } : m));
}

export interface TensionDecision {
  tension: string; // as the judge wrote it
  to: Extract<TensionStatus, 'resolved' | 'narrowed' | 'superseded' | 'accepted' | 'reopened'>;
  note?: string;
  by?: string[]; // for superseded: the successor tension(s)
}

export interface ScoreInput {
  round?: number;
  scores: Record<string, Score>; // by name as the judge wrote it
  roundScore?: Score;
  judge?: Partial<Counts>;
  decisions?: TensionDecision[];
  label?: string;
  summary?: string;
  at: string;
  /**
   * A round held elsewhere and recorded as its folder kept it (`dialogue import`): the judge scored experts
   * whose outputs the folder did not keep, and may have left some without a score. Neither is refused then;
   * a live round keeps both rules.
   */
  recorded?: boolean;
}

/**
 * Scores the open round, or re-scores a scored one (`round`): then everything the judge gave for it before
 * (scores, round score, count overrides, decisions, label, summary) is replaced by this input, the later
 * rounds' tension history is replayed on top (a later decision that no longer holds is exit 3), and
 * `dropped` names, as the judge's options, what the earlier scoring held that this input does not repeat.
 */
export function scoreRound(dialogue: Dialogue, input: ScoreInput): { dialogue: Dialogue; round: number; dropped?: string[] } {
  if (dialogue.status === 'abandoned') requireOpenDialogue(dialogue, 'be scored');
  const open = dialogue.rounds.find((r) => r.status === 'open');
  const n = input.round ?? open?.n;
  if (n === undefined) {
    const last = dialogue.rounds[dialogue.rounds.length - 1];
    const open = blueCommand('dialogue', 'round', 'open', dialogue.id);
    throw refused('no_open_round', last
      ? `round ${last.n} is already scored; open the next with \`${open}\`, or re-score with --round ${last.n}`
      : `no round is open; open round 0 with \`${open}\``, {
      fix: last ? `open round ${last.n + 1}: ${open}; or re-score round ${last.n} with the same command and --round ${last.n}` : `open round 0: ${open}`,
    });
  }
  const round = dialogue.rounds.find((r) => r.n === n);
  if (!round) {
    throw refused('round_not_open', `round ${n} has not been opened`, {
      round: n,
      fix: `leave --round out to score the open round, or give a round that was opened (${dialogue.rounds.map((r) => r.n).join(', ') || 'none yet'})`,
    });
  }
  const rescoring = round.status === 'scored';
  if (rescoring && dialogue.verdicts.some((v) => v.type === 'final')) {
    throw refused('dialogue_closed', `dialogue ${dialogue.id} has a final verdict; its rounds can no longer be re-scored`, {
      status: dialogue.status,
      fix: closedFix(dialogue),
    });
  }
  if (!round.ingest) {
    throw refused('round_not_ingested', `round ${n} has not been ingested; run \`${blueCommand('dialogue', 'round', 'ingest', dialogue.id)}\` first`, {
      round: n,
      fix: `ingest the round's outputs first: ${blueCommand('dialogue', 'round', 'ingest', dialogue.id)} (or run the experts with ${blueCommand('dialogue', 'round', 'run', dialogue.id)})`,
    });
  }

  const panelNames = round.panel.map((m) => m.name);
  const scores: Record<string, Score> = {};
  for (const [raw, score] of Object.entries(input.scores)) {
    const name = normaliseName(raw);
    if (!panelNames.includes(name)) {
      throw badInput('unknown_expert', `${raw} is not on round ${n}'s panel (${panelNames.join(', ')})`, {
        expert: raw,
        panel: panelNames,
        fix: `score the experts of round ${n}'s panel, by these names: ${panelNames.join(', ')}`,
      });
    }
    if (!input.recorded && round.ingest.missing.includes(name) && score.total > 0) {
      throw refused('missing_output', `${name} wrote no output in round ${n}, so cannot score above 0; ingest again once round-${n}/${name.toLowerCase()}.md exists`, {
        expert: name,
        fix: `score ${name}=0, or have ${name} write its output (spawn it again with its prompt file, or ${blueCommand('dialogue', 'round', 'run', dialogue.id, '--expert', name)}) and ingest again: ${blueCommand('dialogue', 'round', 'ingest', dialogue.id)}`,
      });
    }
    scores[name] = score;
  }
  // A zero is both a total and its parts (0,0,0,0), so it mixes with either; what may not mix is a
  // non-zero bare total with non-zero W,C,T,R, since the round's W/C/T/R would then be silently lost.
  const bare = Object.entries(scores).filter(([, s]) => !hasComponents(s)).map(([name]) => name);
  const parted = Object.values(scores).filter((s) => hasComponents(s) && s.total > 0);
  if (!input.roundScore && bare.length > 0 && parted.length > 0) {
    throw badInput(
      'mixed_scores',
      `round ${n} mixes bare totals (${bare.join(', ')}) with W,C,T,R scores, so the round's W/C/T/R would be lost; ` +
        `give ${bare.length === 1 ? 'that expert' : 'those experts'} W,C,T,R too (e.g. --expert ${bare[0]}=<W>,<C>,<T>,<R>), or the round's components with --round-score <W>,<C>,<T>,<R>`,
      { experts: bare, fix: `give ${bare.map((name) => `--expert ${name}=<W>,<C>,<T>,<R>`).join(' ')}, or add --round-score <W>,<C>,<T>,<R>` },
    );
  }
  const unscored = panelNames.filter((name) => !(name in scores));
  if (unscored.length && !input.recorded) {
    throw badInput('missing_scores', `every expert on round ${n}'s panel needs a score; missing: ${unscored.join(', ')} (a missing output scores 0)`, {
      missing: unscored,
      fix: `add ${unscored.map((name) => `--expert ${name}=${round.ingest!.missing.includes(name) ? '0' : '<W>,<C>,<T>,<R>'}`).join(' ')} to the same command`,
    });
  }

  // Re-scoring replaces the round's judging as a whole: its earlier decisions go whether or not new ones
  // are given (a tension the judge recorded as raised, on import, stays raised), and the later rounds'
  // history is replayed on top of what this round now decides.
  let next: Dialogue = rescoring ? { ...dialogue, events: dialogue.events.filter((e) => !isJudgeDecision(e, n)) } : dialogue;
  if (input.decisions && input.decisions.length) {
    // Each decision's event is numbered on from one count, not from a scan of the events per decision.
    let seq = nextEventSeq(next);
    for (const decision of input.decisions) {
      const tension = requireTension(next, decision.tension);
      if (tension.round > n) {
        throw badInput('unknown_tension', `${tension.id} was raised in round ${tension.round}, after round ${n}`, {
          tension: tension.id,
          fix: `decide ${tension.id} when you score round ${tension.round} or later; drop it from this command`,
        });
      }
      let by: string[] | undefined;
      if (decision.to === 'superseded') {
        if (!decision.by?.length) {
          throw badInput('missing_successor', `--supersede ${tension.id} needs the tension(s) that supersede it: --supersede ${tension.id}=<tension>[,<tension>...]`, {
            tension: tension.id,
            fix: `write --supersede ${inputId(tension.id)}=<tension>[,<tension>...]`,
          });
        }
        by = decision.by.map((raw) => {
          const successor = requireTension(next, raw);
          if (successor.id === tension.id) {
            throw badInput('invalid_successor', `${tension.id} cannot supersede itself`, { tension: tension.id, fix: `name another tension after --supersede ${inputId(tension.id)}=` });
          }
          return successor.id;
        });
      }
      if (decision.to === 'accepted' && !decision.note) {
        throw badInput('missing_rationale', `--accept ${tension.id} needs a rationale: --accept ${tension.id}=<why it stays unresolved>`, {
          tension: tension.id,
          fix: `write --accept ${inputId(tension.id)}=<why>`,
        });
      }
      next = changeStatus(next, {
        tension: tension.id,
        to: decision.to,
        actor: 'judge',
        origin: 'judge',
        round: n,
        at: input.at,
        ...(decision.note ? { note: decision.note } : {}),
        ...(by ? { by } : {}),
      }, seq++);
    }
  }
  if (rescoring) next = replayHistory(next);

  const roundScore = input.roundScore ?? sumScores(Object.values(scores));
  // Everything the judge said for the round is this input's alone: on a re-score, a count override, label
  // or summary not given again is gone, as the earlier decisions are (CLI.md: --round replaces the round's).
  const { judge: _judge, label: _label, summary: _summary, ...unjudged } = round;
  const judge = Object.fromEntries(Object.entries(input.judge ?? {}).filter(([, v]) => v !== undefined)) as Partial<Counts>;
  checkJudgeCounts(judge, round);
  const updated: Round = {
    ...unjudged,
    status: 'scored',
    scoredAt: input.at,
    scores,
    roundScore,
    roundScoreGiven: input.roundScore !== undefined,
    ...(Object.keys(judge).length ? { judge } : {}),
    // The label stands in the record's round heading: one line.
    ...(input.label !== undefined ? { label: oneLine(input.label) } : {}),
    ...(input.summary !== undefined ? { summary: input.summary } : {}),
  };
  next = { ...next, rounds: next.rounds.map((r) => (r.n === n ? updated : r)) };
  return { dialogue: next, round: n, ...(rescoring ? { dropped: droppedOnRescore(dialogue, round, input) } : {}) };
}

/** A judge's decision on a tension in round `n` (not a tension the judge recorded as raised). */
function isJudgeDecision(event: TensionEvent, n: number): boolean {
  return event.round === n && event.origin === 'judge' && event.kind === 'status';
}

const COUNT_OPTION: Record<keyof Counts, string> = {
  newPerspectives: '--new-perspectives',
  openTensions: '--open-tensions',
  convergeSignals: '--converge-signals',
};

/**
 * The judge's counts are whole numbers from 0 to MAX_COUNT (the command line refuses the others as
 * written; this holds for every caller), and no more experts signal [MOVE:CONVERGE] than the round's
 * panel has: converge % past 100 would open the convergence gate on a count no panel can give.
 */
function checkJudgeCounts(judge: Partial<Counts>, round: Round): void {
  for (const field of Object.keys(COUNT_OPTION) as (keyof Counts)[]) {
    const value = judge[field];
    if (value === undefined) continue;
    const option = COUNT_OPTION[field];
    if (!Number.isSafeInteger(value) || value < 0 || value > MAX_COUNT) {
      throw badInput('invalid_option', `${option} must be a whole number from 0 to ${grouped(MAX_COUNT)} (got ${value}); ${COUNT_BOUND.rule}`, {
        option,
        max: MAX_COUNT,
        fix: `give ${option} a whole number from 0 to ${grouped(MAX_COUNT)}, or leave it out for blue's count`,
      });
    }
  }
  const panelSize = round.panel.length;
  if (judge.convergeSignals !== undefined && judge.convergeSignals > panelSize) {
    throw badInput('invalid_option', `--converge-signals is ${judge.convergeSignals}, but round ${round.n}'s panel has ${panelSize} expert${panelSize === 1 ? '' : 's'}: at most ${panelSize} can signal [MOVE:CONVERGE]`, {
      option: '--converge-signals',
      max: panelSize,
      fix: `give --converge-signals a whole number from 0 to ${panelSize}, or leave it out for blue's count`,
    });
  }
}

/**
 * What the earlier scoring of a re-scored round held that the new one does not give again, in the judge's
 * options (`--open-tensions 7`, `--narrow SCONE-T01`), so the caller can say what the re-score replaced.
 */
function droppedOnRescore(dialogue: Dialogue, before: Round, input: ScoreInput): string[] {
  const dropped: string[] = [];
  if (before.roundScoreGiven && !input.roundScore) dropped.push('--round-score');
  for (const field of Object.keys(COUNT_OPTION) as (keyof Counts)[]) {
    const value = before.judge?.[field];
    if (value !== undefined && input.judge?.[field] === undefined) dropped.push(`${COUNT_OPTION[field]} ${value}`);
  }
  const given = new Set((input.decisions ?? []).map((d) => `${findTension(dialogue, d.tension)?.id}>${d.to}`));
  for (const e of dialogue.events) {
    if (!isJudgeDecision(e, before.n) || given.has(`${e.tension}>${e.to}`)) continue;
    const item = `${DECISION_OPTION(e.to)} ${inputId(e.tension)}`;
    if (!dropped.includes(item)) dropped.push(item);
  }
  if (before.label && input.label === undefined) dropped.push('--label');
  if (before.summary !== undefined && input.summary === undefined) dropped.push('--summary-file');
  return dropped;
}

export interface VerdictInput {
  type: VerdictType;
  text: string;
  insights?: string;
  vote?: string;
  confidence?: Confidence;
  experts?: string[];
  force?: boolean;
  warning?: string;
  at: string;
}

export function recordVerdict(dialogue: Dialogue, input: VerdictInput): { dialogue: Dialogue; verdict: Verdict } {
  if (!input.text.trim()) throw badInput('empty_verdict', 'the verdict text file is empty', { fix: 'write the verdict, in Markdown, into the --text-file and run the same command again' });
  if (input.force && !input.warning?.trim()) {
    throw badInput('missing_warning', '--force needs --warning <text>: say why the verdict is recorded without convergence', {
      fix: 'add --warning "<why>" to the same command',
    });
  }
  const gate = convergenceGate(dialogue);
  const last = gate.last;
  const round = last?.round ?? 0;
  let forced = false;
  let warning = input.warning;
  if (dialogue.status === 'abandoned') {
    throw refused('dialogue_closed', `dialogue ${dialogue.id} is abandoned; it takes no more verdicts`, { status: dialogue.status, fix: closedFix(dialogue) });
  }
  if (input.type === 'final') {
    if (dialogue.verdicts.some((v) => v.type === 'final')) {
      throw refused('final_verdict_exists', `dialogue ${dialogue.id} already has its final verdict; verdicts are immutable (record an interim, minority or dissent verdict instead)`, {
        fix: `record a dissent or minority verdict instead (${blueCommand('dialogue', 'verdict', dialogue.id, '--type', 'dissent', '--experts', '<names>', '--text-file', '<dissent.md>')}), or export the record: ${blueCommand('dialogue', 'export', dialogue.id)}`,
      });
    }
    if (gate.open) {
      throw refused('round_open', `round ${gate.open.n} is still open: score it before the final verdict`, {
        round: gate.open.n,
        fix: `score round ${gate.open.n} first (${blueCommand('dialogue', 'score', dialogue.id, '--expert', '<Name>=<W>,<C>,<T>,<R>', '--summary-file', '<summary.md>')}); the next steps name its experts`,
      });
    }
    if (!last) {
      throw refused('not_converged', 'no round has been scored yet; the dialogue cannot converge before its first round', {
        blockers: ['no round scored'],
        fix: `run round 0 first: ${blueCommand('dialogue', 'round', 'open', dialogue.id)}`,
      });
    }
    if (!gate.canConverge) {
      if (last.maxRoundsReached) {
        forced = true;
        warning = warning ?? `The maximum of ${dialogue.maxRounds} rounds was reached without convergence: ${last.blockers.join('; ')}.`;
      } else if (input.force) {
        forced = true;
      } else {
        throw refused(
          'not_converged',
          `the dialogue has not converged after round ${last.round}:\n  - ${last.blockers.join('\n  - ')}\n` +
            `Run another round, or record it anyway with --force --warning "<why>".`,
          {
            blockers: last.blockers,
            round: last.round,
            fix: `run another round to settle the blockers: ${blueCommand('dialogue', 'round', 'open', dialogue.id)}; or record it anyway with --force --warning "<why>"`,
          },
        );
      }
    }
  } else if (input.type === 'interim') {
    // Minority and dissent verdicts stand beside the final one (RFC 0051: the judge records them after it).
    requireOpenDialogue(dialogue, `take a ${input.type} verdict`);
  }
  const experts = input.experts?.map((raw) => {
    const name = normaliseName(raw);
    if (!dialogue.experts.some((e) => e.name === name)) {
      throw badInput('unknown_expert', `--experts names ${raw}, who is not an expert of this dialogue`, {
        expert: raw,
        experts: dialogue.experts.map((e) => e.name),
        fix: `name experts of this dialogue: ${dialogue.experts.map((e) => e.name).join(', ')}`,
      });
    }
    return name;
  });
  if ((input.type === 'minority' || input.type === 'dissent') && !experts?.length) {
    throw badInput('missing_experts', `a ${input.type} verdict needs --experts <names>: who supports it`, {
      fix: `add --experts <names>, comma-separated, from this dialogue's experts: ${dialogue.experts.map((e) => e.name).join(', ')}`,
    });
  }
  const verdict: Verdict = {
    type: input.type,
    seq: dialogue.verdicts.length + 1,
    at: input.at,
    round,
    text: input.text,
    ...(input.insights ? { insights: input.insights } : {}),
    ...(input.vote ? { vote: input.vote } : {}),
    ...(input.confidence ? { confidence: input.confidence } : {}),
    ...(experts ? { experts } : {}),
    ...(forced ? { forced: true, warning } : {}),
  };
  return {
    verdict,
    dialogue: {
      ...dialogue,
      status: input.type === 'final' ? 'converged' : dialogue.status,
      verdicts: [...dialogue.verdicts, verdict],
    },
  };
}

export interface AbandonInput {
  reason: string;
  at: string;
}

/**
 * Ends a dialogue that will not be finished. Its rounds, scores and verdicts are refused from then on; the
 * record says it was abandoned and why. A converged or already abandoned dialogue cannot be abandoned.
 */
export function abandonDialogue(dialogue: Dialogue, input: AbandonInput): Dialogue {
  const reason = input.reason.trim();
  if (!reason) throw badInput('missing_reason', 'say why the dialogue is abandoned: --reason <text>', { fix: `${blueCommand('dialogue', 'abandon', dialogue.id, '--reason', '<text>')}` });
  requireOpenDialogue(dialogue, 'be abandoned');
  const last = dialogue.rounds[dialogue.rounds.length - 1];
  return { ...dialogue, status: 'abandoned', abandoned: { at: input.at, round: last?.n ?? 0, reason } };
}

