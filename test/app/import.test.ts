// `dialogue import` in process on a temporary project: the folder read through the workspace's safe reads,
// the dialogue created in the store (either kind) and exported from it, an id that exists refused, and a
// hostile folder whose links, devices and giants are named and never read.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportDialogues } from '../../src/app/export.js';
import { importFolder } from '../../src/app/import.js';
import { show } from '../../src/app/show.js';
import { SMALL_POOL_YAML, testProject } from '../support/app.js';
import { POOL } from '../support/dialogue-factory.js';
import { readRecord } from '../support/record.js';
import { REFERENCE_DIALOGUES, RFC_0058 } from '../support/reference.js';

const DIALOGUES = REFERENCE_DIALOGUES;


const PANEL = JSON.stringify({ round: 0, panel: [{ name: 'Muffin', role: 'Head Baker', source: 'pool' }, { name: 'Cupcake', role: 'Finance Lead', source: 'pool' }] });

describe.each(['file', 'dynamodb'] as const)('importing the RFC 0058 folder into the %s store', (storeKind) => {
  it('creates the dialogue in the store, writes nothing into its folder, and exports the reference\'s figures', async () => {
    const p = testProject({ storeKind });
    cpSync(join(DIALOGUES, RFC_0058), join(p.root, 'old', RFC_0058), { recursive: true });
    cpSync(join(DIALOGUES, `${RFC_0058}.dialogue.recorded.md`), join(p.root, 'old', `${RFC_0058}.dialogue.recorded.md`));
    const imported = await importFolder(p.ports, { folder: `old/${RFC_0058}` });
    expect(imported.dialogue.id).toBe(RFC_0058);
    expect(imported.rounds).toBe(4);
    // Findings name their files as blue prints paths: relative to the project root.
    expect(imported.unmapped.find((f) => f.message.startsWith('RESOLVED names no tension'))).toMatchObject({ file: `old/${RFC_0058}/round-3/cannoli.md`, line: 7 });
    expect(imported.dialogue.tensions[0].file).toBe(`.blue/dialogues/${RFC_0058}/round-0/muffin.md`);
    // Only the store (its own file, for the file store) is written: no judge file, prompt or output.
    expect(p.exists(`.blue/dialogues/${RFC_0058}/scoreboard.md`)).toBe(false);

    const exported = await exportDialogues(p.ports, { id: RFC_0058 });
    if (exported.kind !== 'written') throw new Error('export wrote nothing');
    const ours = readRecord(p.read(exported.written[0]));
    const theirs = readRecord(p.read(`old/${RFC_0058}.dialogue.recorded.md`));
    expect(ours.header).toEqual({ ...theirs.header, 'Tensions Resolved': '18/18' });
    expect(ours.scoreboard).toEqual(theirs.scoreboard);
    expect((await show(p.ports, 'rfc-0058')).status).toBe('converged');
  });

  it('refuses an id that already exists (exit 3), naming it, and leaves the stored dialogue as it was', async () => {
    const p = testProject({ storeKind });
    await importFolder(p.ports, { folder: join(DIALOGUES, RFC_0058) });
    const stores = await p.ports.openStores();
    const before = await stores.store.load(RFC_0058);
    await expect(importFolder(p.ports, { folder: join(DIALOGUES, RFC_0058) })).rejects.toMatchObject({
      exitCode: 3,
      code: 'dialogue_exists',
      message: expect.stringContaining(`dialogue ${RFC_0058} already exists`),
    });
    expect(await stores.store.load(RFC_0058)).toEqual(before);
    // Another time makes another dialogue of the same folder.
    const again = await importFolder(p.ports, { folder: join(DIALOGUES, RFC_0058), date: '2026-02-07T09:00Z' });
    expect(again.dialogue.id).toBe('2026-02-07T0900Z-rfc-0058-supersession-hybrid-relational-dynamodb-architecture');
  });
});

describe('importing a folder through the workspace', () => {
  it('takes a pool the judge names (--pool, YAML) for a folder that holds none, with --title and --rfc', async () => {
    const p = testProject();
    p.write('pool.yaml', SMALL_POOL_YAML);
    p.write('old/second-shop/round-0/panel.json', PANEL);
    p.write('old/second-shop/round-0/muffin.md', '[PERSPECTIVE P01: Bread]\nMore bread.\n');
    p.write('old/second-shop/round-0/cupcake.md', '[PERSPECTIVE P01: Money]\nLess money.\n');
    const r = await importFolder(p.ports, { folder: 'old/second-shop', pool: 'pool.yaml', title: 'Second shop?', rfc: '0061-shop', date: '2026-02-01T10:00Z' });
    expect(r.dialogue).toMatchObject({ id: '2026-02-01T1000Z-second-shop', title: 'Second shop?', rfc: '0061-shop', status: 'open' });
    expect(r.dialogue.rounds[0].ingest!.ingested).toEqual(['Muffin', 'Cupcake']);
    expect(r.notes.map((n) => n.file)).toContain('old/second-shop');
  });

  it('says which folder is missing, or is no folder (exit 2)', async () => {
    const p = testProject();
    p.write('notes.md', '# notes');
    await expect(importFolder(p.ports, { folder: 'old/nothing' })).rejects.toMatchObject({ exitCode: 2, code: 'folder_not_found', message: expect.stringContaining('old/nothing does not exist') });
    await expect(importFolder(p.ports, { folder: 'notes.md' })).rejects.toMatchObject({ exitCode: 2, code: 'not_a_folder' });
    p.write('photos/cat.md', 'meow');
    await expect(importFolder(p.ports, { folder: 'photos' })).rejects.toMatchObject({ exitCode: 2, code: 'not_a_dialogue_folder' });
  });

  it('refuses a folder whose pool or panel.json gives a key twice (exit 2), naming the file, the key and both lines, and stores nothing', async () => {
    const p = testProject();
    const folder = `old/${RFC_0058}`;
    cpSync(join(DIALOGUES, RFC_0058), join(p.root, folder), { recursive: true });
    const pool = `${folder}/expert-pool.json`;
    const original = p.read(pool);
    // JSON.parse would keep the second question without a word: the dialogue would ask another question.
    p.write(pool, original.replace('  "question":', '  "question": "Which colour is the bikeshed?",\n  "question":'));
    await expect(importFolder(p.ports, { folder })).rejects.toMatchObject({
      exitCode: 2,
      code: 'invalid_pool',
      message: `${pool} gives question twice in one object (line 3 and line 4); JSON would keep the last without a word, so blue takes neither`,
      details: { file: pool, line: 4, key: 'question' },
    });
    p.write(pool, original);
    const panel = `${folder}/round-1/panel.json`;
    const role = '"role": "Rust Systems Engineer (Trait Abstractions)",';
    p.write(panel, p.read(panel).replace(role, `${role}\n      "role": "Marketing Lead",`));
    await expect(importFolder(p.ports, { folder })).rejects.toMatchObject({
      exitCode: 2,
      code: 'invalid_panel',
      message: expect.stringMatching(/^old\/.+\/round-1\/panel\.json gives agents\[0\]\.role twice in one object \(line 7 and line 8\)/),
      details: { file: panel, line: 8, key: 'agents[0].role' },
    });
    expect((await (await p.ports.openStores()).catalog.list()).length).toBe(0);
    // A pool named with --pool stands in for the folder's: the folder's is not read, so not refused.
    p.write(pool, original.replace('  "question":', '  "question": "Which colour?",\n  "question":'));
    p.write(panel, p.read(panel).replace('\n      "role": "Marketing Lead",', ''));
    p.write('pool.json', original);
    expect((await importFolder(p.ports, { folder, pool: 'pool.json' })).rounds).toBe(4);
  });

  it('a hostile folder: links (to a file, to a folder outside), a FIFO, a giant and a nested folder are named, never read', async () => {
    const p = testProject();
    const outside = join(p.root, '..', `secret-${Date.now()}`);
    mkdirSync(outside);
    writeFileSync(join(outside, 'key.md'), 'SECRET KEY');
    const dir = 'old/2026-03-01T0930Z-hostile';
    p.write(`${dir}/expert-pool.json`, JSON.stringify(POOL));
    p.write(`${dir}/round-0/panel.json`, PANEL);
    p.write(`${dir}/round-0/muffin.md`, '[PERSPECTIVE P01: Bread]\nMore bread.\n');
    symlinkSync(join(outside, 'key.md'), join(p.root, dir, 'round-0/cupcake.md'));
    symlinkSync(outside, join(p.root, dir, 'round-1'));
    symlinkSync(join(outside, 'key.md'), join(p.root, 'old', '2026-03-01T0930Z-hostile.dialogue.md'));
    execFileSync('mkfifo', [join(p.root, dir, 'verdict.md')]);
    p.write(`${dir}/scoreboard.md`, 'x'.repeat(2_000_001));
    p.write(`${dir}/round-0/replaced/muffin.md`, 'old');
    const r = await importFolder(p.ports, { folder: dir });
    expect(r.rounds).toBe(1);
    expect(JSON.stringify(r)).not.toContain('SECRET');
    const refused = Object.fromEntries(r.unmapped.filter((f) => f.message.startsWith('not read')).map((f) => [f.file, f.message]));
    expect(refused).toEqual({
      [`${dir}/round-0/cupcake.md`]: expect.stringContaining('it is a symlink'),
      [`${dir}/round-0/replaced/`]: expect.stringContaining('a folder inside a round folder'),
      [`${dir}/round-1`]: expect.stringContaining('it is a symlink'),
      [`${dir}/scoreboard.md`]: expect.stringContaining('over the limit of 2000000'),
      [`${dir}/verdict.md`]: expect.stringContaining('it is a FIFO'),
      'old/2026-03-01T0930Z-hostile.dialogue.md': expect.stringContaining('it is a symlink'),
    });
    expect(r.dialogue.rounds[0].ingest!.missing).toEqual(['Cupcake']);
  });
});
