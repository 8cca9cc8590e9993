// The converge rule, end to end in process: a panel that follows its prompts converges with no override,
// and round 3 of the real RFC 0058 dialogue converges without the judge's "0 new perspectives".

import { describe, expect, it } from 'vitest';
import { exportDialogues } from '../../src/app/export.js';
import { roundIngest } from '../../src/app/round-ingest.js';
import { roundOpen } from '../../src/app/round-open.js';
import { score } from '../../src/app/score.js';
import { start } from '../../src/app/start.js';
import { verdict } from '../../src/app/verdict.js';
import { parseScore } from '../../src/domain/scoring.js';
import { SMALL_POOL_YAML, testProject } from '../support/app.js';
import { replayInProcess } from '../support/replay.js';

describe('a dialogue whose experts follow their prompts to the letter', () => {
  it('reaches a final verdict with no override', async () => {
    const p = testProject();
    p.write('pool.yaml', SMALL_POOL_YAML);
    const { dialogue } = await start(p.ports, { title: 'Second shop', pool: 'pool.yaml', panelSize: 4, seed: 9 });
    const id = dialogue.id;
    const scores = (names: string[]) => names.map((name): [string, ReturnType<typeof parseScore>] => [name, parseScore('3,3,2,2', name)]);

    // Round 0, as the prompt says: P01 required, a tension where there is one.
    const r0 = await roundOpen(p.ports, { id });
    const names = r0.panel.map((m) => m.name);
    for (const [i, m] of r0.panel.entries()) {
      p.write(m.output_file, `[PERSPECTIVE P01: ${m.role} view]\nOne sharp point.\n` + (i === 0 ? '\n[TENSION T01: Lease length]\nTen years is long.\n' : ''));
    }
    const i0 = await roundIngest(p.ports, id);
    expect(i0.warnings).toEqual([]);
    const s0 = await score(p.ports, { id, scores: scores(names), judge: {}, decisions: [] });
    expect(s0.metrics.canConverge).toBe(false);

    // Round 1, as the later prompt says: the tension's owner resolves it; everyone converges, and the
    // experts who restate their position under a perspective anyway are not counted as new.
    const r1 = await roundOpen(p.ports, { id });
    const tension = `${names[0].toUpperCase()}-T01`;
    for (const [i, m] of r1.panel.entries()) {
      const body = i === 0 ? `[RESOLVED ${tension}]\nA five-year lease with an option.\n\n` : i === 1 ? '[PERSPECTIVE P01: Still the same view]\nAs before.\n\n' : '[CONCESSION: to the Head Baker]\nAgreed.\n\n';
      p.write(m.output_file, `${body}[MOVE:CONVERGE]\n`);
    }
    const i1 = await roundIngest(p.ports, id);
    expect(i1.warnings).toEqual([]);
    const s1 = await score(p.ports, { id, scores: scores(names), judge: {}, decisions: [] });
    expect(s1.metrics).toMatchObject({ velocity: 0, convergePercent: 100, canConverge: true, overrides: [] });
    expect(s1.metrics.computed.newPerspectives).toBe(0);

    p.write('verdict.md', 'Open the second shop on a five-year lease.\n');
    const v = await verdict(p.ports, { id, textFile: 'verdict.md' });
    expect(v.verdict).toMatchObject({ type: 'final', round: 1 });
    expect(v.verdict.forced).toBeUndefined();
    await exportDialogues(p.ports, { id });
    const record = p.read(`.blue/dialogues/${id}/dialogue.md`);
    expect(record).toContain('**Status**: Converged\n');
    expect(record).toContain('**Convergence**: 100% (4/4 unanimous, Round 1)');
    expect(record).not.toContain('Judge override');
  });
});

describe('round 3 of RFC 0058 without the judge\'s override of new perspectives', () => {
  it('still converges: its 6 converging experts\' perspectives are not new', async () => {
    const { rounds, record } = await replayInProcess((judge) => {
      delete judge.rounds[3].judge.new_perspectives;
    });
    const r3 = rounds[3].metrics;
    expect(r3.computed.newPerspectives).toBe(0);
    expect(r3.overrides.filter((o) => o.field === 'newPerspectives')).toEqual([]);
    expect([r3.velocity, r3.convergePercent, r3.canConverge]).toEqual([0, 100, true]);
    expect(record).toContain('**ALIGNMENT Score**: 415 (W:135 C:104 T:92 R:84)');
    expect(record).toContain('**Convergence**: 100% (6/6 unanimous, Round 3)');
    expect(record).toContain('| 3     | 20| 20| 20| 15| 75    | 0        | 100%       |');
  });
});
