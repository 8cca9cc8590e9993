// `blue dialogue verdict`: records a final, interim, minority or dissent verdict. A final verdict is gated
// by convergence (or forced with a written warning), is immutable, and closes the dialogue.

import { badInput } from '../domain/errors.js';
import { CONFIDENCES, VERDICT_TYPES, type Confidence, type Dialogue, type Verdict, type VerdictType } from '../domain/model.js';
import { recordVerdict } from '../domain/protocol.js';
import { refuseHiddenCharacters } from '../domain/hidden-characters.js';
import type { Ports } from './ports.js';
import { updateWith, withStores } from './shared.js';

export interface VerdictRequest {
  id: string;
  type?: string;
  textFile?: string;
  insightsFile?: string;
  vote?: string;
  confidence?: string;
  experts?: string[];
  force?: boolean;
  warning?: string;
}

export async function verdict(ports: Ports, request: VerdictRequest): Promise<{ id: string; verdict: Verdict; dialogue: Dialogue }> {
  refuseHiddenCharacters({ '--vote': request.vote, '--warning': request.warning, '--experts': request.experts });
  const type = (request.type ?? 'final').toLowerCase() as VerdictType;
  if (!VERDICT_TYPES.includes(type)) {
    throw badInput('invalid_option', `--type must be one of ${VERDICT_TYPES.join(', ')} (got "${request.type}")`, { fix: `give --type ${VERDICT_TYPES.join(', ')}, or leave it out for final` });
  }
  if (!request.textFile) {
    throw badInput('missing_text', '--text-file <md> is required: the verdict, as Markdown', { fix: 'write the verdict in a Markdown file and add --text-file <verdict.md> to the same command' });
  }
  const confidence = request.confidence?.toLowerCase() as Confidence | undefined;
  if (confidence && !CONFIDENCES.includes(confidence)) {
    throw badInput('invalid_option', `--confidence must be one of ${CONFIDENCES.join(', ')} (got "${request.confidence}")`, { fix: `give --confidence ${CONFIDENCES.join(', ')}, or leave it out` });
  }
  if (request.warning && !request.force) {
    throw badInput('invalid_option', '--warning goes with --force', { fix: 'add --force to record a final verdict before convergence, or drop --warning' });
  }
  const text = (await ports.workspace.readInput(request.textFile, 'verdict text file')).text;
  const insights = request.insightsFile ? (await ports.workspace.readInput(request.insightsFile, 'insights file')).text : undefined;
  const at = ports.clock.now().toISOString();
  const { dialogue, value } = await withStores(ports, async (stores) => {
    const id = await stores.catalog.resolve(request.id);
    return updateWith(stores.store, id, (d) => {
      const result = recordVerdict(d, {
        type,
        text,
        ...(insights !== undefined ? { insights } : {}),
        ...(request.vote ? { vote: request.vote } : {}),
        ...(confidence ? { confidence } : {}),
        ...(request.experts ? { experts: request.experts } : {}),
        force: request.force === true,
        ...(request.warning ? { warning: request.warning } : {}),
        at,
      });
      return { dialogue: result.dialogue, value: result.verdict };
    });
  });
  if (value.forced) ports.log.warn(`the final verdict is recorded as forced: ${value.warning}`);
  return { id: dialogue.id, verdict: value, dialogue };
}
