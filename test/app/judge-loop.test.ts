// The judge's loop without traps (issue "The judge's loop without traps"): undo and abandon, retained
// experts given by name, and the export check that tells "not exported yet" from "out of date".

import { describe, expect, it } from 'vitest';
import { abandon } from '../../src/app/abandon.js';
import { exportDialogues } from '../../src/app/export.js';
import { roundIngest } from '../../src/app/round-ingest.js';
import { roundOpen } from '../../src/app/round-open.js';
import { score } from '../../src/app/score.js';
import { start } from '../../src/app/start.js';
import { verdict } from '../../src/app/verdict.js';
import { parseScore } from '../../src/domain/scoring.js';
import { renderRecord } from '../../src/render/record.js';
import { renderShow, showDocument } from '../../src/render/show.js';
import { SMALL_POOL_YAML, testProject, type TestProject } from '../support/app.js';

async function begun(panelSize = 3): Promise<{ p: TestProject; id: string; dir: string }> {
  const p = testProject();
  p.write('pool.yaml', SMALL_POOL_YAML);
  const { dialogue } = await start(p.ports, { title: 'Loop', pool: 'pool.yaml', panelSize, seed: 3 });
  return { p, id: dialogue.id, dir: `.blue/dialogues/${dialogue.id}` };
}

const everyone = (names: string[], total: string) => names.map((name): [string, ReturnType<typeof parseScore>] => [name, parseScore(total, name)]);

describe('round open --replace', () => {
  it('redoes an open, unscored round: new panel and prompts, ingest dropped, leavers moved aside, stayers kept', async () => {
    const { p, id, dir } = await begun();
    const first = await roundOpen(p.ports, { id });
    const [stay, leave] = first.panel;
    p.write(stay.output_file, '[PERSPECTIVE P01: Stays]\nx\n[TENSION T01: Rent]\ny\n');
    p.write(leave.output_file, '[PERSPECTIVE P01: Leaves]\nz\n');
    await roundIngest(p.ports, id);
    expect(p.stored(id).tensions).toHaveLength(1);
    p.write('panel.yaml', `- { name: ${stay.name}, role: ${stay.role}, source: pool }\n- { role: Urban Planner, source: pool }\n`);
    const again = await roundOpen(p.ports, { id, panel: 'panel.yaml', replace: true });
    expect(again.round).toBe(0);
    expect(again.panel.map((m) => m.role)).toEqual([stay.role, 'Urban Planner']);
    const stored = p.stored(id);
    expect(stored.rounds).toHaveLength(1);
    expect(stored.rounds[0].ingest).toBeUndefined();
    expect(stored.tensions).toEqual([]);
    expect(stored.events).toEqual([]);
    // Experts bound only by the replaced panel are unbound; the name goes to the new role.
    expect(stored.experts.map((e: any) => e.role).sort()).toEqual([stay.role, 'Urban Planner'].sort());
    expect(p.read(stay.output_file)).toContain('Stays');
    expect(p.exists(leave.output_file)).toBe(false);
    expect(p.read(`${dir}/round-0/replaced/${leave.output_file.split('/').pop()}`)).toContain('Leaves');
    expect(again.movedAside.map((m) => m.to)).toContain(`${dir}/round-0/replaced/${leave.output_file.split('/').pop()}`);
    expect(JSON.parse(p.read(`${dir}/round-0/panel.json`)).panel.map((m: any) => m.role)).toEqual([stay.role, 'Urban Planner']);
  });

  it('refuses a scored round (exit 3) and names the re-score command', async () => {
    const { p, id } = await begun();
    const opened = await roundOpen(p.ports, { id });
    for (const m of opened.panel) p.write(m.output_file, '[PERSPECTIVE P01: View]\nx\n');
    await roundIngest(p.ports, id);
    await score(p.ports, { id, scores: everyone(opened.panel.map((m) => m.name), '2,2,2,2'), judge: {}, decisions: [] });
    await expect(roundOpen(p.ports, { id, replace: true })).rejects.toMatchObject({ exitCode: 3, code: 'round_scored', message: expect.stringContaining(`score ${id} --round 0`) });
  });
});

describe('a retained expert given by name only', () => {
  it('keeps the role the name is bound to; an unknown name is refused with what to write', async () => {
    const { p, id } = await begun();
    const r0 = await roundOpen(p.ports, { id });
    for (const m of r0.panel) p.write(m.output_file, '[PERSPECTIVE P01: View]\nx\n');
    await roundIngest(p.ports, id);
    await score(p.ports, { id, scores: everyone(r0.panel.map((m) => m.name), '1,1,1,1'), judge: {}, decisions: [] });
    p.write('panel.yaml', `- { name: ${r0.panel[0].name.toLowerCase()}, source: retained }\n- name: ${r0.panel[1].name}\n  source: retained\n`);
    const r1 = await roundOpen(p.ports, { id, panel: 'panel.yaml' });
    expect(r1.panel.map((m) => [m.name, m.role, m.source])).toEqual([
      [r0.panel[0].name, r0.panel[0].role, 'retained'],
      [r0.panel[1].name, r0.panel[1].role, 'retained'],
    ]);
    p.write('bad.yaml', '- { name: Religieuse, source: retained }\n');
    await expect(roundOpen(p.ports, { id, panel: 'bad.yaml', replace: true })).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/gives only a name \(Religieuse\).*give its role too/) });
    p.write('norole.yaml', '- { source: pool }\n');
    await expect(roundOpen(p.ports, { id, panel: 'norole.yaml', replace: true })).rejects.toMatchObject({ exitCode: 2, message: expect.stringMatching(/role must be a non-empty string/) });
  });
});

describe('dialogue abandon', () => {
  it('ends the dialogue with its reason: rounds, ingest, scores and verdicts are refused; the record says so', async () => {
    const { p, id } = await begun();
    await roundOpen(p.ports, { id });
    const d = await abandon(p.ports, { id, reason: 'Superseded by the lease decision' });
    expect(d.status).toBe('abandoned');
    expect(p.stored(id)).toMatchObject({ status: 'abandoned', abandoned: { round: 0, reason: 'Superseded by the lease decision' } });
    p.write('v.md', 'x\n');
    for (const call of [
      () => roundOpen(p.ports, { id }),
      () => roundIngest(p.ports, id),
      () => score(p.ports, { id, scores: [['Muffin', parseScore('1', 'x')]], judge: {}, decisions: [] }),
      () => verdict(p.ports, { id, textFile: 'v.md', force: true, warning: 'w' }),
      () => abandon(p.ports, { id, reason: 'again' }),
    ]) {
      await expect(call()).rejects.toMatchObject({ exitCode: 3, code: 'dialogue_closed' });
    }
    // show says why it ended, as the watch view does, not what would have let it converge.
    const shown = p.stored(id);
    expect(renderShow(shown).split('\n').slice(-2)).toEqual(['', 'Abandoned after round 0 (2026-03-01 09:30Z): Superseded by the lease decision']);
    expect(renderShow(shown)).not.toContain('Blockers');
    expect(showDocument(shown)).toMatchObject({ status: 'abandoned', can_converge: false, blockers: [], abandoned: { round: 0, reason: 'Superseded by the lease decision' } });
    const record = renderRecord(p.stored(id));
    expect(record).toContain('**Status**: Abandoned\n');
    expect(record).toContain('> **Abandoned** after Round 0 (2026-03-01 09:30Z): Superseded by the lease decision');
    await expect(abandon(p.ports, { id: 'loop', reason: ' ' })).rejects.toMatchObject({ exitCode: 2, code: 'missing_reason' });
  });
});

describe('export --all --check', () => {
  it('tells "not exported yet" from "out of date", and skips an abandoned dialogue never exported', async () => {
    const p = testProject();
    p.write('pool.yaml', SMALL_POOL_YAML);
    const ids: string[] = [];
    for (const [i, title] of ['Running', 'Exported', 'Dropped'].entries()) {
      ids.push((await start(p.ports, { title, pool: 'pool.yaml', seed: 1, date: `2026-03-0${i + 1}T09:30Z` })).dialogue.id);
    }
    await exportDialogues(p.ports, { id: ids[1] });
    await abandon(p.ports, { id: ids[2], reason: 'no longer needed' });
    const check = await exportDialogues(p.ports, { all: true, check: true });
    expect(check).toMatchObject({ kind: 'check', differ: [], missing: [`.blue/dialogues/${ids[0]}/dialogue.md`], skipped: [`.blue/dialogues/${ids[2]}/dialogue.md`] });
    p.write(`.blue/dialogues/${ids[1]}/dialogue.md`, 'stale\n');
    expect(await exportDialogues(p.ports, { all: true, check: true })).toMatchObject({ differ: [`.blue/dialogues/${ids[1]}/dialogue.md`] });
  });
});

describe('input warnings reach the judge', () => {
  it('start and round open warn about typos and split values, on the log and as structured warnings', async () => {
    const p = testProject();
    p.write('pool.yaml', SMALL_POOL_YAML.replace('{ role: Contrarian, tier: wildcard, relevance: 0.4 }', '{ role: Contrarian, tier: wildcard, relevance: 0.4, foucs: Challenge, then build }'));
    const { dialogue } = await start(p.ports, { title: 'Typos', pool: 'pool.yaml' });
    expect(p.inputWarnings.map((w) => w.message)).toEqual([
      'experts[6].foucs is not a known key and is ignored; did you mean focus? (known: role, tier, relevance, focus, emoji)',
      'experts[6].then build has no value and is not a known key: YAML split a value at a comma (the text after "foucs: ...,"); quote the value, e.g. foucs: "..., then build"',
    ]);
    expect(p.warnings[0]).toMatch(/^pool\.yaml: experts\[6\]\.foucs/);
    p.write('panel.yaml', '- { role: Head Baker, source: pool, focus: CI time, caching }\n');
    await roundOpen(p.ports, { id: dialogue.id, panel: 'panel.yaml' });
    expect(p.inputWarnings.at(-1)).toEqual({ file: 'panel.yaml', message: expect.stringMatching(/^panel\[0\]\.caching has no value/) });
  });
});

describe('show tells the truth', () => {
  it('names who is missing, gives each blocker its round, and shows per-expert scores', async () => {
    const { show } = await import('../../src/app/show.js');
    const { renderShow, showDocument } = await import('../../src/render/show.js');
    const { p, id } = await begun();
    const r0 = await roundOpen(p.ports, { id });
    const names = r0.panel.map((m) => m.name);
    let d = await show(p.ports, id);
    expect(showDocument(d).rounds[0].missing).toEqual(names);
    expect(renderShow(d)).toContain(`Round 0 is open: not ingested yet; missing: ${names.join(', ')}`);
    p.write(r0.panel[0].output_file, '[PERSPECTIVE P01: First]\nx\n[TENSION T01: Rent]\ny\n');
    await roundIngest(p.ports, id);
    d = await show(p.ports, id);
    expect(renderShow(d)).toContain(`Round 0 is open: ingested 1/3; missing: ${names.slice(1).join(', ')}`);
    await score(p.ports, { id, scores: [[names[0], parseScore('4,3,2,1', 'x')], [names[1], parseScore('0', 'x')], [names[2], parseScore('0', 'x')]], judge: {}, decisions: [] });
    await roundOpen(p.ports, { id });
    d = await show(p.ports, id);
    const doc = showDocument(d);
    expect(doc.rounds[0].scores[names[0]]).toEqual({ w: 4, c: 3, t: 2, r: 1, total: 10 });
    // While round 1 is open, the blockers that come from round 0 say so.
    expect(doc.blockers[0]).toBe('round 1 is open');
    expect(doc.blockers.slice(1).every((b) => b.startsWith('round 0: '))).toBe(true);
    const text = renderShow(d);
    expect(text).toContain('Expert scores (total per round):');
    expect(text).toMatch(new RegExp(`${names[0]}\\s+10\\s+10`));
    expect(text).toContain('Open tension (1):');
  });
});

describe("a newcomer's brief when the judge wrote no summary", () => {
  it('heads blue\'s figures as figures, not as the Judge\'s summary', async () => {
    const { p, id } = await begun();
    const r0 = await roundOpen(p.ports, { id });
    for (const m of r0.panel) p.write(m.output_file, '[PERSPECTIVE P01: View]\nx\n');
    await roundIngest(p.ports, id);
    await score(p.ports, { id, scores: everyone(r0.panel.map((m) => m.name), '1,1,1,1'), judge: {}, decisions: [] });
    const newRole = ['Urban Planner', 'Marketing Lead', 'Contrarian', 'Finance Lead'].find((role) => !r0.panel.some((m) => m.role === role));
    p.write('panel.yaml', `- { name: ${r0.panel[0].name}, source: retained }\n- { role: ${newRole}, source: pool }\n`);
    const r1 = await roundOpen(p.ports, { id, panel: 'panel.yaml' });
    const brief = p.read(r1.panel[1].prompt_file);
    expect(brief).toContain('### Round 0 in figures');
    expect(brief).toContain('The Judge wrote no summary of round 0');
    expect(brief).not.toContain("The Judge's summary");
  });
});
