// Every command's --json answer carries `next` (CLI.md, Global behaviour), and so does every error: each
// command of the tree runs here once through bin/blue (the store commands on DynamoDB Local), and the test
// fails naming any command it did not run, so a new command cannot leave `next` out unnoticed.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../../src/commands/index.js';
import { localClientConfig, localEndpoint, uniqueTableName } from '../support/dynamodb.js';
import { newProject, SMALL_POOL, type Run } from '../support/cli.js';
import { REFERENCE_DIALOGUES, RFC_0058 } from '../support/reference.js';

const table = uniqueTableName('every-answer-next');

afterAll(async () => {
  const client = new DynamoDBClient(localClientConfig());
  await client.send(new DeleteTableCommand({ TableName: table })).catch(() => undefined);
  client.destroy();
});

function expectNext(run: Run, what: string): Array<{ command: string; why: string }> {
  expect(run.json, `${what}: ${run.stderr}`).toBeDefined();
  const next = run.json.next;
  expect(Array.isArray(next), `${what} has next`).toBe(true);
  for (const step of next) {
    expect(step.command, what).toMatch(/^blue /);
    expect(step.why, what).toMatch(/\w/);
  }
  return next;
}

describe('next in every --json answer', () => {
  it('is in the answer of every command, and in errors', { timeout: 120_000 }, async () => {
    const p = newProject();
    p.write('pool.yaml', SMALL_POOL);
    const ran = new Set<string>();
    const env = {
      BLUE_DYNAMODB_ENDPOINT: localEndpoint(),
      BLUE_DYNAMODB_TABLE: table,
      BLUE_KEY_FILE: join(mkdtempSync(join(tmpdir(), 'blue-next-key-')), 'master.key'),
      AWS_ACCESS_KEY_ID: 'blueTest',
      AWS_SECRET_ACCESS_KEY: 'blueTestSecret',
      AWS_REGION: 'us-east-1',
      BLUE_STORE: undefined,
    };
    const answer = async (args: string[], exitCode = 0) => {
      const run = await p.blue([...args, '--json'], { env });
      expect(run.status, `${args.join(' ')}: ${run.stderr}`).toBe(exitCode);
      const path = COMMANDS.find((c) => c.path.every((word, i) => args[i] === word))!.path.join(' ');
      ran.add(path);
      return { run, next: expectNext(run, args.join(' ')) };
    };

    const started = await answer(['dialogue', 'start', 'Second shop?', '--pool', 'pool.yaml', '--panel-size', '3', '--seed', '4']);
    const id = started.run.json.id;
    expect(started.next[0].command).toBe(`blue dialogue round open ${id}`);
    const opened = await answer(['dialogue', 'round', 'open', id]);
    // No agent is configured here: the round run offered carries --agent <command>, or it could not run.
    expect(opened.next.map((s) => s.command)).toEqual([`blue dialogue round run ${id} --agent <command>`, `blue dialogue round ingest ${id}`]);
    for (const m of opened.run.json.panel) p.write(m.output_file, '[MOVE:CONVERGE]\nNothing to add.\n');
    const names: string[] = opened.run.json.panel.map((m: any) => m.name);
    const ingested = await answer(['dialogue', 'round', 'ingest', id]);
    expect(ingested.next[0].command).toBe(`blue dialogue score ${id} ${names.map((n) => `--expert ${n}=<W>,<C>,<T>,<R>`).join(' ')} --summary-file <summary.md>`);
    const scored = await answer(['dialogue', 'score', id, ...names.flatMap((n) => ['--expert', `${n}=2,2,2,2`])]);
    expect(scored.next.map((s) => s.command)).toEqual([`blue dialogue verdict ${id} --text-file <verdict.md> --insights-file <insights.md>`]);
    expect((await answer(['dialogue', 'show', id])).next).toEqual(scored.next);
    p.write('verdict.md', 'Open it.\n');
    const decided = await answer(['dialogue', 'verdict', id, '--text-file', 'verdict.md']);
    expect(decided.next[0].command).toBe(`blue dialogue export ${id}`);
    expect((await answer(['dialogue', 'export', id, '--format', 'json', '--output', '-'])).run.json.format).toBe('blue.dialogue.export');
    // Never exported: the check fails (exit 1), and its next is the export.
    expect((await answer(['dialogue', 'export', id, '--check'], 1)).next).toEqual([{ command: `blue dialogue export ${id}`, why: expect.stringMatching(/not written yet/) }]);
    // Converged and its record current: nothing is left to do.
    expect((await answer(['dialogue', 'export', id])).next).toEqual([]);
    expect((await answer(['dialogue', 'export', id, '--check'])).next).toEqual([]);
    expect((await answer(['dialogue', 'checkout', id])).next).toEqual([]);

    const other = (await answer(['dialogue', 'start', 'Third shop?', '--pool', 'pool.yaml', '--panel-size', '3'])).run.json.id;
    expect((await answer(['dialogue', 'list'])).next.map((s) => s.command)).toEqual([`blue dialogue show ${other}`, 'blue dialogue start <title> --pool <pool.yaml>']);
    // round run, with the fake agent: its answer leads to the scores.
    await answer(['dialogue', 'round', 'open', other]);
    const agent = `'${process.execPath}' '${fileURLToPath(new URL('../support/fake-agent.mjs', import.meta.url))}'`;
    const ran_ = await answer(['dialogue', 'round', 'run', other, '--agent', agent]);
    expect(ran_.next[0].command).toMatch(new RegExp(`^blue dialogue score ${other} `));
    // lint of the exported record, and import of the reference's folder.
    expect((await answer(['dialogue', 'lint', `.blue/dialogues/${id}/dialogue.md`])).run.json.ok).toBe(true);
    const imported = await answer(['dialogue', 'import', join(REFERENCE_DIALOGUES, RFC_0058)]);
    expect(imported.next.map((s) => s.command)).toContain(`blue dialogue export ${imported.run.json.id}`);
    expect((await answer(['dialogue', 'abandon', other, '--reason', 'one question at a time'])).next.map((s) => s.command)).toEqual([`blue dialogue export ${other}`]);

    expect((await answer(['store', 'init'])).next.map((s) => s.command)).toEqual(['blue store migrate --from file --to dynamodb', 'blue dialogue list --store dynamodb']);
    expect((await answer(['store', 'migrate', '--from', 'file', '--to', 'dynamodb'])).next.map((s) => s.command)).toEqual(['blue store verify --store dynamodb']);
    expect((await answer(['store', 'verify', '--store', 'dynamodb'])).next.length).toBeGreaterThan(0);

    // The hook and completion: no dialogue to lead to, an empty next.
    expect((await answer(['hook', 'install'])).next).toEqual([]);
    expect((await answer(['hook', 'run', 'pre-commit'])).next).toEqual([]);
    expect((await answer(['completion', 'bash'])).run.json.script).toContain('_blue');

    expect([...COMMANDS.map((c) => c.path.join(' '))].filter((path) => !ran.has(path)), 'commands not run here').toEqual([]);

    // Errors: the document carries next too, and its details say what to do.
    const refused = await p.blue(['dialogue', 'round', 'open', other, '--json']);
    expect(refused.status).toBe(3);
    expect(refused.json.error.details.fix).toContain(`blue dialogue export ${other}`);
    expect(refused.json.next).toEqual(refused.json.error.details.next);
    expect(refused.json.next.map((s: any) => s.command)).toEqual([`blue dialogue export ${other}`]);
    const unknown = await p.blue(['dialogue', 'show', 'no-such-dialogue', '--json']);
    expect(unknown.status).toBe(2);
    expect(unknown.json.next).toEqual([{ command: 'blue dialogue list', why: 'the dialogues and their ids' }]);
    const usage = await p.blue(['dialogue', 'score', id, '--expret', 'Muffin=1', '--json']);
    expect(usage.status).toBe(2);
    expect(usage.json).toEqual({ error: { code: 'usage', message: expect.stringMatching(/--expret/), details: { commander: 'commander.unknownOption', fix: 'see how the command is written: blue dialogue score --help' } }, next: [] });
    // An open dialogue's answers never say "nothing left to do": a bad option, a missing one, or a bad value
    // found before the dialogue is read, each carries the dialogue's next steps.
    const fourth = (await p.ok(['dialogue', 'start', 'Fourth shop?', '--pool', 'pool.yaml', '--panel-size', '3', '--json'])).json;
    const firstSteps = fourth.next.map((s: { command: string }) => s.command);
    expect(firstSteps[0]).toBe(`blue dialogue round open ${fourth.id}`);
    for (const args of [
      ['dialogue', 'round', 'open', fourth.id, '--bogus'],
      ['dialogue', 'abandon', 'fourth-shop'],
      ['dialogue', 'score', fourth.id, '--expert', 'Muffin=-1'],
      ['dialogue', 'round', 'open', fourth.id, '--focus', 'x'],
    ]) {
      const failed = await p.blue([...args, '--json']);
      expect([args.join(' '), failed.status, failed.json.next.map((s: { command: string }) => s.command)]).toEqual([args.join(' '), 2, firstSteps]);
      // Run from elsewhere with --root (and a store chosen by flag): each hint carries them, so it runs as written.
      const elsewhere = await p.blue(['--root', p.root, '--store', 'file', ...args, '--json'], { cwd: tmpdir() });
      expect([args.join(' '), elsewhere.status, elsewhere.json.next.map((s: { command: string }) => s.command)])
        .toEqual([args.join(' '), 2, firstSteps.map((c: string) => c.replace(/^blue /, `blue --root ${p.root} --store file `))]);
    }
    const shown = await p.ok(['dialogue', 'show', fourth.id, '--root', p.root, '--json'], { cwd: tmpdir() });
    expect(shown.json.next.map((s: { command: string }) => s.command)).toEqual(firstSteps.map((c: string) => c.replace(/^blue /, `blue --root ${p.root} `)));

    // A store that failed its checks (exit 4) or could not be used (exit 1): blue does not read the dialogue
    // again for its steps, yet next is never empty: it is the same command, once the fix is done.
    const store = `.blue/dialogues/${fourth.id}/store.json`;
    const good = p.read(store);
    p.write(store, good.replace('"title": "Fourth shop?"', '"title": "Fifth shop?"'));
    const damaged = await p.blue(['dialogue', 'abandon', fourth.id, '--reason', "it's over", '--json']);
    expect(damaged.status).toBe(4);
    expect(damaged.json.next).toEqual([{ command: `blue dialogue abandon ${fourth.id} --reason 'it'\\''s over' --json`, why: 'the same command again, once the fix above is done' }]);
    expect(damaged.json.error.details.fix).toMatch(/restore it/);
    p.write(store, good);
  });

  it('follows a dialogue command as a Next: hint on stderr, without --json', async () => {
    const p = newProject();
    p.write('pool.yaml', SMALL_POOL);
    const started = await p.ok(['dialogue', 'start', 'Second shop?', '--pool', 'pool.yaml', '--panel-size', '3', '--seed', '4', '--json']);
    const id = started.json.id;
    const opened = await p.ok(['dialogue', 'round', 'open', id]);
    expect(opened.stdout).not.toContain('Next:');
    expect(opened.stderr).toContain(`Next: blue dialogue round run ${id} --agent <command>\n      # the default path: run every expert of round 0`);
    expect(opened.stderr).toContain(`  or: blue dialogue round ingest ${id}\n      # or spawn the experts yourself`);
    const refused = await p.blue(['dialogue', 'verdict', id, '--text-file', 'pool.yaml']);
    expect(refused.status).toBe(3);
    expect(refused.stderr).toMatch(/^blue: round 0 is still open: score it before the final verdict\n  fix: score round 0 first/);
    expect(refused.stderr).toContain(`Next: blue dialogue round run ${id} --agent <command>\n`);
    // Not for list, which hooks call.
    expect((await p.ok(['dialogue', 'list'])).stderr).toBe('');
  });
});
