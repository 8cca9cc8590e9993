// `blue dialogue round ingest <id>`

import type { Log } from '../app/ports.js';
import type { IngestReport } from '../domain/ingest.js';
import { ID_ARG, type CommandResult, type CommandSpec } from './spec.js';

export const roundIngestCommand: CommandSpec = {
  path: ['dialogue', 'round', 'ingest'],
  args: [ID_ARG],
  description: "read the open round's expert outputs and record what they wrote",
  examples: ['blue dialogue round ingest <id>'],
  async run(ctx, [id]) {
    const { roundIngest } = await import('../app/round-ingest.js');
    const report = await roundIngest(ctx.ports, id!);
    return { ...ingestAnswer(ctx.ports.log, report), dialogue: report.dialogue };
  },
};

/** What an ingest says (also after `round run`): its warnings on stderr, the JSON document and the text. */
export function ingestAnswer(log: Log, report: IngestReport): CommandResult {
  for (const w of report.warnings) log.warn(`${w.file}:${w.line}: ${w.message}`);
  if (report.missing.length) log.warn(`missing output${report.missing.length > 1 ? 's' : ''} from ${report.missing.join(', ')}: ingest again once written (a missing output scores 0)`);
  const c = report.counts;
  return {
    json: ingestJson(report),
    human: [
      `Round ${report.round}: ingested ${report.ingested.length} output${report.ingested.length === 1 ? '' : 's'} (${report.ingested.join(', ')})` +
        (report.missing.length ? `; missing ${report.missing.join(', ')}` : ''),
      `  ${[[c.perspectives, 'perspective'], [c.tensions, 'tension'], [c.resolutions, 'resolution'], [c.converge_signals, 'converge signal'], [report.warnings.length, 'warning']].map(([n, noun]) => `${n} ${noun}${n === 1 ? '' : 's'}`).join(', ')}`,
    ].join('\n'),
  };
}

/** The ingest document of CLI.md: `{round, ingested, missing, warnings, counts}`. */
export function ingestJson(report: IngestReport) {
  return { round: report.round, ingested: report.ingested, missing: report.missing, warnings: report.warnings, counts: report.counts };
}
