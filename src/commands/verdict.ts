// `blue dialogue verdict <id>`: records a final, interim, minority or dissent verdict. A final verdict
// is gated by convergence (or forced with a written warning), is immutable, and closes the dialogue.

import { resolve } from 'node:path';
import type { Context } from '../cli/context.js';
import type { CommandResult } from '../cli/output.js';
import { warn } from '../cli/output.js';
import type { Confidence, VerdictType } from '../domain/model.js';
import { readInputFile } from '../workspace/files.js';
import { recordVerdict } from '../domain/protocol.js';
import { badInput } from '../domain/errors.js';
import { withStores } from './shared.js';
import type { Verdict } from '../domain/model.js';

const TYPES: readonly VerdictType[] = ['final', 'interim', 'minority', 'dissent'];
const CONFIDENCES: readonly Confidence[] = ['unanimous', 'strong', 'split', 'contested'];

export interface VerdictOptions {
  type?: string;
  textFile?: string;
  insightsFile?: string;
  vote?: string;
  confidence?: string;
  experts?: string;
  force?: boolean;
  warning?: string;
}

export async function verdict(ctx: Context, idArg: string, options: VerdictOptions): Promise<CommandResult> {
  const type = (options.type ?? 'final').toLowerCase() as VerdictType;
  if (!TYPES.includes(type)) throw badInput('invalid_option', `--type must be one of ${TYPES.join(', ')} (got "${options.type}")`);
  if (!options.textFile) throw badInput('missing_text', '--text-file <md> is required: the verdict, as Markdown');
  const confidence = options.confidence?.toLowerCase() as Confidence | undefined;
  if (confidence && !CONFIDENCES.includes(confidence)) {
    throw badInput('invalid_option', `--confidence must be one of ${CONFIDENCES.join(', ')} (got "${options.confidence}")`);
  }
  if (options.warning && !options.force) throw badInput('invalid_option', '--warning goes with --force');
  const text = readInputFile(resolve(process.cwd(), options.textFile), 'verdict text file');
  const insights = options.insightsFile ? readInputFile(resolve(process.cwd(), options.insightsFile), 'insights file') : undefined;
  const experts = options.experts?.split(/[,\s]+/).filter(Boolean);
  const at = new Date().toISOString();
  const { id, recorded } = await withStores(ctx, async (stores) => {
    // Only the id is needed here: update() loads (and checks) the dialogue under the lock itself.
    const id = await stores.catalog.resolve(idArg);
    let recorded: Verdict | undefined;
    await stores.store.update(id, (d) => {
      const result = recordVerdict(d, {
        type,
        text,
        ...(insights !== undefined ? { insights } : {}),
        ...(options.vote ? { vote: options.vote } : {}),
        ...(confidence ? { confidence } : {}),
        ...(experts ? { experts } : {}),
        force: options.force === true,
        ...(options.warning ? { warning: options.warning } : {}),
        at,
      });
      recorded = result.verdict;
      return result.dialogue;
    });
    return { id, recorded: recorded! };
  });
  if (recorded.forced) warn(`the final verdict is recorded as forced: ${recorded.warning}`);
  return {
    json: { id, verdict: { type: recorded.type, round: recorded.round, forced: recorded.forced ?? false, warning: recorded.warning ?? null, at: recorded.at } },
    human:
      `Recorded the ${recorded.type} verdict of ${id} (after round ${recorded.round})${recorded.forced ? ', forced' : ''}.` +
      (recorded.type === 'final' ? `\nExport the record: blue dialogue export ${id}` : ''),
  };
}
