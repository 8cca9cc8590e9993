// `dialogue lint` of a transcript (`blue dialogue export --format transcript`): the rounds in order and the
// verdicts after them, each expert once per round, every score's W+C+T+R, the round's Scores line against
// the experts' headings, converge % against the panel size, a final verdict only after convergence (or
// marked forced), each expert's marker ids unique, and the charts against the Scores lines.
//
// A transcript holds every expert's output verbatim, and an output may have headings of its own: only
// the headings blue writes cut the transcript (`## Round <n>`, `## <Type> verdict (Round <n>)`, the charts'
// section, `### <Pastry> — <role>`, `### Judge's summary`); any other heading is part of the text around it.

import { CONTRIBUTION_LETTER } from './model.js';
import { readMarkers } from './markers.js';
import { isPastryName } from './names.js';
import { CHARTS_SECTION, roundLabel } from './xychart.js';
import {
  brokenTableLines,
  chartsOf,
  checkLabels,
  checkSeries,
  convergeProblem,
  cutSections,
  fieldsOf,
  Findings,
  linesOf,
  partsSum,
  plainText,
  readScore,
  tooLargeToAdd,
  sum,
  type Root,
  type RootContent,
  type ScoreFigure,
  type Section,
} from './lint-shared.js';

export const TRANSCRIPT_TITLE_PREFIX = 'Transcript:';

const ROUND_HEADING = /^Round (\d+)(?: — (.+))?$/;
const VERDICT_HEADING = /^(Final|Interim|Minority|Dissent) verdict \(Round (\d+)\)$/;
const EXPERT_HEADING = /^(\S+) — (.+?)(?: — score (.+))?$/;
const JUDGE_SUMMARY = "Judge's summary";
const SCORES_LINE = /^Scores: (.*)\. Round (.+?); velocity (\d+); converge (\d+)%\.$/;

interface Expert {
  name: string;
  score?: ScoreFigure;
  line: number;
}

interface TranscriptRound {
  round: number;
  line: number;
  experts: Expert[];
  scores?: { velocity: number; converge: number; total: number; line: number };
}

export function lintTranscript(root: Root, text: string, findings: Findings): void {
  let titled = false;
  const { sections } = cutSections(root, (depth, title) => {
    if (depth === 1 && !titled) return (titled = true);
    return depth === 2 && (ROUND_HEADING.test(title) || VERDICT_HEADING.test(title) || title === CHARTS_SECTION);
  });
  const [title, ...rest] = sections;
  const fields = fieldsOf(title?.nodes ?? [], ['Date', 'Question']);
  for (const name of ['Date', 'Question']) {
    if (!fields.has(name)) findings.critical('header', title?.line ?? 1, `the transcript has no "**${name}**:" line under its title`);
  }
  const rounds: TranscriptRound[] = [];
  let finals = 0;
  let verdictSeen: number | undefined;
  for (const section of rest) {
    const round = ROUND_HEADING.exec(section.title);
    const verdict = VERDICT_HEADING.exec(section.title);
    if (section.title === CHARTS_SECTION) {
      if (rounds.length) findings.warning('sections', section.line, `the charts' section comes after Round ${rounds[rounds.length - 1].round}; blue puts it before the rounds`);
    } else if (round) {
      const n = Number(round[1]);
      const previous = rounds[rounds.length - 1];
      if (verdictSeen !== undefined) findings.critical('sections', section.line, `Round ${n} comes after a verdict (line ${verdictSeen}); the verdicts follow the last round`);
      if (previous && n <= previous.round) findings.critical('sections', section.line, `Round ${n} comes after Round ${previous.round}: rounds go up one by one`);
      else if (previous && n !== previous.round + 1) findings.warning('sections', section.line, `Round ${n} follows Round ${previous.round}: the rounds between are missing`);
      else if (!previous && n !== 0) findings.warning('sections', section.line, `the first round is Round ${n}, not Round 0`);
      rounds.push(readRound(n, section, text, findings));
    } else if (verdict) {
      verdictSeen ??= section.line;
      const n = Number(verdict[2]);
      if (!rounds.some((r) => r.round === n)) findings.warning('verdict', section.line, `the ${verdict[1].toLowerCase()} verdict names Round ${n}, which the transcript does not have`);
      if (verdict[1] === 'Final') {
        finals += 1;
        if (finals > 1) findings.critical('verdict', section.line, 'a second final verdict: a dialogue has at most one, and it is immutable');
        else checkFinalVerdict(section, rounds, findings);
      }
    }
  }
  for (const line of brokenTableLines(root.children)) {
    findings.warning('table', line.line, 'this line looks like a table row but is not in a table (a |---| delimiter row is missing, or its cell count differs from the header)');
  }
  checkCharts(root, rounds, findings);
}

function readRound(n: number, section: Section, text: string, findings: Findings): TranscriptRound {
  const round: TranscriptRound = { round: n, line: section.line, experts: [] };
  const { sections: parts } = cutSections({ type: 'root', children: section.nodes }, (depth, title) => {
    if (depth !== 3) return false;
    const m = EXPERT_HEADING.exec(title);
    return title === JUDGE_SUMMARY || (m !== null && isPastryName(m[1]));
  });
  for (const part of parts) {
    if (part.title === JUDGE_SUMMARY) continue;
    const m = EXPERT_HEADING.exec(part.title)!;
    const expert: Expert = { name: m[1], line: part.line };
    if (round.experts.some((e) => e.name === expert.name)) {
      findings.critical('ids', part.line, `${expert.name} appears twice in Round ${n}: an expert answers once per round`);
    }
    if (m[3] !== undefined) {
      const score = readScore(m[3]);
      if (!score) findings.critical('scores', part.line, `${expert.name}'s score "${m[3]}" is not a score such as 25 (W:10 C:5 T:5 R:5)${tooLargeToAdd(m[3])}`);
      else {
        expert.score = score;
        if (score.parts && sum(score.parts) !== score.total) findings.critical('row-sum', part.line, `${expert.name}, Round ${n}: ${partsSum(score.parts)}, but the score says ${score.total}`);
      }
    }
    checkMarkerIds(expert.name, n, part.nodes, text, findings);
    round.experts.push(expert);
  }
  const scoresLine = linesOf(parts.length ? parts.flatMap((p) => p.nodes) : section.nodes)
    .filter((l) => l.text.startsWith('Scores: '))
    .at(-1);
  if (scoresLine) checkScoresLine(round, scoresLine.text, scoresLine.line, findings);
  return round;
}

/** `Scores: Muffin 25, Cupcake 20. Round 45 (W:..); velocity 3; converge 25%.` against the round's experts. */
function checkScoresLine(round: TranscriptRound, line: string, at: number, findings: Findings): void {
  const m = SCORES_LINE.exec(line);
  if (!m) {
    findings.critical('scores', at, `Round ${round.round}'s Scores line does not read as "Scores: <name> <score>, .... Round <score>; velocity <n>; converge <n>%."`);
    return;
  }
  const listed = m[1].split(', ').map((item) => /^(\S+) (\d+|—)$/.exec(item));
  const problems: string[] = [];
  for (const [i, entry] of listed.entries()) {
    if (!entry) {
      problems.push(`"${m[1].split(', ')[i]}" is not "<name> <score>"`);
      continue;
    }
    const expert = round.experts.find((e) => e.name === entry[1]);
    const value = entry[2] === '—' ? undefined : Number(entry[2]);
    if (!expert) problems.push(`it lists ${entry[1]}, who has no section in Round ${round.round}`);
    else if (expert.score?.total !== value) problems.push(`it gives ${entry[1]} ${entry[2]}, but ${entry[1]}'s heading says ${expert.score?.total ?? 'no score'}`);
  }
  const names = new Set(listed.map((e) => e?.[1]));
  for (const expert of round.experts) if (!names.has(expert.name)) problems.push(`it leaves out ${expert.name}`);
  for (const problem of problems) findings.critical('scores', at, `Round ${round.round}'s Scores line: ${problem}`);
  const score = readScore(m[2]);
  if (!score) findings.critical('scores', at, `Round ${round.round}'s round score "${m[2]}" is not a score such as 125 (W:45 C:30 T:25 R:25)${tooLargeToAdd(m[2])}`);
  else if (score.parts && sum(score.parts) !== score.total) findings.critical('row-sum', at, `Round ${round.round}: ${partsSum(score.parts)}, but the round score says ${score.total}`);
  const converge = Number(m[4]);
  const problem = convergeProblem(converge, round.experts.length);
  if (problem) findings.critical('converge', at, `Round ${round.round}: ${problem}`);
  round.scores = { velocity: Number(m[3]), converge, total: score?.total ?? 0, line: at };
}

/** Each expert's own ids (P01, T01, ...) once per round: ingest renumbers a repeat, and warned when it did. */
function checkMarkerIds(name: string, round: number, nodes: RootContent[], text: string, findings: Findings): void {
  const start = nodes[0]?.position?.start;
  const end = nodes[nodes.length - 1]?.position?.end;
  if (!start || !end || start.offset === undefined || end.offset === undefined) return;
  const { entries } = readMarkers(text.slice(start.offset, end.offset));
  const seen = new Map<string, number>();
  for (const entry of entries) {
    if (entry.type !== 'entity') continue;
    const own = `${CONTRIBUTION_LETTER[entry.kind]}${String(entry.seq).padStart(2, '0')}`;
    const line = start.line + entry.line - 1;
    if (seen.has(own)) findings.warning('ids', line, `${name} uses ${own} twice in Round ${round} (also line ${seen.get(own)}); blue recorded the second under the next free number`);
    else seen.set(own, line);
  }
}

/** A final verdict needs the last scored round at velocity 0 and converge 100%, unless it says it was forced. */
function checkFinalVerdict(section: Section, rounds: TranscriptRound[], findings: Findings): void {
  const forced = section.nodes.some((node) => node.type === 'blockquote' && /^Warning: convergence was forced/.test(plainText(node).trim()));
  if (forced) return;
  const last = [...rounds].reverse().find((r) => r.scores);
  if (!last) {
    findings.critical('verdict', section.line, 'a final verdict, but no round is scored');
    return;
  }
  const { velocity, converge } = last.scores!;
  if (velocity !== 0 || converge !== 100) {
    findings.critical(
      'verdict',
      section.line,
      `a final verdict, but the last scored round (Round ${last.round}) has velocity ${velocity} and converge ${converge}%: it needs velocity 0 and converge 100%, or is marked forced`,
    );
  }
}

function checkCharts(root: Root, rounds: TranscriptRound[], findings: Findings): void {
  const scored = rounds.filter((r) => r.scores);
  const labels = scored.map((r) => roundLabel(r.round));
  for (const chart of chartsOf(root, findings)) {
    if (!checkLabels(findings, chart, labels, 'the Scores lines')) continue;
    if (chart.kind !== 'alignment') continue; // the transcript does not list tensions to check against
    checkSeries(findings, chart, 'bar', 'ALIGNMENT', new Map(scored.map((r) => [roundLabel(r.round), r.scores!.total])), 'the Scores lines');
    checkSeries(findings, chart, 'line', 'velocity', new Map(scored.map((r) => [roundLabel(r.round), r.scores!.velocity])), 'the Scores lines');
  }
}
