// What a judge or an expert writes cannot break the structure of the record or the transcript: line
// breaks in one-line fields, raw HTML in table cells and headings, headings in the verdict and the
// insights, a code block left open. Each record made from such text passes `dialogue lint` with nothing
// to report.

import { describe, expect, it } from 'vitest';
import type { Dialogue, Pool } from '../../src/domain/model.js';
import { lintDocument } from '../../src/domain/lint.js';
import { abandonDialogue } from '../../src/domain/protocol.js';
import { renderRecord } from '../../src/render/record.js';
import { renderTranscript } from '../../src/render/export.js';
import { renderRoundSummary, renderScoreboard, renderTensions } from '../../src/render/judge-files.js';
import { at, everyone, ingest, open, play, POOL, score, start, verdict } from '../support/dialogue-factory.js';

const CONVERGE = '[MOVE:CONVERGE]\nAgreed.\n';

/** What lint finds in a record or transcript: critical findings and warnings alike. */
const findings = (text: string, file: string) => lintDocument(text, file).map((f) => `${f.line}: ${f.severity}: ${f.message}`);

/** Round 0 of a panel of 4, every expert converging; the first raises `labels` as tensions, which the judge resolves with `note`. */
function converged(options: { pool?: Pool; rfc?: string; label?: string; labels?: string[]; note?: string } = {}): Dialogue {
  const d = open(start({ panelSize: 4, ...(options.pool ? { pool: options.pool } : {}), ...(options.rfc ? { rfc: options.rfc } : {}) }));
  const first = d.rounds[0].panel[0].name;
  const raised = (options.labels ?? []).map((label, i) => `[TENSION T0${i + 1}: ${label}]\nwhy\n\n`).join('');
  const ingested = ingest(d, { ...everyone(d, CONVERGE), [first]: `${raised}${CONVERGE}` });
  return score(ingested, {}, {
    fill: '5,5,5,5',
    ...(options.label ? { label: options.label } : {}),
    decisions: ingested.tensions.map((t) => ({ tension: t.id, to: 'resolved' as const, note: options.note ?? 'done' })),
  });
}

describe('one-line fields with line breaks', () => {
  it('are folded in the header, the pool, a round heading and the vote', () => {
    const pool: Pool = { ...POOL, domain: 'Dom\n\n## Verdict' };
    const d = verdict(converged({ pool, rfc: 'RFC-1\n\n## Verdict', label: 'opening' }), { text: 'We adopt X.', vote: 'v\n## Key Insights', at: at(50) }).dialogue;
    const record = renderRecord(d);
    expect(findings(record, 'dialogue.md')).toEqual([]);
    expect(record).toContain('**Linked RFC**: RFC-1 ## Verdict\n');
    expect(record).toContain('**Domain**: Dom ## Verdict\n');
    expect(record).toContain('**Vote**: v ## Key Insights\n');
    expect(findings(renderTranscript(d), 'transcript.md')).toEqual([]);
  });

  it('are folded in the warning of a forced verdict', () => {
    let d = open(start());
    d = score(ingest(d, everyone(d, '[TENSION T01: open]\nx\n')), {}, { fill: '1,1,1,1' });
    d = verdict(d, { text: 'Forced.', force: true, warning: 'x\n\n## Tensions Resolved', at: at(50) }).dialogue;
    const record = renderRecord(d);
    expect(record).toContain('> **Warning**: convergence was forced. x ## Tensions Resolved\n');
    expect(findings(record, 'dialogue.md').filter((f) => /critical|not a section/.test(f))).toEqual([]);
    expect(findings(renderTranscript(d), 'transcript.md').filter((f) => /critical/.test(f))).toEqual([]);
  });

  it('are folded in the reason of an abandoned dialogue', () => {
    let d = play(start(), { texts: { muffin: 'x' } });
    d = abandonDialogue(d, { reason: 'out of time\n\n## Verdict\n\nfake', at: at(50) });
    const record = renderRecord(d);
    expect(findings(record, 'dialogue.md')).toEqual([]);
    expect(record).toContain('(2026-03-01 10:20Z): out of time ## Verdict fake\n');
  });

  it('are folded when a dialogue stored them before they were folded on input', () => {
    const d = verdict(converged({ label: 'opening' }), { text: 'We adopt X.', at: at(50) }).dialogue;
    const stored: Dialogue = {
      ...d,
      question: 'Q?\n\n## Verdict',
      rounds: d.rounds.map((r) => ({ ...r, label: 'old\n## Verdict', panel: r.panel.map((m, i) => (i === 0 ? { ...m, role: 'Role\n## Verdict', focus: 'f\n\n## Round 3' } : m)) })),
    };
    const record = renderRecord(stored);
    expect(findings(record, 'dialogue.md')).toEqual([]);
    expect(record).toContain('### Round 0 (4 experts — old ## Verdict)\n');
    expect(findings(renderTranscript(stored), 'transcript.md')).toEqual([]);
  });
});

describe('raw HTML in pool roles, expert labels and notes', () => {
  it('is escaped in every table cell and heading, so no tag is HTML, and the record passes lint', () => {
    const pool: Pool = {
      ...POOL,
      experts: POOL.experts.map((e, i) => (i === 0 ? { ...e, role: '<script>alert(1)</script>' } : i === 1 ? { ...e, role: '<img src=x onerror=alert(1)>' } : e)),
    };
    const labels = ['<script>alert(1)</script>', 'costs <img src=x onerror=alert(1)>'];
    const d = verdict(converged({ pool, labels, label: '<b>opening</b>', note: 'settled: `Vec<T>` <b>bold</b>' }), { text: 'We adopt X.', vote: '<i>5-0</i>', at: at(50) }).dialogue;
    const record = renderRecord(d);
    expect(findings(record, 'dialogue.md')).toEqual([]);
    expect(record).toContain('| Core | \\<script>alert(1)\\</script>, \\<img src=x onerror=alert(1)>, Operations Manager |');
    expect(record).toContain('| Muffin | \\<script>alert(1)\\</script> | 20 |');
    expect(record).toContain('| \\<script>alert(1)\\</script> | Resolved: settled: `Vec<T>` \\<b>bold\\</b> |');
    expect(record).toContain('### Round 0 (4 experts — \\<b>opening\\</b>)\n');
    expect(record).not.toMatch(/(^|[^\\`])<(script|img|b|i)\b/m);
    const transcript = renderTranscript(d);
    expect(findings(transcript, 'transcript.md')).toEqual([]);
    expect(transcript).toContain('### Muffin — \\<script>alert(1)\\</script> — score');
  });

  it('is escaped in the judge files the next round reads too: tension labels, texts and notes', () => {
    const labels = ['<script>alert(1)</script>', 'costs <img src=x onerror=alert(1)>'];
    const d = converged({ labels, note: 'settled: `Vec<T>` <b>bold</b>' });
    const tensions = renderTensions(d);
    expect(tensions).toContain('### MUFFIN-T01 (R0): \\<script>alert(1)\\</script>\n');
    expect(tensions).toContain(' — settled: `Vec<T>` \\<b>bold\\</b>');
    const summary = renderRoundSummary(d, 0);
    expect(summary).toContain(': costs \\<img src=x onerror=alert(1)>');
    for (const file of [tensions, summary, renderScoreboard(d)]) expect(file).not.toMatch(/(^|[^\\`])<(script|img|b)\b/m);
  });
});

describe("headings in the judge's prose", () => {
  it('stay below the sections of the record: a verdict and insights with headings of their own', () => {
    const d = verdict(converged(), {
      text: '## Verdict\n\nWe adopt X.\n\n## Key Insights\n\n- a\n',
      insights: '## Key Insights\n\n- b\n\nVerdict\n-------\n',
      at: at(50),
    }).dialogue;
    const record = renderRecord(d);
    expect(findings(record, 'dialogue.md')).toEqual([]);
    expect(record).toContain('## Verdict\n\n### Verdict\n\nWe adopt X.\n\n### Key Insights\n\n- a\n\n## Tensions Resolved');
    expect(record).toContain('## Key Insights\n\n### Key Insights\n\n- b\n\n### Verdict\n');
    expect(findings(renderTranscript(d), 'transcript.md')).toEqual([]);
  });

  it('stay under the label of an interim verdict', () => {
    let d = verdict(converged(), { type: 'interim', text: '# Interim\n\n## Tensions Resolved\n\nHalfway.', at: at(40) }).dialogue;
    d = verdict(d, { text: 'Final.', at: at(50) }).dialogue;
    const record = renderRecord(d);
    expect(findings(record, 'dialogue.md')).toEqual([]);
    expect(record).toContain('### Interim verdict (Round 0)\n\n#### Interim\n\n##### Tensions Resolved\n\nHalfway.\n');
    expect(findings(renderTranscript(d), 'transcript.md')).toEqual([]);
  });

  it("under the record's own levels render as they always have", () => {
    const text = 'We adopt X.\n\n### Rationale\n\nBecause.\n\n#### Detail\n\nMore.';
    const record = renderRecord(verdict(converged(), { text, insights: '### One\n\n- a', at: at(50) }).dialogue);
    expect(record).toContain(`## Verdict\n\n${text}\n\n## Tensions Resolved`);
    expect(record).toContain('## Key Insights\n\n### One\n\n- a\n');
  });

  it('a code block the verdict leaves open is closed, so the sections after it stay sections', () => {
    const d = verdict(converged(), { text: 'Run:\n\n```sh\nblue dialogue export', at: at(50) }).dialogue;
    expect(findings(renderRecord(d), 'dialogue.md')).toEqual([]);
    expect(findings(renderTranscript(d), 'transcript.md')).toEqual([]);
  });

  it('a code block an expert leaves open is closed in the transcript, so the rounds after it stay rounds', () => {
    let d = open(start());
    d = score(ingest(d, { ...everyone(d, CONVERGE), muffin: `${CONVERGE}\n\`\`\`ts\nconst cut = 'off` }), {}, { fill: '5,5,5,5' });
    d = verdict(d, { text: 'We adopt X.', at: at(50) }).dialogue;
    expect(findings(renderTranscript(d), 'transcript.md')).toEqual([]);
  });
});

