// dialogue lint on a real export: the RFC 0058 replay's record and transcript pass; mutated copies of the
// record fail, each with a clear line naming what is wrong; the reference project's own record gets only
// what is really wrong with it. And the use case: a bounded safe read through the workspace.

import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { exportDialogues } from '../../src/app/export.js';
import { lintFile } from '../../src/app/lint.js';
import { BlueError } from '../../src/domain/errors.js';
import { lintDocument, type LintFinding } from '../../src/domain/lint.js';
import { JUDGE_FILE, replayInProcess, type ReplayResult } from '../support/replay.js';
import { testProject } from '../support/app.js';
import { REFERENCE_DIALOGUES, RFC_0058 } from '../support/reference.js';

/** `line: severity rule: message`, the way a reader scans them. */
const shown = (findings: LintFinding[]) => findings.map((f) => `${f.line}: ${f.severity} ${f.rule}: ${f.message}`);
const lineOf = (text: string, needle: string) => {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`no line with ${needle}`);
  return i + 1;
};
/** Replaces `from` (which must be there, once) with `to`. */
function mutate(text: string, from: string, to: string): string {
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, to);
}

let replay: ReplayResult;
let record: string;
let transcript: string;

beforeAll(async () => {
  replay = await replayInProcess();
  record = replay.record;
  await exportDialogues(replay.p.ports, { id: replay.id, format: 'transcript' });
  transcript = replay.p.read(`.blue/dialogues/${replay.id}/transcript.md`);
}, 120_000);

describe('the replay of RFC 0058', () => {
  it('exports a record and a transcript that lint passes with nothing to report', async () => {
    expect(record).toContain('```mermaid');
    expect(await lintFile(replay.p.ports, `.blue/dialogues/${replay.id}/dialogue.md`)).toEqual({
      file: `.blue/dialogues/${replay.id}/dialogue.md`,
      kind: 'record',
      findings: [],
      ok: true,
    });
    expect(lintDocument(transcript, 'transcript.md')).toEqual([]);
  });
});

describe('a mutated copy of the replay\'s record fails, with a clear line each', () => {
  it('a row that does not add up', () => {
    const changed = mutate(record, '| 1     | 38| 28|', '| 1     | 39| 28|');
    const at = lineOf(changed, '| 1     | 39|');
    expect(shown(lintDocument(changed, 'dialogue.md'))).toEqual([
      `${at}: critical row-sum: R1: W+C+T+R = 39+28+22+22 = 111, but its Score is 110`,
      `${lineOf(changed, '**Total ALIGNMENT**')}: critical total: Total ALIGNMENT gives W:135 but the W column adds up to 136`,
    ]);
  });

  it('a wrong total', () => {
    const changed = mutate(record, '**Total ALIGNMENT**: 415 (W:135', '**Total ALIGNMENT**: 416 (W:136');
    const at = lineOf(changed, '**Total ALIGNMENT**');
    expect(shown(lintDocument(changed, 'dialogue.md'))).toEqual([
      `${lineOf(changed, '**ALIGNMENT Score**')}: critical header-score: the header's ALIGNMENT Score 415 (W:135 C:104 T:92 R:84) differs from the scoreboard's Total ALIGNMENT 416 (W:136 C:104 T:92 R:84)`,
      `${at}: critical total: Total ALIGNMENT is 416, but the rounds' Scores add up to 415 (125+110+105+75)`,
      `${at}: critical total: Total ALIGNMENT gives W:136 but the W column adds up to 135`,
    ]);
  });

  it('a header that disagrees with the scoreboard', () => {
    const changed = mutate(record, '**ALIGNMENT Score**: 415 (W:135 C:104 T:92 R:84)', '**ALIGNMENT Score**: 451 (W:135 C:140 T:92 R:84)');
    expect(shown(lintDocument(changed, 'dialogue.md'))).toEqual([
      `5: critical header-score: the header's ALIGNMENT Score 451 (W:135 C:140 T:92 R:84) differs from the scoreboard's Total ALIGNMENT 415 (W:135 C:104 T:92 R:84)`,
    ]);
    const rounds = mutate(record, '**Rounds**: 4 (R0-R3)', '**Rounds**: 5 (R0-R4)');
    expect(shown(lintDocument(rounds, 'dialogue.md'))).toEqual([
      '6: critical header: the header says 5 rounds, but Expert Panels by Round has 4',
      '6: critical header: the header says R0-R4, but the panels run R0-R3',
    ]);
  });

  it('a missing section', () => {
    const start = record.indexOf('## Key Insights');
    const end = record.indexOf('## Dialogue Location');
    const changed = record.slice(0, start) + record.slice(end);
    expect(shown(lintDocument(changed, 'dialogue.md'))).toEqual([
      `${lineOf(changed, '## Dialogue Location')}: critical sections: the record has no "## Key Insights" section (a record has, in order: Expert Pool, Expert Panels by Round, ALIGNMENT Scoreboard, Verdict, Tensions Resolved, Key Insights, Dialogue Location)`,
    ]);
    const swapped = mutate(record, '## Verdict\n', '## Key Insights\n').replace(/## Key Insights\n\n1\. /, '## Verdict\n\n1. ');
    expect(shown(lintDocument(swapped, 'dialogue.md'))[0]).toMatch(/critical sections: the section "Key Insights" is out of order/);
  });

  it('an impossible converge %', () => {
    const changed = mutate(record, '| 83%*       |', '| 84%*       |');
    const at = lineOf(changed, '| 84%*');
    expect(shown(lintDocument(changed, 'dialogue.md'))).toEqual([
      `${at}: critical converge: R2: converge 84% is not possible with a panel of 6 (k of 6 experts gives 0, 17, 33, 50, 67, 83, 100%)`,
      `${at}: critical converge: R2: the judge counted 5 converge signals of 6, which is 83%, but the row says 84%`,
    ]);
    const header = mutate(record, '**Convergence**: 100% (6/6 unanimous, Round 3)', '**Convergence**: 100% (5/6 unanimous, Round 3)');
    expect(shown(lintDocument(header, 'dialogue.md'))).toEqual([
      '7: critical convergence: Convergence: 5/6 is 83%, not 100%',
      '7: critical convergence: Convergence: 5/6 is not unanimous',
    ]);
  });

  it('an open tension under a final verdict', () => {
    const row = record.split('\n').find((l) => l.startsWith('| SCONE-T01 (R0) |'))!;
    const changed = mutate(record, row, row.replace('| Resolved: Narrowed to the refs table', '| Narrowed: to the refs table'));
    const findings = shown(lintDocument(changed, 'dialogue.md'));
    expect(findings).toContain(`${lineOf(changed, '| SCONE-T01 (R0) |')}: critical open-tension: SCONE-T01 is narrowed (still open), but the record has a final verdict (Status: Converged)`);
    expect(findings).toContain(`8: critical tensions: Tensions Resolved: 18 resolved, but the table marks 17 resolved (1 narrowed)`);
    // The chart's resolved line still counts SCONE-T01 in R3, which the table no longer does.
    expect(findings.filter((f) => f.includes('critical chart'))).toEqual([
      `${lineOf(changed, 'Tensions raised (bars)') - 2}: critical chart: the chart "Tensions raised (bars) and resolved (line) by round" disagrees with the Tensions Resolved table on tensions resolved: R3 is 3 in the chart, 2 in the Tensions Resolved table`,
    ]);
    expect(findings).toHaveLength(3);
  });

  it('a table that does not parse, a duplicate id and velocity against the judge\'s counts', () => {
    const broken = mutate(record, '|-------|---|---|---|---|-------|----------|------------|\n', '');
    expect(shown(lintDocument(broken, 'dialogue.md')).filter((f) => f.includes('critical table'))).toHaveLength(5); // the header row and the four rounds
    expect(shown(lintDocument(broken, 'dialogue.md'))).toContain(
      `${lineOf(broken, '## ALIGNMENT Scoreboard')}: critical scoreboard: the ALIGNMENT Scoreboard has no table with the columns Round, Score, Velocity, Converge %`,
    );
    const twice = mutate(record, '| CUPCAKE-T01 (R0) |', '| MUFFIN-T01 (R0) |');
    expect(shown(lintDocument(twice, 'dialogue.md'))).toContain(
      `${lineOf(twice, '| MUFFIN-T01 (R0) | Unbounded')}: critical ids: MUFFIN-T01 is listed twice (also line ${lineOf(twice, '| MUFFIN-T01 (R0) | Denormalized')}): each expert's tension ids are unique`,
    );
    const velocity = mutate(record, '| 16*      |', '| 17*      |');
    expect(shown(lintDocument(velocity, 'dialogue.md'))).toContain(
      `${lineOf(velocity, '| 17*')}: critical velocity: R1: the judge counted 7 open tensions and 9 new perspectives, so velocity is 16, but the row says 17`,
    );
  });
});

describe('the reference project\'s own record', () => {
  it('reports only what is really wrong with it: narrowed tensions counted as resolved under the final verdict', () => {
    const judge = JSON.parse(readFileSync(JUDGE_FILE, 'utf8'));
    const text = readFileSync(resolve(dirname(JUDGE_FILE), judge.record), 'utf8');
    expect(shown(lintDocument(text, 'reference.md'))).toEqual([
      '8: critical tensions: Tensions Resolved: 17 resolved, but the table marks 13 resolved (1 without a status word, 3 narrowed)',
      "60: warning panels: Round 3 has no panel table: the record does not say who sat on it or how each scored",
      '92: warning tensions: MUFFIN-T01: "Eliminated" is not a tension status (open, addressed, narrowed, superseded, resolved, accepted, reopened), so the record does not say whether it is settled',
      '93: critical open-tension: SCONE-T01 is narrowed (still open), but the record has a final verdict (Status: Converged)',
      '94: critical open-tension: STRUDEL-T01 is narrowed (still open), but the record has a final verdict (Status: Converged)',
      '95: critical open-tension: ECLAIR-T01 is narrowed (still open), but the record has a final verdict (Status: Converged)',
    ]);
  });

  it('and its dialogue folder\'s files are not records or transcripts', () => {
    const folder = join(REFERENCE_DIALOGUES, RFC_0058);
    for (const file of ['scoreboard.md', 'tensions.md', 'round-0/muffin.md']) {
      const [finding, ...rest] = lintDocument(readFileSync(join(folder, file), 'utf8'), file);
      expect([file, finding.rule, rest]).toEqual([file, 'document', []]);
    }
  });
});

describe('the use case', () => {
  it('reads through the workspace: a path relative to the project, a missing file and a symlink are bad input', async () => {
    const p = testProject();
    p.write('notes.md', '# Notes\n');
    expect(await lintFile(p.ports, 'notes.md')).toMatchObject({ file: 'notes.md', kind: 'unknown', ok: false });
    const missing = await lintFile(p.ports, 'nope.md').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(BlueError);
    expect(missing).toMatchObject({ exitCode: 2, code: 'file_not_found' });
    symlinkSync(join(p.root, 'notes.md'), join(p.root, 'link.md'));
    expect(await lintFile(p.ports, 'link.md').catch((e: unknown) => e)).toMatchObject({ exitCode: 2, code: 'invalid_file' });
  });
});
