// `blue dialogue export`: the Markdown record (default), the transcript, or the whole dialogue as JSON;
// `check` writes nothing and names the files that differ from what export would write.

import { badInput, BlueError } from '../domain/errors.js';
import { blueCommand } from '../domain/shell.js';
import type { Dialogue } from '../domain/model.js';
import { renderJson, renderTranscript } from '../render/export.js';
import { renderRecord } from '../render/record.js';
import type { CatalogProblem } from '../store/types.js';
import { EXPORT_FORMATS, exportFile, type ExportFormat } from '../workspace/layout.js';
import type { Ports } from './ports.js';
import { loadDialogue, warnUnreadable, withStores } from './shared.js';
import { sameText } from '../domain/line-ends.js';

export interface ExportRequest {
  id?: string;
  format?: string;
  /** A path as the judge typed it, or '-' for the answer itself. */
  output?: string;
  all?: boolean;
  check?: boolean;
}

/** With --all, `problems` names every dialogue whose store could not be read: it was neither written nor checked. */
export type Exported = (
  | { kind: 'content'; format: ExportFormat; all: boolean; contents: string[]; dialogues: Dialogue[] }
  | { kind: 'check'; all: boolean; checked: Dialogue[]; differ: string[]; missing: string[]; skipped: string[] }
  | { kind: 'written'; written: string[]; dialogues: Dialogue[] }
) & { problems: CatalogProblem[] };

/** A dialogue listed but not loadable (its body corrupt, where its first line was not): a problem, as in `list`. */
function unreadable(error: unknown, id: string, problems: CatalogProblem[]): undefined {
  if (!(error instanceof BlueError) || error.exitCode !== 4) throw error;
  // The store file, as the file store names it; a DynamoDB item's error names its item in the message.
  const file = typeof error.details.file === 'string' ? error.details.file : typeof error.details.table === 'string' ? `${error.details.table} (dialogue ${id})` : id;
  problems.push({ id, file, code: error.code, message: error.message });
  return undefined;
}

/**
 * `--output` may name any file but those blue and git keep: under `.blue/` only the dialogue's own export
 * file of that format (where export writes without --output), and nothing in a `.git` folder. An export
 * written over a store.json, an expert's output or .git/HEAD would have destroyed it, with exit 0.
 */
function checkOutputPath(target: string, id: string, format: ExportFormat): void {
  const folded = target.toLowerCase(); // a case-insensitive file system reaches the same files
  const own = exportFile(id, format);
  const inBlue = folded === '.blue' || folded.startsWith('.blue/');
  const inGit = folded.split('/').includes('.git');
  if ((inBlue && folded !== own.toLowerCase()) || inGit) {
    const keeper = inGit ? "git's own folder" : 'the folder where blue keeps its dialogues and settings';
    throw badInput('output_not_allowed', `--output ${target} is in ${keeper}: export writes nothing there, so as not to overwrite what is kept there.`, {
      output: target,
      fix: `give --output a path outside .blue/ and .git/, or leave it out to write ${own}`,
    });
  }
}

export function render(dialogue: Dialogue, format: ExportFormat): string {
  if (format === 'record') return renderRecord(dialogue);
  if (format === 'transcript') return renderTranscript(dialogue);
  return renderJson(dialogue);
}

export async function exportDialogues(ports: Ports, request: ExportRequest): Promise<Exported> {
  const format = (request.format ?? 'record') as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) {
    throw badInput('invalid_option', `--format must be record, transcript or json (got "${request.format}")`, { fix: 'give --format record, transcript or json (or leave it out for the record)' });
  }
  if (request.all && request.id) throw badInput('invalid_option', 'give either <id> or --all, not both', { fix: 'drop the id to export every dialogue, or drop --all to export one' });
  if (!request.all && !request.id) {
    throw badInput('missing_id', 'which dialogue? give its id (or a unique prefix, or its slug), or --all', {
      fix: 'name the dialogue (`blue dialogue list` shows the ids): blue dialogue export <id>; or export every one: blue dialogue export --all',
      next: [{ command: blueCommand('dialogue', 'list'), why: 'the dialogues and their ids' }],
    });
  }
  if (request.check && request.output === '-') {
    throw badInput('invalid_option', "--check writes nothing and --output - prints the export: give one of them", { fix: 'drop --output - to check the file in the dialogue\'s folder, or drop --check to print the export' });
  }
  if (request.all && request.output) {
    throw badInput('invalid_option', '--output names one file; with --all every dialogue is written to its own folder', { fix: 'drop --output to write each dialogue into its own folder, or export one dialogue with --output' });
  }
  // A dialogue whose store cannot be read is named, never passed over: a check that skipped it would pass.
  const problems: CatalogProblem[] = [];
  const dialogues = await withStores(ports, async (stores) => {
    if (!request.all) return [await loadDialogue(stores, request.id!)];
    const summaries = await stores.catalog.list({ problems });
    const loaded = await Promise.all(summaries.map((s) => stores.store.load(s.id).catch((error: unknown) => unreadable(error, s.id, problems))));
    return loaded.filter((d): d is Dialogue => d !== undefined);
  });
  warnUnreadable(ports.log, problems);
  const { workspace } = ports;
  if (request.output === '-') {
    return { kind: 'content', format, all: request.all === true, contents: dialogues.map((d) => render(d, format)), dialogues, problems };
  }
  const written: string[] = [];
  const differ: string[] = [];
  const missing: string[] = [];
  const skipped: string[] = [];
  for (const dialogue of dialogues) {
    const content = render(dialogue, format);
    const target = request.output ? workspace.projectPath(request.output) : exportFile(dialogue.id, format);
    if (request.check) {
      const current = await workspace.read(target);
      // Never exported differs from what export would write, so it fails the check, as the hook refuses it;
      // only a dialogue abandoned before its record was ever written is skipped (CLI.md).
      if (current === undefined) (dialogue.status === 'abandoned' ? skipped : missing).push(target);
      // A record checked out with CRLF line ends (git on Windows) is the record export writes.
      else if (!sameText(current, content)) differ.push(target);
      continue;
    }
    if (request.output) checkOutputPath(target, dialogue.id, format);
    await workspace.write([{ path: target, content }]);
    written.push(target);
  }
  if (request.check) return { kind: 'check', all: request.all === true, checked: dialogues, differ, missing, skipped, problems };
  return { kind: 'written', written, dialogues, problems };
}
