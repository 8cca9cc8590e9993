// dialogue lint on what blue exports: every record and transcript of the dialogues a judge can produce
// (converged with overrides, in progress, fresh, abandoned, forced, cut off at the maximum round, twenty
// rounds long) has nothing to report; and a few made-up documents show each check on its own.

import { describe, it, expect } from 'vitest';
import type { Dialogue } from '../../src/domain/model.js';
import { abandonDialogue, recordVerdict } from '../../src/domain/protocol.js';
import { lintDocument, lintReport } from '../../src/domain/lint.js';
import { renderRecord } from '../../src/render/record.js';
import { renderTranscript } from '../../src/render/export.js';
import { at, everyone, ingest, longDialogue, open, play, score, start, verdict } from '../support/dialogue-factory.js';

const CONVERGE = '[MOVE:CONVERGE]\nAgreed.\n';

/** Both exports of `d`, linted. */
function lintBoth(d: Dialogue) {
  return { record: lintReport(renderRecord(d), 'dialogue.md'), transcript: lintReport(renderTranscript(d), 'transcript.md') };
}

function expectClean(d: Dialogue) {
  expect(lintBoth(d)).toEqual({ record: { kind: 'record', findings: [] }, transcript: { kind: 'transcript', findings: [] } });
}

/** Round 0 raises two tensions per expert; round 1 has the judge's overrides, a created expert and every kind of settling. */
function withOverrides(): Dialogue {
  let d = start({ panelSize: 4, rfc: '0061-second-shop' });
  d = play(d, {
    texts: Object.fromEntries(['Muffin', 'Cupcake', 'Scone', 'Eclair'].map((n) => [n, `[PERSPECTIVE P01: ${n} view]\nx\n[TENSION T01: ${n} worry]\ny\n[TENSION T02: ${n} doubt]\nz\n`])),
    scores: { Muffin: '10,5,5,5', Cupcake: '8,5,4,4', Scone: '6,5,4,4', Eclair: '0' },
    judge: { newPerspectives: 3 },
    label: 'opening',
  });
  d = play(d, {
    open: {
      panel: [
        { name: 'Muffin', source: 'retained' },
        { name: 'Cupcake', source: 'retained' },
        { name: 'Scone', source: 'retained' },
        { role: 'Landlord', source: 'created', tier: 'wildcard' },
      ],
    },
    texts: { muffin: '[RESOLVED MUFFIN-T01]\nHired.\n', cupcake: CONVERGE, scone: '[PERSPECTIVE P01: Late idea]\nq\n', donut: '[TENSION T01: Lease]\nlong\n' },
    fill: '5,5,5,5',
    judge: { openTensions: 2, convergeSignals: 2 },
    decisions: [
      { tension: 'MUFFIN-T02', to: 'superseded', by: ['CUPCAKE-T01'] },
      { tension: 'CUPCAKE-T02', to: 'accepted', note: 'a risk we take' },
      { tension: 'SCONE-T01', to: 'narrowed', note: 'only the lease' },
      { tension: 'CUPCAKE-T01', to: 'resolved', note: 'Narrowed to nothing, then settled' },
    ],
  });
  const rest = ['SCONE-T01', 'SCONE-T02', 'ECLAIR-T01', 'ECLAIR-T02', 'DONUT R1-T01'].map((tension) => ({ tension, to: 'resolved' as const }));
  d = open(d);
  d = score(ingest(d, everyone(d, CONVERGE)), {}, { fill: '6,6,6,6', decisions: rest });
  d = verdict(d, { text: 'Open it.\n', insights: '- Hire first\n', vote: '4-0', confidence: 'unanimous' }).dialogue;
  return recordVerdict(d, { type: 'minority', text: 'Wait.', experts: ['eclair'], at: at(1000) }).dialogue;
}

describe('lint passes on every record and transcript blue exports', () => {
  it('a converged dialogue with judge overrides, a created expert, superseded, accepted and minority', () => {
    const d = withOverrides();
    expect(renderRecord(d)).toContain('```mermaid');
    expect(renderRecord(d)).toContain('\\* Judge override');
    expectClean(d);
  });

  it('a dialogue in progress: a round open and not scored', () => {
    let d = play(start(), { texts: { muffin: '[TENSION T01: Capital]\ny\n', cupcake: 'x\n', scone: CONVERGE }, scores: { Muffin: 10, Cupcake: 8, Scone: 6 } });
    d = ingest(open(d), { muffin: 'x\n' });
    expectClean(d);
  });

  it('a fresh dialogue: no round, no chart', () => {
    expect(renderRecord(start())).not.toContain('```mermaid');
    expectClean(start());
    expectClean(open(start()));
  });

  it('an abandoned dialogue, tensions still open', () => {
    const d = play(start(), { texts: { muffin: '[TENSION T01: Capital]\ny\n' }, scores: { Muffin: '3,2,1,1' } });
    const abandoned = abandonDialogue(d, { reason: 'The landlord sold the building.', at: at(50) });
    expect(renderRecord(abandoned)).toContain('**Status**: Abandoned');
    expectClean(abandoned);
  });

  it('a forced final verdict over open tensions, which the record and the transcript say was forced', () => {
    const d = play(start(), { texts: { muffin: '[TENSION T01: Capital]\ny\n' }, scores: { Muffin: '3,2,1,1' } });
    const forced = verdict(d, { force: true, warning: 'The owner decided.' }).dialogue;
    expect(renderTranscript(forced)).toContain('> **Warning**: convergence was forced. The owner decided.');
    expectClean(forced);
  });

  it('a verdict forced by the maximum round', () => {
    let d = start({ maxRounds: 2 });
    d = play(d, { texts: { muffin: '[TENSION T01: Capital]\ny\n' }, scores: { Muffin: 4 } });
    d = play(d, { texts: { muffin: 'still worried\n' }, scores: { Muffin: 4 } });
    const forced = verdict(d).dialogue;
    expect(forced.verdicts[0].forced).toBe(true);
    expectClean(forced);
  });

  it('a dialogue of twenty rounds', () => {
    const d = longDialogue();
    expect(d.rounds).toHaveLength(20);
    expect(d.status).toBe('converged');
    expectClean(d);
  });

  it('a final verdict where the judge counted no open tension but the table still has one: a warning, not a failure', () => {
    let d = play(start(), { texts: { muffin: '[TENSION T01: Capital]\ny\n', cupcake: '[RESOLVED MUFFIN-T01]\nHire.\n' }, scores: { Muffin: 4 } });
    d = open(d);
    d = score(ingest(d, everyone(d, CONVERGE)), {}, { fill: '1,1,1,1', judge: { openTensions: 0 } });
    d = verdict(d).dialogue;
    const { record, transcript } = lintBoth(d);
    expect(record.findings).toEqual([
      { severity: 'warning', rule: 'open-tension', line: 4, message: 'the judge counted 0 open tensions in R1, but the table still has MUFFIN-T01 (addressed) under the final verdict' },
    ]);
    expect(transcript.findings).toEqual([]);
  });
});

describe('the record checks that warn', () => {
  it('a name written with another role, and a tension whose author was not on the panel', () => {
    const record = renderRecord(withOverrides());
    const changed = record
      .replace('| Scone | Customer Researcher | Retained |', '| Scone | Pastry Chef | Retained |')
      .replace('| ECLAIR-T01 (R0) |', '| DONUT-T01 (R0) |');
    const line = (needle: string) => changed.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(lintDocument(changed, 'dialogue.md')).toEqual([
      { severity: 'warning', rule: 'roles', line: line('| Scone | Pastry Chef |'), message: 'Scone is "Pastry Chef" in Round 1 but "Customer Researcher" in Round 0: a name stays bound to one role' },
      { severity: 'warning', rule: 'ids', line: line('| DONUT-T01 (R0) |'), message: 'DONUT-T01 names Donut, who is not on Round 0\'s panel' },
    ]);
  });
});

describe('documents that are not records or transcripts', () => {
  it('are "unknown", with one finding that says what a record and a transcript start with', () => {
    expect(lintReport('# Scoreboard: RFC 0058\n\n| a | b |\n', 'scoreboard.md')).toEqual({
      kind: 'unknown',
      findings: [
        {
          severity: 'critical',
          rule: 'document',
          line: 1,
          message: 'not a dialogue record or transcript: a record starts with "# Alignment Dialogue: <title>", a transcript with "# Transcript: <title>" (its title is "Scoreboard: RFC 0058")',
        },
      ],
    });
    expect(lintDocument('just text\n', 'notes.md')[0].message).toMatch(/\(it has no # title\)$/);
    expect(lintDocument('# Notes\n', '.blue/dialogues/x/dialogue.md')[0].message).toMatch(/named like blue's record, so its title was probably changed by hand/);
  });
});

describe('figures past 2^53', () => {
  // Such a figure cannot be added exactly: 99999999999999999988 + 10 + 8 + 7 "is" 100000000000000000000, so a
  // wrong sum would pass. Lint says it cannot read them (blue itself takes scores up to 1,000,000).
  const big = (text: string) => text.replace(/\b25 \(W:10 C:5 T:5 R:5\)/, '100000000000000000000 (W:99999999999999999985 C:5 T:5 R:5)');

  it('in a record are critical, saying why', () => {
    const record = renderRecord(withOverrides());
    const row = record.split('\n').find((l) => /^\| 0 /.test(l))!;
    const changed = record.replace(row, row.replace(/^\| 0 (\s*)\| \d+/, '| 0 $1| 99999999999999999999'));
    const found = lintDocument(changed, 'dialogue.md').filter((f) => /2\^53/.test(f.message));
    expect(found.map((f) => [f.severity, f.rule, f.message])).toEqual([['critical', 'scoreboard', 'R0: a W, C, T or R cell is neither a number nor — (it holds a figure past 2^53, which cannot be added exactly)']]);
  });

  it('in a transcript are critical, saying why', () => {
    const changed = big(renderTranscript(withOverrides()));
    expect(changed).toContain('W:99999999999999999985');
    const found = lintDocument(changed, 'transcript.md').filter((f) => /2\^53/.test(f.message));
    expect(found.map((f) => [f.severity, f.rule, f.message])).toEqual([
      ['critical', 'scores', 'Muffin\'s score "100000000000000000000 (W:99999999999999999985 C:5 T:5 R:5)" is not a score such as 25 (W:10 C:5 T:5 R:5) (it holds a figure past 2^53, which cannot be added exactly)'],
    ]);
  });
});

describe('the transcript checks', () => {
  const d = withOverrides();
  const transcript = renderTranscript(d);
  const findings = (text: string) => lintDocument(text, 'transcript.md').map((f) => `${f.line}: ${f.severity} ${f.rule}: ${f.message}`);
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

  it('an expert score whose parts do not add up', () => {
    const changed = transcript.replace('### Muffin — Head Baker — score 25 (W:10 C:5 T:5 R:5)', '### Muffin — Head Baker — score 25 (W:11 C:5 T:5 R:5)');
    expect(findings(changed)).toEqual([`${lineOf(changed, 'W:11')}: critical row-sum: Muffin, Round 0: W+C+T+R = 11+5+5+5 = 26, but the score says 25`]);
  });

  it('a Scores line that disagrees with the experts, and an impossible converge %', () => {
    const line = transcript.split('\n').find((l) => l.startsWith('**Scores**: Muffin 25'))!;
    const changed = transcript.replace(line, line.replace('Cupcake 21', 'Cupcake 22').replace('converge 0%', 'converge 30%'));
    const at = lineOf(changed, '**Scores**: Muffin 25');
    expect(findings(changed)).toEqual([
      `${at}: critical scores: Round 0's Scores line: it gives Cupcake 22, but Cupcake's heading says 21`,
      `${at}: critical converge: Round 0: converge 30% is not possible with a panel of 4 (k of 4 experts gives 0, 25, 50, 75, 100%)`,
    ]);
  });

  it('an expert twice in a round, rounds out of order, and a final verdict before convergence', () => {
    const twice = transcript.replace('### Cupcake — Supply Chain Analyst — score 21', '### Muffin — Supply Chain Analyst — score 21');
    expect(findings(twice).some((f) => f.includes('critical ids: Muffin appears twice in Round 0'))).toBe(true);
    const swapped = transcript.replace('## Round 1\n', '## Round 5\n');
    expect(findings(swapped)).toContainEqual(`${lineOf(swapped, '## Round 5')}: warning sections: Round 5 follows Round 0: the rounds between are missing`);
    expect(findings(swapped)).toContainEqual(`${lineOf(swapped, '## Round 2')}: critical sections: Round 2 comes after Round 5: rounds go up one by one`);
    const early = transcript.replace('velocity 0; converge 100%.', 'velocity 2; converge 100%.');
    expect(findings(early)).toContain(
      `${lineOf(early, '## Final verdict')}: critical verdict: a final verdict, but the last scored round (Round 2) has velocity 2 and converge 100%: it needs velocity 0 and converge 100%, or is marked forced`,
    );
  });

  it('a chart that disagrees with the Scores lines', () => {
    const changed = transcript.replace('    bar [65, 80, 96]', '    bar [65, 81, 96]');
    expect(changed).not.toBe(transcript);
    expect(findings(changed)).toEqual([
      `${lineOf(changed, '```mermaid')}: critical chart: the chart "ALIGNMENT (bars) and velocity (line) by round" disagrees with the Scores lines on ALIGNMENT: R1 is 81 in the chart, 80 in the Scores lines`,
    ]);
  });

  it('an expert who uses one id twice (ingest renumbered it), as a warning', () => {
    let twice = play(start(), { texts: { muffin: '[PERSPECTIVE P01: A]\nx\n\n[PERSPECTIVE P01: B]\ny\n' }, scores: { Muffin: 3 } });
    twice = verdict(twice, { force: true, warning: 'Enough.' }).dialogue;
    const text = renderTranscript(twice);
    expect(findings(text)).toEqual([`${lineOf(text, '[PERSPECTIVE P01: B]')}: warning ids: Muffin uses P01 twice in Round 0 (also line ${lineOf(text, '[PERSPECTIVE P01: A]')}); blue recorded the second under the next free number`]);
  });

  it('reads the headings in the experts\' and the judge\'s text as their text', () => {
    let other = play(start(), {
      texts: { muffin: '## Perspectives\n\n### Notes\n\n[PERSPECTIVE P01: A]\nx\n\n# Appendix\n\n### Cupcake said so\n' },
      scores: { Muffin: 3 },
      summary: '## Question\n\n### Where we stand\n',
    });
    other = verdict(other, { force: true, warning: 'Enough.' }).dialogue;
    expect(findings(renderTranscript(other))).toEqual([]);
  });
});
