// The audit's reproductions, through bin/blue as a judge runs them: a fresh git folder, the pool of 8,
// `dialogue start 'Demo' --panel-size 3`, round 0 open. Each bad input gets a clear answer and loses nothing.

import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { newProject, SMALL_POOL, type Project } from '../support/cli.js';

async function demo(): Promise<{ p: Project; id: string; round: string }> {
  const p = newProject();
  p.write('pool.yaml', SMALL_POOL);
  const started = await p.ok(['dialogue', 'start', 'Demo', '--pool', 'pool.yaml', '--panel-size', '3', '--seed', '3', '--json']);
  const id = started.json.id as string;
  await p.ok(['dialogue', 'round', 'open', id, '--json']);
  return { p, id, round: `.blue/dialogues/${id}/round-0` };
}

describe.concurrent('bad input through bin/blue', () => {
  it('an output that is not UTF-8 is ingested with a warning naming the file and the line; a Latin-1 verdict is exit 2', async () => {
    const { p, id, round } = await demo();
    writeFileSync(join(p.root, round, 'muffin.md'), Buffer.from('[PERSPECTIVE P01: Caf\xe9]\nCo\xfbt\n', 'latin1'));
    const ingest = await p.ok(['dialogue', 'round', 'ingest', id, '--json']);
    expect(ingest.json.warnings).toEqual([{ file: `${round}/muffin.md`, line: 1, message: expect.stringMatching(/^Muffin's output is not UTF-8: line 1 \(and 1 more line\) holds the byte 0xE9.*0xE9 as "é"/) }]);
    expect(p.read(`.blue/dialogues/${id}/store.json`)).not.toContain('\uFFFD');
    expect(ingest.stderr).toContain(`${round}/muffin.md:1: Muffin's output is not UTF-8`);
    writeFileSync(join(p.root, 'verdict.md'), Buffer.from('Le caf\xe9 reste.\n', 'latin1'));
    const before = p.read(`.blue/dialogues/${id}/store.json`);
    const refused = await p.blue(['dialogue', 'verdict', id, '--text-file', 'verdict.md', '--type', 'interim', '--json']);
    expect(refused.status).toBe(2);
    expect(refused.json.error).toMatchObject({ code: 'not_utf8', message: expect.stringMatching(/^verdict text file verdict\.md is not UTF-8: line 1 .*save it as UTF-8/), details: { file: 'verdict.md', line: 1 } });
    expect(p.read(`.blue/dialogues/${id}/store.json`)).toBe(before);
  });

  it('a bidi override in --label is exit 2 hidden_character; an expert\'s escape sequence is ingested with a warning and shown as \\u{001B} in tensions.md', async () => {
    const { p, id, round } = await demo();
    p.write(`${round}/muffin.md`, '[TENSION T01: costs \u001b(0 \u202eevil]\nwhy\n');
    const ingest = await p.ok(['dialogue', 'round', 'ingest', id, '--json']);
    expect(ingest.json.warnings).toContainEqual({ file: `${round}/muffin.md`, line: 1, message: expect.stringMatching(/^Muffin's output holds U\+001B \(escape\) on line 1: a control character/) });
    const before = p.read(`.blue/dialogues/${id}/store.json`);
    // Only Muffin wrote an output: the others score 0.
    const experts = ['--expert', 'Muffin=1', '--expert', 'Cupcake=0', '--expert', 'Scone=0'];
    const refused = await p.blue(['dialogue', 'score', id, ...experts, '--label', 'graduated \u202erotation', '--json']);
    expect(refused.status).toBe(2);
    expect(refused.json.error).toMatchObject({ code: 'hidden_character', message: expect.stringMatching(/^--label holds U\+202E \(right-to-left override\) at character 11/), details: { option: '--label' } });
    expect(refused.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(p.read(`.blue/dialogues/${id}/store.json`)).toBe(before);
    await p.ok(['dialogue', 'score', id, ...experts]);
    expect(p.read(`.blue/dialogues/${id}/tensions.md`)).toContain(': costs \\u{001B}(0 \\u{202E}evil\n');
  });

  it('every output present refused: exit 3 names each with its reason', async () => {
    const { p, id, round } = await demo();
    p.write('.blue/config.yaml', 'limits:\n  output_bytes: 50\n');
    p.write(`${round}/muffin.md`, `[PERSPECTIVE P01: Long]\n${'x'.repeat(60)}\n`);
    symlinkSync('/etc/passwd', join(p.root, round, 'cupcake.md'));
    const run = await p.blue(['dialogue', 'round', 'ingest', id, '--json']);
    expect(run.status).toBe(3);
    expect(run.json.error.code).toBe('no_outputs');
    expect(run.json.error.message).toMatch(/^no output of round 0 could be read; Muffin's output was not read: it is 85 bytes, over the limit of 50\..*; Cupcake's output was not read: it is a symlink/);
    expect(run.json.error.details.warnings.map((w: { file: string }) => w.file)).toEqual([`${round}/muffin.md`, `${round}/cupcake.md`]);
    expect(run.stderr).toMatch(/Cupcake's output was not read: it is a symlink/);
  });

  it('a CJK title of 80 to 120 characters starts a dialogue that every command finds', async () => {
    const p = newProject();
    p.write('pool.yaml', SMALL_POOL);
    const title = '日'.repeat(100);
    const started = await p.ok(['dialogue', 'start', title, '--pool', 'pool.yaml', '--json']);
    expect(started.json.id).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\d{4}Z-${'日'.repeat(79)}$`));
    expect(started.json.title).toBe(title);
    for (const word of [started.json.id, '日日日', title]) expect((await p.ok(['dialogue', 'show', word, '--json'])).json.id).toBe(started.json.id);
    await p.ok(['dialogue', 'round', 'open', '日日日', '--json']);
  });

  it('a judge count override past 1,000,000 (2^53 + 1, 400 digits) is exit 2 naming the option and the bound, and nothing is recorded', async () => {
    const { p, id, round } = await demo();
    for (const name of ['muffin', 'cupcake', 'scone']) p.write(`${round}/${name}.md`, '[PERSPECTIVE P01: x]\ny\n');
    await p.ok(['dialogue', 'round', 'ingest', id]);
    const before = p.read(`.blue/dialogues/${id}/store.json`);
    const scores = ['--expert', 'Muffin=1', '--expert', 'Cupcake=1', '--expert', 'Scone=1'];
    // 2^53 + 1 was read as ...992 and the store refused it as a bug in blue (exit 1); 1,000,001 was recorded.
    for (const [option, value] of [['--open-tensions', '9007199254740993'], ['--new-perspectives', '9'.repeat(400)], ['--converge-signals', '1000001']]) {
      const run = await p.blue(['dialogue', 'score', id, ...scores, option, value, '--json']);
      expect({ status: run.status, code: run.json.error.code, option: run.json.error.details.option, max: run.json.error.details.max }).toEqual({ status: 2, code: 'invalid_option', option, max: 1_000_000 });
      expect(run.json.error.message).toMatch(new RegExp(`^${option} is \\d{7,16}(\\.\\.\\. \\(400 characters\\))?: a count is at most 1,000,000`));
    }
    const timeout = await p.blue(['dialogue', 'round', 'run', id, '--agent', 'true', '--rerun', '--timeout', '3000000']);
    expect(timeout.status).toBe(2);
    expect(timeout.stderr).toContain('--timeout is 3000000: a timeout is at most 604,800 seconds (7 days)');
    expect(p.read(`.blue/dialogues/${id}/store.json`)).toBe(before);
  });

  it('scores: a name twice in a scores file and a score past 1,000,000 are exit 2, and nothing is recorded', async () => {
    const { p, id, round } = await demo();
    for (const name of ['muffin', 'cupcake', 'scone']) p.write(`${round}/${name}.md`, '[PERSPECTIVE P01: x]\ny\n');
    await p.ok(['dialogue', 'round', 'ingest', id]);
    const before = p.read(`.blue/dialogues/${id}/store.json`);
    p.write('s.yaml', 'Muffin: 9\nmuffin: 1\nCupcake: 0\nScone: 0\n');
    const twice = await p.blue(['dialogue', 'score', id, '--scores', 's.yaml', '--json']);
    expect({ status: twice.status, code: twice.json.error.code, message: twice.json.error.message }).toEqual({ status: 2, code: 'duplicate_score', message: 'Muffin is scored twice (Muffin and muffin); give each expert one score' });
    const big = await p.blue(['dialogue', 'score', id, '--expert', 'Muffin=99999999999999999999,1,1,1', '--expert', 'Cupcake=0', '--expert', 'Scone=0', '--json']);
    expect({ status: big.status, code: big.json.error.code }).toEqual({ status: 2, code: 'invalid_score' });
    expect(big.json.error.message).toBe('--expert Muffin W is 99999999999999999999: a score is at most 1,000,000 (a total, and each of W, C, T, R), so that every sum blue records is exact');
    expect(p.read(`.blue/dialogues/${id}/store.json`)).toBe(before);
  });
});
