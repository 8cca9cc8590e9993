// The files of a dialogue's folder that a repository tracks and blue's git hook keeps current: the three
// exports and the file store's state. No imports: the pre-commit gate loads this on every commit.
// workspace/layout.ts names the paths built from these names.

export type ExportFormat = 'record' | 'transcript' | 'json';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['record', 'transcript', 'json'];
export const EXPORT_FILE_NAME: Readonly<Record<ExportFormat, string>> = { record: 'dialogue.md', transcript: 'transcript.md', json: 'dialogue.json' };
/** The file store's state of one dialogue (store/file/store.ts reads and writes it). */
export const STORE_FILE_NAME = 'store.json';

/** What a path relative to the project root is to blue's git hook: an export, the file store's state, or neither. */
export type DialogueFile = { id: string; kind: ExportFormat | 'store' };

const DIALOGUE_FILE = /^\.blue\/dialogues\/([^/]+)\/([^/]+)$/;

export function dialogueFileOf(path: string): DialogueFile | undefined {
  const match = DIALOGUE_FILE.exec(path);
  if (!match) return undefined;
  const [, id, name] = match;
  if (name === STORE_FILE_NAME) return { id, kind: 'store' };
  const format = EXPORT_FORMATS.find((f) => EXPORT_FILE_NAME[f] === name);
  return format ? { id, kind: format } : undefined;
}
