// A scripted judge that knows no blue command but `start`: from then on it runs only what the answers'
// `next` offer, through sh as an agent would, picking by each step's `why` and the shape of its command,
// filling the `<placeholders>` with its own values (scores for the panel, files it writes), and it spawns
// the experts itself as the protocol's alternative path says (writing their outputs, as its sub-agents
// would), until the record is exported and `next` is empty. It never runs `round run` (no agent here).

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertDistCurrent, BIN } from '../../scripts/blue.mjs';
import { newProject, SMALL_POOL, type Project } from '../support/cli.js';

interface Step {
  command: string;
  why: string;
}

/** A folder with a `blue` on it that runs this repository's bin/blue, so that `next` runs as written. */
function blueOnPath(): string {
  assertDistCurrent();
  const dir = mkdtempSync(join(tmpdir(), 'blue-path-'));
  const shim = join(dir, 'blue');
  writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
  chmodSync(shim, 0o755);
  return dir;
}

const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

class Judge {
  /** Every command the judge ran, as sh got it. */
  readonly ran: string[] = [];
  /** What the judge found missing in the loop: anything it could not do from `next` alone. */
  readonly gaps: string[] = [];
  private files = 0;
  /** The round the judge is in, as the prompt files' folder says. */
  round = -1;

  constructor(
    private readonly p: Project,
    private readonly path: string,
    /** What each expert writes in each round, as the judge's sub-agents would. */
    private readonly outputs: (round: number, name: string) => string,
    /** Experts whose sub-agent fails the first time in a round: the judge spawns them again. */
    private readonly flaky: Set<string>,
  ) {}

  sh(command: string): any {
    this.ran.push(command);
    const run = spawnSync('sh', ['-c', `${command} --json`], {
      cwd: this.p.root,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', PATH: `${this.path}:${process.env.PATH}` },
    });
    const answer = JSON.parse(run.stdout);
    if (run.status !== 0) throw new Error(`${command} exited ${run.status}: ${run.stdout}${run.stderr}`);
    expect(Array.isArray(answer.next), `${command}: next`).toBe(true);
    return answer;
  }

  /** A file of the judge's own (a summary, a verdict), written where it works. */
  private file(name: string, text: string): string {
    const path = `judge/${++this.files}-${name}`;
    this.p.write(path, text);
    return path;
  }

  /** The step the judge takes: never round run; the hand-spawn path; resolve what it can; never force. */
  choose(next: Step[]): Step {
    const usable = next.filter((s) => !/ round run /.test(s.command) && !/ --force /.test(s.command) && !/ --type (dissent|minority) /.test(s.command));
    const spawn = usable.find((s) => /spawn the experts yourself/.test(s.why));
    if (spawn) return spawn;
    // After round 0 the judge evolves the panel (graduated rotation: the judge decides it).
    const panel = usable.find((s) => / --panel /.test(s.command) && /you decide the panel/.test(s.why));
    if (panel && this.round === 0) return panel;
    // From round 1 on, the judge settles the open tensions: the variant of score that carries the decisions.
    const settle = usable.find((s) => / score /.test(s.command) && / --resolve /.test(s.command));
    if (settle && this.round > 0) return settle;
    const first = usable.find((s) => !/ --panel /.test(s.command));
    if (!first) throw new Error(`no step the judge can take: ${JSON.stringify(next)}`);
    return first;
  }

  /** Replaces each `<placeholder>` with the judge's own value; `why` says what the panel file holds. */
  fill(command: string, why: string): string {
    let filled = command.replace(/--expert (\w+)=<W>,<C>,<T>,<R>/g, (_all, name: string) => `--expert ${name}=${name.length % 4 + 4},5,4,3`);
    filled = filled.replace(/=<note>/g, () => `=${quote('settled in the round: the team agreed')}`);
    filled = filled.replace(/<summary\.md>/g, () => this.file('summary.md', `Round ${this.round}: what it answered, what stays open.\n`));
    filled = filled.replace(/<verdict\.md>/g, () => this.file('verdict.md', 'Open the second shop once a second head baker is hired.\n'));
    filled = filled.replace(/<insights\.md>/g, () => this.file('insights.md', '- Quality before capacity.\n'));
    filled = filled.replace(/<panel\.yaml>/g, () => {
      // Keep the last panel, as the why names it, and bring in a role of the pool.
      const kept = /panel: ([\w, ]+)\)/.exec(why)?.[1].split(', ') ?? [];
      if (!kept.length) this.gaps.push(`a --panel step that names no panel to keep: ${why}`);
      return this.file('panel.yaml', [...kept.map((name) => `- {name: ${name}, source: retained}`), '- {role: Urban Planner, source: pool}', ''].join('\n'));
    });
    const left = filled.match(/<[^<>\s]+>/g);
    if (left) this.gaps.push(`${command}: no value for ${left.join(', ')}`);
    return filled;
  }

  /**
   * The experts' sub-agents, each given its prompt file, writing its output file: the files as the spawn
   * step's why names them, nothing else.
   */
  spawn(why: string): void {
    const experts = [...why.matchAll(/(\w+) (\S+\/round-(\d+)\/\S+\.prompt\.md) \(it writes (\S+\.md)\)/g)];
    if (!experts.length) this.gaps.push(`a spawn step that names no expert's files: ${why}`);
    for (const [, name, prompt, round, output] of experts) {
      this.round = Number(round);
      expect(this.p.read(prompt), prompt).toContain(output);
      if (this.flaky.delete(`${this.round}:${name}`)) continue;
      this.p.write(output, this.outputs(this.round, name));
    }
  }

  take(step: Step): any {
    if (/spawn the experts yourself/.test(step.why)) this.spawn(step.why);
    return this.sh(this.fill(step.command, step.why));
  }
}

describe('a judge that follows only next and the protocol', () => {
  it('goes from start to the exported record, never typing a blue command but start', { timeout: 60_000 }, () => {
    const p = newProject();
    p.write('pool.yaml', SMALL_POOL);
    // Round 0: Muffin raises a tension. Round 1: Cupcake addresses it (only the judge can settle another's
    // tension), Scone raises one of its own and holds out, the others converge. Round 2: everyone converges.
    const outputs = (round: number, name: string) => {
      if (round === 0) {
        return name === 'Muffin'
          ? `[PERSPECTIVE P01: Quality first]\nHire before opening.\n\n[TENSION T01: Capital vs. quality]\nThe money or the bread.\n`
          : `[PERSPECTIVE P01: ${name}'s angle]\nA view of its own.\n`;
      }
      if (round === 1 && name === 'Scone') return `[TENSION T01: Lease length]\nTen years is long.\n`;
      const addressed = round === 1 && name === 'Cupcake' ? `[RESOLVED MUFFIN-T01]\nHiring first answers it.\n\n` : '';
      return `${addressed}[MOVE:CONVERGE]\nNothing new to add.\n`;
    };
    // Seed 4 samples Muffin, Cupcake and Scone; the judge itself learns names and files from next alone.
    const judge = new Judge(p, blueOnPath(), outputs, new Set(['0:Scone']));

    const started = judge.sh(`blue dialogue start ${quote('Should the bakery open a second shop?')} --pool pool.yaml --panel-size 3 --seed 4`);
    // What the protocol teaches: next, the default path and the alternative the judge takes.
    expect(started.protocol).toContain('"next": [{"command", "why"}]');
    expect(started.protocol).toContain(`blue dialogue round run ${started.id}`);
    expect(started.protocol).toContain('The alternative: spawn them yourself');

    let answer = started;
    const taken: Step[] = [];
    for (let i = 0; answer.next.length > 0; i++) {
      expect(i, `the loop did not end: ${judge.ran.join('\n')}`).toBeLessThan(20);
      const step = judge.choose(answer.next);
      taken.push(step);
      answer = judge.take(step);
    }

    expect(judge.gaps).toEqual([]);
    const shapes = judge.ran.map((c) => c.split(' ').slice(1, c.includes(' round ') ? 4 : 3).join(' '));
    expect(shapes).toEqual([
      'dialogue start',
      'dialogue round open',
      'dialogue round ingest', // Scone's sub-agent wrote nothing
      'dialogue round ingest', // spawned again: every output read
      'dialogue score',
      'dialogue round open', // with the judge's panel: the last one and an Urban Planner
      'dialogue round ingest',
      'dialogue score', // with a --resolve of each open tension
      'dialogue round open', // Scone held out
      'dialogue round ingest',
      'dialogue score',
      'dialogue verdict',
      'dialogue export',
    ]);
    expect(taken[2].why).toMatch(/^or spawn the experts yourself.*: Scone \.blue\/dialogues\/.*\/round-0\/scone\.prompt\.md \(it writes .*round-0\/scone\.md\);/);
    expect(judge.ran[5]).toMatch(/ --panel judge\/\d+-panel\.yaml$/);
    expect(p.read(judge.ran[5].split(' ').at(-1)!)).toBe('- {name: Muffin, source: retained}\n- {name: Cupcake, source: retained}\n- {name: Scone, source: retained}\n- {role: Urban Planner, source: pool}\n');
    expect(judge.ran[7]).toMatch(/ --resolve MUFFIN-T01='settled in the round: the team agreed' --resolve SCONE-R1-T01='settled in the round: the team agreed' /);
    expect(answer.written).toEqual([`.blue/dialogues/${started.id}/dialogue.md`]);
    const record = p.read(answer.written[0]);
    expect(record).toContain('**Status**: Converged\n');
    expect(record).toContain('**Tensions Resolved**: 2/2');
    expect(record).toContain('**Rounds**: 3 (R0-R2)');
  });

  it('stops at the maximum round with the verdict next offers, recorded as forced', { timeout: 60_000 }, () => {
    const p = newProject();
    p.write('pool.yaml', SMALL_POOL);
    const judge = new Judge(p, blueOnPath(), (_round, name) => `[PERSPECTIVE P01: ${name} disagrees]\nStill open.\n`, new Set());
    let answer = judge.sh(`blue dialogue start ${quote('Should the bakery open a second shop?')} --pool pool.yaml --panel-size 3 --seed 4 --max-rounds 1`);
    for (let i = 0; answer.next.length > 0; i++) {
      expect(i, judge.ran.join('\n')).toBeLessThan(10);
      answer = judge.take(judge.choose(answer.next));
    }
    expect(judge.gaps).toEqual([]);
    expect(judge.ran.slice(1).map((c) => c.split(' ')[2])).toEqual(['round', 'round', 'score', 'verdict', 'export']);
    expect(p.read(answer.written[0])).toContain('**Status**: Converged (forced)\n');
  });
});
