// What both stores share about dialogues as a whole: the id's form, the catalog's summary and its order.

import type { Dialogue, DialogueSummary } from '../model.js';

/** `<YYYY-MM-DDTHHMMZ>-<slug>`; the slug is runs of letters and digits joined by single hyphens (CLI.md). */
const DIALOGUE_ID = /^\d{4}-\d{2}-\d{2}T\d{4}Z-[\p{L}\p{N}\p{M}]+(?:-[\p{L}\p{N}\p{M}]+)*$/u;
/** A file-system name limit; the file store uses the id as a folder name. */
const MAX_FOLDER_NAME_BYTES = 255;

/** Whether `id` has the form of a dialogue id, and so is safe as a folder name. */
export function isDialogueId(id: unknown): id is string {
  return typeof id === 'string' && DIALOGUE_ID.test(id) && Buffer.byteLength(id, 'utf8') <= MAX_FOLDER_NAME_BYTES;
}

export function summarise(dialogue: Dialogue): DialogueSummary {
  return {
    id: dialogue.id,
    title: dialogue.title,
    status: dialogue.status,
    rounds: dialogue.rounds.length,
    alignment: dialogue.rounds.reduce((sum, round) => sum + (round.roundScore?.total ?? 0), 0),
    createdAt: dialogue.createdAt,
    updatedAt: dialogue.updatedAt,
  };
}

export function newestFirst(a: DialogueSummary, b: DialogueSummary): number {
  const byTime = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  if (byTime) return byTime; // NaN (an unparsable date) falls through to the id, which starts with the time
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

