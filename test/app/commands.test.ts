// The commands themselves, in process: their help, and the words they print (the slips a new user met).

import { describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { buildProgram } from '../../src/cli/program.js';
import { COMMANDS } from '../../src/commands/index.js';
import { scoreCommand } from '../../src/commands/score.js';
import { listCommand } from '../../src/commands/list.js';
import { roundOpenCommand } from '../../src/commands/round-open.js';
import { roundIngestCommand } from '../../src/commands/round-ingest.js';
import { start } from '../../src/app/start.js';
import { SMALL_POOL_YAML, testProject } from '../support/app.js';

function helpOf(path: string[]): string {
  const program = buildProgram({ cwd: '/', env: {}, setExitCode: () => undefined });
  let cmd: Command = program;
  for (const name of path) cmd = cmd.commands.find((c) => c.name() === name)!;
  let text = '';
  cmd.configureOutput({ writeOut: (s) => (text += s) });
  cmd.outputHelp();
  return text;
}

describe('--help', () => {
  it.each(COMMANDS.map((c) => [c.path.join(' '), c] as const))('%s lists its own options first, then the global ones, then examples', (_name, spec) => {
    const help = helpOf(spec.path);
    const own = help.indexOf('Options:');
    const global = help.indexOf('Global Options:');
    expect(own).toBeGreaterThan(-1);
    expect(global).toBeGreaterThan(own);
    for (const option of (spec.options ?? []).filter((o) => !o.hidden)) expect(help.slice(own, global)).toContain(option.flags.split(' ')[0]);
    expect(help.slice(global)).toContain('--json');
    expect(help.slice(own, global)).not.toContain('--json');
    const examples = help.indexOf('Examples:');
    expect(examples).toBeGreaterThan(global);
    expect(help.slice(examples)).toMatch(/\n  blue /);
  });
});

describe('the global options in --help', () => {
  it('give --root its whole default, as CLI.md does: .blue/, else the git top-level, else the working directory', () => {
    // commander wraps the description to the width: read it as one line.
    const help = helpOf(['dialogue', 'show']).replace(/\s+/g, ' ');
    expect(help).toContain('--root <dir> project root (default: nearest folder with .blue/, else the git top-level, else the working directory)');
  });
});

describe('what the commands print', () => {
  async function scoredRound() {
    const p = testProject();
    p.write('pool.yaml', SMALL_POOL_YAML);
    const { dialogue } = await start(p.ports, { title: 'Should we open in a monorepo?', pool: 'pool.yaml', panelSize: 3, seed: 4 });
    const ctx = { ports: p.ports, json: false, storeName: 'the file store' };
    const opened = await roundOpenCommand.run(ctx, [dialogue.id], {});
    const panel = (opened.json as any).panel;
    p.write(panel[0].output_file, '[PERSPECTIVE P01: One]\nx\n[TENSION T01: Rent]\ny\n');
    p.write(panel[1].output_file, `[PERSPECTIVE P01: Two]\nx\n[RESOLVED ${panel[0].name.toUpperCase()}-T01]\nz\n`);
    p.write(panel[2].output_file, '[PERSPECTIVE P01: Three]\nx\n[MOVE:CONVERGE]\n');
    const ingested = await roundIngestCommand.run(ctx, [dialogue.id], {});
    const scored = await scoreCommand.run(ctx, [dialogue.id], { expert: panel.map((m: any) => `${m.name}=2,2,2,2`), newPerspectives: '1' });
    return { p, ctx, dialogue, panel, ingested, scored };
  }

  it('reads as English: plurals, words instead of field names, a title ending in "?"', async () => {
    const { p, panel, ingested, scored } = await scoredRound();
    expect(scored.human).toContain('(1 open tension + 1 new perspective)');
    expect(scored.human).toContain('judge override: new perspectives 1 (blue counted 2)');
    expect(scored.human).not.toMatch(/newPerspectives|openTensions|convergeSignals/);
    expect(ingested.human).toContain('3 perspectives, 1 tension, 1 resolution, 1 converge signal, 0 warnings');
    expect(p.read(panel[0].prompt_file)).toContain('Dialogue: Should we open in a monorepo? This is round 0.');
  });

  it('names the form each option takes', async () => {
    const { ctx, dialogue } = await scoredRound();
    await expect(scoreCommand.run(ctx, [dialogue.id], { expert: ['Muffin=1'], round: '0', accept: ['MUFFIN-T01'] })).rejects.toThrow('--accept takes <tension>=<why> (got "MUFFIN-T01")');
    await expect(scoreCommand.run(ctx, [dialogue.id], { expert: ['Muffin'] })).rejects.toThrow('--expert takes <name>=<total> or <name>=<W>,<C>,<T>,<R> (got "Muffin")');
    await expect(roundOpenCommand.run(ctx, [dialogue.id], { focus: ['Muffin'] })).rejects.toThrow('--focus takes <name>=<text>');
    // An empty focus, and the same expert twice (the second used to win silently), are exit 2.
    await expect(roundOpenCommand.run(ctx, [dialogue.id], { focus: ['Muffin='] })).rejects.toMatchObject({ exitCode: 2, code: 'invalid_option', message: expect.stringContaining('gives Muffin no focus text') });
    await expect(roundOpenCommand.run(ctx, [dialogue.id], { focus: ['Muffin=one', 'Muffin=two'] })).rejects.toMatchObject({ exitCode: 2, code: 'invalid_option', message: expect.stringContaining('--focus names Muffin twice') });
  });

  it('list sizes its id column to the ids, and a dialogue it cannot read fails the command', async () => {
    const { p, ctx, dialogue } = await scoredRound();
    const listed = await listCommand.run(ctx, [], {});
    const [header, row] = listed.human.split('\n');
    expect(header.indexOf('STATUS')).toBe(dialogue.id.length + 2);
    expect(row.startsWith(`${dialogue.id}  open`)).toBe(true);
    expect(listed.exitCode).toBeUndefined();
    p.write(`.blue/dialogues/${dialogue.id}/store.json`, '{');
    const broken = await listCommand.run(ctx, [], {});
    expect(broken.exitCode).toBe(4);
    expect((broken.json as any).problems[0].code).toBe('corrupt_store_file');
  });

  it('starting the same title twice in one minute says how to go on', async () => {
    const p = testProject();
    p.write('pool.yaml', SMALL_POOL_YAML);
    await start(p.ports, { title: 'Twice', pool: 'pool.yaml' });
    await expect(start(p.ports, { title: 'Twice', pool: 'pool.yaml' })).rejects.toMatchObject({
      exitCode: 3,
      message: expect.stringMatching(/same minute\. Continue it \(blue dialogue show 2026-03-01T0930Z-twice\), or start another with a different title or a --date in another minute/),
    });
  });
});

describe('usage errors and warnings', () => {
  it('start with "blue:" like every other error blue prints', async () => {
    const program = buildProgram({ cwd: '/', env: {}, setExitCode: () => undefined });
    let err = '';
    // Only where the text goes is changed here (configureOutput merges): the prefix is the program's own.
    const capture = (c: Command): void => {
      c.configureOutput({ writeErr: (s) => (err += s) });
      c.commands.forEach(capture);
    };
    capture(program);
    await expect(program.parseAsync(['dialogue', 'scor'], { from: 'user' })).rejects.toMatchObject({ code: 'commander.unknownCommand' });
    expect(err).toMatch(/^blue: unknown command 'scor'/);
  });

  it('ingest reports its warnings in reading order: panel order, then line by line', async () => {
    const p = testProject();
    p.write('pool.yaml', SMALL_POOL_YAML);
    const { dialogue } = await start(p.ports, { title: 'Order', pool: 'pool.yaml', panelSize: 3, seed: 4 });
    const ctx = { ports: p.ports, json: false, storeName: 'the file store' };
    const panel = ((await roundOpenCommand.run(ctx, [dialogue.id], {})).json as any).panel;
    p.write(panel[0].output_file, '[PERSPECTIVE P01: One]\nx\n[MOVE:CONVERGE]\n[TENSION T01: Late]\ny\n[NOTE: unknown]\n');
    p.write(panel[1].output_file, '[BOGUS: a]\n[PERSPECTIVE P01: Two]\nx\n');
    const lines = ((await roundIngestCommand.run(ctx, [dialogue.id], {})).json as any).warnings.map((w: any) => [w.file, w.line]);
    expect(lines).toEqual([...lines].sort((a, b) => panel.findIndex((m: any) => m.output_file === a[0]) - panel.findIndex((m: any) => m.output_file === b[0]) || a[1] - b[1]));
    expect(lines.length).toBeGreaterThanOrEqual(4);
  });
});
