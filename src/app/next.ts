// The `next` of an answer about one dialogue: the domain's next steps for the dialogue as it stands, told
// what the judge's folder holds (which experts of the open round have written their output, whether the
// exported record is current), since that decides between "spawn the experts", "ingest" and "score", and
// between "export" and nothing left to do; and where `round run` would find its agent, since a `round run`
// offered without one cannot run.

import type { Dialogue } from '../domain/model.js';
import { nextSteps, type NextContext, type NextStep, type RunAgent } from '../domain/next.js';
import { openRoundOf } from '../domain/queries.js';
import { renderRecord } from '../render/record.js';
import { exportFile, outputFile, promptFile } from '../workspace/layout.js';
import type { Workspace } from '../workspace/types.js';
import type { Ports } from './ports.js';
import { loadDialogue, withStores } from './shared.js';
import { sameText } from '../domain/line-ends.js';

/**
 * The next steps of the dialogue `idOrPrefix` names, for an answer that failed before its dialogue was
 * read (a bad option, a missing one): the judge learns what it can run instead, where an empty `next`
 * would say nothing is left to do. Undefined when that dialogue cannot be read: the error says why.
 */
export async function nextForId(ports: Ports, idOrPrefix: string): Promise<NextStep[] | undefined> {
  try {
    return await nextFor(ports, await withStores(ports, (stores) => loadDialogue(stores, idOrPrefix)));
  } catch {
    return undefined;
  }
}

/** What the command knows that the dialogue and its folder do not say. */
export interface NextOptions {
  /** The `--agent` a `round run` just ran with: a `round run` offered next keeps it. */
  agent?: string;
}

export async function nextFor(ports: Ports, dialogue: Dialogue, options: NextOptions = {}): Promise<NextStep[]> {
  return nextSteps(dialogue, { ...(await observeFolder(ports.workspace, dialogue)), ...runAgentContext(ports, options.agent) });
}

/**
 * Where a `round run` offered now would find its agent: the `--agent` given, else agent.command in
 * .blue/config.yaml, else none. A config that does not parse says nothing (round run names its mistake).
 */
export function runAgentContext(ports: Ports, given?: string): { agent?: RunAgent } {
  if (given !== undefined && given.trim() !== '') return { agent: { given } };
  let command: string | undefined;
  try {
    command = ports.agents.config().command;
  } catch {
    return {};
  }
  return { agent: command !== undefined && command.trim() !== '' ? 'configured' : 'none' };
}

/** What the folder says about the dialogue's next step: only what that step depends on is read. */
export async function observeFolder(workspace: Workspace, dialogue: Dialogue): Promise<NextContext> {
  if (dialogue.status !== 'open') {
    const current = await workspace.read(exportFile(dialogue.id, 'record'));
    return { record: current === undefined ? 'absent' : sameText(current, renderRecord(dialogue)) ? 'current' : 'stale' };
  }
  const round = openRoundOf(dialogue);
  if (!round) return {};
  // Read as ingest reads them: an empty file, or one refused as unsafe, is no output.
  const written = [...(round.ingest?.ingested ?? [])];
  const files: Record<string, { prompt: string; output: string }> = {};
  for (const member of round.panel) {
    files[member.name] = { prompt: promptFile(dialogue.id, round.n, member.name), output: outputFile(dialogue.id, round.n, member.name) };
  }
  // All at once: each read is a few trips to the thread pool, and a panel of 24 read one by one waited
  // on every trip in turn.
  const unread = round.panel.filter((member) => !written.includes(member.name));
  const reads = await Promise.all(unread.map((member) => workspace.readOutput(files[member.name]!.output)));
  unread.forEach((member, i) => {
    const read = reads[i]!;
    if (read.kind === 'text' && read.text.trim()) written.push(member.name);
  });
  return { written, files };
}
