// What makes sense now for a dialogue: the `next` of every `--json` answer (CLI.md, Global behaviour). From
// the dialogue's state (and what the caller saw in its folder), the commands a judge can run next, in the
// order a judge should consider them: the default path first, its alternatives after. Each command is
// complete with this dialogue's id and round numbers; only the judge's own values (scores, text files,
// notes) are `<placeholders>`. A judge agent can follow these alone from `start` to `export`.

import type { Dialogue, Round } from './model.js';
import { BlueError } from './errors.js';
import { dialogueDir } from './ids.js';
import { roundMetrics } from './scoring.js';
import { isOpen, tensionStates } from './tensions.js';
import { blueCommand } from './shell.js';

export interface NextStep {
  /** A command line for sh: blue's words, this dialogue's values, and `<placeholders>` for the judge's. */
  command: string;
  /** Why, and when, to run it. */
  why: string;
}

/** What the caller saw in the dialogue's folder; a field left out was not looked at. */
export interface NextContext {
  /** Experts of the open round whose output file is in the folder now. */
  written?: readonly string[];
  /** Each expert's prompt and output file in the open round, by name (paths relative to the project root). */
  files?: Readonly<Record<string, { prompt: string; output: string }>>;
  /** The exported record in the folder, compared with what `export` would write now. */
  record?: 'absent' | 'current' | 'stale';
  /** Where `round run` would find its agent; left out, it was not looked at (see RunAgent). */
  agent?: RunAgent;
}

/**
 * Where `round run` finds its agent, which decides how it is offered: `configured` (agent.command in
 * .blue/config.yaml) runs as it is; `none` needs `--agent <command>`; `{given}`, the `--agent` the judge
 * just ran it with, is kept, so that running the offer again runs the same agent. Unknown (undefined),
 * the offer carries `--agent <command>` too: with a value filled in it runs whatever the config says.
 */
export type RunAgent = 'configured' | 'none' | { given: string };

/** `blue dialogue round run <id>` as a judge can run it: with the agent options it needs (RunAgent). */
export function roundRunCommandLine(id: string, agent: RunAgent | undefined): string {
  const options = agent === 'configured' ? [] : ['--agent', typeof agent === 'object' ? agent.given : '<command>'];
  return blueCommand('dialogue', 'round', 'run', id, ...options);
}

/** Where the offered `round run` gets its agent, said in full since a judge may have none configured yet. */
function agentHint(agent: RunAgent | undefined): string {
  const presets = 'a command line, or a preset: claude, codex, gemini, llm';
  if (agent === 'configured') return 'agent.command in .blue/config.yaml';
  if (typeof agent === 'object') return 'the same --agent as the run before';
  if (agent === 'none') return `--agent <command>: ${presets}; no agent.command is set in .blue/config.yaml`;
  return `--agent <command>: ${presets}; or leave --agent out when agent.command in .blue/config.yaml names one`;
}

/** The commands that make sense now for `dialogue`, default path first. Empty when nothing is left to do. */
export function nextSteps(dialogue: Dialogue, context: NextContext = {}): NextStep[] {
  if (dialogue.status !== 'open') return closedSteps(dialogue, context);
  const last = dialogue.rounds[dialogue.rounds.length - 1];
  if (!last) return firstRoundSteps(dialogue);
  if (last.status === 'open') return last.ingest ? ingestedSteps(dialogue, last, context) : uningestedSteps(dialogue, last, context);
  return scoredSteps(dialogue, last);
}

/**
 * Adds the dialogue's next steps to a refusal that has none: a judge whose command was refused learns from
 * the answer what it can do instead. Anything that is not a BlueError passes through untouched.
 */
export function withNextSteps(error: unknown, dialogue: Dialogue, context: NextContext = {}): unknown {
  if (!(error instanceof BlueError) || error.details.next) return error;
  return withNext(error, nextSteps(dialogue, context));
}

/** The same error (code, message, exit code, stack) with `next` as its next steps. */
export function withNext(error: BlueError, next: NextStep[]): BlueError {
  const explained = new BlueError(error.exitCode, error.code, error.message, { ...error.details, next });
  explained.stack = error.stack;
  return explained;
}

/** Runs a step of the protocol on `dialogue`; a refusal it throws leaves with the dialogue's next steps. */
export function explained<T>(dialogue: Dialogue, step: () => T, context: NextContext = {}): T {
  try {
    return step();
  } catch (error) {
    throw withNextSteps(error, dialogue, context);
  }
}

function closedSteps(d: Dialogue, context: NextContext): NextStep[] {
  if (context.record === 'current') return [];
  const record = `the Markdown record in ${dialogueDir(d.id)}/`;
  const stale = context.record === 'stale' ? ` (the one in the folder is out of date)` : '';
  if (d.status === 'abandoned') {
    return [{ command: blueCommand('dialogue', 'export', d.id), why: `write the record, ${record}${stale}: it says the dialogue was abandoned, and why` }];
  }
  return [
    { command: blueCommand('dialogue', 'export', d.id), why: `the final verdict is in: write the record, ${record}${stale}` },
    {
      command: blueCommand('dialogue', 'verdict', d.id, '--type', 'dissent', '--experts', '<names>', '--text-file', '<dissent.md>'),
      why: 'optional, before the export: record a dissent (or, with --type minority, a minority verdict) beside the final one, naming its supporters',
    },
  ];
}

function firstRoundSteps(d: Dialogue): NextStep[] {
  const n = d.suggestedPanel.length;
  return [
    {
      command: blueCommand('dialogue', 'round', 'open', d.id),
      why: `open round 0 with the suggested panel (${d.suggestedPanel.map((m) => m.name).join(', ')}): blue writes one prompt per expert`,
    },
    {
      command: blueCommand('dialogue', 'round', 'open', d.id, '--panel', '<panel.yaml>'),
      why: `or open round 0 with a panel of your own instead of the suggested ${n}: a YAML list of {role, source: pool|created, tier?, focus?}`,
    },
  ];
}

function names(list: readonly string[]): string {
  return list.join(', ');
}

function runStep(d: Dialogue, round: Round, without: readonly string[], context: NextContext): NextStep {
  const who = without.length === round.panel.length ? `every expert of round ${round.n}` : `the ${without.length === 1 ? 'expert' : `${without.length} experts`} of round ${round.n} without an output (${names(without)})`;
  return {
    command: roundRunCommandLine(d.id, context.agent),
    why: `the default path: run ${who} through your agent command (${agentHint(context.agent)}); then it ingests the round`,
  };
}

function handSpawnStep(d: Dialogue, round: Round, without: readonly string[], again: boolean, context: NextContext): NextStep {
  const all = without.length === round.panel.length;
  // Each expert's own files where the caller named them, so that none is spawned twice or writes elsewhere.
  const files = context.files
    ? without.map((name) => `${name} ${context.files![name]?.prompt} (it writes ${context.files![name]?.output})`).join(', ')
    : `${all ? 'each expert' : names(without)} its prompt file (in round-${round.n}/ of ${dialogueDir(d.id)}/, as \`round open\` named it); each writes the output file its prompt names`;
  return {
    command: blueCommand('dialogue', 'round', 'ingest', d.id),
    why:
      `or spawn the experts yourself, one sub-agent each, all at once, each with its prompt verbatim: ${files}; ` +
      `then ${again ? 'ingest again' : 'ingest the round'}` +
      (all ? '' : ` (an output still missing then is reported and scores 0)`),
  };
}

function uningestedSteps(d: Dialogue, round: Round, context: NextContext): NextStep[] {
  const panel = round.panel.map((m) => m.name);
  const without = context.written ? panel.filter((name) => !context.written!.includes(name)) : panel;
  if (without.length === 0) {
    return [{ command: blueCommand('dialogue', 'round', 'ingest', d.id), why: `every expert of round ${round.n} has written its output: read them all` }];
  }
  return [runStep(d, round, without, context), handSpawnStep(d, round, without, false, context)];
}

function ingestedSteps(d: Dialogue, round: Round, context: NextContext): NextStep[] {
  const missing = round.ingest!.missing;
  const since = context.written ? missing.filter((name) => context.written!.includes(name)) : [];
  const steps: NextStep[] = [];
  if (since.length) {
    steps.push({
      command: blueCommand('dialogue', 'round', 'ingest', d.id),
      why: `${names(since)} ${since.length === 1 ? 'has' : 'have'} written an output since the last ingest: ingest again before you score`,
    });
  }
  const still = missing.filter((name) => !since.includes(name));
  if (still.length && !since.length) steps.push(runStep(d, round, still, context), handSpawnStep(d, round, still, true, context));
  steps.push(...scoreSteps(d, round, missing, since.length > 0 || still.length > 0));
  return steps;
}

/** `score` for the open round: every expert on the panel, those without an output at 0. */
function scoreSteps(d: Dialogue, round: Round, missing: readonly string[], alternative: boolean): NextStep[] {
  const experts = round.panel.flatMap((m) => ['--expert', `${m.name}=${missing.includes(m.name) ? '0' : '<W>,<C>,<T>,<R>'}`]);
  const open = tensionStates(d, round.n).filter((s) => isOpen(s.status));
  // The input form of an id, without the space of `CROISSANT R1-T01`, needs no quotes.
  const ids = open.map((s) => s.tension.id.replace(' ', '-'));
  const scored = missing.length ? ` (${names(missing)} wrote nothing and ${missing.length === 1 ? 'scores' : 'score'} 0)` : '';
  const steps: NextStep[] = [
    {
      command: blueCommand('dialogue', 'score', d.id, ...experts, '--summary-file', '<summary.md>'),
      why:
        `${alternative ? 'or score round ' + round.n + ' now' : `score round ${round.n}`} and close it: Wisdom, Consistency, Truth, Relationships for each expert${scored}, ` +
        `your synthesis of the round in <summary.md>` +
        (open.length ? `; ${open.length} tension${open.length === 1 ? '' : 's'} stay${open.length === 1 ? 's' : ''} open (${names(open.map((s) => `${s.tension.id} ${s.status}`))})` : ''),
    },
  ];
  if (open.length) {
    steps.push({
      command: blueCommand('dialogue', 'score', d.id, ...experts, ...ids.flatMap((id) => ['--resolve', `${id}=<note>`]), '--summary-file', '<summary.md>'),
      why:
        `or score it and settle the open tensions you decide: keep a --resolve for each one settled, drop the others, ` +
        `or write --accept <tension>=<why>, --narrow <tension>=<note> or --supersede <tension>=<by> instead`,
    });
  }
  return steps;
}

function scoredSteps(d: Dialogue, last: Round): NextStep[] {
  const m = roundMetrics(d, last.n);
  const verdict = blueCommand('dialogue', 'verdict', d.id, '--text-file', '<verdict.md>', '--insights-file', '<insights.md>');
  if (m.canConverge) {
    return [{ command: verdict, why: `round ${last.n} converged (velocity 0, every expert signalled [MOVE:CONVERGE]): record the final verdict, your decision in <verdict.md>, the key insights in <insights.md>` }];
  }
  const blockers = m.blockers.join('; ');
  if (m.maxRoundsReached) {
    return [{ command: verdict, why: `the dialogue has had its ${d.maxRounds} rounds without converging (${blockers}): the final verdict is recorded as forced, with a warning naming what stayed open` }];
  }
  const next = last.n + 1;
  const graduated = d.rotation === 'graduated';
  return [
    {
      command: blueCommand('dialogue', 'round', 'open', d.id),
      why: `not converged after round ${last.n} (${blockers}): open round ${next} with ${d.rotation === 'none' || graduated ? 'the same panel' : `the panel resampled by the ${d.rotation} rotation`}`,
    },
    {
      command: blueCommand('dialogue', 'round', 'open', d.id, '--panel', '<panel.yaml>'),
      why:
        `${graduated ? 'graduated rotation: you decide the panel; ' : 'or '}open round ${next} with a panel of your own, a YAML list: ` +
        `keep an expert with {name: <Name>, source: retained} (round ${last.n}'s panel: ${names(last.panel.map((m) => m.name))}), ` +
        `add {role: <role>, source: pool} from the pool or {role: <role>, source: created, tier: core|adjacent|wildcard}; retain who can settle the open tensions; ` +
        `--focus <Name>=<text> gives one expert a directive`,
    },
    {
      command: blueCommand('dialogue', 'verdict', d.id, '--force', '--warning', '<why>', '--text-file', '<verdict.md>', '--insights-file', '<insights.md>'),
      why: 'or stop before convergence: a forced final verdict, your reason in the record as a warning',
    },
  ];
}
