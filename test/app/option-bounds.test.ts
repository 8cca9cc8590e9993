// Every whole number a command takes, in process: a figure that is not one, or is past its bound (2^53 + 1,
// 400 digits, which JavaScript rounds to ...992 or Infinity), is exit 2 `invalid_option` naming the option
// and the bound as the judge wrote it, and nothing is recorded.

import { describe, expect, it } from 'vitest';
import { roundIngestCommand } from '../../src/commands/round-ingest.js';
import { roundOpenCommand } from '../../src/commands/round-open.js';
import { roundRunCommand } from '../../src/commands/round-run.js';
import { scoreCommand } from '../../src/commands/score.js';
import { startCommand } from '../../src/commands/start.js';
import { start } from '../../src/app/start.js';
import { SMALL_POOL_YAML, testProject } from '../support/app.js';

const PAST_2_53 = '9007199254740993';
const DIGITS_400 = '9'.repeat(400);
/** Not a whole number in decimal digits: refused whatever the bound. */
const NOT_WHOLE = ['1e300', '-1', '1.5', 'NaN', 'Infinity', '0x10', '1e3', '', ' '];

/** Round 0 open and ingested, on a panel of three. */
async function ingestedRound() {
  const p = testProject();
  p.write('pool.yaml', SMALL_POOL_YAML);
  const { dialogue } = await start(p.ports, { title: 'Bounds', pool: 'pool.yaml', panelSize: 3, seed: 4 });
  const ctx = { ports: p.ports, json: false, storeName: 'the file store' };
  const panel = (await roundOpenCommand.run(ctx, [dialogue.id], {})).json as { panel: Array<{ name: string; output_file: string }> };
  for (const m of panel.panel) p.write(m.output_file, '[PERSPECTIVE P01: A view]\nx\n');
  await roundIngestCommand.run(ctx, [dialogue.id], {});
  const store = `.blue/dialogues/${dialogue.id}/store.json`;
  return { p, ctx, id: dialogue.id, names: panel.panel.map((m) => m.name), store, before: p.read(store) };
}

describe('the judge\'s count overrides of `dialogue score`', () => {
  it.each(['--open-tensions', '--new-perspectives', '--converge-signals'])('%s: refused unless a whole number from 0 to 1,000,000, and nothing is recorded', async (option) => {
    const { p, ctx, id, names, store, before } = await ingestedRound();
    const key = option.slice(2).replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
    const scoreWith = (value: string) => scoreCommand.run(ctx, [id], { expert: names.map((n) => `${n}=1`), [key]: value });
    for (const value of NOT_WHOLE) {
      await expect(scoreWith(value), value).rejects.toMatchObject({ exitCode: 2, code: 'invalid_option', message: `${option} must be a whole number from 0 to 1,000,000 (got "${value}")`, details: { option, max: 1_000_000 } });
    }
    for (const value of [PAST_2_53, '1000001']) {
      await expect(scoreWith(value), value).rejects.toMatchObject({ exitCode: 2, code: 'invalid_option', message: `${option} is ${value}: a count is at most 1,000,000, as a score is, so that velocity and converge % stay exact (no round holds nearly so many)` });
    }
    await expect(scoreWith(DIGITS_400)).rejects.toMatchObject({ exitCode: 2, code: 'invalid_option', message: expect.stringMatching(new RegExp(`^${option} is 9{12}\\.\\.\\. \\(400 characters\\): a count is at most 1,000,000`)) });
    expect(p.read(store)).toBe(before);
  });

  it('--converge-signals is at most the round\'s panel: no converge % past 100', async () => {
    const { p, ctx, id, names, store, before } = await ingestedRound();
    const scoreWith = (value: string) => scoreCommand.run(ctx, [id], { expert: names.map((n) => `${n}=1`), convergeSignals: value });
    await expect(scoreWith('4')).rejects.toMatchObject({ exitCode: 2, code: 'invalid_option', message: "--converge-signals is 4, but round 0's panel has 3 experts: at most 3 can signal [MOVE:CONVERGE]", details: { max: 3 } });
    expect(p.read(store)).toBe(before);
    const scored = await scoreWith('3');
    expect((scored.json as { converge_percent: number }).converge_percent).toBe(100);
  });

  it('a count of 1,000,000 is taken, and its velocity is exact', async () => {
    const { ctx, id, names } = await ingestedRound();
    const scored = await scoreCommand.run(ctx, [id], { expert: names.map((n) => `${n}=1`), openTensions: '1000000', newPerspectives: '1000000' });
    expect((scored.json as { velocity: number }).velocity).toBe(2_000_000);
  });
});

describe('the other whole numbers the commands take', () => {
  it('--round of score and round open: 0 to 99, the rounds a dialogue can hold', async () => {
    const { p, ctx, id, names, store, before } = await ingestedRound();
    for (const value of ['100', PAST_2_53]) {
      const rule = `--round is ${value}: rounds are numbered 0 to 99: a round number has two digits in tension and perspective ids (CROISSANT R12-T01, T1201)`;
      await expect(scoreCommand.run(ctx, [id], { expert: names.map((n) => `${n}=1`), round: value })).rejects.toMatchObject({ exitCode: 2, code: 'invalid_option', message: rule });
      await expect(roundOpenCommand.run(ctx, [id], { round: value })).rejects.toMatchObject({ exitCode: 2, code: 'invalid_option', message: rule });
    }
    await expect(roundOpenCommand.run(ctx, [id], { round: '-1' })).rejects.toMatchObject({ exitCode: 2, message: '--round must be a whole number from 0 to 99 (got "-1")' });
    expect(p.read(store)).toBe(before);
  });

  it('start: --panel-size 1 to 24, --max-rounds 1 to 100, --seed 0 to 2^32 - 1; nothing is created', async () => {
    const p = testProject();
    p.write('pool.yaml', SMALL_POOL_YAML);
    const ctx = { ports: p.ports, json: false, storeName: 'the file store' };
    const startWith = (o: Record<string, string>) => startCommand.run(ctx, ['Bounds'], { pool: 'pool.yaml', rotation: 'graduated', maxRounds: '10', ...o });
    const cases: Array<[Record<string, string>, string]> = [
      [{ panelSize: '25' }, '--panel-size is 25: a panel is drawn from the pool, which holds at most 24 experts'],
      [{ panelSize: PAST_2_53 }, `--panel-size is ${PAST_2_53}: a panel is drawn from the pool`],
      [{ maxRounds: '101' }, '--max-rounds is 101: a dialogue has at most 100 rounds'],
      [{ maxRounds: PAST_2_53 }, `--max-rounds is ${PAST_2_53}: a dialogue has at most 100 rounds`],
      // The sampling keeps 32 bits: 4294967296 drew the panel of seed 0.
      [{ seed: '4294967296' }, '--seed is 4294967296: a seed is at most 4,294,967,295 (2^32 - 1): the sampling keeps 32 bits of it'],
      [{ seed: DIGITS_400 }, '--seed is 999999999999... (400 characters): a seed is at most 4,294,967,295'],
      [{ seed: '1e3' }, '--seed must be a whole number from 0 to 4,294,967,295 (got "1e3")'],
    ];
    for (const [o, message] of cases) {
      await expect(startWith(o), JSON.stringify(o)).rejects.toMatchObject({ exitCode: 2, code: 'invalid_option', message: expect.stringContaining(message) });
    }
    expect(p.exists('.blue/dialogues')).toBe(false);
    const started = await startWith({ seed: '4294967295', maxRounds: '100' });
    expect(started.dialogue).toMatchObject({ seed: 4294967295, maxRounds: 100 });
  });

  it('round run: --parallel 1 to 24, --timeout above 0 and at most 7 days, --retries 0 to 10; no agent runs', async () => {
    const { p, ctx, id } = await ingestedRound();
    const cases: Array<[Record<string, string>, string]> = [
      [{ parallel: '25' }, '--parallel is 25: at most 24 experts run at once, as many as a panel holds'],
      [{ parallel: '0' }, '--parallel must be a whole number from 1 to 24 (got "0")'],
      // Past 24.8 days Node's timer fired at once: every expert "timed out after 3000000 s" in 0.0 s.
      [{ timeout: '3000000' }, '--timeout is 3000000: a timeout is at most 604,800 seconds (7 days)'],
      [{ timeout: DIGITS_400 }, '--timeout is 999999999999... (400 characters): a timeout is at most 604,800 seconds'],
      [{ timeout: '1e3' }, '--timeout must be a number above 0 and at most 604,800 (got "1e3")'],
      [{ retries: '11' }, '--retries is 11: an expert gets at most 10 further attempts'],
      [{ retries: PAST_2_53 }, `--retries is ${PAST_2_53}: an expert gets at most 10 further attempts`],
    ];
    for (const [o, message] of cases) {
      await expect(roundRunCommand.run(ctx, [id], { agent: 'touch ran', rerun: true, ...o }), JSON.stringify(o)).rejects.toMatchObject({ exitCode: 2, code: 'invalid_option', message: expect.stringContaining(message) });
    }
    expect(p.exists('ran')).toBe(false);
  });
});
