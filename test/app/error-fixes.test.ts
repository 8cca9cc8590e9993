// The refusals a judge meets most, through the use cases: each error's details say what to do (a `fix`
// with the exact command) and, for a dialogue, carry its next steps as they stand.

import { describe, expect, it } from 'vitest';
import { abandon } from '../../src/app/abandon.js';
import { roundIngest } from '../../src/app/round-ingest.js';
import { roundOpen } from '../../src/app/round-open.js';
import { score } from '../../src/app/score.js';
import { show } from '../../src/app/show.js';
import { start } from '../../src/app/start.js';
import { verdict } from '../../src/app/verdict.js';
import { BlueError } from '../../src/domain/errors.js';
import { parseScore } from '../../src/domain/scoring.js';
import { SMALL_POOL_YAML, testProject } from '../support/app.js';

async function refusal(promise: Promise<unknown>, code: string): Promise<BlueError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BlueError);
  expect((error as BlueError).code).toBe(code);
  expect(typeof (error as BlueError).details.fix).toBe('string');
  return error as BlueError;
}

async function begun() {
  const p = testProject();
  p.write('pool.yaml', SMALL_POOL_YAML);
  const { dialogue } = await start(p.ports, { title: 'Second shop?', pool: 'pool.yaml', panelSize: 3, seed: 4 });
  return { p, id: dialogue.id, panel: dialogue.suggestedPanel.map((m) => m.name) };
}

/** Round 0 opened, written by every expert (one tension, nobody converging), ingested and scored. */
async function scoredRound0() {
  const b = await begun();
  const opened = await roundOpen(b.p.ports, { id: b.id });
  for (const [i, m] of opened.panel.entries()) b.p.write(m.output_file, i === 0 ? '[TENSION T01: Rent]\nHigh.\n' : '[PERSPECTIVE P01: x]\ny\n');
  await roundIngest(b.p.ports, b.id);
  await score(b.p.ports, { id: b.id, scores: b.panel.map((n) => [n, parseScore('2,2,2,2', n)]), judge: {}, decisions: [] });
  return b;
}

describe('an error says what to do', () => {
  it('a final verdict before convergence names the blockers and round open', async () => {
    const { p, id } = await scoredRound0();
    p.write('verdict.md', 'Open it.\n');
    const error = await refusal(verdict(p.ports, { id, textFile: 'verdict.md' }), 'not_converged');
    expect(error.details.blockers).toEqual([expect.stringMatching(/^velocity is 3/), expect.stringMatching(/^converge is 0%/)]);
    expect(error.details.fix).toContain(`blue dialogue round open ${id}`);
    expect(error.details.next![0].command).toBe(`blue dialogue round open ${id}`);
  });

  it('a round that is not open names round open', async () => {
    const { p, id, panel } = await scoredRound0();
    const scored = await refusal(score(p.ports, { id, scores: [[panel[0], parseScore('1', 'x')]], judge: {}, decisions: [] }), 'no_open_round');
    expect(scored.details.fix).toContain(`open round 1: blue dialogue round open ${id}`);
    expect(scored.details.next![0].command).toBe(`blue dialogue round open ${id}`);
    const fresh = await begun();
    const ingested = await refusal(roundIngest(fresh.p.ports, fresh.id), 'no_open_round');
    expect(ingested.details.fix).toBe(`open round 0 first: blue dialogue round open ${fresh.id}`);
    expect(ingested.details.next!.map((s) => s.command)).toContain(`blue dialogue round open ${fresh.id}`);
  });

  it('an unknown expert names the panel, and next gives the score command with its names', async () => {
    const { p, id, panel } = await begun();
    const opened = await roundOpen(p.ports, { id });
    for (const m of opened.panel) p.write(m.output_file, '[PERSPECTIVE P01: x]\ny\n');
    await roundIngest(p.ports, id);
    const error = await refusal(score(p.ports, { id, scores: [['Brioche', parseScore('3', 'x')]], judge: {}, decisions: [] }), 'unknown_expert');
    expect(error.details.panel).toEqual(panel);
    expect(error.details.fix).toBe(`score the experts of round 0's panel, by these names: ${panel.join(', ')}`);
    expect(error.details.next![0].command).toBe(`blue dialogue score ${id} ${panel.map((n) => `--expert ${n}=<W>,<C>,<T>,<R>`).join(' ')} --summary-file <summary.md>`);
    const focus = await refusal(roundOpen(p.ports, { id, replace: true, focus: { Brioche: 'x' } }), 'unknown_expert');
    expect(focus.details.fix).toBe(`give --focus one of the panel's names: ${panel.join(', ')}`);
  });

  it('ingest with no output yet: run the experts, or spawn them, then ingest', async () => {
    const { p, id } = await begun();
    await roundOpen(p.ports, { id });
    // No agent configured: the round run offered carries --agent <command>, or it could not run.
    const error = await refusal(roundIngest(p.ports, id), 'no_outputs');
    expect(error.details.fix).toContain(`blue dialogue round run ${id} --agent <command>, or spawn`);
    expect(error.details.next!.map((s) => s.command)).toEqual([`blue dialogue round run ${id} --agent <command>`, `blue dialogue round ingest ${id}`]);
    // With agent.command set, it runs as it is.
    p.agentConfig.command = 'claude';
    const configured = await refusal(roundIngest(p.ports, id), 'no_outputs');
    expect(configured.details.fix).toContain(`blue dialogue round run ${id}, or spawn`);
    expect(configured.details.next![0].command).toBe(`blue dialogue round run ${id}`);
  });

  it('scoring before the ingest names the ingest', async () => {
    const { p, id, panel } = await begun();
    await roundOpen(p.ports, { id });
    const error = await refusal(score(p.ports, { id, scores: panel.map((n) => [n, parseScore('1', n)]), judge: {}, decisions: [] }), 'round_not_ingested');
    expect(error.details.fix).toContain(`blue dialogue round ingest ${id}`);
  });

  it('an abandoned dialogue names its export', async () => {
    const { p, id } = await begun();
    await abandon(p.ports, { id, reason: 'the question went away' });
    const error = await refusal(roundOpen(p.ports, { id }), 'dialogue_closed');
    expect(error.details.fix).toContain(`blue dialogue export ${id}`);
    expect(error.details.next).toEqual([{ command: `blue dialogue export ${id}`, why: expect.stringContaining('abandoned, and why') }]);
  });

  it('an unknown dialogue names list', async () => {
    const { p } = await begun();
    const error = await refusal(show(p.ports, 'no-such-dialogue'), 'dialogue_not_found');
    expect(error.details.fix).toMatch(/`blue dialogue list` shows the dialogues/);
    expect(error.details.next).toEqual([{ command: 'blue dialogue list', why: 'the dialogues and their ids' }]);
  });

  it('a mixed score names the form that works', async () => {
    const { p, id, panel } = await begun();
    const opened = await roundOpen(p.ports, { id });
    for (const m of opened.panel) p.write(m.output_file, '[PERSPECTIVE P01: x]\ny\n');
    await roundIngest(p.ports, id);
    const error = await refusal(
      score(p.ports, { id, scores: [[panel[0], parseScore('9', 'x')], ...panel.slice(1).map((n): [string, ReturnType<typeof parseScore>] => [n, parseScore('2,2,2,2', n)])], judge: {}, decisions: [] }),
      'mixed_scores',
    );
    expect(error.details.fix).toBe(`give --expert ${panel[0]}=<W>,<C>,<T>,<R>, or add --round-score <W>,<C>,<T>,<R>`);
  });
});
