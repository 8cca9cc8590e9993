// Expert output is untrusted input: no symlink, FIFO, device or giant file makes blue read outside the
// project, write outside .blue/, or hang. Each is reported with the expert's name and the fix.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, symlinkSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { roundIngest } from '../../src/app/round-ingest.js';
import { roundOpen } from '../../src/app/round-open.js';
import { score } from '../../src/app/score.js';
import { start } from '../../src/app/start.js';
import { verdict } from '../../src/app/verdict.js';
import { parseScore } from '../../src/domain/scoring.js';
import { FsWorkspace } from '../../src/workspace/fs-workspace.js';
import { SMALL_POOL_YAML, testProject } from '../support/app.js';

async function openRound() {
  const p = testProject();
  p.write('pool.yaml', SMALL_POOL_YAML);
  const { dialogue } = await start(p.ports, { title: 'Hostile', pool: 'pool.yaml', panelSize: 3, seed: 6 });
  const opened = await roundOpen(p.ports, { id: dialogue.id });
  return { p, id: dialogue.id, panel: opened.panel };
}

describe('hostile expert outputs', () => {
  it('a symlink to a file outside the project is not read, stored or printed', async () => {
    const { p, id, panel } = await openRound();
    const secret = join(mkdtempSync(join(tmpdir(), 'blue-secret-')), 'shadow');
    writeFileSync(secret, '[PERSPECTIVE P01: root:secret-hash]\nstolen\n');
    symlinkSync(secret, join(p.root, panel[0].output_file));
    p.write(panel[1].output_file, '[PERSPECTIVE P01: Honest]\nx\n');
    const report = await roundIngest(p.ports, id);
    expect(report.missing).toEqual([panel[0].name, panel[2].name]);
    expect(report.warnings[0]).toMatchObject({ file: panel[0].output_file, message: expect.stringMatching(new RegExp(`^${panel[0].name}'s output was not read: it is a symlink.*write a regular file`)) });
    expect(p.read(`.blue/dialogues/${id}/store.json`)).not.toContain('secret-hash');
  });

  it('a FIFO neither hangs ingest nor a verdict text file', async () => {
    const { p, id, panel } = await openRound();
    execFileSync('mkfifo', [join(p.root, panel[0].output_file)]);
    p.write(panel[1].output_file, '[PERSPECTIVE P01: Honest]\nx\n');
    const report = await roundIngest(p.ports, id);
    expect(report.warnings[0].message).toMatch(/it is a FIFO, and blue reads only regular files/);
    execFileSync('mkfifo', [join(p.root, 'verdict.md')]);
    await expect(verdict(p.ports, { id, textFile: 'verdict.md', force: true, warning: 'w' })).rejects.toMatchObject({ exitCode: 2, code: 'invalid_file', message: expect.stringMatching(/verdict text file verdict\.md: it is a FIFO/) });
  });

  it('a device as an input file or behind an output neither hangs nor fills memory', async () => {
    const { p, id, panel } = await openRound();
    for (const device of ['/dev/zero', '/dev/urandom']) {
      await expect(verdict(p.ports, { id, textFile: device, force: true, warning: 'w' })).rejects.toMatchObject({ exitCode: 2, code: 'invalid_file', message: expect.stringMatching(/it is a device/) });
    }
    symlinkSync('/dev/zero', join(p.root, panel[0].output_file));
    p.write(panel[1].output_file, '[PERSPECTIVE P01: Honest]\nx\n');
    const report = await roundIngest(p.ports, id);
    expect(report.missing).toContain(panel[0].name);
    expect(report.warnings[0].message).toMatch(new RegExp(`^${panel[0].name}'s output was not read: it is a symlink`));
  });

  it('a giant output is refused at the limit, which the config can raise', async () => {
    const { p, id, panel } = await openRound();
    p.write(panel[0].output_file, `[PERSPECTIVE P01: Big]\n${'x'.repeat(3_000_000)}\n`);
    p.write(panel[1].output_file, '[PERSPECTIVE P01: Small]\nx\n');
    const report = await roundIngest(p.ports, id);
    expect(report.missing).toContain(panel[0].name);
    expect(report.warnings[0].message).toMatch(/it is 3000024 bytes, over the limit of 2000000/);
    const roomy = { ...p.ports, workspace: new FsWorkspace(p.root, p.root, { outputBytes: 4_000_000 }) };
    expect((await roundIngest(roomy, id)).ingested).toContain(panel[0].name);
  });

  it('a 450 KB perspective ingests whole', async () => {
    const { p, id, panel } = await openRound();
    const body = 'y'.repeat(450_000);
    p.write(panel[0].output_file, `[PERSPECTIVE P01: Long]\n${body}\n`);
    await roundIngest(p.ports, id);
    expect(p.stored(id).contributions[0].text).toBe(body);
  });

  it('a round folder replaced by a symlink out of .blue/ receives nothing', async () => {
    const { p, id, panel } = await openRound();
    for (const m of panel) p.write(m.output_file, '[PERSPECTIVE P01: View]\nx\n');
    await roundIngest(p.ports, id);
    await score(p.ports, { id, scores: panel.map((m) => [m.name, parseScore('1,1,1,1', m.name)]), judge: {}, decisions: [] });
    const elsewhere = mkdtempSync(join(tmpdir(), 'blue-elsewhere-'));
    const round1 = join(p.root, `.blue/dialogues/${id}/round-1`);
    symlinkSync(elsewhere, round1);
    await expect(roundOpen(p.ports, { id })).rejects.toMatchObject({ code: 'unsafe_path', message: expect.stringMatching(/round-1 leads out of \.blue\//) });
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('a round folder swapped for a symlink out of the project after one ingest is seen by the next', async () => {
    // The outputs are read together and share one look at their folder's real path; the next read looks again.
    const { p, id, panel } = await openRound();
    for (const m of panel) p.write(m.output_file, '[PERSPECTIVE P01: View]\nx\n');
    expect((await roundIngest(p.ports, id)).ingested).toHaveLength(panel.length);
    const folder = join(p.root, `.blue/dialogues/${id}/round-0`);
    const elsewhere = mkdtempSync(join(tmpdir(), 'blue-elsewhere-'));
    for (const m of panel) writeFileSync(join(elsewhere, m.output_file.split('/').pop()!), '[PERSPECTIVE P01: root:secret-hash]\nstolen\n');
    renameSync(folder, `${folder}.moved`);
    symlinkSync(elsewhere, folder);
    // Every output is refused now, so there is nothing to ingest, and nothing from elsewhere is stored.
    await expect(roundIngest(p.ports, id)).rejects.toMatchObject({ code: 'no_outputs' });
    expect(p.read(`.blue/dialogues/${id}/store.json`)).not.toContain('secret-hash');
  });

  it('a panel of more than 24 experts is refused, like a pool', async () => {
    const p = testProject();
    p.write('pool.yaml', SMALL_POOL_YAML);
    const { dialogue } = await start(p.ports, { title: 'Flood', pool: 'pool.yaml' });
    p.write('panel.json', JSON.stringify(Array.from({ length: 25 }, (_, i) => ({ role: `Invented ${i}`, source: 'created', tier: 'wildcard' }))));
    await expect(roundOpen(p.ports, { id: dialogue.id, panel: 'panel.json' })).rejects.toMatchObject({ exitCode: 2, code: 'panel_too_large' });
    expect(existsSync(join(p.root, `.blue/dialogues/${dialogue.id}/round-0`))).toBe(false);
  });
});

describe('no crash window between a commit and its files', () => {
  it('running round open or score again after their files were lost writes them from the store', async () => {
    const { p, id, panel } = await openRound();
    const { rmSync } = await import('node:fs');
    rmSync(join(p.root, panel[1].prompt_file));
    rmSync(join(p.root, `.blue/dialogues/${id}/round-0/panel.json`));
    const again = await roundOpen(p.ports, { id });
    expect(again.round).toBe(0);
    expect(p.exists(panel[1].prompt_file)).toBe(true);
    expect(p.warnings.at(-1)).toMatch(/round 0 was open without 2 of its files .* wrote them from the store/);
    // With every file there, opening again is refused as before.
    await expect(roundOpen(p.ports, { id })).rejects.toMatchObject({ code: 'round_not_scored' });

    for (const m of panel) p.write(m.output_file, '[PERSPECTIVE P01: View]\nx\n');
    await roundIngest(p.ports, id);
    const scores = panel.map((m): [string, ReturnType<typeof parseScore>] => [m.name, parseScore('2,2,1,1', m.name)]);
    await score(p.ports, { id, scores, judge: {}, decisions: [] });
    const board = p.read(`.blue/dialogues/${id}/scoreboard.md`);
    rmSync(join(p.root, `.blue/dialogues/${id}/scoreboard.md`));
    p.write(`.blue/dialogues/${id}/tensions.md`, 'stale\n');
    const repaired = await score(p.ports, { id, scores, judge: {}, decisions: [] });
    expect(repaired.round).toBe(0);
    expect(p.read(`.blue/dialogues/${id}/scoreboard.md`)).toBe(board);
    expect(p.read(`.blue/dialogues/${id}/tensions.md`)).not.toBe('stale\n');
    // Other scores for a scored round are still refused.
    await expect(score(p.ports, { id, scores: scores.map(([n]) => [n, parseScore('9,9,9,9', n)]), judge: {}, decisions: [] })).rejects.toMatchObject({ code: 'no_open_round' });
  });
});
