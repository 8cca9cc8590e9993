// End-to-end: the built bin/blue in a temporary git repository, driven as a judge drives it, with
// the mistakes a new user makes. Every refused command must leave the store exactly as it was.
//
// Each top-level describe has a project of its own, so they run side by side (describe.concurrent); the
// judge's dialogue is one story, its steps in order (step = it.sequential). Refusals of one step that
// cannot change anything run at once (refusedWithoutChange with several commands).

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect, beforeAll } from 'vitest';
import { newProject, SMALL_POOL, type Project } from '../support/cli.js';
import { ID } from '../support/dialogue-factory.js';

const STORE = `.blue/dialogues/${ID}/store.json`;
const step = it.sequential;

function output(name: string, body: string): [string, string] {
  return [`.blue/dialogues/${ID}/round-0/${name}.md`, body];
}

type Refusal = [args: string[], exit: number, code: string, says: RegExp];

/** Runs commands that must be refused (all at once), checks each answer, and that the store did not change. */
async function refusedWithoutChange(p: Project, ...refusals: Refusal[]) {
  const before = p.read(STORE);
  const runs = await Promise.all(refusals.map(([args]) => p.blue([...args, '--json'])));
  for (const [i, run] of runs.entries()) {
    const [args, exit, code, says] = refusals[i];
    const what = args.join(' ');
    expect({ what, status: run.status, code: run.json?.error?.code }).toEqual({ what, status: exit, code });
    expect(run.json.error.message, what).toMatch(says);
    expect(run.stderr, what).toMatch(says);
  }
  expect(p.read(STORE), refusals.map(([args]) => args.join(' ')).join('; ')).toBe(before);
  return runs;
}

describe.concurrent('a dialogue driven through bin/blue', () => {
  let p: Project;

  beforeAll(() => {
    p = newProject();
    p.write('pool.yaml', SMALL_POOL);
  });

  step('starts a dialogue, prints the protocol and the suggested panel', async () => {
    const run = await p.ok(['dialogue', 'start', 'Second shop?', '--pool', 'pool.yaml', '--seed', '7', '--panel-size', '4', '--date', '2026-03-01T09:30Z', '--json']);
    expect(run.json.id).toBe(ID);
    expect(run.json.dir).toBe(`.blue/dialogues/${ID}`);
    expect(run.json.question).toBe('Should the bakery open a second shop?');
    expect(run.json.panel.map((m: any) => m.name)).toEqual(['Muffin', 'Cupcake', 'Scone', 'Eclair']);
    expect(run.json.protocol).toContain(`blue dialogue round open ${ID}`);
    expect(JSON.parse(p.read(`.blue/dialogues/${ID}/expert-pool.json`)).experts).toHaveLength(8);
    // Human output is the protocol itself.
    const again = await p.blue(['dialogue', 'start', 'Second shop?', '--pool', 'pool.yaml', '--date', '2026-03-01T09:30Z']);
    expect(again.status).toBe(3);
    expect(again.stderr).toMatch(/already exists/);
  });

  step('refuses to score or ingest before a round is open', async () => {
    await refusedWithoutChange(
      p,
      [['dialogue', 'score', ID, '--expert', 'Muffin=3'], 3, 'no_open_round', /no round is open/],
      [['dialogue', 'round', 'ingest', ID], 3, 'no_open_round', /no round is open/],
    );
  });

  step('opens round 0 with one prompt per expert, by id prefix, with global options after the command', async () => {
    const run = await p.ok(['dialogue', 'round', 'open', '2026-03-01', '--focus', 'scone=Staffing', '--json']);
    expect(run.json.round).toBe(0);
    expect(run.json.panel.map((m: any) => [m.name, m.source, m.output_file])).toEqual([
      ['Muffin', 'pool', `.blue/dialogues/${ID}/round-0/muffin.md`],
      ['Cupcake', 'pool', `.blue/dialogues/${ID}/round-0/cupcake.md`],
      ['Scone', 'pool', `.blue/dialogues/${ID}/round-0/scone.md`],
      ['Eclair', 'pool', `.blue/dialogues/${ID}/round-0/eclair.md`],
    ]);
    const prompt = p.read(run.json.panel[2].prompt_file);
    expect(prompt).toContain(`.blue/dialogues/${ID}/round-0/scone.md`);
    expect(prompt).toContain('Staffing');
    expect(prompt).toContain('[MOVE:CONVERGE]');
    expect(JSON.parse(p.read(`.blue/dialogues/${ID}/round-0/panel.json`)).panel).toHaveLength(4);
  });

  step('refuses to open the next round while this one is unscored', async () => {
    await refusedWithoutChange(p, [['dialogue', 'round', 'open', 'second-shop'], 3, 'round_not_scored', /round 0 is still open/]);
  });

  step('ingests what was written, reports what is missing and warns on what it cannot read', async () => {
    const none = await p.blue(['dialogue', 'round', 'ingest', ID, '--json']);
    expect(none.status).toBe(3);
    for (const [path, body] of [
      output('muffin', '[PERSPECTIVE P01: Demand is proven]\nQueues every morning.\n\n[TENSION T01: Capital vs. quality]\nTwo ovens, one head baker.\n'),
      output('cupcake', '# Cupcake\n\n[PERSPECTIVE P01: Cash flow covers it]\nWe can fund it.\n\n[RESOLVED MUFFIN-T01]\nHire a second head baker first.\n\n[PERSPECTIVE: forgot the id]\nThis line must survive.\n'),
      output('scone', '**[PERSPECTIVE P01: Staffing is the bottleneck]**\nNobody to run it.\n[MOVE:CONVERGE]\n'),
      output('palmier', '[PERSPECTIVE P01: Not on the panel]\nStray.\n'),
    ]) p.write(path, body);
    const run = await p.ok(['dialogue', 'round', 'ingest', ID, '--json']);
    expect(run.json.warnings).toContainEqual({ file: `.blue/dialogues/${ID}/round-0/palmier.md`, line: 1, message: expect.stringMatching(/not an output of this round's panel/) });
    expect(run.json.ingested).toEqual(['Muffin', 'Cupcake', 'Scone']);
    expect(run.json.missing).toEqual(['Eclair']);
    expect(run.json.counts).toEqual({ perspectives: 3, tensions: 1, resolutions: 1, converge_signals: 1 });
    const warning = run.json.warnings.find((w: any) => /PERSPECTIVE/.test(w.message));
    expect(warning).toMatchObject({ file: `.blue/dialogues/${ID}/round-0/cupcake.md`, line: 9 });
    expect(run.stderr).toContain(`round-0/cupcake.md:9`);
    expect(run.stderr).toMatch(/missing output from Eclair/);
  });

  step('refuses bad scores with the documented codes and changes nothing', async () => {
    const all = ['dialogue', 'score', ID, '--expert', 'Muffin=5,4,3,3', '--expert', 'Cupcake=4,3,2,1', '--expert', 'Scone=3,3,2,1'];
    await refusedWithoutChange(
      p,
      [[...all, '--expert', 'Eclair=4'], 3, 'missing_output', /Eclair wrote no output/],
      [[...all, '--expert', 'Eclair=0', '--expert', 'Brioche=3'], 2, 'unknown_expert', /Brioche is not on round 0's panel/],
      [[...all, '--expert', 'Eclair=0', '--resolve', 'DONUT-T01'], 2, 'unknown_tension', /no tension "DONUT-T01"/],
      [[...all, '--expert', 'Eclair=-1'], 2, 'invalid_score', /non-negative integer/],
      [[...all, '--expert', 'Eclair=1,2,3'], 2, 'invalid_score', /W,C,T,R/],
      [all, 2, 'missing_scores', /missing: Eclair/],
      [[...all, '--expert', 'Eclair=0', '--expert', 'muffin=1'], 2, 'duplicate_score', /Muffin is scored twice/],
      [[...all, '--expert', 'Eclair=0', '--supersede', 'MUFFIN-T01'], 2, 'invalid_option', /--supersede takes <tension>=<by>\[,<by>...\]/],
      [['dialogue', 'score', ID, '--bogus'], 2, 'usage', /bogus/],
    );
  });

  step('scores the round, keeping the judge override beside the computed count', async () => {
    const run = await p.ok(['dialogue', 'score', ID, '--expert', 'Muffin=5,4,3,3', '--expert', 'Cupcake=4,3,2,1', '--expert', 'Scone=3,3,3,3', '--expert', 'eclair=0,0,0,0', '--open-tensions', '0', '--label', 'opening', '--json']);
    expect(run.json).toMatchObject({
      round: 0,
      round_score: { w: 12, c: 10, t: 8, r: 7, total: 37 },
      cumulative: { total: 37 },
      open_tensions: 0,
      computed: { open_tensions: 1, new_perspectives: 2, converge_signals: 1 },
      new_perspectives: 2,
      converge_signals: 1,
      panel_size: 4,
      converge_percent: 25,
      velocity: 2,
      can_converge: false,
      max_rounds_reached: false,
    });
    expect(run.json.blockers.join(' ')).toMatch(/not yet: Muffin, Cupcake, Eclair/);
    expect(p.read(`.blue/dialogues/${ID}/scoreboard.md`)).toContain('| 0     | 12| 10| 8 | 7 | 37    | 0*            | 2                | 2*       | 25%        |');
    expect(p.read(`.blue/dialogues/${ID}/tensions.md`)).toContain('MUFFIN-T01 (R0): Capital vs. quality');
    expect(p.read(`.blue/dialogues/${ID}/round-0.summary.md`)).toMatch(/Judge override: open tensions 0 \(blue counted 1\)/);
    const shown = (await p.ok(['dialogue', 'show', ID, '--json'])).json;
    expect(shown.overrides).toEqual([{ round: 0, field: 'openTensions', computed: 1, judge: 0 }]);
    expect(shown.open_tensions.map((t: any) => [t.id, t.status])).toEqual([['MUFFIN-T01', 'addressed']]);
  });

  step('refuses a final verdict before convergence, listing the blockers', async () => {
    p.write('verdict.md', 'Open the second shop in spring.\n');
    const [run] = await refusedWithoutChange(
      p,
      [['dialogue', 'verdict', ID, '--text-file', 'verdict.md'], 3, 'not_converged', /has not converged/],
      [['dialogue', 'verdict', ID, '--text-file', 'verdict.md', '--force'], 2, 'missing_warning', /--force needs --warning/],
    );
    expect(run.json.error.details.blockers.length).toBeGreaterThan(0);
  });

  step('refuses tension moves the life cycle forbids, naming the tension and its status', async () => {
    const scores = ['--expert', 'Muffin=1', '--expert', 'Cupcake=1', '--expert', 'Scone=1', '--expert', 'Eclair=0'];
    await p.ok(['dialogue', 'round', 'open', ID]);
    for (const name of ['muffin', 'cupcake', 'scone']) {
      p.write(`.blue/dialogues/${ID}/round-1/${name}.md`, '[PERSPECTIVE P01: Agreed]\nYes.\n[MOVE:CONVERGE]\n');
    }
    // Eclair holds out with a new perspective: the round does not converge, so the verdict must be forced.
    p.write(`.blue/dialogues/${ID}/round-1/eclair.md`, '[PERSPECTIVE P01: Not yet]\nThe lease.\n');
    await p.ok(['dialogue', 'round', 'ingest', ID]);
    await refusedWithoutChange(
      p,
      [['dialogue', 'score', ID, ...scores, '--resolve', 'muffin-t01', '--narrow', 'MUFFIN-T01'], 3, 'invalid_transition', /MUFFIN-T01 is resolved/],
      [['dialogue', 'score', ID, ...scores, '--supersede', 'MUFFIN-T01=MUFFIN-T01'], 2, 'invalid_successor', /cannot supersede itself/],
    );
    await p.ok(['dialogue', 'score', ID, ...scores, '--resolve', 'MUFFIN-T01=Second head baker hired first']);
  });

  step('records a forced final verdict once, then refuses a second', async () => {
    // Velocity is 1 (Eclair's new perspective): not converged, so the verdict must be forced.
    const forced = await p.ok(['dialogue', 'verdict', ID, '--text-file', 'verdict.md', '--force', '--warning', 'Owner decided', '--json']);
    expect(forced.json.verdict).toMatchObject({ type: 'final', forced: true, warning: 'Owner decided' });
    await refusedWithoutChange(
      p,
      [['dialogue', 'verdict', ID, '--text-file', 'verdict.md', '--force', '--warning', 'again'], 3, 'final_verdict_exists', /already has its final verdict/],
      [['dialogue', 'round', 'open', ID], 3, 'dialogue_closed', /converged/],
    );
    const list = (await p.ok(['dialogue', 'list', '--json'])).json;
    expect(list.dialogues).toEqual([{ id: ID, title: 'Second shop?', status: 'converged', rounds: 2, alignment: 40 }]);
  });

  step('exports the record, the transcript (no text lost) and JSON; --check finds stale files', async () => {
    const written = (await p.ok(['dialogue', 'export', ID, '--json'])).json.written;
    expect(written).toEqual([`.blue/dialogues/${ID}/dialogue.md`]);
    const record = p.read(written[0]);
    expect(record).toContain('**Status**: Converged (forced)\n');
    expect(record).toContain('> **Warning**: convergence was forced. Owner decided');
    expect(record).toContain('| MUFFIN-T01 (R0) | Capital vs. quality | Resolved: Second head baker hired first | judge, R1 |');
    const transcript = (await p.ok(['dialogue', 'export', ID, '--format', 'transcript', '--output', '-'])).stdout;
    expect(transcript).toContain('This line must survive.');
    expect(transcript).toContain('_No output (round-0/eclair.md was missing)._');
    const json = (await p.ok(['dialogue', 'export', ID, '--format', 'json', '--output', '-', '--json'])).json;
    expect(json.format).toBe('blue.dialogue.export');
    expect(json.dialogue.id).toBe(ID);
    expect((await p.ok(['dialogue', 'export', '--all', '--check'])).stdout).toMatch(/up to date/);
    p.write(written[0], record + 'edited by hand\n');
    const check = await p.blue(['dialogue', 'export', ID, '--check', '--json']);
    expect(check.status).toBe(1);
    expect(check.json.differ).toEqual([written[0]]);
    // A record never written differs from what export would write: the check fails and names it.
    p.write(written[0], record);
    rmSync(join(p.root, written[0]));
    const never = await p.blue(['dialogue', 'export', '--all', '--check', '--json']);
    expect([never.status, never.json.missing, never.json.differ]).toEqual([1, [written[0]], []]);
    expect((await p.blue(['dialogue', 'export', ID, '--check'])).stdout).toContain(`Never exported (run \`blue dialogue export ${ID}\`):\n  ${written[0]}`);
    // --check writes nothing and --output - prints: the two together are a usage error, not a silent print.
    const both = await p.blue(['dialogue', 'export', ID, '--check', '--output', '-', '--json']);
    expect([both.status, both.json.error.code]).toEqual([2, 'invalid_option']);
    await p.ok(['dialogue', 'export', ID]);
  });

  step('reports a hand-corrupted store file as an integrity failure and leaves it as it is', async () => {
    const good = p.read(STORE);
    const edited = good.replace('"title": "Second shop?"', '"title": "Third shop?"');
    expect(edited).not.toBe(good);
    p.write(STORE, edited);
    const commands = [['dialogue', 'show', ID], ['dialogue', 'export', ID], ['dialogue', 'score', ID, '--round', '1', '--expert', 'Muffin=1']];
    const runs = await Promise.all(commands.map((args) => p.blue([...args, '--json'])));
    for (const [i, run] of runs.entries()) {
      const command = commands[i][1];
      expect([command, run.status, run.json.error.code]).toEqual([command, 4, 'corrupt_store_file']);
      expect(run.stderr).toContain(STORE);
    }
    expect(p.read(STORE)).toBe(edited);
    // --all names the unreadable dialogue and fails (exit 4), checking or writing; it never passes it over.
    for (const args of [['dialogue', 'export', '--all', '--check'], ['dialogue', 'export', '--all']]) {
      const all = await p.blue([...args, '--json']);
      expect([args.join(' '), all.status, all.json.problems?.map((x: { file: string; code: string }) => [x.file, x.code])]).toEqual([args.join(' '), 4, [[STORE, 'corrupt_store_file']]]);
      expect(all.stderr).toContain(STORE);
    }
    expect(p.read(STORE)).toBe(edited);
    p.write(STORE, good);
  });

  step('explains unknown dialogues and ambiguous prefixes', async () => {
    const run = await p.blue(['dialogue', 'show', 'no-such-thing', '--json']);
    expect([run.status, run.json.error.code]).toEqual([2, 'dialogue_not_found']);
    await p.ok(['dialogue', 'start', 'Second shop: the sequel', '--pool', 'pool.yaml', '--date', '2026-03-01T09:31Z']);
    const ambiguous = await p.blue(['dialogue', 'show', '2026-03-01', '--json']);
    expect([ambiguous.status, ambiguous.json.error.code]).toEqual([2, 'ambiguous_dialogue']);
  });
});

describe.concurrent('bad input at the door', () => {
  // An invalid pool's field and an invalid panel's entry are checked in process (test/app/dialogue.test.ts).
  it('refuses a missing pool file, a bad date and an unknown store', async () => {
    const p = newProject();
    expect((await p.blue(['dialogue', 'start', 'X', '--pool', 'nope.yaml'])).status).toBe(2);
    p.write('pool.yaml', SMALL_POOL);
    expect((await p.blue(['dialogue', 'start', 'X', '--pool', 'pool.yaml', '--date', 'yesterday'])).status).toBe(2);
    const store = await p.blue(['dialogue', 'list', '--store', 'paper', '--json']);
    expect([store.status, store.json.error.code]).toEqual([2, 'unknown_store']);
  });

  it('finds the project root from a subfolder and prints paths relative to it', async () => {
    const p = newProject();
    p.write('pool.yaml', SMALL_POOL);
    p.write('docs/readme.md', 'x');
    const run = await p.blue(['dialogue', 'start', 'From below', '--pool', '../pool.yaml', '--json'], { cwd: `${p.root}/docs` });
    expect(run.status).toBe(0);
    expect(run.json.dir).toMatch(/^\.blue\/dialogues\//);
    expect(p.exists(`${run.json.dir}/store.json`)).toBe(true);
  });

  it('writes no colour codes when its output is not a terminal', async () => {
    const p = newProject();
    const run = await p.blue(['dialogue', 'show', 'nothing'], { env: { NO_COLOR: undefined } });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^blue: No dialogue/);
    expect(run.stderr).not.toContain('\u001b[');
  });

  it('answers --help and --version with exit 0', async () => {
    const p = newProject();
    expect((await p.blue(['--help'])).status).toBe(0);
    expect((await p.blue(['dialogue', 'score', '--help'])).stdout).toContain('--round-score');
    expect((await p.blue(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe.concurrent('two judges at once', () => {
  it('two processes scoring the same round: one wins, the other is refused, nothing is lost or interleaved', async () => {
    const p = newProject();
    p.write('pool.yaml', SMALL_POOL);
    const id = (await p.ok(['dialogue', 'start', 'Race', '--pool', 'pool.yaml', '--panel-size', '3', '--seed', '1', '--json'])).json.id;
    const opened = (await p.ok(['dialogue', 'round', 'open', id, '--json'])).json;
    for (const m of opened.panel) p.write(m.output_file, `[PERSPECTIVE P01: ${m.name}'s view]\nText.\n`);
    await p.ok(['dialogue', 'round', 'ingest', id]);
    const before = JSON.parse(p.read(`.blue/dialogues/${id}/store.json`)).dialogue.version;
    const score = (total: number) => p.blue(['dialogue', 'score', id, '--json', ...opened.panel.flatMap((m: any) => ['--expert', `${m.name}=${total}`])]);
    const results = await Promise.all([score(7), score(9)]);
    expect(results.map((r) => r.status).sort()).toEqual([0, 3]);
    const winner = results.find((r) => r.status === 0)!.json;
    const loser = results.find((r) => r.status === 3)!.json;
    expect(loser.error.code).toBe('no_open_round');
    const stored = JSON.parse(p.read(`.blue/dialogues/${id}/store.json`)).dialogue;
    expect(stored.version).toBe(before + 1);
    // The stored scores are the winner's, all of them: no mix of the two.
    const totals = Object.values(stored.rounds[0].scores).map((s: any) => s.total);
    expect(new Set(totals)).toEqual(new Set([winner.round_score.total / opened.panel.length]));
    expect((await p.ok(['dialogue', 'show', id, '--json'])).json.rounds[0].status).toBe('scored');
  });
});

// Round 1 with a newcomer (blue's own panel.json taken back as --panel, the brief from the files blue wrote)
// runs in process in test/app/dialogue.test.ts.

// A project whose only dialogue cannot be read is neither empty nor all up to date: the summaries say how
// many dialogues could not be read, and the warning names the file once.
describe.concurrent('summaries when a dialogue cannot be read', () => {
  it('list and export --all --check count the unreadable dialogues, beside the readable ones', async () => {
    const p = newProject();
    p.write('pool.yaml', SMALL_POOL);
    const start = async (title: string) => (await p.ok(['dialogue', 'start', title, '--pool', 'pool.yaml', '--json'])).json.id as string;
    const broken = await start('Second shop?');
    const store = `.blue/dialogues/${broken}/store.json`;
    p.write(store, p.read(store).replace('"status":"open"', '"status":"converged"')); // in the first line, which list reads

    const listed = await p.blue(['dialogue', 'list']);
    expect(listed.status).toBe(4);
    expect(listed.stdout.trim()).toBe('No dialogue could be read: 1 dialogue could not be read (named above).');
    expect(listed.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^warning: ${store.replace(/[.*]/g, '\\$&')} is corrupt: its first line's summary does not match its summary_check`))]);
    expect((await p.blue(['dialogue', 'list', '--status', 'open'])).stdout.trim()).toBe('No open dialogue could be read: 1 dialogue could not be read (named above).');
    const checked = await p.blue(['dialogue', 'export', '--all', '--check']);
    expect(checked.status).toBe(4);
    expect(checked.stdout.trim()).toBe('Not checked: 1 dialogue could not be read (named above); there are no others.');
    expect(checked.stderr.startsWith(`warning: ${store} is corrupt: `)).toBe(true); // named once, not `<file>: <file> is corrupt`

    const sound = await start('Fourth shop?');
    await p.ok(['dialogue', 'export', sound]);
    const both = await p.blue(['dialogue', 'list']);
    expect(both.stdout.trim().split('\n').slice(-1)).toEqual(['Besides these, 1 dialogue could not be read (named above).']);
    expect((await p.blue(['dialogue', 'export', '--all', '--check'])).stdout.trim()).toBe('Not checked: 1 dialogue could not be read (named above); of the others, 1 of 1 export up to date.');
  });
});
