// The judge's folder, `.blue/dialogues/<id>/`: every path blue reads or writes there is named here, once,
// relative to the project root. Pure: no file system, so the use cases and renderers can name paths too.

import { dialogueDir } from '../domain/ids.js';
import { fileStem } from '../domain/names.js';
import { EXPORT_FILE_NAME, STORE_FILE_NAME, type ExportFormat } from '../domain/dialogue-files.js';

export { EXPORT_FORMATS, STORE_FILE_NAME, dialogueFileOf, type DialogueFile, type ExportFormat } from '../domain/dialogue-files.js';

/** Where every dialogue's folder is. */
export const DIALOGUES_FOLDER = '.blue/dialogues';
/** `.blue/dialogues/<id>`: the dialogue's folder. */
export const dialogueFolder = (id: string): string => dialogueDir(id);
/** The pool as blue wrote it back at `start`. */
export const poolFile = (id: string): string => `${dialogueDir(id)}/expert-pool.json`;
export const roundFolder = (id: string, n: number): string => `${dialogueDir(id)}/round-${n}`;
export const panelFile = (id: string, n: number): string => `${roundFolder(id, n)}/panel.json`;
export const promptFile = (id: string, n: number, name: string): string => `${roundFolder(id, n)}/${fileStem(name)}.prompt.md`;
export const outputFile = (id: string, n: number, name: string): string => `${roundFolder(id, n)}/${fileStem(name)}.md`;
/** What `round run` is doing in this round (domain/agent-run.ts), rewritten on every change. */
export const runStateFile = (id: string, n: number): string => `${roundFolder(id, n)}/run.json`;
/** An expert's agent command's stdout and stderr from `round run`, kept whatever the outcome. */
export const runLogFile = (id: string, n: number, name: string): string => `${roundFolder(id, n)}/${fileStem(name)}.log`;
/** Where `round run` moves what a failed, timed-out or interrupted command left at its output path. */
export const failedOutputFolder = (id: string, n: number): string => `${roundFolder(id, n)}/failed`;
/** Where `round run` moves what an earlier run left: the output `--rerun` replaces, the log of the run before. */
export const previousRunFolder = (id: string, n: number): string => `${roundFolder(id, n)}/previous`;
export const summaryFile = (id: string, n: number): string => `${dialogueDir(id)}/round-${n}.summary.md`;
export const scoreboardFile = (id: string): string => `${dialogueDir(id)}/scoreboard.md`;
export const tensionsFile = (id: string): string => `${dialogueDir(id)}/tensions.md`;
export const exportFile = (id: string, format: ExportFormat): string => `${dialogueDir(id)}/${EXPORT_FILE_NAME[format]}`;
/** The file store's state of the dialogue (store/file/store.ts reads and writes it; the git hook reads the staged one). */
export const storeFile = (id: string): string => `${dialogueDir(id)}/${STORE_FILE_NAME}`;

/** Whether a file name in a round folder has the form of an expert's output (`<name>.md`, not a prompt). */
export function isOutputFileName(name: string): boolean {
  return name.endsWith('.md') && !name.endsWith('.prompt.md');
}

/** The output file name of an expert, as it stands in its round folder. */
export const outputFileName = (name: string): string => `${fileStem(name)}.md`;
