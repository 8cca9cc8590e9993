// The judge script of ../shared/fixtures/rfc-0058 driven through the use cases in process (the same steps
// scripts/replay.mjs drives through bin/blue), with a hook to change the judge's input on the way.

import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportDialogues } from '../../src/app/export.js';
import { roundIngest } from '../../src/app/round-ingest.js';
import { roundOpen } from '../../src/app/round-open.js';
import { score, type Scored } from '../../src/app/score.js';
import { start } from '../../src/app/start.js';
import { verdict } from '../../src/app/verdict.js';
import type { Counts } from '../../src/domain/model.js';
import type { TensionDecision } from '../../src/domain/protocol.js';
import { parseScore } from '../../src/domain/scoring.js';
import { testProject, type TestProject } from './app.js';

const here = dirname(fileURLToPath(import.meta.url));
const shared = resolve(here, '../../../shared/fixtures/rfc-0058/judge.json');
/** The judge script: the team's shared copy when it is beside the clone, else the bundled one. */
export const JUDGE_FILE = existsSync(shared) ? shared : resolve(here, '../../.blue/examples/rfc-0058/judge.json');

export interface ReplayResult {
  p: TestProject;
  id: string;
  rounds: Scored[];
  record: string;
}

export async function replayInProcess(edit: (judge: any) => void = () => undefined): Promise<ReplayResult> {
  const fixture = dirname(JUDGE_FILE);
  const judge = JSON.parse(readFileSync(JUDGE_FILE, 'utf8'));
  edit(judge);
  const dialogueDir = resolve(fixture, judge.dialogue_dir);
  const p = testProject();
  const { dialogue } = await start(p.ports, { title: judge.title, pool: resolve(fixture, judge.pool), question: judge.question, date: judge.date, rfc: judge.rfc });
  const id = dialogue.id;
  const rounds: Scored[] = [];
  for (const round of judge.rounds) {
    p.write(`.replay/panel-${round.round}.json`, JSON.stringify(round.panel));
    const opened = await roundOpen(p.ports, { id, panel: `.replay/panel-${round.round}.json` });
    for (const member of opened.panel) {
      const source = round.outputs[member.name];
      if (!source) continue;
      mkdirSync(dirname(join(p.root, member.output_file)), { recursive: true });
      copyFileSync(resolve(dialogueDir, source), join(p.root, member.output_file));
    }
    await roundIngest(p.ports, id);
    const judged: Partial<Counts> = {};
    const counts = round.judge ?? {};
    if (counts.new_perspectives !== undefined) judged.newPerspectives = counts.new_perspectives;
    if (counts.open_tensions !== undefined) judged.openTensions = counts.open_tensions;
    if (counts.converge_signals !== undefined) judged.convergeSignals = counts.converge_signals;
    const t = round.tensions ?? {};
    const decisions: TensionDecision[] = [
      ...(t.resolve ?? []).map((r: any) => ({ tension: r.id, to: 'resolved' as const, ...(r.note ? { note: r.note } : {}) })),
      ...(t.narrow ?? []).map((r: any) => ({ tension: r.id, to: 'narrowed' as const, ...(r.note ? { note: r.note } : {}) })),
      ...(t.supersede ?? []).map((r: any) => ({ tension: r.id, to: 'superseded' as const, by: String(r.by).split(',') })),
      ...(t.accept ?? []).map((r: any) => ({ tension: r.id, to: 'accepted' as const, note: r.note })),
      ...(t.reopen ?? []).map((r: any) => ({ tension: r.id, to: 'reopened' as const })),
    ];
    const rs = round.round_score;
    rounds.push(
      await score(p.ports, {
        id,
        scores: Object.entries(round.scores).map(([name, value]) => [name, parseScore(String(value), name)]),
        ...(rs ? { roundScore: parseScore([rs.w, rs.c, rs.t, rs.r].join(','), '--round-score') } : {}),
        judge: judged,
        decisions,
        ...(round.label ? { label: round.label } : {}),
        ...(round.summary_file ? { summaryFile: resolve(dialogueDir, round.summary_file) } : {}),
      }),
    );
  }
  await verdict(p.ports, { id, type: judge.verdict.type ?? 'final', textFile: resolve(fixture, judge.verdict.text_file), ...(judge.verdict.insights_file ? { insightsFile: resolve(fixture, judge.verdict.insights_file) } : {}) });
  await exportDialogues(p.ports, { id });
  return { p, id, rounds, record: p.read(`.blue/dialogues/${id}/dialogue.md`) };
}
