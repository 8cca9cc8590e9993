// `blue dialogue score`: the judge's scores and decisions for the open round (or a scored one, again:
// then they replace everything the judge gave for that round). Closes the round, then rewrites the
// judge-facing files from the store.

import { BlueError, badInput } from '../domain/errors.js';
import type { Counts, Dialogue, Score } from '../domain/model.js';
import { canonicalJson } from '../domain/canonical.js';
import { normaliseName } from '../domain/names.js';
import { scoreRound, type TensionDecision } from '../domain/protocol.js';
import { blueCommand } from '../domain/shell.js';
import { roundMetrics, scoreFromValue, type RoundMetrics } from '../domain/scoring.js';
import { isRecord } from '../domain/values.js';
import { scoresInputWarnings } from '../domain/input-check.js';
import { refuseHiddenCharacters } from '../domain/hidden-characters.js';
import { DECISION_OPTION } from '../domain/tensions.js';
import { changedFiles, judgeFiles } from './judge-files.js';
import type { Ports } from './ports.js';
import { updateWith, withStores } from './shared.js';

export interface ScoreRequest {
  id: string;
  round?: number;
  /** Scores by name as the judge wrote them (`--expert`), parsed. */
  scores: Array<[string, Score]>;
  /** A YAML/JSON map of name to a total or {w, c, t, r}, as the judge named it. */
  scoresFile?: string;
  roundScore?: Score;
  judge: Partial<Counts>;
  decisions: TensionDecision[];
  label?: string;
  summaryFile?: string;
}

export interface Scored {
  dialogue: Dialogue;
  round: number;
  metrics: RoundMetrics;
}

export async function score(ports: Ports, request: ScoreRequest): Promise<Scored> {
  const { workspace } = ports;
  refuseHiddenCharacters({ '--label': request.label });
  for (const d of request.decisions) refuseHiddenCharacters({ [DECISION_OPTION(d.to)]: [d.tension, ...(d.note !== undefined ? [d.note] : []), ...(d.by ?? [])] });
  const scores: Record<string, Score> = request.scoresFile ? await readScoresFile(ports, request.scoresFile) : {};
  for (const [name, value] of request.scores) addScore(scores, name, value, request.scoresFile ? 'in the scores file or with --expert, not both' : 'with one --expert');
  if (Object.keys(scores).length === 0) {
    throw badInput('missing_scores', 'give each expert a score: --expert <name>=<total> or <name>=<W>,<C>,<T>,<R> (repeatable), or --scores <file>', {
      fix: `add --expert <Name>=<W>,<C>,<T>,<R> for each expert on the round's panel, or --scores <file>; ${blueCommand('dialogue', 'show', request.id)} names them`,
    });
  }
  if (request.roundScore && request.roundScore.w === null) {
    throw badInput('invalid_score', '--round-score takes the round\'s components W,C,T,R (e.g. 45,30,25,25)', { fix: 'give --round-score as W,C,T,R, or leave it out for the sum of the experts\' components' });
  }
  const summary = request.summaryFile ? (await workspace.readInput(request.summaryFile, 'summary file')).text : undefined;
  const input = {
    round: request.round,
    scores,
    ...(request.roundScore ? { roundScore: request.roundScore } : {}),
    judge: request.judge,
    decisions: request.decisions,
    ...(request.label !== undefined ? { label: request.label } : {}),
    ...(summary !== undefined ? { summary } : {}),
    at: ports.clock.now().toISOString(),
  };
  let dropped: string[] = [];
  const { dialogue, value: n } = await withStores(ports, async (stores) => {
    const id = await stores.catalog.resolve(request.id);
    try {
      return await updateWith(stores.store, id, (d) => {
        const scored = scoreRound(d, input);
        dropped = scored.dropped ?? [];
        return { dialogue: scored.dialogue, value: scored.round };
      });
    } catch (error) {
      const repaired = error instanceof BlueError && error.code === 'no_open_round' ? await repairJudgeFiles(ports, await stores.store.load(id), scores) : undefined;
      if (repaired) return repaired;
      throw error;
    }
  });
  if (dropped.length) {
    // A re-score replaces the round's judging as a whole: say what is gone, so nothing is lost unawares.
    ports.log.warn(
      `round ${n} re-scored: its earlier ${dropped.join(', ')} ${dropped.length === 1 ? 'was not given again and no longer stands' : 'were not given again and no longer stand'}` +
        ` (--round replaces everything the judge gave for the round; repeat what should stay)`,
    );
  }
  await workspace.write(await changedFiles(workspace, judgeFiles(dialogue)));
  return { dialogue, round: n, metrics: roundMetrics(dialogue, n) };
}

async function readScoresFile(ports: Ports, path: string): Promise<Record<string, Score>> {
  const file = await ports.workspace.readData(path, 'scores file', 'invalid_scores');
  if (!isRecord(file.data)) {
    throw badInput('invalid_scores', `${file.path} must map expert names to a total or {w, c, t, r}`, { file: file.path, fix: `write ${file.path} as a map such as \`Muffin: {w: 8, c: 6, t: 5, r: 4}\`, one line per expert` });
  }
  for (const w of scoresInputWarnings(file.data, file.path)) ports.log.warn(`${w.file}: ${w.message}`, w);
  const scores: Record<string, Score> = {};
  // Names are case-insensitive (CLI.md): `Muffin` and `muffin` are one expert, which YAML takes for two keys.
  for (const [name, value] of Object.entries(file.data)) addScore(scores, name, scoreFromValue(value, `${file.path}: ${name}`), `once in ${file.path} (names are case-insensitive)`);
  return scores;
}

/** Adds one expert's score; a name scored already, in any case, is refused (exit 2) rather than one score winning. */
function addScore(scores: Record<string, Score>, name: string, value: Score, once: string): void {
  const twice = Object.keys(scores).find((known) => normaliseName(known) === normaliseName(name));
  if (twice !== undefined) {
    throw badInput('duplicate_score', `${normaliseName(name)} is scored twice (${twice} and ${name}); give each expert one score`, {
      expert: normaliseName(name),
      fix: `give ${normaliseName(name)} one score, ${once}`,
    });
  }
  scores[name] = value;
}

/**
 * A crash between the commit of `score` and its files leaves the last round scored while scoreboard.md,
 * tensions.md or a summary is missing or stale, which the next round's experts would read. Running the same
 * `score` again (the same scores) then rewrites those files instead of refusing; other scores are still
 * refused, since the round is scored (re-score it with --round).
 */
async function repairJudgeFiles(ports: Ports, dialogue: Dialogue, scores: Record<string, Score>): Promise<{ dialogue: Dialogue; value: number } | undefined> {
  const last = dialogue.rounds[dialogue.rounds.length - 1];
  if (!last || last.status !== 'scored') return undefined;
  const given = Object.fromEntries(Object.entries(scores).map(([name, s]) => [normaliseName(name), s]));
  if (canonicalJson(given) !== canonicalJson(last.scores)) return undefined;
  const stale = await changedFiles(ports.workspace, judgeFiles(dialogue));
  if (stale.length === 0) return undefined;
  ports.log.warn(`round ${last.n} was already scored with these scores, but ${stale.map((f) => f.path).join(', ')} did not match the store (a command stopped after its commit?); rewritten from the store`);
  return { dialogue, value: last.n };
}

