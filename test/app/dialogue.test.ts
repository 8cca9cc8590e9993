// The use cases in process, on a temporary project and the file store: a dialogue driven as a judge drives
// it, with the mistakes a new user makes. After each step the store and the folder are inspected; every
// refused call must leave the store exactly as it was.

import { beforeAll, describe, expect, it } from 'vitest';
import { exportDialogues } from '../../src/app/export.js';
import { list } from '../../src/app/list.js';
import { roundIngest } from '../../src/app/round-ingest.js';
import { roundOpen } from '../../src/app/round-open.js';
import { score, type ScoreRequest } from '../../src/app/score.js';
import { show } from '../../src/app/show.js';
import { start } from '../../src/app/start.js';
import { verdict } from '../../src/app/verdict.js';
import { BlueError } from '../../src/domain/errors.js';
import { parseScore } from '../../src/domain/scoring.js';
import { showDocument } from '../../src/render/show.js';
import { SMALL_POOL_YAML, testProject, type TestProject } from '../support/app.js';

const ID = '2026-03-01T0930Z-second-shop';
const DIR = `.blue/dialogues/${ID}`;
const STORE = `${DIR}/store.json`;

/** Runs a call that must be refused, and checks the store file did not change. */
async function refusedWithoutChange(p: TestProject, call: () => Promise<unknown>, exit: number, code: string, says: RegExp): Promise<BlueError> {
  const before = p.read(STORE);
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BlueError);
  const blue = error as BlueError;
  expect({ exit: blue.exitCode, code: blue.code }).toEqual({ exit, code });
  expect(blue.message).toMatch(says);
  expect(p.read(STORE)).toBe(before);
  return blue;
}

const scores = (...pairs: string[]): ScoreRequest['scores'] =>
  pairs.map((pair) => {
    const [name, value] = pair.split('=');
    return [name, parseScore(value, `--expert ${name}`)];
  });

const scoreRequest = (over: Partial<ScoreRequest>): ScoreRequest => ({ id: ID, scores: [], judge: {}, decisions: [], ...over });

describe('a dialogue driven through the use cases', () => {
  let p: TestProject;

  beforeAll(() => {
    p = testProject();
    p.write('pool.yaml', SMALL_POOL_YAML);
  });

  it('start: creates the dialogue, writes expert-pool.json and returns the protocol', async () => {
    const started = await start(p.ports, { title: 'Second shop?', pool: 'pool.yaml', seed: 7, panelSize: 4, date: '2026-03-01T09:30Z' });
    expect(started.dialogue.id).toBe(ID);
    expect(started.dir).toBe(DIR);
    expect(started.protocol).toContain(`blue dialogue round open ${ID}`);
    expect(started.dialogue.suggestedPanel.map((m) => m.name)).toEqual(['Muffin', 'Cupcake', 'Scone', 'Eclair']);
    expect(p.stored(ID)).toMatchObject({ id: ID, version: 1, seed: 7, status: 'open', rounds: [] });
    expect(JSON.parse(p.read(`${DIR}/expert-pool.json`)).experts).toHaveLength(8);
    const again = await start(p.ports, { title: 'Second shop?', pool: 'pool.yaml', date: '2026-03-01T09:30Z' }).catch((e) => e);
    expect([again.exitCode, again.code]).toEqual([3, 'dialogue_exists']);
  });

  it('start without --seed draws one from the random source and without --date takes the clock', async () => {
    const q = testProject({ now: '2026-04-02T10:11:12.000Z' });
    q.write('pool.yaml', SMALL_POOL_YAML);
    const started = await start(q.ports, { title: 'Clocked', pool: 'pool.yaml' });
    expect(started.dialogue.id).toBe('2026-04-02T1011Z-clocked');
    expect(started.dialogue.seed).toBe(Math.floor(0.25 * 2 ** 31));
  });

  it('refuses to score or ingest before a round is open', async () => {
    await refusedWithoutChange(p, () => score(p.ports, scoreRequest({ scores: scores('Muffin=3') })), 3, 'no_open_round', /no round is open/);
    await refusedWithoutChange(p, () => roundIngest(p.ports, ID), 3, 'no_open_round', /no round is open/);
  });

  it('round open: writes panel.json and one prompt per expert, resolving a prefix', async () => {
    const opened = await roundOpen(p.ports, { id: '2026-03-01', focus: { scone: 'Staffing' } });
    expect(opened.round).toBe(0);
    expect(opened.panel.map((m) => [m.name, m.source, m.output_file])).toEqual([
      ['Muffin', 'pool', `${DIR}/round-0/muffin.md`],
      ['Cupcake', 'pool', `${DIR}/round-0/cupcake.md`],
      ['Scone', 'pool', `${DIR}/round-0/scone.md`],
      ['Eclair', 'pool', `${DIR}/round-0/eclair.md`],
    ]);
    const prompt = p.read(opened.panel[2].prompt_file);
    expect(prompt).toContain(`${DIR}/round-0/scone.md`);
    expect(prompt).toContain('Staffing');
    expect(JSON.parse(p.read(`${DIR}/round-0/panel.json`)).panel).toHaveLength(4);
    expect(p.stored(ID).rounds).toMatchObject([{ n: 0, status: 'open', openedAt: '2026-03-01T09:30:00.000Z' }]);
  });

  it('refuses to open the next round while this one is unscored', async () => {
    await refusedWithoutChange(p, () => roundOpen(p.ports, { id: 'second-shop' }), 3, 'round_not_scored', /round 0 is still open/);
  });

  it('round ingest: records what was written, reports what is missing and what it cannot read', async () => {
    await refusedWithoutChange(p, () => roundIngest(p.ports, ID), 3, 'no_outputs', /no expert of round 0 has written an output yet/);
    p.write(`${DIR}/round-0/muffin.md`, '[PERSPECTIVE P01: Demand is proven]\nQueues every morning.\n\n[TENSION T01: Capital vs. quality]\nTwo ovens, one head baker.\n');
    p.write(`${DIR}/round-0/cupcake.md`, '# Cupcake\n\n[PERSPECTIVE P01: Cash flow covers it]\nWe can fund it.\n\n[RESOLVED MUFFIN-T01]\nHire a second head baker first.\n\n[PERSPECTIVE: forgot the id]\nThis line must survive.\n');
    p.write(`${DIR}/round-0/scone.md`, '**[PERSPECTIVE P01: Staffing is the bottleneck]**\nNobody to run it.\n[MOVE:CONVERGE]\n');
    p.write(`${DIR}/round-0/palmier.md`, '[PERSPECTIVE P01: Not on the panel]\nStray.\n');
    const report = await roundIngest(p.ports, ID);
    expect(report.ingested).toEqual(['Muffin', 'Cupcake', 'Scone']);
    expect(report.missing).toEqual(['Eclair']);
    expect(report.counts).toEqual({ perspectives: 3, tensions: 1, resolutions: 1, converge_signals: 1 });
    expect(report.warnings).toContainEqual({ file: `${DIR}/round-0/palmier.md`, line: 1, message: expect.stringMatching(/not an output of this round's panel/) });
    expect(report.warnings.find((w) => /PERSPECTIVE/.test(w.message))).toMatchObject({ file: `${DIR}/round-0/cupcake.md`, line: 9 });
    const stored = p.stored(ID);
    expect(stored.rounds[0].ingest.outputs.Cupcake).toContain('This line must survive.');
    expect(stored.tensions.map((t: any) => t.id)).toEqual(['MUFFIN-T01']);
    expect(stored.events.map((e: any) => [e.tension, e.kind, e.to])).toEqual([['MUFFIN-T01', 'raised', 'open'], ['MUFFIN-T01', 'status', 'addressed']]);
  });

  it('refuses bad scores with the documented codes and changes nothing', async () => {
    const all = ['Muffin=5,4,3,3', 'Cupcake=4,3,2,1', 'Scone=3,3,2,1'];
    await refusedWithoutChange(p, () => score(p.ports, scoreRequest({ scores: scores('Muffin=5,4,3,3', 'Cupcake=10', 'Scone=9', 'Eclair=0') })), 2, 'mixed_scores', /mixes bare totals \(Cupcake, Scone\)/);
    await refusedWithoutChange(p, () => score(p.ports, scoreRequest({ scores: scores(...all, 'Eclair=4') })), 3, 'missing_output', /Eclair wrote no output/);
    await refusedWithoutChange(p, () => score(p.ports, scoreRequest({ scores: scores(...all, 'Eclair=0', 'Brioche=3') })), 2, 'unknown_expert', /Brioche is not on round 0's panel/);
    await refusedWithoutChange(p, () => score(p.ports, scoreRequest({ scores: scores(...all, 'Eclair=0'), decisions: [{ tension: 'DONUT-T01', to: 'resolved' }] })), 2, 'unknown_tension', /no tension "DONUT-T01"/);
    await refusedWithoutChange(p, () => score(p.ports, scoreRequest({ scores: scores(...all) })), 2, 'missing_scores', /missing: Eclair/);
    await refusedWithoutChange(p, () => score(p.ports, scoreRequest({ scores: scores(...all, 'Eclair=0', 'muffin=1') })), 2, 'duplicate_score', /Muffin is scored twice/);
    await refusedWithoutChange(p, () => score(p.ports, scoreRequest({ scores: [] })), 2, 'missing_scores', /give each expert a score/);
    p.write('scores.yaml', 'Muffin: high\n');
    await refusedWithoutChange(p, () => score(p.ports, scoreRequest({ scoresFile: 'scores.yaml' })), 2, 'invalid_score', /scores\.yaml: Muffin/);
  });

  it('score: closes the round, keeps the judge override beside the count, rewrites the judge files', async () => {
    p.write('r0.md', '# Round 0\n\nStaffing first.\n');
    const scored = await score(p.ports, scoreRequest({ scores: scores('Muffin=5,4,3,3', 'Cupcake=4,3,2,1', 'Scone=3,3,3,3', 'eclair=0,0,0,0'), judge: { openTensions: 0 }, label: 'opening', summaryFile: 'r0.md' }));
    const m = scored.metrics;
    expect(m.roundScore).toEqual({ w: 12, c: 10, t: 8, r: 7, total: 37 });
    // Scone converged, so its perspective restates: 2 new perspectives, not 3.
    expect([m.effective.openTensions, m.computed.openTensions, m.velocity, m.convergePercent, m.canConverge]).toEqual([0, 1, 2, 25, false]);
    expect(m.blockers.join(' ')).toMatch(/not yet: Muffin, Cupcake, Eclair/);
    expect(p.read(`${DIR}/scoreboard.md`)).toContain('| 0     | 12| 10| 8 | 7 | 37    | 0*            | 2                | 2*       | 25%        |');
    expect(p.read(`${DIR}/tensions.md`)).toContain('MUFFIN-T01 (R0): Capital vs. quality');
    expect(p.read(`${DIR}/round-0.summary.md`)).toMatch(/Staffing first\.[\s\S]*Judge override: open tensions 0 \(blue counted 1\)/);
    expect(p.stored(ID).rounds[0]).toMatchObject({ status: 'scored', label: 'opening', judge: { openTensions: 0 }, summary: '# Round 0\n\nStaffing first.\n' });
    const shown = showDocument(await show(p.ports, ID));
    expect(shown.overrides).toEqual([{ round: 0, field: 'openTensions', computed: 1, judge: 0 }]);
    expect(shown.open_tensions.map((t) => [t.id, t.status])).toEqual([['MUFFIN-T01', 'addressed']]);
  });

  it('refuses a final verdict before convergence, listing the blockers', async () => {
    p.write('verdict.md', 'Open the second shop in spring.\n');
    const refusal = await refusedWithoutChange(p, () => verdict(p.ports, { id: ID, textFile: 'verdict.md' }), 3, 'not_converged', /has not converged/);
    expect((refusal.details.blockers as string[]).length).toBeGreaterThan(0);
    await refusedWithoutChange(p, () => verdict(p.ports, { id: ID, textFile: 'verdict.md', force: true }), 2, 'missing_warning', /--force needs --warning/);
    await refusedWithoutChange(p, () => verdict(p.ports, { id: ID, textFile: 'verdict.md', type: 'verbal' }), 2, 'invalid_option', /--type must be one of/);
  });

  it('refuses tension moves the life cycle forbids, then takes the judge\'s decision', async () => {
    const all = scores('Muffin=1', 'Cupcake=1', 'Scone=1', 'Eclair=1');
    await roundOpen(p.ports, { id: ID });
    for (const name of ['muffin', 'cupcake', 'scone']) p.write(`${DIR}/round-1/${name}.md`, '[PERSPECTIVE P01: Agreed]\nYes.\n[MOVE:CONVERGE]\n');
    // Eclair holds out with a new perspective, so the round does not converge and the verdict must be forced.
    p.write(`${DIR}/round-1/eclair.md`, '[PERSPECTIVE P01: Not yet]\nThe lease.\n');
    await roundIngest(p.ports, ID);
    await refusedWithoutChange(p, () => score(p.ports, scoreRequest({ scores: all, decisions: [{ tension: 'muffin-t01', to: 'resolved' }, { tension: 'MUFFIN-T01', to: 'narrowed' }] })), 3, 'invalid_transition', /MUFFIN-T01 is resolved/);
    await refusedWithoutChange(p, () => score(p.ports, scoreRequest({ scores: all, decisions: [{ tension: 'MUFFIN-T01', to: 'superseded', by: ['MUFFIN-T01'] }] })), 2, 'invalid_successor', /cannot supersede itself/);
    await score(p.ports, scoreRequest({ scores: all, decisions: [{ tension: 'MUFFIN-T01', to: 'resolved', note: 'Second head baker hired first' }] }));
    expect(p.stored(ID).events.at(-1)).toMatchObject({ tension: 'MUFFIN-T01', actor: 'judge', to: 'resolved', round: 1, note: 'Second head baker hired first' });
  });

  it('verdict: records a forced final verdict once, warns, then refuses a second', async () => {
    const recorded = await verdict(p.ports, { id: ID, textFile: 'verdict.md', force: true, warning: 'Owner decided' });
    expect(recorded.verdict).toMatchObject({ type: 'final', forced: true, warning: 'Owner decided', round: 1 });
    expect(p.warnings).toContain('the final verdict is recorded as forced: Owner decided');
    expect(p.stored(ID).status).toBe('converged');
    await refusedWithoutChange(p, () => verdict(p.ports, { id: ID, textFile: 'verdict.md', force: true, warning: 'again' }), 3, 'final_verdict_exists', /already has its final verdict/);
    await refusedWithoutChange(p, () => roundOpen(p.ports, { id: ID }), 3, 'dialogue_closed', /converged/);
    expect((await list(p.ports, {})).dialogues.map((d) => [d.id, d.status, d.rounds, d.alignment])).toEqual([[ID, 'converged', 2, 41]]);
  });

  it('export: the record, the transcript (no text lost) and JSON; check finds stale files', async () => {
    const written = await exportDialogues(p.ports, { id: ID });
    expect(written).toMatchObject({ kind: 'written', written: [`${DIR}/dialogue.md`] });
    const record = p.read(`${DIR}/dialogue.md`);
    expect(record).toContain('**Status**: Converged (forced)\n');
    expect(record).toContain('| MUFFIN-T01 (R0) | Capital vs. quality | Resolved: Second head baker hired first | judge, R1 |');
    const transcript = await exportDialogues(p.ports, { id: ID, format: 'transcript', output: '-' });
    expect(transcript.kind === 'content' && transcript.contents[0]).toContain('This line must survive.');
    expect(transcript.kind === 'content' && transcript.contents[0]).toContain('_No output (round-0/eclair.md was missing)._');
    const json = await exportDialogues(p.ports, { id: ID, format: 'json', output: '-' });
    expect(json.kind === 'content' && JSON.parse(json.contents[0]).dialogue.id).toBe(ID);
    expect(await exportDialogues(p.ports, { all: true, check: true })).toMatchObject({ kind: 'check', differ: [] });
    p.write(`${DIR}/dialogue.md`, record + 'edited by hand\n');
    expect(await exportDialogues(p.ports, { id: ID, check: true })).toMatchObject({ kind: 'check', differ: [`${DIR}/dialogue.md`] });
    expect(p.read(`${DIR}/dialogue.md`)).toBe(record + 'edited by hand\n');
    const other = await exportDialogues(p.ports, { id: ID, format: 'json', output: 'out/d.json' });
    expect(other).toMatchObject({ kind: 'written', written: ['out/d.json'] });
    for (const [request, says] of [
      [{ id: ID, format: 'pdf' }, /--format must be record, transcript or json/],
      [{ id: ID, all: true }, /either <id> or --all/],
      [{}, /which dialogue\?/],
      [{ all: true, output: 'x.md' }, /with --all every dialogue is written to its own folder/],
    ] as const) {
      await expect(exportDialogues(p.ports, request)).rejects.toThrow(says);
    }
  });

  it('export --output writes nothing over what blue or git keeps: stores, outputs, other records, .git', async () => {
    p.write('.git/HEAD', 'ref: refs/heads/main\n');
    const kept = [STORE, `${DIR}/round-0/muffin.md`, `${DIR}/round-0/muffin.prompt.md`, '.git/HEAD'].map((path) => [path, p.read(path)] as const);
    for (const output of [STORE, `${DIR}/round-0/muffin.md`, `${DIR}/round-0/muffin.prompt.md`, '.git/HEAD', '.GIT/config', 'vendor/lib/.git/HEAD', '.blue/config.yaml', `${DIR}/transcript.md`, '.blue/dialogues/2026-01-01T0000Z-other/dialogue.md', `.BLUE/dialogues/${ID}/store.json`]) {
      const error = await exportDialogues(p.ports, { id: ID, output }).catch((e) => e);
      expect([error.exitCode, error.code, error.details.output], output).toEqual([2, 'output_not_allowed', output]);
      expect(error.details.fix).toContain(`${DIR}/dialogue.md`);
    }
    for (const [path, content] of kept) expect(p.read(path), path).toBe(content);
    // Its own export file, named as --output, and any path outside .blue/ and .git/ are written.
    expect(await exportDialogues(p.ports, { id: ID, output: `${DIR}/dialogue.md` })).toMatchObject({ kind: 'written', written: [`${DIR}/dialogue.md`] });
    expect(await exportDialogues(p.ports, { id: ID, format: 'transcript', output: `${DIR}/transcript.md` })).toMatchObject({ kind: 'written' });
    expect(await exportDialogues(p.ports, { id: ID, output: 'docs/.github/record.md' })).toMatchObject({ kind: 'written', written: ['docs/.github/record.md'] });
  });

  it('reports a hand-corrupted store file as an integrity failure and leaves it as it is', async () => {
    const good = p.read(STORE);
    const edited = good.replace('"title": "Second shop?"', '"title": "Third shop?"');
    expect(edited).not.toBe(good);
    p.write(STORE, edited);
    for (const call of [() => show(p.ports, ID), () => exportDialogues(p.ports, { id: ID }), () => score(p.ports, scoreRequest({ round: 1, scores: scores('Muffin=1') }))]) {
      const error = await call().catch((e) => e);
      expect([error.exitCode, error.code]).toEqual([4, 'corrupt_store_file']);
      expect(error.message).toContain(STORE);
    }
    expect(p.read(STORE)).toBe(edited);
    p.write(STORE, good);
  });

  it('explains unknown dialogues and ambiguous prefixes; list names what it cannot read', async () => {
    const missing = await show(p.ports, 'no-such-thing').catch((e) => e);
    expect([missing.exitCode, missing.code]).toEqual([2, 'dialogue_not_found']);
    await start(p.ports, { title: 'Second shop: the sequel', pool: 'pool.yaml', date: '2026-03-01T09:31Z' });
    const ambiguous = await show(p.ports, '2026-03-01').catch((e) => e);
    expect([ambiguous.exitCode, ambiguous.code]).toEqual([2, 'ambiguous_dialogue']);
    p.write('.blue/dialogues/2026-03-01T0931Z-second-shop-the-sequel/store.json', '{"broken":');
    const listed = await list(p.ports, {});
    expect(listed.dialogues.map((d) => d.id)).toEqual([ID]);
    expect(listed.problems.map((x) => [x.id, x.code])).toEqual([['2026-03-01T0931Z-second-shop-the-sequel', 'corrupt_store_file']]);
    expect(p.warnings.some((w) => w.includes('2026-03-01T0931Z-second-shop-the-sequel/store.json'))).toBe(true);
    await expect(list(p.ports, { status: 'closed' })).rejects.toThrow(/--status must be one of open, converged, abandoned/);
    expect((await list(p.ports, { status: 'open' })).dialogues).toEqual([]);
  });
});

describe('bad input at the door', () => {
  it('names the field of an invalid pool and writes nothing', async () => {
    const p = testProject();
    p.write('pool.yaml', SMALL_POOL_YAML.replace('relevance: 0.65', 'relevance: high'));
    const error = await start(p.ports, { title: 'X', pool: 'pool.yaml' }).catch((e) => e);
    expect([error.exitCode, error.code]).toEqual([2, 'invalid_pool']);
    expect(error.message).toMatch(/experts\[4\]\.relevance/);
    expect(p.exists('.blue/dialogues')).toBe(false);
  });

  it('names the entry of an invalid panel and keeps the round closed', async () => {
    const p = testProject();
    p.write('pool.yaml', SMALL_POOL_YAML);
    const { dialogue } = await start(p.ports, { title: 'Panel test', pool: 'pool.yaml' });
    p.write('panel.yaml', '- { role: Head Baker, source: pool }\n- { role: Astronaut, source: pool }\n');
    const error = await roundOpen(p.ports, { id: dialogue.id, panel: 'panel.yaml' }).catch((e) => e);
    expect([error.exitCode, error.message]).toEqual([2, expect.stringMatching(/Astronaut/)]);
    expect(p.stored(dialogue.id).rounds).toEqual([]);
    expect(p.exists(`.blue/dialogues/${dialogue.id}/round-0`)).toBe(false);
  });

  it('refuses a missing pool, a bad date and a bad rotation; warns about a missing grounding file', async () => {
    const p = testProject();
    await expect(start(p.ports, { title: 'X' })).rejects.toMatchObject({ code: 'missing_pool' });
    await expect(start(p.ports, { title: 'X', pool: 'nope.yaml' })).rejects.toMatchObject({ exitCode: 2, code: 'file_not_found', message: 'pool file nope.yaml does not exist', details: { file: 'nope.yaml' } });
    await expect(start(p.ports, { title: 'X', pool: '../nope.yaml' })).rejects.toMatchObject({ message: 'pool file ../nope.yaml does not exist', details: { file: '../nope.yaml' } });
    p.write('pool.yaml', SMALL_POOL_YAML);
    await expect(start(p.ports, { title: 'X', pool: 'pool.yaml', date: 'yesterday' })).rejects.toMatchObject({ exitCode: 2, code: 'invalid_date' });
    await expect(start(p.ports, { title: 'X', pool: 'pool.yaml', rotation: 'random' })).rejects.toMatchObject({ exitCode: 2, code: 'invalid_option' });
    const started = await start(p.ports, { title: 'X', pool: 'pool.yaml', sources: ['docs/rfc.md'] });
    expect(started.dialogue.sources).toEqual(['docs/rfc.md']);
    expect(p.warnings).toContain('grounding file docs/rfc.md does not exist (yet); experts will be told to read it');
  });

  it('warns about a pool without a tier (poolWarnings, wired into start)', async () => {
    const p = testProject();
    p.write('pool.yaml', SMALL_POOL_YAML.replace(/tier: wildcard/g, 'tier: adjacent'));
    await start(p.ports, { title: 'No outsiders', pool: 'pool.yaml' });
    expect(p.warnings).toContain('pool.yaml: the pool has no wildcard experts (groupthink risk: no outsider perspectives); the panel is topped up from the other tiers');
  });
});

describe('round 1 with a newcomer', () => {
  it("takes blue's own panel.json back as a panel, and briefs the newcomer from the files blue wrote", async () => {
    const p = testProject();
    p.write('pool.yaml', SMALL_POOL_YAML);
    const { dialogue } = await start(p.ports, { title: 'Brief', pool: 'pool.yaml', panelSize: 3, seed: 2 });
    const id = dialogue.id;
    const dir = `.blue/dialogues/${id}`;
    const r0 = await roundOpen(p.ports, { id });
    p.write(r0.panel[0].output_file, '[PERSPECTIVE P01: First]\nx\n[TENSION T01: The lease is too long]\nTen years.\n');
    p.write(r0.panel[1].output_file, '[PERSPECTIVE P01: Second]\ny\n');
    p.write(r0.panel[2].output_file, '[PERSPECTIVE P01: Third]\nz\n');
    await roundIngest(p.ports, id);
    p.write('r0.md', '# Round 0\n\nThe lease is the crux.\n');
    await score(p.ports, { id, scores: scores(...r0.panel.map((m) => `${m.name}=5`)), judge: {}, decisions: [], summaryFile: 'r0.md' });

    const panel = JSON.parse(p.read(`${dir}/round-0/panel.json`));
    const onPanel = new Set(panel.panel.map((m: any) => m.role));
    const newRole = ['Urban Planner', 'Customer Researcher', 'Marketing Lead'].find((role) => !onPanel.has(role));
    panel.panel = panel.panel.slice(0, 2).map((m: any) => ({ ...m, source: 'retained' }));
    panel.panel.push({ role: newRole, source: 'pool', focus: 'Where the second shop goes' });
    p.write('panel-1.json', JSON.stringify(panel));
    const r1 = await roundOpen(p.ports, { id, panel: 'panel-1.json' });
    expect(r1.panel.map((m) => [m.name, m.source])).toEqual([
      [r0.panel[0].name, 'retained'],
      [r0.panel[1].name, 'retained'],
      [r1.panel[2].name, 'pool'],
    ]);
    const tension = `${r0.panel[0].name.toUpperCase()}-T01`;
    const newcomer = p.read(r1.panel[2].prompt_file);
    expect(newcomer).toContain('Context for Round 1');
    expect(newcomer).toContain(tension);
    expect(newcomer).toContain('The lease is the crux.');
    expect(newcomer).toContain(`${dir}/round-0.summary.md`);
    expect(p.read(`${dir}/tensions.md`)).toContain(`${tension} (R0): The lease is too long`);
    const retained = p.read(r1.panel[0].prompt_file);
    expect(retained).not.toContain('Context for Round 1');
    expect(p.stored(id).experts.map((e: any) => [e.name, e.firstRound])).toEqual([
      ...r0.panel.map((m) => [m.name, 0]),
      [r1.panel[2].name, 1],
    ]);
  });
});
