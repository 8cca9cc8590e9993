// Every rendering of long synthetic dialogues (20, 40 and 80 rounds, and one left open mid-round), byte
// for byte as committed in __snapshots__/output-identity.json: the record, the transcript, the JSON
// export, show's answer and text, the judge files, the newcomer's brief, and the tension states and
// metrics of every round. Work that makes these faster must leave each digest as it is; a change that
// means to alter an output updates the expectation with `npx vitest run -u` and says so in its commit.

import { describe, expect, it } from 'vitest';
import * as protocol from '../../src/domain/protocol.js';
import * as ingest from '../../src/domain/ingest.js';
import * as tensions from '../../src/domain/tensions.js';
import * as scoring from '../../src/domain/scoring.js';
import { briefInputs } from '../../src/domain/queries.js';
import type { Dialogue } from '../../src/domain/model.js';
import { renderRecord } from '../../src/render/record.js';
import { renderJson, renderTranscript } from '../../src/render/export.js';
import { renderShow, showDocument } from '../../src/render/show.js';
import { renderRoundSummary, renderScoreboard, renderTensions } from '../../src/render/judge-files.js';
import { syntheticAt, syntheticDialogue, syntheticOutputFile } from '../../scripts/synthetic.mjs';
import { digestTable } from '../support/digests.js';

const domain = { ...protocol, ...ingest, ...tensions, ...scoring };

function renderings(name: string, d: Dialogue): Record<string, string> {
  const out: Record<string, string> = {
    [`${name}/record`]: renderRecord(d),
    [`${name}/transcript`]: renderTranscript(d),
    [`${name}/json`]: renderJson(d),
    [`${name}/show.json`]: JSON.stringify(showDocument(d), null, 2),
    [`${name}/show.txt`]: renderShow(d),
    [`${name}/scoreboard.md`]: renderScoreboard(d),
    [`${name}/tensions.md`]: renderTensions(d),
    [`${name}/gate`]: JSON.stringify(scoring.convergenceGate(d)),
    [`${name}/last-metrics`]: JSON.stringify(scoring.lastScoredMetrics(d) ?? null),
  };
  for (const round of d.rounds) {
    const n = round.n;
    out[`${name}/states-r${n}`] = JSON.stringify(tensions.tensionStates(d, n));
    if (round.status === 'scored') {
      out[`${name}/summary-r${n}`] = renderRoundSummary(d, n);
      out[`${name}/metrics-r${n}`] = JSON.stringify(scoring.roundMetrics(d, n));
    }
    if (n > 0) out[`${name}/brief-r${n}`] = JSON.stringify(briefInputs(d, n));
  }
  out[`${name}/states`] = JSON.stringify(tensions.tensionStates(d));
  return out;
}

/** 20 rounds whose last is open and ingested, not scored: what show and the record say mid-round. */
function openMidRound(): Dialogue {
  const { dialogue, round, texts } = syntheticDialogue(domain, { rounds: 20, stopAt: 'ingest' });
  const panel = dialogue.rounds[round!].panel;
  const outputs = panel.filter((m: any) => texts![m.name] !== undefined).map((m: any) => ({ name: m.name, file: syntheticOutputFile(dialogue.id, round!, m.name), text: texts![m.name] }));
  const missing = panel.filter((m: any) => texts![m.name] === undefined).map((m: any) => m.name);
  return ingest.ingestRound(dialogue, round!, outputs, missing, syntheticAt(round! * 10 + 2)).dialogue;
}

describe('the outputs of long dialogues', () => {
  it('are byte for byte the committed ones', async () => {
    const outputs: Record<string, string> = {};
    for (const rounds of [20, 40, 80]) Object.assign(outputs, renderings(`r${rounds}`, syntheticDialogue(domain, { rounds }).dialogue));
    Object.assign(outputs, renderings('r20-open', openMidRound()));
    await expect(digestTable(outputs)).toMatchFileSnapshot('__snapshots__/output-identity.json');
  });
});
