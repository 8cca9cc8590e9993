// The audit's hostile texts, given as a judge and the experts give them (pool file, options, --text-file,
// output files), through the use cases the commands call: the exported record and transcript pass
// `blue dialogue lint`, which the pre-commit hook runs on them.

import { describe, expect, it } from 'vitest';
import { abandon } from '../../src/app/abandon.js';
import { exportDialogues } from '../../src/app/export.js';
import { lintFile } from '../../src/app/lint.js';
import { roundIngest } from '../../src/app/round-ingest.js';
import { roundOpen } from '../../src/app/round-open.js';
import { score } from '../../src/app/score.js';
import { start } from '../../src/app/start.js';
import { verdict, type VerdictRequest } from '../../src/app/verdict.js';
import { parseScore } from '../../src/domain/scoring.js';
import { SMALL_POOL_YAML, testProject } from '../support/app.js';

/** SMALL_POOL_YAML with some of its values replaced. */
const poolWith = (...changes: Array<[string, string]>) => changes.reduce((yaml, [from, to]) => yaml.replace(from, to), SMALL_POOL_YAML);

/** A fresh project, a panel of 3 (Muffin the Finance Lead, Cupcake, Scone), round 0 open. */
async function opened(options: { pool?: string; rfc?: string } = {}) {
  const p = testProject();
  p.write('pool.yaml', options.pool ?? SMALL_POOL_YAML);
  const { dialogue } = await start(p.ports, { title: 'Demo', pool: 'pool.yaml', panelSize: 3, seed: 6, ...(options.rfc ? { rfc: options.rfc } : {}) });
  const { panel } = await roundOpen(p.ports, { id: dialogue.id });
  return { p, id: dialogue.id, panel };
}

/** Every expert converges; the first raises `label` as a tension, which the judge resolves. */
async function convergedRound(options: { pool?: string; label?: string } = {}) {
  const o = await opened(options);
  for (const [i, m] of o.panel.entries()) {
    o.p.write(m.output_file, `${i === 0 ? `[TENSION T01: ${options.label ?? 'plain'}]\nwhy\n\n` : ''}[PERSPECTIVE P01: fine]\nok\n\n[MOVE:CONVERGE]\n`);
  }
  const ingested = await roundIngest(o.p.ports, o.id);
  await score(o.p.ports, {
    id: o.id,
    scores: o.panel.map((m) => [m.name, parseScore('1,1,1,1', 'score')]),
    judge: {},
    decisions: [{ tension: ingested.dialogue.tensions[0].id, to: 'resolved', note: 'done' }],
  });
  return o;
}

/** Exports the record and the transcript and lints both: every finding, warnings too. */
async function exportAndLint(p: ReturnType<typeof testProject>, id: string) {
  await exportDialogues(p.ports, { id });
  await exportDialogues(p.ports, { id, format: 'transcript' });
  const record = await lintFile(p.ports, `.blue/dialogues/${id}/dialogue.md`);
  const transcript = await lintFile(p.ports, `.blue/dialogues/${id}/transcript.md`);
  return { record: record.findings, transcript: transcript.findings, text: p.read(`.blue/dialogues/${id}/dialogue.md`) };
}

/** A final verdict from files, as `verdict --text-file v.md [--insights-file i.md]` records it. */
async function finalVerdict(o: { p: ReturnType<typeof testProject>; id: string }, given: Omit<VerdictRequest, 'id' | 'textFile'> & { text?: string; insights?: string } = {}) {
  const { text, insights, ...options } = given;
  o.p.write('v.md', text ?? 'We adopt X.\n');
  if (insights) o.p.write('i.md', insights);
  await verdict(o.p.ports, { id: o.id, textFile: 'v.md', ...(insights ? { insightsFile: 'i.md' } : {}), ...options });
}

describe("the audit's hostile texts", () => {
  it('a backslash before a pipe in a tension label and a pool role: the tables hold, lint passes', async () => {
    const o = await convergedRound({ pool: poolWith(['role: Finance Lead', 'role: "Back\\\\|slash"']), label: 'grep a\\|b is not enough' });
    await finalVerdict(o);
    const linted = await exportAndLint(o.p, o.id);
    expect(linted.record).toEqual([]);
    expect(linted.transcript).toEqual([]);
    expect(linted.text).toContain('| grep a\\\\\\|b is not enough | Resolved: done |');
    expect(linted.text).toContain('| Core | Head Baker, Back\\\\\\|slash, Operations Manager |');
    expect(linted.text).toContain('| Muffin | Back\\\\\\|slash | 4 |');
  });

  it('a line break in --reason of abandon, --rfc and the pool domain: lint passes', async () => {
    const o = await opened({ pool: poolWith(['domain: Bakery Operations', 'domain: "Dom\\n\\n## Verdict"']), rfc: 'RFC-1\n\n## Verdict' });
    await abandon(o.p.ports, { id: o.id, reason: 'out of time\n\n## Verdict\n\nfake' });
    const linted = await exportAndLint(o.p, o.id);
    expect(linted.record).toEqual([]);
    expect(linted.transcript).toEqual([]);
    expect(linted.text).toContain('**Linked RFC**: RFC-1 ## Verdict\n');
    expect(linted.text).toContain('**Domain**: Dom ## Verdict\n');
    expect(linted.text).toMatch(/: out of time ## Verdict fake\n/);
  });

  it('a line break in --vote: lint passes', async () => {
    const o = await convergedRound();
    await finalVerdict(o, { vote: 'v\n## Key Insights' });
    const linted = await exportAndLint(o.p, o.id);
    expect(linted.record).toEqual([]);
    expect(linted.transcript).toEqual([]);
    expect(linted.text).toContain('**Vote**: v ## Key Insights\n');
  });

  it('a line break in --warning of a forced verdict: no critical finding, and the warning reads as no section', async () => {
    const o = await opened();
    for (const m of o.panel) o.p.write(m.output_file, '[TENSION T01: open]\nx\n');
    await roundIngest(o.p.ports, o.id);
    await score(o.p.ports, { id: o.id, scores: o.panel.map((m) => [m.name, parseScore('1,1,1,1', 'score')]), judge: {}, decisions: [] });
    await finalVerdict(o, { text: 'Forced.\n', force: true, warning: 'x\n\n## Tensions Resolved' });
    const linted = await exportAndLint(o.p, o.id);
    expect(linted.record.filter((f) => f.severity === 'critical' || f.rule === 'sections')).toEqual([]);
    expect(linted.transcript.filter((f) => f.severity === 'critical')).toEqual([]);
    expect(linted.text).toContain('convergence was forced. x ## Tensions Resolved\n');
  });

  it('raw HTML in an expert label and in pool roles: escaped, no tag is HTML, lint passes', async () => {
    const pool = poolWith(['role: Finance Lead', "role: '<script>alert(1)</script>'"], ['role: Operations Manager', "role: '<img src=x onerror=alert(1)>'"]);
    const o = await convergedRound({ pool, label: 'costs <img src=x onerror=alert(1)>' });
    await finalVerdict(o);
    const linted = await exportAndLint(o.p, o.id);
    expect(linted.record).toEqual([]);
    expect(linted.transcript).toEqual([]);
    expect(linted.text).toContain('| Core | Head Baker, \\<script>alert(1)\\</script>, \\<img src=x onerror=alert(1)> |');
    expect(linted.text).toContain('| costs \\<img src=x onerror=alert(1)> | Resolved: done |');
    expect(linted.text).not.toMatch(/(^|[^\\])<(script|img)\b/m);
  });

  const headings: Array<[string, { text?: string; insights?: string }]> = [
    ['a verdict text that holds its own ## Verdict heading', { text: '## Verdict\n\nWe adopt X.\n' }],
    ['a ## Key Insights line in the verdict text', { text: 'We adopt X.\n\n## Key Insights\n\n- a\n' }],
    ['a heading in --insights-file', { insights: '## Key Insights\n\n- a\n' }],
  ];
  for (const [what, files] of headings) {
    it(`${what}: one Verdict, one Key Insights, lint passes`, async () => {
      const o = await convergedRound();
      await finalVerdict(o, files);
      const linted = await exportAndLint(o.p, o.id);
      expect(linted.record).toEqual([]);
      expect(linted.transcript).toEqual([]);
      expect(linted.text.match(/^## Verdict$/gm)).toHaveLength(1);
      expect(linted.text.match(/^## Key Insights$/gm)).toHaveLength(1);
    });
  }

  it('a marker written as a link is named in a warning with its file and line', async () => {
    const { p, id, panel } = await opened();
    p.write(panel[0].output_file, 'Intro.\n[TENSION T01: costs](https://x.y)\nbody\n');
    p.write(panel[1].output_file, '[PERSPECTIVE P01: fine]\nok\n');
    const report = await roundIngest(p.ports, id);
    expect(report.counts.tensions).toBe(0);
    expect(report.warnings).toContainEqual({
      file: panel[0].output_file,
      line: 2,
      message: '"[TENSION T01: costs](...)" is a Markdown link, so it is not read as a marker; expected the marker alone, with the link after it: "[TENSION T01: costs] (...)"',
    });
  });
});

