// `blue dialogue checkout`: writes the dialogue's folder from the store, so that a second clone (or a
// folder that lost files in a crash) has what the judge and the experts read: expert-pool.json, each
// round's panel.json and prompts, the expert outputs, the judge-facing files and the record.

import { failure } from '../domain/errors.js';
import { blueCommand } from '../domain/shell.js';
import type { Dialogue } from '../domain/model.js';
import { serialisePool } from '../domain/pool.js';
import { renderRoundSummary } from '../render/judge-files.js';
import { renderRecord } from '../render/record.js';
import { exportFile, outputFile, poolFile } from '../workspace/layout.js';
import type { FileToWrite } from '../workspace/types.js';
import { judgeFiles, roundFiles } from './judge-files.js';
import type { Ports } from './ports.js';
import { loadDialogue, withStores } from './shared.js';
import { sameText } from '../domain/line-ends.js';

export interface CheckedOut {
  dialogue: Dialogue;
  /** Written because they were absent or differed (with --force, after moving the old one aside). */
  written: string[];
  /** Already as the store says. */
  unchanged: string[];
  /** Present and different, left alone (without --force). */
  conflicts: string[];
  movedAside: Array<{ from: string; to: string }>;
}

/** Every file of the dialogue's folder that the store can give, as the store gives it. */
export function folderFromStore(dialogue: Dialogue, ports: Ports): FileToWrite[] {
  const templates = ports.workspace.templates();
  const files: FileToWrite[] = [{ path: poolFile(dialogue.id), content: serialisePool({ ...dialogue.pool, question: dialogue.question }) }];
  for (const round of dialogue.rounds) {
    const previous = dialogue.rounds.find((r) => r.n === round.n - 1);
    const summaryText = previous?.status === 'scored' ? renderRoundSummary(dialogue, previous.n) : undefined;
    files.push(...roundFiles(dialogue, round.n, templates, summaryText).files);
    for (const [name, text] of Object.entries(round.ingest?.outputs ?? {})) files.push({ path: outputFile(dialogue.id, round.n, name), content: text });
  }
  if (dialogue.rounds.some((r) => r.status === 'scored')) files.push(...judgeFiles(dialogue));
  files.push({ path: exportFile(dialogue.id, 'record'), content: renderRecord(dialogue) });
  return files;
}

export async function checkout(ports: Ports, request: { id: string; force?: boolean }): Promise<CheckedOut> {
  const dialogue = await withStores(ports, (stores) => loadDialogue(stores, request.id));
  const { workspace } = ports;
  const result: CheckedOut = { dialogue, written: [], unchanged: [], conflicts: [], movedAside: [] };
  const toWrite: FileToWrite[] = [];
  for (const file of folderFromStore(dialogue, ports)) {
    const current = await workspace.read(file.path);
    if (current !== undefined && typeof file.content === 'string' && sameText(current, file.content)) {
      result.unchanged.push(file.path);
      continue;
    }
    if (current !== undefined) {
      if (!request.force) {
        result.conflicts.push(file.path);
        continue;
      }
      const folder = file.path.slice(0, file.path.lastIndexOf('/'));
      const to = await workspace.moveAside(file.path, `${folder}/aside`);
      if (to) result.movedAside.push({ from: file.path, to });
    }
    toWrite.push(file);
  }
  await workspace.write(toWrite);
  result.written.push(...toWrite.map((f) => f.path));
  if (result.conflicts.length) {
    throw failure(
      'checkout_conflict',
      `${result.conflicts.length} file(s) differ from what the store holds and were left alone:\n${result.conflicts.map((f) => `  ${f}`).join('\n')}\n` +
        `Compare them, then run \`blue dialogue checkout ${dialogue.id} --force\` to move them aside (into an aside/ folder beside each) and write the store's.`,
      {
        conflicts: result.conflicts,
        written: result.written,
        fix: `compare the files named, then run ${blueCommand('dialogue', 'checkout', dialogue.id, '--force')} to move them aside and write the store's`,
      },
    );
  }
  return result;
}
