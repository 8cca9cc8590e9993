// The git hook's use cases in process: `hook run pre-commit` on a fake index (what the commit stages, and
// what the index holds), with a fake linter, on the file store and on DynamoDB Local; `hook install` on
// fake hook files, for every kind of hook that may already be there; then the git side (the every-commit
// gate and the index as git reads it) in a real repository.

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { abandon } from '../../src/app/abandon.js';
import { exportDialogues, render } from '../../src/app/export.js';
import { installHook, installHooks, runHook, type HookFiles, type LintFinding, type Linter, type StagedIndex } from '../../src/app/hook.js';
import { roundOpen } from '../../src/app/round-open.js';
import { start } from '../../src/app/start.js';
import { createContext } from '../../src/cli/context.js';
import type { Ports } from '../../src/app/ports.js';
import { BlueError } from '../../src/domain/errors.js';
import { SMALL_POOL_YAML, testProject, type TestProject } from '../support/app.js';
import { localEndpoint, uniqueTableName } from '../support/dynamodb.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { preCommitHasNothingToCheck } from '../../src/cli/hook-gate.js';
import { GitRepository } from '../../src/platform/git.js';
import { hookRunCommand } from '../../src/commands/hook.js';
import { renderRecord } from '../../src/render/record.js';
import { makeDialogue } from '../support/dialogue-factory.js';

const NO_LINT: Linter = () => [];

/** An index: `staged` is what the commit adds or changes; `tracked` what the index holds besides; `deleted` what it deletes. */
function fakeIndex(staged: Record<string, string>, tracked: Record<string, string> = {}, deleted: string[] = []): StagedIndex {
  return {
    stagedFiles: async () => Object.keys(staged),
    deletedFiles: async () => deleted,
    stagedTexts: async (paths) => paths.map((path) => ({ path, text: staged[path] ?? tracked[path] })),
  };
}

/** The ports, with openStores counted. */
function counted(ports: Ports): { ports: Ports; opened: () => number } {
  const openStores = vi.fn(ports.openStores);
  return { ports: { ...ports, openStores }, opened: () => openStores.mock.calls.length };
}

async function dialogueIn(p: TestProject, title = 'Second shop?'): Promise<string> {
  p.write('pool.yaml', SMALL_POOL_YAML);
  return (await start(p.ports, { title, pool: 'pool.yaml', seed: 1, date: '2026-03-01T09:30Z' })).dialogue.id;
}

const record = (id: string) => `.blue/dialogues/${id}/dialogue.md`;
const storeJson = (id: string) => `.blue/dialogues/${id}/store.json`;

/** A project with an open dialogue and an abandoned one, never exported, and their store.json texts. */
async function openAndAbandoned(): Promise<{ p: TestProject; id: string; dropped: string; stores: Record<string, string> }> {
  const p = testProject();
  const id = await dialogueIn(p);
  const dropped = await dialogueIn(p, 'Dropped idea');
  await abandon(p.ports, { id: dropped, reason: 'no longer needed' });
  return { p, id, dropped, stores: { [storeJson(id)]: p.read(storeJson(id)), [storeJson(dropped)]: p.read(storeJson(dropped)) } };
}

describe('hook run pre-commit', () => {
  it('does no store work when the commit stages no dialogue file', async () => {
    const p = testProject();
    const { ports, opened } = counted(p.ports);
    const commits: Array<Record<string, string>> = [{}, { 'src/app.ts': 'x', 'README.md': 'y' }, { '.blue/dialogues/2026-03-01T0930Z-x/round-0/muffin.md': 'an output' }];
    for (const staged of commits) {
      const report = await runHook(ports, { hook: 'pre-commit', index: fakeIndex(staged), lint: NO_LINT });
      expect(report).toEqual({ hook: 'pre-commit', checked: [], refused: false, warnings: [] });
    }
    expect(opened()).toBe(0);
  });

  it('refuses a staged record that is not what export writes now, naming the file and the fix', async () => {
    const p = testProject();
    const id = await dialogueIn(p);
    await exportDialogues(p.ports, { id });
    const exported = p.read(record(id));
    await roundOpen(p.ports, { id }); // the store moves on; the staged record does not
    const report = await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex({ [record(id)]: exported }), lint: NO_LINT });
    expect(report.refused).toBe(true);
    expect(report.checked).toEqual([
      {
        file: record(id),
        id,
        format: 'record',
        because: 'staged',
        current: false,
        findings: [],
        refuses: true,
        fix: [`blue dialogue export ${id}`, `git add ${record(id)}`],
      },
    ]);
  });

  it('compares the staged content, not the working tree', async () => {
    const p = testProject();
    const id = await dialogueIn(p);
    await exportDialogues(p.ports, { id }); // the working tree's record is current...
    const staged = { [record(id)]: `${p.read(record(id))}\nedited after export\n` }; // ...the staged one is not
    expect((await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex(staged), lint: NO_LINT })).refused).toBe(true);
    const current = { [record(id)]: p.read(record(id)) };
    const report = await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex(current), lint: NO_LINT });
    expect(report).toMatchObject({ refused: false, checked: [{ file: record(id), current: true, refuses: false, fix: [] }] });
  });

  it('on the file store, compares with the store.json the index holds, not the working tree\'s', async () => {
    const p = testProject();
    const id = await dialogueIn(p);
    await exportDialogues(p.ports, { id });
    // The judge stages the record and the store.json it was exported from, then the store moves on in the
    // working tree only: the commit records a record and a store that agree.
    const staged = { [record(id)]: p.read(record(id)), [storeJson(id)]: p.read(storeJson(id)) };
    await roundOpen(p.ports, { id });
    const report = await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex(staged), lint: NO_LINT });
    expect(report).toEqual({ hook: 'pre-commit', checked: [expect.objectContaining({ file: record(id), because: 'staged', current: true, refuses: false, fix: [] })], refused: false, warnings: [] });

    // The record exported from the working tree's store does not match the store.json the commit records.
    await exportDialogues(p.ports, { id });
    const ahead = await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex({ ...staged, [record(id)]: p.read(record(id)) }), lint: NO_LINT });
    expect(ahead).toMatchObject({ refused: true, checked: [{ file: record(id), current: false, fix: [`blue dialogue export ${id}`, `git add ${record(id)}`] }] });
  });

  it('a staged record is compared with the store.json the index holds unchanged from the last commit', async () => {
    const p = testProject();
    const id = await dialogueIn(p);
    await exportDialogues(p.ports, { id });
    const committed = { [storeJson(id)]: p.read(storeJson(id)) };
    const exported = p.read(record(id));
    await roundOpen(p.ports, { id }); // not staged
    const report = await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex({ [record(id)]: exported }, committed), lint: NO_LINT });
    expect(report).toMatchObject({ refused: false, checked: [{ file: record(id), current: true }] });
    // With no store.json in the index (the repository does not track it), the store is what is compared.
    expect(await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex({ [record(id)]: exported }), lint: NO_LINT })).toMatchObject({ refused: true, checked: [{ current: false }] });
  });

  it('a corrupt store.json in the index is exit 4 naming it, as the store reports a corrupt store.json', async () => {
    const p = testProject();
    const id = await dialogueIn(p);
    await exportDialogues(p.ports, { id });
    const stored = p.read(storeJson(id));
    const edited = stored.replace('"title": "Second shop?"', '"title": "Second shop!"'); // in the body, not the first line
    expect(edited).not.toBe(stored);
    const error = await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex({ [storeJson(id)]: edited }, { [record(id)]: p.read(record(id)) }), lint: NO_LINT }).then(
      () => undefined,
      (thrown: Error) => thrown,
    );
    expect(error).toMatchObject({ exitCode: 4, code: 'corrupt_store_file', details: { id, file: storeJson(id) } });
    expect(error?.message).toMatch(`${storeJson(id)}, as this commit stages it, is corrupt: its content does not match its sha256 checksum`);
    // The remedy is for the index: `git checkout -- <file>` (the store's advice) would copy the corrupt copy
    // out. After a merge that joined it line by line, one side is taken whole.
    expect((error as BlueError).details.fix).toMatch(
      `stage a sound store.json (check the working tree's with \`blue dialogue show ${id}\`, then \`git add ${storeJson(id)}\`), or unstage it: git restore --staged ${storeJson(id)}; or, if a merge joined two versions of it line by line, take one side whole with \`git checkout --ours ${storeJson(id)}\``,
    );
    expect(error?.message).not.toContain('git checkout -- ');
    // The same text in the working tree: the store finds the same problem.
    p.write(storeJson(id), edited);
    const stores = await p.ports.openStores();
    await expect(stores.store.load(id)).rejects.toMatchObject({ code: 'corrupt_store_file', details: { problem: (error as BlueError).details.problem } });
  });

  it('checks the transcript and the JSON export too, each with its own fix; a JSON export must parse', async () => {
    const p = testProject();
    const id = await dialogueIn(p);
    const transcript = `.blue/dialogues/${id}/transcript.md`;
    const json = `.blue/dialogues/${id}/dialogue.json`;
    const report = await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex({ [transcript]: 'old\n', [json]: '{"cut off' }), lint: NO_LINT });
    expect(report.checked.map((c) => [c.format, c.current, c.fix[0], c.findings.map((f) => f.rule)])).toEqual([
      ['transcript', false, `blue dialogue export ${id} --format transcript`, []],
      ['json', false, `blue dialogue export ${id} --format json`, ['json-syntax']],
    ]);
  });

  it('refuses on a critical lint finding and reports warnings without refusing', async () => {
    const p = testProject();
    const id = await dialogueIn(p);
    await exportDialogues(p.ports, { id });
    const text = p.read(record(id));
    const seen: Array<[string, string]> = [];
    const lintSaying = (findings: LintFinding[]): Linter => (t, file) => {
      seen.push([file, t]);
      return findings;
    };
    const warning: LintFinding = { severity: 'warning', rule: 'heading-order', line: 3, message: 'a heading skips a level' };
    const warned = await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex({ [record(id)]: text }), lint: lintSaying([warning]) });
    expect(warned).toMatchObject({ refused: false, checked: [{ current: true, refuses: false, findings: [warning] }] });
    expect(seen).toEqual([[record(id), text]]);

    const critical: LintFinding = { severity: 'critical', rule: 'header', line: 1, message: 'no **Status** line' };
    const refused = await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex({ [record(id)]: text }), lint: lintSaying([critical, warning]) });
    expect(refused).toMatchObject({ refused: true, checked: [{ current: true, refuses: true, findings: [critical, warning] }] });
  });

  it('lints a record of a dialogue the store does not hold, and says it cannot tell whether it is current', async () => {
    const p = testProject();
    const file = record('2025-01-31T0930Z-from-elsewhere');
    const critical: LintFinding = { severity: 'critical', rule: 'header', line: 1, message: 'no title' };
    const report = await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex({ [file]: 'text\n' }), lint: () => [critical] });
    expect(report.checked).toMatchObject([{ file, current: null, refuses: true, fix: [`blue dialogue lint ${file}`, `git add ${file}`] }]);
    expect(report.warnings).toEqual([`${file}: the store holds no dialogue 2025-01-31T0930Z-from-elsewhere, so blue cannot say whether it is current; lint alone checked it`]);
    const clean = await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex({ [file]: 'text\n' }), lint: NO_LINT });
    expect(clean).toMatchObject({ refused: false, checked: [{ current: null, refuses: false }] });
  });

  it('a staged store.json checks the exports the index holds of that dialogue; the transcript and JSON export only if it holds them', async () => {
    const p = testProject();
    const id = await dialogueIn(p);
    const dropped = await dialogueIn(p, 'Dropped idea');
    await exportDialogues(p.ports, { id });
    const committed = p.read(record(id));
    await roundOpen(p.ports, { id });
    await abandon(p.ports, { id: dropped, reason: 'no longer needed' });
    const staged = { [storeJson(id)]: p.read(storeJson(id)), [storeJson(dropped)]: p.read(storeJson(dropped)) };

    // The judge opened a round and committed the store without exporting: the committed record is stale.
    // The abandoned dialogue was never exported: skipped.
    const report = await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex(staged, { [record(id)]: committed }), lint: NO_LINT });
    expect(report.checked.map((c) => [c.file, c.because, c.current, c.missing])).toEqual([[record(id), 'store_staged', false, undefined]]);
    expect(report.refused).toBe(true);
  });

  it('a staged store.json of a dialogue that is not abandoned, with no record in the index, is refused with the export to run', async () => {
    const { p, id, dropped, stores: staged } = await openAndAbandoned();
    const report = await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex(staged), lint: NO_LINT });
    // Only the record is asked for (the transcript and the JSON export are optional); the abandoned
    // dialogue, never exported, is skipped.
    expect(report).toEqual({
      hook: 'pre-commit',
      checked: [{ file: record(id), id, format: 'record', because: 'store_staged', current: false, missing: true, findings: [], refuses: true, fix: [`blue dialogue export ${id}`, `git add ${record(id)}`] }],
      refused: true,
      warnings: [],
    });

    // Once exported and staged, it goes through; the transcript the index does not hold is not asked for.
    await exportDialogues(p.ports, { id });
    const exported = await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex({ ...staged, [record(id)]: p.read(record(id)) }), lint: NO_LINT });
    expect(exported).toMatchObject({ refused: false, checked: [{ file: record(id), because: 'staged', current: true }] });
    expect(exported.checked).toHaveLength(1);

    // A commit that stages only the abandoned dialogue's store.json checks nothing.
    expect(await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex({ [storeJson(dropped)]: staged[storeJson(dropped)] }), lint: NO_LINT })).toEqual({ hook: 'pre-commit', checked: [], refused: false, warnings: [] });
  });

  it('whether a dialogue is abandoned is read from the store.json the commit stages', async () => {
    const p = testProject();
    const id = await dialogueIn(p);
    const open = { [storeJson(id)]: p.read(storeJson(id)) };
    await abandon(p.ports, { id, reason: 'no longer needed' }); // in the working tree only
    expect(await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex(open), lint: NO_LINT })).toMatchObject({ refused: true, checked: [{ file: record(id), missing: true }] });
    const abandoned = { [storeJson(id)]: p.read(storeJson(id)) };
    expect(await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex(abandoned), lint: NO_LINT })).toMatchObject({ refused: false, checked: [] });
  });

  it('a record the commit deletes while its dialogue stays, not abandoned, is refused; the optional exports and a whole dialogue may go', async () => {
    const { p, id, dropped, stores: tracked } = await openAndAbandoned();
    const transcript = `.blue/dialogues/${id}/transcript.md`;
    const report = await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex({}, tracked, [record(id), transcript, record(dropped)]), lint: NO_LINT });
    expect(report).toEqual({
      hook: 'pre-commit',
      checked: [{ file: record(id), id, format: 'record', because: 'deleted', current: false, missing: true, findings: [], refuses: true, fix: [`blue dialogue export ${id}`, `git add ${record(id)}`] }],
      refused: true,
      warnings: [],
    });
    // Staging the store.json too names the record once, as deleted.
    const both = await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex({ [storeJson(id)]: tracked[storeJson(id)] }, {}, [record(id)]), lint: NO_LINT });
    expect(both.checked.map((c) => [c.file, c.because])).toEqual([[record(id), 'deleted']]);
    // The dialogue deleted with its record: nothing is left to keep current, and no store is opened.
    const { ports, opened } = counted(p.ports);
    expect(await runHook(ports, { hook: 'pre-commit', index: fakeIndex({}, {}, [record(id), storeJson(id)]), lint: NO_LINT })).toEqual({ hook: 'pre-commit', checked: [], refused: false, warnings: [] });
    expect(opened()).toBe(0);
  });

  it('names dialogue files of another blue project in the repository instead of checking them', async () => {
    const p = testProject();
    const report = await runHook(p.ports, { hook: 'pre-commit', index: fakeIndex({ '../other/.blue/dialogues/2026-03-01T0930Z-x/dialogue.md': 'x' }), lint: NO_LINT });
    expect(report.checked).toEqual([]);
    expect(report.warnings[0]).toMatch(/^not checked, outside this project .*: \.\.\/other\/\.blue\/dialogues\/2026-03-01T0930Z-x\/dialogue\.md; check them with `blue --root <their project> hook run pre-commit`, and on every commit by `blue hook install` in their project$/);
  });

  it('knows the pre-commit and the pre-merge-commit hooks, which check alike (the index holds what the merge commits)', async () => {
    const p = testProject();
    await expect(runHook(p.ports, { hook: 'pre-push', index: fakeIndex({}), lint: NO_LINT })).rejects.toMatchObject({ exitCode: 2, code: 'unknown_hook' });
    const id = await dialogueIn(p);
    const report = await runHook(p.ports, { hook: 'pre-merge-commit', index: fakeIndex({ [storeJson(id)]: p.read(storeJson(id)) }), lint: NO_LINT });
    expect(report).toMatchObject({ hook: 'pre-merge-commit', refused: true, checked: [{ file: record(id), missing: true }] });
  });
});

describe('hook run pre-commit on DynamoDB', () => {
  const base = mkdtempSync(join(tmpdir(), 'blue-hook-dynamodb-'));
  let ports: Ports;

  beforeAll(async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'blueTest');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'blueTestSecret');
    mkdirSync(join(base, '.blue'));
    const ctx = await createContext({ store: 'dynamodb', endpoint: localEndpoint(), table: uniqueTableName('hook'), keyFile: join(base, 'team.key') }, base, {});
    await ctx.ports.initDynamoStore();
    ports = ctx.ports;
  });
  afterAll(() => {
    vi.unstubAllEnvs();
    rmSync(base, { recursive: true, force: true });
  });

  it('refuses a stale staged record and lets the current one through', async () => {
    writeFileSync(join(base, 'pool.yaml'), SMALL_POOL_YAML);
    const { dialogue } = await start(ports, { title: 'Shared shop?', pool: 'pool.yaml', seed: 1 });
    const stale = render(dialogue, 'record');
    await roundOpen(ports, { id: dialogue.id });
    const stores = await ports.openStores();
    const opened = await stores.store.load(dialogue.id);
    await stores.close?.();
    const file = record(dialogue.id);
    expect(await runHook(ports, { hook: 'pre-commit', index: fakeIndex({ [file]: stale }), lint: NO_LINT })).toMatchObject({ refused: true, checked: [{ current: false }] });
    expect(await runHook(ports, { hook: 'pre-commit', index: fakeIndex({ [file]: render(opened, 'record') }), lint: NO_LINT })).toMatchObject({ refused: false, checked: [{ current: true }] });
    // No store.json is the state here: one the index holds (left from the file store) is not read.
    const leftover = { [`.blue/dialogues/${dialogue.id}/store.json`]: 'not a store file' };
    expect(await runHook(ports, { hook: 'pre-commit', index: fakeIndex({ [file]: render(opened, 'record') }, leftover), lint: NO_LINT })).toMatchObject({ refused: false, checked: [{ current: true }] });
  });
});

/**
 * Hook files in memory: path -> {text, executable}; `undefined` text is a binary. `projects`: the folders
 * of the repository with a `.blue/` (by default the project's own, at `prefix`).
 */
function fakeHooks(folder: string, initial: Record<string, { text: string | undefined; executable: boolean }> = {}, prefix = '', projects = [prefix.replace(/\/$/, '')]): HookFiles & { files: typeof initial } {
  const files = { ...initial };
  return {
    files,
    hooksFolder: async () => folder,
    projectPrefix: async () => prefix,
    projects: async () => projects,
    readHook: async (path) => files[path],
    exists: async (path) => path in files || (path === '.blue' && projects.includes(prefix.replace(/\/$/, ''))),
    writeHook: async (path, text) => {
      files[path] = { text, executable: true };
    },
    moveHook: async (from, to) => {
      files[to] = files[from];
      delete files[from];
    },
  };
}

const INVOCATION = { node: '/usr/bin/node', script: '/opt/blue/bin/blue' };

describe('hook install', () => {
  it('installs the pre-commit and the pre-merge-commit hooks, or the one --hook names', async () => {
    const hooks = fakeHooks('.git/hooks');
    expect(await installHooks({ files: hooks, invocation: INVOCATION })).toEqual([
      { hook: 'pre-commit', file: '.git/hooks/pre-commit', action: 'created', warnings: [] },
      { hook: 'pre-merge-commit', file: '.git/hooks/pre-merge-commit', action: 'created', warnings: [] },
    ]);
    expect(hooks.files['.git/hooks/pre-merge-commit'].text).toContain(`'/usr/bin/node' '/opt/blue/bin/blue' hook run pre-merge-commit || exit $?`);
    expect(await installHooks({ hook: 'pre-merge-commit', files: hooks, invocation: INVOCATION })).toEqual([expect.objectContaining({ hook: 'pre-merge-commit', action: 'unchanged' })]);
    await expect(installHooks({ hook: 'post-merge', files: hooks, invocation: INVOCATION })).rejects.toMatchObject({ exitCode: 2, code: 'unknown_hook' });
  });

  it('creates the hook, and installing again changes nothing', async () => {
    const hooks = fakeHooks('.git/hooks');
    expect(await installHook({ files: hooks, invocation: INVOCATION })).toEqual({ hook: 'pre-commit', file: '.git/hooks/pre-commit', action: 'created', warnings: [] });
    const text = hooks.files['.git/hooks/pre-commit'].text!;
    expect(text).toMatch(/^#!\/bin\/sh\n# >>> blue pre-commit >>>\n/);
    expect(text).toContain(`'/usr/bin/node' '/opt/blue/bin/blue' hook run pre-commit || exit $?`);
    expect(text).toContain('blue hook run pre-commit || exit $?');
    expect(await installHook({ files: hooks, invocation: INVOCATION })).toMatchObject({ action: 'unchanged' });
    expect(hooks.files['.git/hooks/pre-commit'].text).toBe(text);
  });

  it('joins an existing shell hook right after its #! line, keeping every line of it', async () => {
    const old = '#!/usr/bin/env bash\nset -e\nnpm run lint\nexit 0\n';
    const hooks = fakeHooks('.githooks', { '.githooks/pre-commit': { text: old, executable: true } });
    expect(await installHook({ files: hooks, invocation: INVOCATION })).toMatchObject({ file: '.githooks/pre-commit', action: 'added' });
    const text = hooks.files['.githooks/pre-commit'].text!;
    expect(text.startsWith('#!/usr/bin/env bash\n# >>> blue pre-commit >>>\n')).toBe(true);
    expect(text.endsWith('# <<< blue pre-commit <<<\nset -e\nnpm run lint\nexit 0\n')).toBe(true);
    expect(await installHook({ files: hooks, invocation: INVOCATION })).toMatchObject({ action: 'unchanged' });
    // A new bin/blue rewrites the block in place, and nothing else.
    expect(await installHook({ files: hooks, invocation: { node: '/usr/bin/node', script: '/home/me/blue/bin/blue' } })).toMatchObject({ action: 'updated' });
    const updated = hooks.files['.githooks/pre-commit'].text!;
    expect(updated).toContain("'/home/me/blue/bin/blue'");
    expect(updated).not.toContain('/opt/blue');
    expect(updated.endsWith('# <<< blue pre-commit <<<\nset -e\nnpm run lint\nexit 0\n')).toBe(true);
  });

  it('chains a hook in another language: moved aside by name, run after blue with its arguments', async () => {
    const hooks = fakeHooks('/repo/.git/hooks', { '/repo/.git/hooks/pre-commit': { text: '#!/usr/bin/env python3\nprint("hi")\n', executable: true }, '/repo/.git/hooks/pre-commit.before-blue': { text: 'x', executable: true } });
    const result = await installHook({ files: hooks, invocation: {} });
    expect(result).toMatchObject({ action: 'chained', kept: '/repo/.git/hooks/pre-commit.before-blue.1' });
    expect(hooks.files['/repo/.git/hooks/pre-commit.before-blue.1'].text).toBe('#!/usr/bin/env python3\nprint("hi")\n');
    const text = hooks.files['/repo/.git/hooks/pre-commit'].text!;
    expect(text.endsWith(`exec "$(dirname "$0")"/'pre-commit.before-blue.1' "$@"\n`)).toBe(true);
    expect(text).not.toContain('/usr/bin/node'); // no recorded invocation: blue on PATH only
    expect(await installHook({ files: hooks, invocation: {} })).toMatchObject({ action: 'unchanged' });
  });

  it('moves aside a hook git never ran (not executable) rather than start running it', async () => {
    const hooks = fakeHooks('.git/hooks', { '.git/hooks/pre-commit': { text: '#!/bin/sh\nrm -rf build\n', executable: false } });
    const result = await installHook({ files: hooks, invocation: INVOCATION });
    expect(result).toMatchObject({ action: 'created', kept: '.git/hooks/pre-commit.inactive' });
    expect(result.warnings[0]).toMatch(/was not executable, so git did not run it; it is kept as \.git\/hooks\/pre-commit\.inactive/);
    expect(hooks.files['.git/hooks/pre-commit'].text).not.toContain('rm -rf');
  });

  it('tells the hook where the project is when it is below the top level, and warns about husky', async () => {
    const hooks = fakeHooks('../.husky/_', {}, 'tools/dialogues/');
    const result = await installHook({ files: hooks, invocation: INVOCATION });
    expect(hooks.files['../.husky/_/pre-commit'].text).toContain("hook run pre-commit --root 'tools/dialogues' || exit $?");
    expect(result.warnings).toEqual(["core.hooksPath is ../.husky/_, which husky rewrites; add `blue hook run pre-commit` to .husky/pre-commit instead (see blue's README)"]);
    await expect(installHook({ hook: 'post-merge', files: hooks, invocation: INVOCATION })).rejects.toMatchObject({ exitCode: 2, code: 'unknown_hook' });
  });
});

describe('hook install in a repository of several blue projects', () => {
  it('adds each project\'s check to the block, keeping the others\', and names the projects it does not check yet', async () => {
    const projects = ['svc', 'web'];
    const svc = fakeHooks('../.git/hooks', {}, 'svc/', projects);
    const first = await installHooks({ hook: 'pre-commit', files: svc, invocation: INVOCATION });
    expect(first[0]).toMatchObject({ action: 'created', warnings: ["blue's hook does not check the blue project in web: run `blue hook install` in it too, from the top level: (cd 'web' && blue hook install)"] });
    const web = fakeHooks('../.git/hooks', svc.files, 'web/', projects);
    expect(await installHooks({ hook: 'pre-commit', files: web, invocation: INVOCATION })).toEqual([{ hook: 'pre-commit', file: '../.git/hooks/pre-commit', action: 'updated', warnings: [] }]);
    const text = web.files['../.git/hooks/pre-commit'].text!;
    for (const root of projects) expect(text).toContain(`[ ! -d '${root}/.blue' ] || '/usr/bin/node' '/opt/blue/bin/blue' hook run pre-commit --root '${root}' || exit $?`);
    // Again in either project: nothing changes.
    expect(await installHooks({ hook: 'pre-commit', files: fakeHooks('../.git/hooks', web.files, 'svc/', projects), invocation: INVOCATION })).toMatchObject([{ action: 'unchanged', warnings: [] }]);
  });

  it('refuses where there is no .blue/, naming the projects there are', async () => {
    const top = fakeHooks('.git/hooks', {}, '', ['svc', 'web']);
    const refused = await installHooks({ files: top, invocation: INVOCATION }).then(() => undefined, (error: BlueError) => error);
    expect(refused).toMatchObject({ exitCode: 2, code: 'no_blue_project', details: { folder: '', projects: ['svc', 'web'] } });
    expect(refused?.message).toBe(
      "no blue project here: the repository's top level holds no .blue/ folder, so a hook installed for it would check nothing. The blue projects in this repository are in svc, web. Fix: install it in each blue project, from the top level: (cd 'svc' && blue hook install); (cd 'web' && blue hook install).",
    );
    expect(top.files).toEqual({}); // nothing written
    const none = await installHooks({ files: fakeHooks('.git/hooks', {}, '', []), invocation: INVOCATION }).then(() => undefined, (error: BlueError) => error);
    expect(none?.message).toMatch(/No folder of this repository holds one yet\. Fix: run `blue hook install` in the folder that holds \.blue\/ .*, or make this folder a blue project first: mkdir \.blue\.$/);
  });

  it('a run does not warn about the files of another project the installed hook checks', async () => {
    const p = testProject();
    const other = '../web/.blue/dialogues/2026-03-01T0930Z-x/dialogue.md';
    const svc = fakeHooks('../.git/hooks', {}, 'svc/', ['svc', 'web']);
    const run = (hooks: HookFiles) => runHook(p.ports, { hook: 'pre-commit', index: fakeIndex({ [other]: 'x' }), hooks, lint: NO_LINT });
    await installHooks({ hook: 'pre-commit', files: svc, invocation: INVOCATION });
    expect((await run(svc)).warnings).toEqual([expect.stringMatching(/^not checked, outside this project .*: \.\.\/web\/\.blue\/dialogues\/2026-03-01T0930Z-x\/dialogue\.md; /)]);
    const web = fakeHooks('../.git/hooks', svc.files, 'web/', ['svc', 'web']);
    await installHooks({ hook: 'pre-commit', files: web, invocation: INVOCATION });
    expect(await run(fakeHooks('../.git/hooks', web.files, 'svc/'))).toEqual({ hook: 'pre-commit', checked: [], refused: false, warnings: [] });
  });
});

describe('hook run with a hook an older blue installed', () => {
  it('says on each commit it checks that `blue hook install` brings the hook up to date, and stops saying it once run', async () => {
    const p = testProject();
    const id = await dialogueIn(p);
    const hooks = fakeHooks('.git/hooks');
    await installHooks({ files: hooks, invocation: INVOCATION });
    const run = () => runHook(p.ports, { hook: 'pre-commit', index: fakeIndex({ [storeJson(id)]: p.read(storeJson(id)) }), hooks, lint: NO_LINT });
    expect((await run()).warnings).toEqual([]);
    // What an older blue wrote: the gate's diff filter left out deletions.
    const current = hooks.files['.git/hooks/pre-commit'].text!;
    hooks.files['.git/hooks/pre-commit'] = { text: current.replace('--no-renames', '--diff-filter=ACMRT'), executable: true };
    expect((await run()).warnings).toEqual([
      "blue's pre-commit hook in .git/hooks/pre-commit is not the one this blue installs (an older blue wrote it, or it was edited), so it may miss checks this blue makes: run `blue hook install` to bring it up to date (it keeps the hook's other projects and commands)",
    ]);
    expect(await installHooks({ hook: 'pre-commit', files: hooks, invocation: INVOCATION })).toMatchObject([{ action: 'updated' }]);
    expect(hooks.files['.git/hooks/pre-commit'].text).toBe(current);
    expect((await run()).warnings).toEqual([]);
    // A hook manager's own file holds no block of blue's: nothing to say.
    hooks.files['.git/hooks/pre-commit'] = { text: '#!/bin/sh\nnpx lint-staged && blue hook run pre-commit\n', executable: true };
    expect((await run()).warnings).toEqual([]);
  });
});

describe('the git side: what the commit stages, read by git itself', () => {
  const repo = mkdtempSync(join(tmpdir(), 'blue-hook-git-'));
  const sh = (args: string[], cwd = repo) => execFileSync('git', args, { cwd, encoding: 'utf8' });
  const put = (path: string, text: string) => {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  };

  beforeAll(() => {
    sh(['init', '-q']);
    put('README.md', 'x\n');
    sh(['add', 'README.md']);
  });

  it('the gate answers "nothing to check" only for the installed command line with no dialogue file staged', () => {
    expect(preCommitHasNothingToCheck(['hook', 'run', 'pre-commit'], repo)).toBe(true);
    expect(preCommitHasNothingToCheck(['hook', 'run', 'pre-merge-commit'], repo)).toBe(true); // a merge's hook, gated alike
    expect(preCommitHasNothingToCheck(['hook', 'run', 'pre-commit', '--json'], repo)).toBe(false); // the full way answers --json
    expect(preCommitHasNothingToCheck(['hook', 'install'], repo)).toBe(false);
    expect(preCommitHasNothingToCheck(['hook', 'run', 'pre-commit'], tmpdir())).toBe(false); // no repository: the full way says so
    put('.blue/dialogues/2026-03-01T0930Z-x/round-0/muffin.md', 'an output\n');
    sh(['add', '.']);
    expect(preCommitHasNothingToCheck(['hook', 'run', 'pre-commit'], repo)).toBe(true);
    put('tools/.blue/dialogues/2026-03-01T0930Z-x/dialogue.md', 'a record\n');
    sh(['add', '.']);
    expect(preCommitHasNothingToCheck(['hook', 'run', 'pre-commit'], repo)).toBe(false);
    expect(preCommitHasNothingToCheck(['hook', 'run', 'pre-commit', '--root', 'tools'], repo)).toBe(false);
  });

  it('names staged files from the project root, and reads their staged content, not the working tree', async () => {
    const git = new GitRepository(join(repo, 'tools'));
    const staged = await git.stagedFiles();
    expect(staged).toContain('.blue/dialogues/2026-03-01T0930Z-x/dialogue.md');
    expect(staged).toContain('../README.md');
    put('tools/.blue/dialogues/2026-03-01T0930Z-x/dialogue.md', 'changed, not staged\n');
    expect(await git.stagedTexts(['.blue/dialogues/2026-03-01T0930Z-x/dialogue.md', '.blue/dialogues/2026-03-01T0930Z-x/transcript.md'])).toEqual([
      { path: '.blue/dialogues/2026-03-01T0930Z-x/dialogue.md', text: 'a record\n' },
      { path: '.blue/dialogues/2026-03-01T0930Z-x/transcript.md', text: undefined },
    ]);
    expect(await git.projectPrefix()).toBe('tools/');
    expect(await git.hooksFolder()).toBe('../.git/hooks');
    // The blue projects of the repository, tracked or not yet: the top level's, tools', and a new one.
    put('web/.blue/config.yaml', 'storage: {backend: file}\n');
    expect(await git.projects()).toEqual(['', 'tools', 'web']);
  });
});

describe('the git side: what the commit deletes', () => {
  it('the gate and the index see a deleted or moved record, with no rename paired away', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'blue-hook-git-'));
    const sh = (args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
    const file = '.blue/dialogues/2026-03-01T0930Z-x/dialogue.md';
    sh(['init', '-q']);
    mkdirSync(join(repo, dirname(file)), { recursive: true });
    writeFileSync(join(repo, file), 'a record\n');
    sh(['add', '.']);
    sh(['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--no-verify', '-m', 'record']);
    sh(['mv', file, 'elsewhere.md']);
    expect(preCommitHasNothingToCheck(['hook', 'run', 'pre-commit'], repo)).toBe(false);
    const git = new GitRepository(repo);
    expect(await git.stagedFiles()).toEqual(['elsewhere.md']);
    expect(await git.deletedFiles()).toEqual([file]);
  });
});

describe('blue hook run, the command', () => {
  it('names a record the commit lacks and the export that writes it', async () => {
    const p = testProject();
    execFileSync('git', ['init', '-q'], { cwd: p.root });
    const id = await dialogueIn(p);
    execFileSync('git', ['add', '.'], { cwd: p.root });
    const result = await hookRunCommand.run({ ports: p.ports, json: false, storeName: 'the file store' }, ['pre-commit'], {});
    expect(result.exitCode).toBe(1);
    expect(result.human).toBe(
      [
        'blue pre-commit: commit refused: 1 dialogue export is missing, out of date or invalid.',
        `  ${record(id)}: not in the commit: it stages the dialogue's store.json, and a dialogue that is not abandoned is committed with its record`,
        `    fix: blue dialogue export ${id} && git add ${record(id)}`,
      ].join('\n'),
    );
  });


  it('outside a git repository is exit 2 not_a_git_repository, as hook install is, with no git usage text', async () => {
    const p = testProject();
    vi.stubEnv('GIT_CEILING_DIRECTORIES', tmpdir());
    try {
      const run = hookRunCommand.run({ ports: p.ports, json: false, storeName: 'the file store' }, ['pre-commit'], {});
      await expect(run).rejects.toMatchObject({ exitCode: 2, code: 'not_a_git_repository', details: { folder: p.root } });
      await expect(run).rejects.toSatisfy((error: Error) => !/usage|--no-index/.test(error.message));
    } finally {
      vi.unstubAllEnvs();
    }
  });


  it('says when a record could only be linted, and warns why', async () => {
    const p = testProject();
    execFileSync('git', ['init', '-q'], { cwd: p.root });
    const file = record('2025-01-31T0930Z-from-elsewhere');
    // A sound record (it passes the real linter) of a dialogue this store does not hold.
    p.write(file, renderRecord(makeDialogue('2025-01-31T0930Z-from-elsewhere')));
    execFileSync('git', ['add', '.'], { cwd: p.root });
    const result = await hookRunCommand.run({ ports: p.ports, json: false, storeName: 'the file store' }, ['pre-commit'], {});
    expect(result.human).toBe('blue pre-commit: 1 dialogue export checked: nothing refused (1 not in the store, so linted only).');
    expect(result.exitCode).toBe(0);
    expect(p.warnings).toEqual([expect.stringMatching(/the store holds no dialogue 2025-01-31T0930Z-from-elsewhere, so blue cannot say whether it is current/)]);
  });
});
