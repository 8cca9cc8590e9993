// `score --round <n>` replaces the judging of a scored round as a whole (CLI.md: "to replace a scored
// round's, which recomputes everything after it"), and a decision that repeats a tension's status adds
// its note. In process, on the RFC 0058 replay and a small dialogue, asserting what was written.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exportDialogues } from '../../src/app/export.js';
import { judgeFiles } from '../../src/app/judge-files.js';
import { roundIngest } from '../../src/app/round-ingest.js';
import { roundOpen } from '../../src/app/round-open.js';
import { score } from '../../src/app/score.js';
import { show } from '../../src/app/show.js';
import { start } from '../../src/app/start.js';
import { scoreCommand } from '../../src/commands/score.js';
import { BlueError } from '../../src/domain/errors.js';
import type { TensionDecision } from '../../src/domain/protocol.js';
import { parseScore } from '../../src/domain/scoring.js';
import { showDocument } from '../../src/render/show.js';
import { SMALL_POOL_YAML, testProject } from '../support/app.js';
import { JUDGE_FILE, replayInProcess } from '../support/replay.js';

const JUDGE = JSON.parse(readFileSync(JUDGE_FILE, 'utf8'));
const ROUND_1 = JUDGE.rounds[1];

/** The replay's first three rounds, with an interim verdict (a final one would close the rounds to re-scoring). */
function threeRounds() {
  return replayInProcess((judge) => {
    judge.rounds = judge.rounds.slice(0, 3);
    judge.verdict.type = 'interim';
  });
}

/** `blue dialogue score <id> --round 1` with round 1's scores as the judge gave them, and `extra` options. */
function rescoreRoundOne(ctx: any, id: string, extra: Record<string, unknown> = {}) {
  const rs = ROUND_1.round_score;
  return scoreCommand.run(ctx, [id], {
    round: '1',
    expert: Object.entries(ROUND_1.scores).map(([name, total]) => `${name}=${total}`),
    roundScore: [rs.w, rs.c, rs.t, rs.r].join(','),
    ...extra,
  });
}

/** Every judge file on disk is what the store says. */
function expectJudgeFilesCurrent(p: any, id: string) {
  for (const file of judgeFiles(p.stored(id))) expect(p.read(file.path), file.path).toBe(file.content);
}

describe('score --round <n> replaces the round\'s judging', () => {
  it('drops the earlier overrides, decisions, label and summary, and rewrites what shows them', async () => {
    const { p, id } = await threeRounds();
    const dir = `.blue/dialogues/${id}`;
    const before = p.stored(id);
    expect(before.rounds[1]).toMatchObject({ judge: { openTensions: 7 }, label: 'graduated rotation' });
    expect(before.events.filter((e: any) => e.round === 1 && e.origin === 'judge')).toHaveLength(9);
    const ctx = { ports: p.ports, json: true, storeName: 'the file store' };

    const answer: any = (await rescoreRoundOne(ctx, id)).json;
    // The judge's counts no longer stand: the counts in force are blue's.
    expect(answer.open_tensions).toBe(answer.computed.open_tensions);
    expect(answer.new_perspectives).toBe(answer.computed.new_perspectives);
    expect(answer.velocity).toBe(answer.computed.open_tensions + answer.computed.new_perspectives);

    const stored = p.stored(id);
    const round = stored.rounds[1];
    expect(round.judge).toBeUndefined();
    expect(round.label).toBeUndefined();
    expect(round.summary).toBeUndefined();
    expect(stored.events.filter((e: any) => e.round === 1 && e.origin === 'judge')).toEqual([]);
    // Round 2's decisions still stand, replayed on what round 1 now leaves: CROISSANT-T01 is no longer
    // superseded when round 2 resolves it.
    const croissant = stored.events.filter((e: any) => e.tension === 'CROISSANT-T01' && e.kind === 'status' && e.origin === 'judge');
    expect(croissant.map((e: any) => [e.round, e.from, e.to])).toEqual([[2, 'open', 'resolved']]);
    expect(stored.rounds[2].judge).toEqual(before.rounds[2].judge);

    expect(p.warnings.at(-1)).toMatch(/^round 1 re-scored: its earlier --new-perspectives 9, --open-tensions 7, --converge-signals 0, --resolve MACARON-T01, --resolve BRIOCHE-T01, --narrow STRUDEL-T01, .*--supersede MUFFIN-T01, --label, --summary-file were not given again and no longer stand/);

    // The judge files, show and the record say the same.
    expectJudgeFilesCurrent(p, id);
    const board = p.read(`${dir}/scoreboard.md`);
    expect(board).not.toContain('Judge override (R1)');
    expect(board).toContain('Judge override (R2)');
    const summary = p.read(`${dir}/round-1.summary.md`);
    expect(summary.startsWith('# Round 1 Summary\n')).toBe(true);
    expect(summary).not.toContain('Judge override');
    expect(summary).not.toContain('(judge)');
    const tensions = p.read(`${dir}/tensions.md`);
    const scone = tensions.slice(tensions.indexOf('### SCONE-T01'));
    expect(scone.slice(0, scone.indexOf('\n###'))).toMatch(/\*\*Status: OPEN\*\*\n$/);
    expect(showDocument(await show(p.ports, id)).overrides.map((o: any) => o.round)).toEqual([2, 2, 2]);
    await exportDialogues(p.ports, { id });
    const record = p.read(`${dir}/dialogue.md`);
    expect(record).toContain('### Round 1 (8 experts)\n');
    expect(record).not.toContain('graduated rotation');
    expect(record).not.toMatch(/R1 open tensions 7/);
  });

  it('replaces the earlier decisions with the new ones, and the override is still gone', async () => {
    const { p, id } = await threeRounds();
    const ctx = { ports: p.ports, json: true, storeName: 'the file store' };
    await rescoreRoundOne(ctx, id);
    const answer: any = (await rescoreRoundOne(ctx, id, { accept: ['BRIOCHE-T01=analytics is out of scope'] })).json;
    expect(answer.open_tensions).toBe(answer.computed.open_tensions);
    const stored = p.stored(id);
    expect(stored.rounds[1].judge).toBeUndefined();
    const judged = stored.events.filter((e: any) => e.round === 1 && e.origin === 'judge');
    expect(judged.map((e: any) => [e.tension, e.from, e.to, e.note])).toEqual([['BRIOCHE-T01', 'open', 'accepted', 'analytics is out of scope']]);
    expectJudgeFilesCurrent(p, id);
    expect(p.read(`.blue/dialogues/${id}/tensions.md`)).toContain('**Status: ACCEPTED UNRESOLVED** (judge, R1) — analytics is out of scope');
    // The first re-score left nothing for the second to drop; a third without the acceptance drops it.
    const warned = p.warnings.length;
    await rescoreRoundOne(ctx, id, { accept: ['BRIOCHE-T01=analytics is out of scope'] });
    expect(p.warnings.length).toBe(warned);
    await rescoreRoundOne(ctx, id);
    expect(p.warnings.at(-1)).toMatch(/^round 1 re-scored: its earlier --accept BRIOCHE-T01 was not given again and no longer stands \(/);
    expect(p.stored(id).events.filter((e: any) => e.round === 1 && e.origin === 'judge')).toEqual([]);
  });

  it('given everything again, gives back what the first scoring wrote', async () => {
    const { p, id } = await threeRounds();
    const dir = `.blue/dialogues/${id}`;
    const files = judgeFiles(p.stored(id)).map((f) => f.path);
    const original = Object.fromEntries(files.map((f) => [f, p.read(f)]));
    const record = p.read(`${dir}/dialogue.md`);
    const ctx = { ports: p.ports, json: true, storeName: 'the file store' };
    await rescoreRoundOne(ctx, id);
    const t = ROUND_1.tensions;
    await rescoreRoundOne(ctx, id, {
      newPerspectives: String(ROUND_1.judge.new_perspectives),
      openTensions: String(ROUND_1.judge.open_tensions),
      convergeSignals: String(ROUND_1.judge.converge_signals),
      resolve: t.resolve.map((r: any) => `${r.id}=${r.note}`),
      narrow: t.narrow.map((r: any) => `${r.id}=${r.note}`),
      supersede: t.supersede.map((r: any) => `${r.id}=${r.by}`),
      label: ROUND_1.label,
      summaryFile: `${JUDGE_FILE.replace(/judge\.json$/, '')}${JUDGE.dialogue_dir}/${ROUND_1.summary_file}`,
    });
    for (const f of files) expect(p.read(f), f).toBe(original[f]);
    await exportDialogues(p.ports, { id });
    expect(p.read(`${dir}/dialogue.md`)).toBe(record);
  });
});

describe('score --round <n> and the later rounds', () => {
  /** Round 0 raises two tensions and supersedes the first by the second; round 1 reopens the first. */
  async function supersededThenReopened() {
    const p = testProject();
    p.write('pool.yaml', SMALL_POOL_YAML);
    const { dialogue } = await start(p.ports, { title: 'Second shop', pool: 'pool.yaml', panelSize: 2, seed: 3 });
    const id = dialogue.id;
    const round = async (texts: string[], decisions: TensionDecision[]) => {
      const opened = await roundOpen(p.ports, { id });
      opened.panel.forEach((m, i) => p.write(m.output_file, texts[i] ?? 'Nothing new.\n'));
      await roundIngest(p.ports, id);
      const scores = opened.panel.map((m): [string, ReturnType<typeof parseScore>] => [m.name, parseScore('2,2,2,2', m.name)]);
      await score(p.ports, { id, scores, judge: {}, decisions });
      return opened.panel.map((m) => m.name);
    };
    const names = await round(['[TENSION T01: Rent]\nHigh.\n', '[TENSION T01: Staff]\nFew.\n'], []);
    const [first, second] = names.map((n) => `${n.toUpperCase()}-T01`);
    await round([], [{ tension: first, to: 'superseded', by: [second] }]);
    return { p, id, names, first, second };
  }

  it('refuses (exit 3) a re-score that leaves a later decision impossible, and writes nothing', async () => {
    const { p, id, names, first, second } = await supersededThenReopened();
    // Round 1 supersedes; round 2 reopens. Re-scoring round 1 without the supersession would leave round 2
    // reopening an open tension.
    const opened = await roundOpen(p.ports, { id });
    for (const m of opened.panel) p.write(m.output_file, 'Nothing new.\n');
    await roundIngest(p.ports, id);
    await score(p.ports, { id, scores: opened.panel.map((m) => [m.name, parseScore('1,1,1,1', m.name)]), judge: {}, decisions: [{ tension: first, to: 'reopened' }] });
    const store = p.read(`.blue/dialogues/${id}/store.json`);
    const files = Object.fromEntries(judgeFiles(p.stored(id)).map((f) => [f.path, p.read(f.path)]));
    const error = await score(p.ports, { id, round: 1, scores: names.map((n) => [n, parseScore('3,3,3,3', n)]), judge: {}, decisions: [] }).catch((e) => e);
    expect(error).toBeInstanceOf(BlueError);
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe(`round 2: ${first} would be open when judge moves it to reopened`);
    expect(error.details.fix).toMatch(/^re-score round 2 without that decision on/);
    expect(p.read(`.blue/dialogues/${id}/store.json`)).toBe(store);
    for (const [path, content] of Object.entries(files)) expect(p.read(path)).toBe(content);
    // Keeping the supersession, the re-score goes through.
    await score(p.ports, { id, round: 1, scores: names.map((n) => [n, parseScore('3,3,3,3', n)]), judge: {}, decisions: [{ tension: first, to: 'superseded', by: [second] }] });
    expect(p.stored(id).rounds[1].scores[names[0]].total).toBe(12);
    expectJudgeFilesCurrent(p, id);
  });
});

describe('a decision that repeats the tension\'s status', () => {
  it('adds its note to tensions.md, the round summary and the record (the RFC 0058 replay, SCONE-T01 resolved twice in round 3)', async () => {
    const { p, id, record } = await replayInProcess((judge) => {
      const resolve = judge.rounds[3].tensions.resolve;
      const at = resolve.findIndex((r: any) => r.id === 'SCONE-T01');
      resolve.splice(at, 1, { id: 'SCONE-T01', note: 'a=b' }, { id: 'SCONE-T01', note: 'again' });
    });
    const events = p.stored(id).events.filter((e: any) => e.tension === 'SCONE-T01' && e.round === 3);
    expect(events.map((e: any) => [e.from, e.to, e.note])).toEqual([['narrowed', 'resolved', 'a=b'], ['resolved', 'resolved', 'again']]);
    const dir = `.blue/dialogues/${id}`;
    expect(p.read(`${dir}/tensions.md`)).toContain('**Status: RESOLVED** (judge, R3) — a=b; again\n');
    expect(p.read(`${dir}/tensions.md`)).toContain('- R3 judge: resolved → resolved — again\n');
    expect(p.read(`${dir}/round-3.summary.md`)).toContain('- SCONE-T01: narrowed → resolved (judge) — a=b\n- SCONE-T01: resolved → resolved (judge) — again\n');
    expect(record).toMatch(/\n\| SCONE-T01 \(R0\) \| [^|]+ \| Resolved: a=b; again \| judge, R3 \|\n/);
  });
});
