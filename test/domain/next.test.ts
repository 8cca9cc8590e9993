// nextSteps in every state a dialogue passes through: the commands it offers (this dialogue's id and round
// numbers filled in, only the judge's own values as <placeholders>), in the order a judge should weigh them.

import { describe, expect, it } from 'vitest';
import type { Dialogue } from '../../src/domain/model.js';
import { nextSteps, withNextSteps, type NextStep } from '../../src/domain/next.js';
import { abandonDialogue, openRound } from '../../src/domain/protocol.js';
import { blueCommand, placeholdersOf, shellQuote } from '../../src/domain/shell.js';
import { refused } from '../../src/domain/errors.js';
import { at, everyone, ID, ingest, open, play, score, start, verdict } from '../support/dialogue-factory.js';

const CONVERGE = '[MOVE:CONVERGE]\nNothing new.\n';
const commands = (steps: NextStep[]) => steps.map((s) => s.command);

/** Round 0 played: Muffin raised a tension, nobody converged. */
function afterRound0(d: Dialogue = start()): Dialogue {
  return play(d, {
    texts: { Muffin: '[PERSPECTIVE P01: Quality]\nx\n[TENSION T01: Capital vs. quality]\ny\n', Cupcake: '[PERSPECTIVE P01: Supply]\nx\n', Scone: '[PERSPECTIVE P01: Demand]\nx\n', Eclair: '[PERSPECTIVE P01: Site]\nx\n' },
    scores: { Muffin: '5,4,3,2', Cupcake: '4,4,3,2', Scone: '3,3,3,3', Eclair: '2,2,2,2' },
  });
}

/** Round 1 played: everyone converged, and Muffin resolved its own tension. */
function converged(): Dialogue {
  const d = open(afterRound0());
  return score(ingest(d, { ...everyone(d, CONVERGE), Muffin: `[RESOLVED MUFFIN-T01]\nHire first.\n\n${CONVERGE}` }), {}, { fill: '2,2,2,2' });
}

describe('nextSteps', () => {
  it('before round 0: open it with the suggested panel, or with a panel of the judge', () => {
    const steps = nextSteps(start());
    expect(commands(steps)).toEqual([`blue dialogue round open ${ID}`, `blue dialogue round open ${ID} --panel <panel.yaml>`]);
    expect(steps[0].why).toContain('Muffin, Cupcake, Scone, Eclair');
  });

  it('a round open without outputs: round run by default, hand-spawning as the alternative', () => {
    const d = open(start());
    for (const context of [{}, { written: [] }]) {
      const steps = nextSteps(d, context);
      // Where the agent comes from was not looked at: --agent <command> runs whatever the config says.
      expect(commands(steps)).toEqual([`blue dialogue round run ${ID} --agent <command>`, `blue dialogue round ingest ${ID}`]);
      expect(steps[0].why).toMatch(/^the default path: run every expert of round 0 through your agent command/);
      expect(steps[0].why).toContain('leave --agent out when agent.command in .blue/config.yaml names one');
      expect(steps[1].why).toMatch(/^or spawn the experts yourself.*each with its prompt verbatim/);
    }
  });

  it('round run as it can run: bare with agent.command, --agent <command> without one, the judge\'s --agent kept', () => {
    const d = open(start());
    const [configured] = nextSteps(d, { agent: 'configured' });
    expect(configured.command).toBe(`blue dialogue round run ${ID}`);
    expect(configured.why).toContain('(agent.command in .blue/config.yaml)');
    const [none] = nextSteps(d, { agent: 'none' });
    expect(none.command).toBe(`blue dialogue round run ${ID} --agent <command>`);
    expect(none.why).toContain('no agent.command is set in .blue/config.yaml');
    const [given] = nextSteps(d, { agent: { given: "node 'my agent.mjs' --quiet" } });
    expect(given.command).toBe(`blue dialogue round run ${ID} --agent 'node '\\''my agent.mjs'\\'' --quiet'`);
    expect(given.why).toContain('the same --agent as the run before');
    // After an ingest with outputs missing too; the preset a judge named stays a preset.
    const missing = ingest(open(start()), { Muffin: '[PERSPECTIVE P01: x]\ny\n' });
    expect(nextSteps(missing, { written: ['Muffin'], agent: { given: 'claude' } })[0].command).toBe(`blue dialogue round run ${ID} --agent claude`);
    expect(nextSteps(missing, { written: ['Muffin'], agent: 'configured' })[0].command).toBe(`blue dialogue round run ${ID}`);
  });

  it('names each expert\'s own files when the caller gives them', () => {
    const d = open(start());
    const files = Object.fromEntries(d.rounds[0].panel.map((m) => [m.name, { prompt: `p/${m.name}.prompt.md`, output: `p/${m.name}.md` }]));
    const [, spawn] = nextSteps(d, { written: ['Muffin', 'Cupcake'], files });
    expect(spawn.why).toContain('Scone p/Scone.prompt.md (it writes p/Scone.md), Eclair p/Eclair.prompt.md (it writes p/Eclair.md)');
    expect(spawn.why).not.toContain('Muffin');
  });

  it('outputs partly written: run or spawn the rest, or ingest what is there', () => {
    const steps = nextSteps(open(start()), { written: ['Muffin', 'Scone'], agent: 'configured' });
    expect(commands(steps)).toEqual([`blue dialogue round run ${ID}`, `blue dialogue round ingest ${ID}`]);
    expect(steps[0].why).toContain('the 2 experts of round 0 without an output (Cupcake, Eclair)');
    expect(steps[1].why).toContain('reported and scores 0');
  });

  it('every output written: ingest', () => {
    expect(commands(nextSteps(open(start()), { written: ['Muffin', 'Cupcake', 'Scone', 'Eclair'] }))).toEqual([`blue dialogue round ingest ${ID}`]);
  });

  it('ingested with every output: score each expert, and a variant that settles the open tensions', () => {
    const d = ingest(open(start()), { ...everyone(open(start()), '[PERSPECTIVE P01: x]\ny\n'), Cupcake: '[TENSION T01: Rent]\nHigh.\n' });
    const steps = nextSteps(d);
    const experts = '--expert Muffin=<W>,<C>,<T>,<R> --expert Cupcake=<W>,<C>,<T>,<R> --expert Scone=<W>,<C>,<T>,<R> --expert Eclair=<W>,<C>,<T>,<R>';
    expect(commands(steps)).toEqual([
      `blue dialogue score ${ID} ${experts} --summary-file <summary.md>`,
      `blue dialogue score ${ID} ${experts} --resolve CUPCAKE-T01=<note> --summary-file <summary.md>`,
    ]);
    expect(steps[0].why).toContain('1 tension stays open (CUPCAKE-T01 open)');
    expect(steps[1].why).toContain('--accept <tension>=<why>');
  });

  it('ingested with outputs missing: run or spawn them again first, or score with them at 0', () => {
    const d = ingest(open(start()), { Muffin: '[PERSPECTIVE P01: x]\ny\n', Cupcake: '[PERSPECTIVE P01: x]\ny\n' });
    const steps = nextSteps(d, { written: ['Muffin', 'Cupcake'], agent: 'none' });
    expect(commands(steps)).toEqual([
      `blue dialogue round run ${ID} --agent <command>`,
      `blue dialogue round ingest ${ID}`,
      `blue dialogue score ${ID} --expert Muffin=<W>,<C>,<T>,<R> --expert Cupcake=<W>,<C>,<T>,<R> --expert Scone=0 --expert Eclair=0 --summary-file <summary.md>`,
    ]);
    expect(steps[1].why).toMatch(/then ingest again/);
    expect(steps[2].why).toMatch(/^or score round 0 now.*\(Scone, Eclair wrote nothing and score 0\)/);
  });

  it('an output written since the ingest: ingest again before scoring', () => {
    const d = ingest(open(start()), { Muffin: '[PERSPECTIVE P01: x]\ny\n' });
    const steps = nextSteps(d, { written: ['Muffin', 'Scone'] });
    expect(steps[0]).toEqual({ command: `blue dialogue round ingest ${ID}`, why: 'Scone has written an output since the last ingest: ingest again before you score' });
    expect(steps.slice(1).every((s) => s.command.startsWith(`blue dialogue score ${ID} `))).toBe(true);
  });

  it('scored, not converged: the next round (the same panel, or the judge\'s), or a forced verdict', () => {
    const steps = nextSteps(afterRound0());
    expect(commands(steps)).toEqual([
      `blue dialogue round open ${ID}`,
      `blue dialogue round open ${ID} --panel <panel.yaml>`,
      `blue dialogue verdict ${ID} --force --warning <why> --text-file <verdict.md> --insights-file <insights.md>`,
    ]);
    expect(steps[0].why).toMatch(/^not converged after round 0 \(velocity is 5 .*\): open round 1 with the same panel/);
    expect(steps[1].why).toMatch(/^graduated rotation: you decide the panel; open round 1/);
    // What a panel file that works holds: the last panel retained by name (a copy of panel.json is not one).
    expect(steps[1].why).toContain("keep an expert with {name: <Name>, source: retained} (round 0's panel: Muffin, Cupcake, Scone, Eclair)");
  });

  it('a rotation that resamples says so', () => {
    const [first] = nextSteps(afterRound0(start({ rotation: 'full' })));
    expect(first.why).toContain('open round 1 with the panel resampled by the full rotation');
  });

  it('converged: the final verdict', () => {
    const steps = nextSteps(converged());
    expect(commands(steps)).toEqual([`blue dialogue verdict ${ID} --text-file <verdict.md> --insights-file <insights.md>`]);
    expect(steps[0].why).toMatch(/^round 1 converged/);
  });

  it('max rounds reached without convergence: the verdict, recorded as forced', () => {
    const steps = nextSteps(afterRound0(start({ maxRounds: 1 })));
    expect(commands(steps)).toEqual([`blue dialogue verdict ${ID} --text-file <verdict.md> --insights-file <insights.md>`]);
    expect(steps[0].why).toMatch(/had its 1 rounds without converging .* recorded as forced/);
  });

  it('final verdict recorded: export (or a dissent first); once exported and current, nothing', () => {
    const d = verdict(converged()).dialogue;
    for (const record of [undefined, 'absent', 'stale'] as const) {
      const steps = nextSteps(d, record ? { record } : {});
      expect(commands(steps)).toEqual([`blue dialogue export ${ID}`, `blue dialogue verdict ${ID} --type dissent --experts <names> --text-file <dissent.md>`]);
      expect(steps[0].why.includes('out of date')).toBe(record === 'stale');
    }
    expect(nextSteps(d, { record: 'current' })).toEqual([]);
  });

  it('abandoned: export the record that says why; once exported, nothing', () => {
    const d = abandonDialogue(open(start()), { reason: 'superseded', at: at(5) });
    expect(commands(nextSteps(d, { record: 'absent' }))).toEqual([`blue dialogue export ${ID}`]);
    expect(nextSteps(d, { record: 'current' })).toEqual([]);
  });

  it('leaves only the judge\'s own values as placeholders, in every state', () => {
    const states = [start(), open(start()), afterRound0(), converged(), verdict(converged()).dialogue];
    const allowed = new Set(['<command>', '<panel.yaml>', '<W>', '<C>', '<T>', '<R>', '<summary.md>', '<note>', '<why>', '<verdict.md>', '<insights.md>', '<names>', '<dissent.md>']);
    for (const d of states) for (const step of nextSteps(d)) for (const hole of placeholdersOf(step.command)) expect(allowed).toContain(hole);
  });

  it('quotes for sh what sh would split or read, and keeps placeholders bare', () => {
    expect(shellQuote('2026-03-01T0930Z-нужен-ли-второй-магазин')).toBe('2026-03-01T0930Z-нужен-ли-второй-магазин');
    expect(shellQuote("it's $HOME")).toBe(`'it'\\''s $HOME'`);
    expect(shellQuote('')).toBe("''");
    expect(blueCommand('dialogue', 'score', 'x y', '--expert', 'Muffin=<W>,<C>,<T>,<R>', '--resolve', 'A B=<note>')).toBe(
      "blue dialogue score 'x y' --expert Muffin=<W>,<C>,<T>,<R> --resolve 'A B='<note>",
    );
  });

  it('adds the next steps to a refusal that has none, and keeps those it has', () => {
    const d = open(start());
    const error = withNextSteps(refused('x', 'no', { fix: 'do y' }), d) as any;
    expect(error.details).toMatchObject({ fix: 'do y', next: nextSteps(d) });
    const own = [{ command: 'blue dialogue list', why: 'w' }];
    expect((withNextSteps(refused('x', 'no', { fix: 'f', next: own }), d) as any).details.next).toBe(own);
    const plain = new Error('boom');
    expect(withNextSteps(plain, d)).toBe(plain);
  });

  it('never offers a round the protocol would refuse', () => {
    // After the last round allowed, opening another is refused: next offers only the verdict.
    const d = afterRound0(start({ maxRounds: 1 }));
    expect(() => openRound(d, { at: at(30) })).toThrow(/had its 1 rounds/);
    expect(commands(nextSteps(d)).some((c) => c.includes('round open'))).toBe(false);
  });
});
