// `blue dialogue round ingest <id>`: reads round-<n>/<name>.md of every expert on the open round's
// panel and records what they wrote. Re-running replaces the round's ingest until it is scored.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from '../cli/context.js';
import type { CommandResult } from '../cli/output.js';
import type { Warning } from '../domain/model.js';
import { warn } from '../cli/output.js';
import { readIfExists } from '../workspace/files.js';
import { ingestRound, type ExpertOutput, type IngestReport } from '../domain/ingest.js';
import { fileStem } from '../domain/names.js';
import { refused } from '../domain/errors.js';
import { dialogueDir, withStores } from './shared.js';

export async function roundIngest(ctx: Context, idArg: string): Promise<CommandResult> {
  const at = new Date().toISOString();
  const report = await withStores(ctx, async (stores) => {
    // Only the id is needed here: update() loads (and checks) the dialogue under the lock itself.
    const id = await stores.catalog.resolve(idArg);
    let report: IngestReport | undefined;
    await stores.store.update(id, (d) => {
      const round = d.rounds.find((r) => r.status === 'open');
      if (!round) {
        const last = d.rounds[d.rounds.length - 1];
        throw refused('no_open_round', last
          ? `round ${last.n} is scored; ingest reads the open round only. Open the next with \`blue dialogue round open ${d.id}\``
          : `no round is open; open round 0 with \`blue dialogue round open ${d.id}\``);
      }
      const outputs: ExpertOutput[] = [];
      const missing: string[] = [];
      for (const member of round.panel) {
        const file = `${dialogueDir(d.id)}/round-${round.n}/${fileStem(member.name)}.md`;
        const text = readIfExists(join(ctx.root, file));
        if (text === undefined || !text.trim()) missing.push(member.name);
        else outputs.push({ name: member.name, file, text });
      }
      if (outputs.length === 0) {
        throw refused('no_outputs', `no expert of round ${round.n} has written an output yet (expected ${round.panel.map((m) => `${dialogueDir(d.id)}/round-${round.n}/${fileStem(m.name)}.md`).join(', ')})`, { missing });
      }
      const result = ingestRound(d, round.n, outputs, missing, at);
      report = result.report;
      return result.dialogue;
    });
    return { ...report!, warnings: [...report!.warnings, ...strayOutputs(ctx, id, report!.round, [...report!.ingested, ...report!.missing])] };
  });
  for (const w of report.warnings) warn(`${w.file}:${w.line}: ${w.message}`);
  if (report.missing.length) warn(`missing output${report.missing.length > 1 ? 's' : ''} from ${report.missing.join(', ')}: ingest again once written (a missing output scores 0)`);
  const c = report.counts;
  const human = [
    `Round ${report.round}: ingested ${report.ingested.length} output${report.ingested.length === 1 ? '' : 's'} (${report.ingested.join(', ')})` +
      (report.missing.length ? `; missing ${report.missing.join(', ')}` : ''),
    `  ${c.perspectives} perspectives, ${c.tensions} tensions, ${c.resolutions} resolutions, ${c.converge_signals} converge signals, ${report.warnings.length} warnings`,
  ].join('\n');
  return {
    json: { round: report.round, ingested: report.ingested, missing: report.missing, warnings: report.warnings, counts: c },
    human,
  };
}

/**
 * Files in the round's folder that look like an expert's output but belong to nobody on the panel: an
 * expert who wrote under the wrong name, or a file the judge dropped in. They are not read; the judge
 * is told, since an output under the wrong name would otherwise look missing.
 */
function strayOutputs(ctx: Context, id: string, n: number, panel: string[]): Warning[] {
  const folder = `${dialogueDir(id)}/round-${n}`;
  const expected = new Set(panel.map((name) => `${fileStem(name)}.md`));
  let names: string[];
  try {
    names = readdirSync(join(ctx.root, folder));
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.md') && !name.endsWith('.prompt.md') && !expected.has(name))
    .sort()
    .map((name) => ({ file: `${folder}/${name}`, line: 1, message: `not an output of this round's panel (${panel.join(', ')}); not read` }));
}
