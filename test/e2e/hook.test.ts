// blue's git hook in real git repositories, tried as a new user would: `blue hook install` with the built
// bin/blue beside a hook that is already there, then real `git commit`s that the hook lets through or
// refuses, naming the file and the command that fixes it.

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBlueAsync } from '../../scripts/blue.mjs';
import { newProject, SMALL_POOL, type Project } from '../support/cli.js';
import { REFERENCE_DIALOGUES, RFC_0058 } from '../support/reference.js';

const step = it.sequential;

function git(p: Project, args: string[]): { status: number; out: string } {
  const run = spawnSync('git', args, { cwd: p.root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: run.status ?? -1, out: `${run.stdout}${run.stderr}` };
}

function gitOk(p: Project, args: string[]): string {
  const run = git(p, args);
  expect(run.status, `git ${args.join(' ')}\n${run.out}`).toBe(0);
  return run.out;
}

function repository(): Project {
  const p = newProject();
  gitOk(p, ['config', 'user.name', 'Blue Tester']);
  gitOk(p, ['config', 'user.email', 'tester@example.com']);
  p.write('.blue/.keep', '');
  return p;
}

/** A dialogue started in the bakery pool, its record (and `formats`) exported and committed: its id. */
async function committedDialogue(p: Project, formats: string[] = []): Promise<string> {
  p.write('pool.yaml', SMALL_POOL);
  const id = (await p.ok(['dialogue', 'start', 'Second shop?', '--pool', 'pool.yaml', '--seed', '1', '--json'])).json.id;
  for (const format of ['record', ...formats]) await p.ok(['dialogue', 'export', id, '--format', format]);
  gitOk(p, ['add', '-A']);
  gitOk(p, ['commit', '-q', '-m', 'the dialogue']);
  return id;
}

// Every commit here starts bin/blue through the hook: generous timeouts for a busy 2-core machine.
describe.concurrent('the pre-commit hook', { timeout: 60_000 }, () => {
  let p: Project;
  let id: string;
  const record = () => `.blue/dialogues/${id}/dialogue.md`;

  beforeAll(() => {
    p = repository();
    // The team's own hook, there before blue: it must go on running.
    p.write('.git/hooks/pre-commit', '#!/bin/sh\necho ran >> .git/team-hook.log\n');
    chmodSync(join(p.root, '.git/hooks/pre-commit'), 0o755);
    p.write('pool.yaml', SMALL_POOL);
  });

  const teamHookRuns = () => readFileSync(join(p.root, '.git/team-hook.log'), 'utf8').split('\n').filter(Boolean).length;

  step('installs beside the existing hook, and installing again changes nothing', async () => {
    const first = await p.ok(['hook', 'install', '--json']);
    const added = { hook: 'pre-commit', file: '.git/hooks/pre-commit', action: 'added', warnings: [] };
    expect(first.json).toEqual({ ...added, hooks: [added, { hook: 'pre-merge-commit', file: '.git/hooks/pre-merge-commit', action: 'created', warnings: [] }], next: [] });
    const installed = p.read('.git/hooks/pre-commit');
    expect(installed).toContain('echo ran >> .git/team-hook.log');
    const again = await p.ok(['hook', 'install']);
    expect(again.stdout).toMatch(/already installed in \.git\/hooks\/pre-commit; nothing changed/);
    expect(p.read('.git/hooks/pre-commit')).toBe(installed);
  });

  step('a commit that touches no dialogue goes through, and the team hook still runs', () => {
    p.write('README.md', '# shop\n');
    gitOk(p, ['add', 'README.md', 'pool.yaml']);
    gitOk(p, ['commit', '-m', 'readme']);
    expect(teamHookRuns()).toBe(1);
  });

  step('a current record goes through', async () => {
    id = (await p.ok(['dialogue', 'start', 'Second shop?', '--pool', 'pool.yaml', '--seed', '1', '--json'])).json.id;
    await p.ok(['dialogue', 'export', id]);
    gitOk(p, ['add', '.blue']);
    const out = gitOk(p, ['commit', '-m', 'start the dialogue']);
    expect(out).toContain('blue pre-commit: 1 dialogue export checked: current.');
    expect(teamHookRuns()).toBe(2);
  });

  step('a stale record is refused, naming the file and the fix; after the fix the commit goes through', async () => {
    await p.ok(['dialogue', 'round', 'open', id]); // the store moves on: the exported record is out of date
    gitOk(p, ['add', '.blue']);
    const refused = git(p, ['commit', '-m', 'round 0']);
    expect(refused.status).not.toBe(0);
    expect(refused.out).toContain(`blue pre-commit: commit refused: 1 dialogue export is out of date or invalid.`);
    expect(refused.out).toContain(`${record()}: the commit changes its store.json, and this export no longer matches it`);
    expect(refused.out).toContain(`fix: blue dialogue export ${id} && git add ${record()}`);
    expect(git(p, ['log', '--format=%s', '-1']).out.trim()).toBe('start the dialogue');

    // Exporting without staging is not enough: the hook reads what the commit records.
    await p.ok(['dialogue', 'export', id]);
    expect(git(p, ['commit', '-m', 'round 0']).status).not.toBe(0);
    gitOk(p, ['add', record()]);
    gitOk(p, ['commit', '-m', 'round 0']);
    expect(git(p, ['log', '--format=%s', '-1']).out.trim()).toBe('round 0');
  });

  step('a record edited by hand is refused, also through `git commit -a`', () => {
    writeFileSync(join(p.root, record()), `${p.read(record())}\nA line the judge added by hand.\n`);
    const refused = git(p, ['commit', '-a', '-m', 'edit']);
    expect(refused.status).not.toBe(0);
    expect(refused.out).toContain(`${record()}: differs from what \`blue dialogue export\` writes now`);
    expect(refused.out).toContain(`fix: blue dialogue export ${id} && git add ${record()}`);
  });
});

// What the commit records is the staged store.json as much as the staged record: the working tree's store
// may have moved on since the judge staged them.
describe.concurrent('the pre-commit hook reads the staged store.json', { timeout: 60_000 }, () => {
  let p: Project;
  const id = RFC_0058;
  const record = `.blue/dialogues/${id}/dialogue.md`;

  beforeAll(async () => {
    p = repository();
    await p.ok(['dialogue', 'import', join(REFERENCE_DIALOGUES, id)]); // a converged dialogue
    await p.ok(['dialogue', 'export', id]);
    gitOk(p, ['add', '-A']);
    gitOk(p, ['commit', '-q', '-m', 'the dialogue and its record']);
    await p.ok(['hook', 'install']);
  }, 120_000);

  step('a record staged with the store.json it was exported from goes through while the working tree moves on', async () => {
    p.write('dissent.md', 'Muffin would keep one store.\n');
    await p.ok(['dialogue', 'verdict', id, '--type', 'dissent', '--experts', 'Muffin', '--text-file', 'dissent.md']);
    await p.ok(['dialogue', 'export', id]);
    gitOk(p, ['add', '-A']); // the staged record and the staged store.json agree
    p.write('minority.md', 'Scone would wait a quarter.\n');
    await p.ok(['dialogue', 'verdict', id, '--type', 'minority', '--experts', 'Scone', '--text-file', 'minority.md']); // the working tree's store only
    const out = gitOk(p, ['commit', '-m', 'a dissent']);
    expect(out).toContain('blue pre-commit: 1 dialogue export checked: current.');
    expect(git(p, ['log', '--format=%s', '-1']).out.trim()).toBe('a dissent');

    // What was committed agrees with itself: a clone of it finds its record current.
    const clone = join(mkdtempSync(join(tmpdir(), 'blue-hook-clone-')), 'clone');
    gitOk(p, ['clone', '-q', p.root, clone]);
    const checked = await runBlueAsync(['dialogue', 'export', id, '--check'], { cwd: clone });
    expect(checked.status, checked.stderr).toBe(0);
    expect(readFileSync(join(clone, record), 'utf8')).toContain('Muffin would keep one store.');
    expect(readFileSync(join(clone, record), 'utf8')).not.toContain('Scone would wait a quarter.');
  });

  step('then staging the store without exporting is refused, and the printed fix makes the commit agree', async () => {
    gitOk(p, ['add', `.blue/dialogues/${id}/store.json`]);
    const refused = git(p, ['commit', '-m', 'a minority verdict']);
    expect(refused.status).not.toBe(0);
    expect(refused.out).toContain(`${record}: the commit changes its store.json, and this export no longer matches it`);
    expect(refused.out).toContain(`fix: blue dialogue export ${id} && git add ${record}`);
    await p.ok(['dialogue', 'export', id]);
    gitOk(p, ['add', record]);
    gitOk(p, ['commit', '-m', 'a minority verdict']);
    expect(gitOk(p, ['show', `HEAD:${record}`])).toContain('Scone would wait a quarter.');
  });

  step('a new dialogue committed without its record is refused; an abandoned one never exported is not', async () => {
    p.write('pool.yaml', SMALL_POOL);
    const fresh = (await p.ok(['dialogue', 'start', 'Third shop?', '--pool', 'pool.yaml', '--seed', '1', '--json'])).json.id;
    const freshRecord = `.blue/dialogues/${fresh}/dialogue.md`;
    gitOk(p, ['add', '-A']);
    const refused = git(p, ['commit', '-m', 'a new dialogue']);
    expect(refused.status).not.toBe(0);
    expect(refused.out).toContain('blue pre-commit: commit refused: 1 dialogue export is missing, out of date or invalid.');
    expect(refused.out).toContain(`${freshRecord}: not in the commit: it stages the dialogue's store.json`);
    expect(refused.out).toContain(`fix: blue dialogue export ${fresh} && git add ${freshRecord}`);
    const json = await p.blue(['hook', 'run', 'pre-commit', '--json']);
    expect(json.status).toBe(1);
    expect(json.json.checked).toEqual([expect.objectContaining({ file: freshRecord, because: 'store_staged', current: false, missing: true, refuses: true })]);

    await p.ok(['dialogue', 'abandon', fresh, '--reason', 'one shop is enough']);
    gitOk(p, ['add', '-A']);
    gitOk(p, ['commit', '-m', 'an abandoned dialogue']);
    expect(p.exists(freshRecord)).toBe(false);
  });
});

// git runs no hook check on a path the commit deletes unless the gate asks for deletions too: a record
// deleted while its dialogue stays would pass, and `export --all --check` fail after it.
describe.concurrent('the pre-commit hook and deleted exports', { timeout: 60_000 }, () => {
  let p: Project;
  let id: string;
  const dir = () => `.blue/dialogues/${id}`;
  const record = () => `${dir()}/dialogue.md`;
  const last = () => git(p, ['log', '--format=%s', '-1']).out.trim();

  beforeAll(async () => {
    p = repository();
    await p.ok(['hook', 'install']);
    id = await committedDialogue(p, ['transcript']);
  }, 120_000);

  step('deleting the record of a dialogue that stays is refused, and so is moving it away', async () => {
    gitOk(p, ['rm', '-q', record()]);
    const refused = git(p, ['commit', '-m', 'no record']);
    expect(refused.status).not.toBe(0);
    expect(refused.out).toContain('blue pre-commit: commit refused: 1 dialogue export is missing, out of date or invalid.');
    expect(refused.out).toContain(`${record()}: deleted by the commit, but its dialogue stays and is not abandoned`);
    expect(refused.out).toContain(`fix: blue dialogue export ${id} && git add ${record()}`);
    const json = await p.blue(['hook', 'run', 'pre-commit', '--json']);
    expect(json.json.checked).toEqual([expect.objectContaining({ file: record(), because: 'deleted', current: false, missing: true, refuses: true })]);
    expect(last()).toBe('the dialogue');

    // A rename is a deletion too: git must not pair it away.
    gitOk(p, ['reset', '-q', 'HEAD', '--', record()]);
    gitOk(p, ['checkout', '--', record()]);
    gitOk(p, ['mv', record(), 'old-record.md']);
    const moved = git(p, ['commit', '-m', 'moved']);
    expect(moved.status).not.toBe(0);
    expect(moved.out).toContain(`${record()}: deleted by the commit`);
    gitOk(p, ['mv', 'old-record.md', record()]);
    expect((await p.blue(['dialogue', 'export', '--all', '--check'])).status).toBe(0);
  });

  step('deleting the transcript, an optional export, goes through', async () => {
    gitOk(p, ['rm', '-q', `${dir()}/transcript.md`]);
    gitOk(p, ['commit', '-m', 'no transcript']);
    expect(last()).toBe('no transcript');
    expect((await p.blue(['dialogue', 'export', '--all', '--check'])).status).toBe(0);
  });

  step('deleting the record of an abandoned dialogue, or the whole dialogue, goes through', async () => {
    await p.ok(['dialogue', 'abandon', id, '--reason', 'one shop is enough']);
    await p.ok(['dialogue', 'export', id]);
    gitOk(p, ['add', '-A']);
    gitOk(p, ['commit', '-q', '-m', 'abandoned']);
    gitOk(p, ['rm', '-q', record()]);
    gitOk(p, ['commit', '-m', 'no record of an abandoned dialogue']);
    expect(last()).toBe('no record of an abandoned dialogue');
    expect((await p.blue(['dialogue', 'export', '--all', '--check'])).status).toBe(0);

    const other = (await p.ok(['dialogue', 'start', 'Third shop?', '--pool', 'pool.yaml', '--seed', '1', '--json'])).json.id;
    await p.ok(['dialogue', 'export', other]);
    gitOk(p, ['add', '-A']);
    gitOk(p, ['commit', '-q', '-m', 'another']);
    gitOk(p, ['rm', '-q', '-r', `.blue/dialogues/${other}`]);
    gitOk(p, ['commit', '-m', 'the dialogue is gone']);
    expect(last()).toBe('the dialogue is gone');
    expect((await p.blue(['dialogue', 'export', '--all', '--check'])).status).toBe(0);
  });
});

// git runs pre-merge-commit, not pre-commit, for a merge it commits itself: without blue's check there, a
// clean `git merge` committed whatever records the other branch brought.
describe.concurrent('the pre-merge-commit hook', { timeout: 60_000 }, () => {
  let p: Project;
  let id: string;
  const record = () => `.blue/dialogues/${id}/dialogue.md`;
  const last = () => git(p, ['log', '--format=%s', '-1']).out.trim();

  beforeAll(async () => {
    p = repository();
    // A merge hook of the team's, there before blue, like git's own sample: it must go on running.
    p.write('.git/hooks/pre-merge-commit', '#!/bin/sh\necho ran >> .git/team-merge-hook.log\n');
    chmodSync(join(p.root, '.git/hooks/pre-merge-commit'), 0o755);
    id = await committedDialogue(p);
  }, 120_000);

  step('hook install installs it beside pre-commit, chaining the hook that was there; again changes nothing', async () => {
    const installed = await p.ok(['hook', 'install', '--json']);
    expect(installed.json.hooks).toEqual([
      { hook: 'pre-commit', file: '.git/hooks/pre-commit', action: 'created', warnings: [] },
      { hook: 'pre-merge-commit', file: '.git/hooks/pre-merge-commit', action: 'added', warnings: [] },
    ]);
    expect(installed.json).toMatchObject({ hook: 'pre-commit', file: '.git/hooks/pre-commit', action: 'created' });
    const text = p.read('.git/hooks/pre-merge-commit');
    expect(text).toContain('hook run pre-merge-commit || exit $?');
    expect(text).toContain('echo ran >> .git/team-merge-hook.log');
    const again = await p.ok(['hook', 'install', '--hook', 'pre-merge-commit']);
    expect(again.stdout.trim()).toBe("blue's pre-merge-commit hook is already installed in .git/hooks/pre-merge-commit; nothing changed");
    expect(p.read('.git/hooks/pre-merge-commit')).toBe(text);
  });

  step('a clean merge that brings a stale record is refused, and the printed fix concludes it', async () => {
    // A teammate without the hook: a round opened and committed, the record not exported again.
    gitOk(p, ['checkout', '-q', '-b', 'teammate']);
    await p.ok(['dialogue', 'round', 'open', id]);
    gitOk(p, ['add', '-A']);
    gitOk(p, ['commit', '-q', '--no-verify', '-m', 'round 0, not exported']);
    gitOk(p, ['checkout', '-q', 'master']);
    p.write('notes.txt', 'x\n');
    gitOk(p, ['add', 'notes.txt']);
    gitOk(p, ['commit', '-q', '-m', 'notes']);

    const refused = git(p, ['merge', 'teammate', '-m', 'merge the teammate']);
    expect(refused.status, refused.out).not.toBe(0);
    expect(refused.out).toContain('blue pre-merge-commit: merge refused: 1 dialogue export is out of date or invalid.');
    expect(refused.out).toContain(`${record()}: the commit changes its store.json, and this export no longer matches it`);
    expect(refused.out).toContain(`fix: blue dialogue export ${id} && git add ${record()}`);
    expect(refused.out).toContain('after the fix, `git commit` concludes it');
    expect(last()).toBe('notes');
    expect(p.exists('.git/team-merge-hook.log')).toBe(false); // blue's check runs first, and refused

    await p.ok(['dialogue', 'export', id]);
    gitOk(p, ['add', record()]);
    gitOk(p, ['commit', '-q', '--no-edit']);
    expect(git(p, ['log', '--format=%P', '-1']).out.trim().split(' ')).toHaveLength(2);
    expect((await p.blue(['dialogue', 'export', '--all', '--check'])).status).toBe(0);
  });

  step('a clean merge of current records goes through, and the team hook runs', async () => {
    gitOk(p, ['checkout', '-q', 'teammate']);
    gitOk(p, ['merge', '-q', 'master']); // a fast-forward: no merge commit, no hook
    await p.ok(['dialogue', 'abandon', id, '--reason', 'one shop is enough']);
    await p.ok(['dialogue', 'export', id]);
    gitOk(p, ['add', '-A']);
    gitOk(p, ['commit', '-q', '-m', 'abandoned']);
    gitOk(p, ['checkout', '-q', 'master']);
    p.write('more-notes.txt', 'y\n');
    gitOk(p, ['add', 'more-notes.txt']);
    gitOk(p, ['commit', '-q', '-m', 'more notes']);
    const out = gitOk(p, ['merge', 'teammate', '-m', 'merge the abandonment']);
    expect(out).toContain('blue pre-merge-commit: 1 dialogue export checked: current.');
    expect(last()).toBe('merge the abandonment');
    expect(p.read('.git/team-merge-hook.log')).toBe('ran\n');
  });
});

// One repository, two blue projects: the hook holds a check for each project it was installed in.
describe.concurrent('the hook in a repository of several blue projects', { timeout: 60_000 }, () => {
  let p: Project;
  const ids: Record<string, string> = {};
  const record = (project: string) => `${project}/.blue/dialogues/${ids[project]}/dialogue.md`;
  const inProject = (project: string) => ({ cwd: join(p.root, project) });

  beforeAll(async () => {
    p = repository();
    rmSync(join(p.root, '.blue'), { recursive: true });
    for (const project of ['svc', 'web']) {
      mkdirSync(join(p.root, project, '.blue'), { recursive: true });
      p.write(`${project}/pool.yaml`, SMALL_POOL);
      ids[project] = (await p.ok(['dialogue', 'start', `${project} shop?`, '--pool', 'pool.yaml', '--seed', '1', '--json'], inProject(project))).json.id;
      await p.ok(['dialogue', 'export', ids[project]], inProject(project));
    }
    gitOk(p, ['add', '-A']);
    gitOk(p, ['commit', '-q', '-m', 'two projects']);
  }, 120_000);

  step('hook install at the top level, where there is no .blue/, is refused, naming the projects', async () => {
    const refused = await p.blue(['hook', 'install']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("no blue project here: the repository's top level holds no .blue/ folder, so a hook installed for it would check nothing. The blue projects in this repository are in svc, web.");
    expect(refused.stderr).toContain("(cd 'svc' && blue hook install); (cd 'web' && blue hook install)");
    expect(p.exists('.git/hooks/pre-commit')).toBe(false);
  });

  step('installing in each project keeps the other\'s check, and each project\'s stale record is refused', async () => {
    const svc = await p.ok(['hook', 'install'], inProject('svc'));
    expect(svc.stderr).toContain("blue's hook does not check the blue project in web: run `blue hook install` in it too");
    const web = await p.ok(['hook', 'install'], inProject('web'));
    expect(web.stderr).toBe('');
    for (const hook of ['pre-commit', 'pre-merge-commit']) {
      const text = p.read(`.git/hooks/${hook}`);
      expect(text).toContain(`hook run ${hook} --root 'svc' || exit $?`);
      expect(text).toContain(`hook run ${hook} --root 'web' || exit $?`);
    }

    for (const project of ['svc', 'web']) {
      await p.ok(['dialogue', 'round', 'open', ids[project]], inProject(project)); // not exported again
      gitOk(p, ['add', '-A']);
      const refused = git(p, ['commit', '-m', `${project} round 0`]);
      expect(refused.status, refused.out).not.toBe(0);
      expect(refused.out).toContain(`.blue/dialogues/${ids[project]}/dialogue.md: the commit changes its store.json, and this export no longer matches it`);
      expect(refused.out).not.toContain('not checked, outside this project');
      await p.ok(['dialogue', 'export', ids[project]], inProject(project));
      gitOk(p, ['add', record(project)]);
      expect(gitOk(p, ['commit', '-m', `${project} round 0`])).toContain('blue pre-commit: 1 dialogue export checked: current.');
    }
  });

  step('a commit that deletes a whole project goes through', () => {
    gitOk(p, ['rm', '-q', '-r', 'web']);
    rmSync(join(p.root, 'web'), { recursive: true, force: true });
    gitOk(p, ['commit', '-m', 'no more web']);
    expect(git(p, ['log', '--format=%s', '-1']).out.trim()).toBe('no more web');
  });
});

// Two branches that both changed a dialogue: git cannot merge its store.json (its first line checksums the
// rest), and the words blue says then must be true and the commands it gives must work on a merge.
describe.concurrent('a store.json that a merge could not join', { timeout: 60_000 }, () => {
  let p: Project;
  let id: string;
  const store = () => `.blue/dialogues/${id}/store.json`;

  /** The conflicted text resolved hunk by hunk, as a hand would: ours for the first hunk, theirs after. */
  const handMerged = (text: string): string => {
    let hunk = 0;
    return text.replace(/^<<<<<<< [^\n]*\n([\s\S]*?)^=======\n([\s\S]*?)^>>>>>>> [^\n]*\n/gm, (_all, ours: string, theirs: string) => (hunk++ === 0 ? ours : theirs));
  };

  beforeAll(async () => {
    p = repository();
    await p.ok(['hook', 'install']);
    id = await committedDialogue(p);
    gitOk(p, ['checkout', '-q', '-b', 'teammate']);
    await p.ok(['dialogue', 'abandon', id, '--reason', 'one shop is enough']);
    await p.ok(['dialogue', 'export', id]);
    gitOk(p, ['add', '-A']);
    gitOk(p, ['commit', '-q', '-m', 'abandoned']);
    gitOk(p, ['checkout', '-q', 'master']);
    await p.ok(['dialogue', 'round', 'open', id]);
    await p.ok(['dialogue', 'export', id]);
    gitOk(p, ['add', '-A']);
    gitOk(p, ['commit', '-q', '-m', 'round 0']);
    const merge = git(p, ['merge', 'teammate', '-m', 'merge']);
    expect(merge.out).toContain(`CONFLICT (content): Merge conflict in ${store()}`);
  }, 120_000);

  step('blue says the store.json has a merge conflict, and how to take one side, not to restore it', async () => {
    const shown = await p.blue(['dialogue', 'show', id]);
    expect(shown.status).toBe(4);
    expect(shown.stderr).toContain(`${store()} has an unresolved merge conflict: git left its conflict markers in it`);
    expect(shown.stderr).toContain(`take one side whole with \`git checkout --ours ${store()}\` (or \`--theirs\``);
    expect(shown.stderr).toContain(`then \`blue dialogue export ${id}\` and \`blue dialogue checkout ${id} --force\``);
    expect(shown.stderr).not.toMatch(/not valid JSON|git checkout -- /);
    expect(git(p, ['checkout', '--', store()]).out).toContain('is unmerged'); // the old advice, which cannot work
    const json = await p.blue(['dialogue', 'show', id, '--json']);
    expect(json.json.error).toMatchObject({ code: 'corrupt_store_file', details: { id, file: store(), conflict: true } });
  });

  step('staged with its markers, the hook refuses the merge, saying so', async () => {
    gitOk(p, ['add', '-A']);
    const refused = git(p, ['commit', '--no-edit']);
    expect(refused.status).not.toBe(0);
    expect(refused.out).toContain(`${store()}, as this commit stages it, still holds git's conflict markers`);
    expect(refused.out).toContain(`\`git checkout -m ${store()}\` first brings the conflict back`);
  });

  step('joined hunk by hunk, its checksum fails, and the advice names the merge', async () => {
    gitOk(p, ['checkout', '-m', store()]); // the conflict back, as the advice says
    p.write(store(), handMerged(p.read(store())));
    expect(p.read(store())).not.toMatch(/^(<<<<<<<|=======|>>>>>>>)/m);
    const shown = await p.blue(['dialogue', 'show', id]);
    expect(shown.status).toBe(4);
    expect(shown.stderr).toContain('its content does not match its sha256 checksum, so it was edited by hand, merged line by line, or damaged');
    expect(shown.stderr).toContain(`If a merge joined two versions of it line by line, take one side whole with \`git checkout --ours ${store()}\``);
  });

  step('the advice, followed, concludes the merge with a record and a store that agree', async () => {
    gitOk(p, ['checkout', '-m', store()]);
    gitOk(p, ['checkout', '--ours', store()]); // round 0 opened, then redo the teammate's step
    await p.ok(['dialogue', 'abandon', id, '--reason', 'one shop is enough']);
    await p.ok(['dialogue', 'export', id]);
    await p.ok(['dialogue', 'checkout', id, '--force']);
    gitOk(p, ['add', `.blue/dialogues/${id}`]);
    const out = gitOk(p, ['commit', '--no-edit']);
    expect(out).toContain('blue pre-commit: 1 dialogue export checked: current.');
    expect(git(p, ['log', '--format=%P', '-1']).out.trim().split(' ')).toHaveLength(2);
    expect((await p.blue(['dialogue', 'export', '--all', '--check'])).status).toBe(0);
    expect(p.read(`.blue/dialogues/${id}/dialogue.md`)).toContain('**Status**: Abandoned');
  });
});

describe.concurrent('installing the hook', { timeout: 60_000 }, () => {
  it('refuses outside a git repository', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'blue-no-git-'));
    mkdirSync(join(folder, '.blue'));
    const run = await runBlueAsync(['hook', 'install', '--json'], { cwd: folder, env: { GIT_CEILING_DIRECTORIES: tmpdir() } });
    expect(run.status).toBe(2);
    expect(run.json.error.code).toBe('not_a_git_repository');
    expect(run.stderr).toMatch(/is not inside a git repository: run `git init` there first/);
  });

  it('running it outside a git repository says so as install does (exit 2), not with git diff\'s usage', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'blue-no-git-'));
    mkdirSync(join(folder, '.blue'));
    const env = { GIT_CEILING_DIRECTORIES: tmpdir() };
    // The installed command line goes through bin/blue's every-commit gate first; --json takes the full way.
    for (const args of [['hook', 'run', 'pre-commit'], ['hook', 'run', 'pre-commit', '--json']]) {
      const run = await runBlueAsync(args, { cwd: folder, env });
      expect(run.status, run.stderr).toBe(2);
      expect(run.stderr).toMatch(/is not inside a git repository: run `git init` there first/);
      expect(run.stderr).toMatch(/fix: run git init in /);
      expect(run.stderr).not.toMatch(/usage|--no-index|\n\s+at /);
      if (args.includes('--json')) expect(run.json.error).toMatchObject({ code: 'not_a_git_repository', details: { folder } });
    }
  });

  it('honours core.hooksPath, and chains a hook that is not a shell script', async () => {
    const p = repository();
    gitOk(p, ['config', 'core.hooksPath', '.githooks']);
    p.write('.githooks/pre-commit', `#!${process.execPath}\nrequire('node:fs').appendFileSync('.git/node-hook.log', 'ran\\n');\n`);
    chmodSync(join(p.root, '.githooks/pre-commit'), 0o755);
    const installed = await p.ok(['hook', 'install', '--json']);
    expect(installed.json).toMatchObject({ file: '.githooks/pre-commit', action: 'chained', kept: '.githooks/pre-commit.before-blue' });
    expect(p.exists('.git/hooks/pre-commit')).toBe(false);
    p.write('notes.txt', 'x\n');
    gitOk(p, ['add', 'notes.txt']);
    gitOk(p, ['commit', '-m', 'notes']);
    expect(p.read('.git/node-hook.log')).toBe('ran\n');

    // A stale record is refused through core.hooksPath too, and the chained hook does not run then.
    p.write('pool.yaml', SMALL_POOL);
    const id = (await p.ok(['dialogue', 'start', 'Hooks path?', '--pool', 'pool.yaml', '--json'])).json.id;
    p.write(`.blue/dialogues/${id}/dialogue.md`, '# not what export writes\n');
    gitOk(p, ['add', '.']);
    const refused = git(p, ['commit', '-m', 'dialogue']);
    expect(refused.status).not.toBe(0);
    expect(refused.out).toContain(`fix: blue dialogue export ${id} && git add .blue/dialogues/${id}/dialogue.md`);
    expect(p.read('.git/node-hook.log')).toBe('ran\n');
  });
});
