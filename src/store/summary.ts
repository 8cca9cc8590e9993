// What both stores share about dialogues as a whole: the id's form, the checks before a write, the
// not-found error, the catalog's summary and its order.

import { badInput, failure, type BlueError } from '../domain/errors.js';
import { MAX_ID_BYTES } from '../domain/ids.js';
import type { Dialogue, DialogueSummary } from '../domain/model.js';
import { dialogueShapeProblems } from './shape.js';

/**
 * `<YYYY-MM-DDTHHMMZ>-<slug>`; the slug is runs of letters and digits joined by single hyphens (CLI.md).
 * Made when first needed: its Unicode classes cost some 1 ms to make and 1 ms to compile, and most ids
 * are ASCII, which ASCII_DIALOGUE_ID reads.
 */
let dialogueIdPattern: RegExp | undefined;
const DIALOGUE_ID = () => (dialogueIdPattern ??= /^\d{4}-\d{2}-\d{2}T\d{4}Z-[\p{L}\p{N}\p{M}]+(?:-[\p{L}\p{N}\p{M}]+)*$/u);
/** A file-system name limit; the file store uses the id as a folder name (`dialogueId` cuts slugs to fit it). */
const MAX_FOLDER_NAME_BYTES = MAX_ID_BYTES;

/** DIALOGUE_ID for an id of ASCII alone. On ASCII the two agree: its letters and digits are these, and it has no marks. */
const ASCII_DIALOGUE_ID = /^\d{4}-\d{2}-\d{2}T\d{4}Z-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/;
const ASCII = /^[\x00-\x7f]*$/;

/** Whether `id` has the form of a dialogue id, and so is safe as a folder name. */
export function isDialogueId(id: unknown): id is string {
  if (typeof id !== 'string') return false;
  return (ASCII.test(id) ? ASCII_DIALOGUE_ID : DIALOGUE_ID()).test(id) && Buffer.byteLength(id, 'utf8') <= MAX_FOLDER_NAME_BYTES;
}

export function checkDialogueId(id: unknown): asserts id is string {
  if (!isDialogueId(id)) {
    throw badInput(
      'invalid_dialogue_id',
      `"${String(id)}" is not a dialogue id: expected <YYYY-MM-DDTHHMMZ>-<slug>, e.g. 2025-01-31T0930Z-cache-strategy.`,
      { id, fix: '`blue dialogue list` shows the dialogues and their ids' },
    );
  }
}

/** Refuses to write what load would reject as corrupt: that would be a bug in the caller. */
export function checkStorable(dialogue: Dialogue): void {
  const problems = dialogueShapeProblems(dialogue);
  if (problems.length > 0) {
    throw failure('invalid_dialogue', `Refusing to store an invalid dialogue ${dialogue.id}: ${summariseProblems(problems)}.`, {
      id: dialogue.id,
      problems,
      fix: 'nothing was written; this is a bug in blue: report it with the problems named',
    });
  }
}

/** What an update's `change` returned must be the same dialogue, synchronously. */
export function checkChange(id: string, next: unknown): asserts next is Dialogue {
  if (typeof next !== 'object' || next === null || typeof (next as { then?: unknown }).then === 'function') {
    throw failure('invalid_change', `An update of dialogue ${id} must return the new dialogue (synchronously).`, { id, fix: 'nothing was written; this is a bug in blue: report it' });
  }
  const newId = (next as { id?: unknown }).id;
  if (newId !== id) {
    throw failure('dialogue_id_changed', `An update may not change a dialogue's id (${id} -> ${String(newId)}).`, { id, newId, fix: 'nothing was written; this is a bug in blue: report it' });
  }
}

export function dialogueNotFound(id: string): BlueError {
  return badInput('dialogue_not_found', `No dialogue ${id}.`, { id, ...LIST_THE_DIALOGUES });
}

/** What to do about an id that names no dialogue: see which there are. */
const LIST_THE_DIALOGUES = {
  fix: '`blue dialogue list` shows the dialogues and their ids (a unique prefix or the slug will do)',
  next: [{ command: 'blue dialogue list', why: 'the dialogues and their ids' }],
};

/** What to do when a new dialogue's id is taken: continue that one, or start another. */
export function existsFix(id: string): string {
  return `continue it (\`blue dialogue show ${id}\`), or start another with a different title or --date`;
}

/** No dialogue matches what the judge typed (by id, id prefix, slug or slug prefix). */
export function notFound(message: string, input: string): BlueError {
  return badInput('dialogue_not_found', message, { input, ...LIST_THE_DIALOGUES });
}

/** Several dialogues match what the judge typed. */
export function ambiguous(input: string, candidates: string[]): BlueError {
  return badInput('ambiguous_dialogue', `"${input}" matches ${candidates.length} dialogues: ${candidates.join(', ')}. Give more of the id.`, {
    input,
    candidates,
    fix: `give more of the id: one of ${candidates.join(', ')}`,
  });
}

export function summariseProblems(problems: string[]): string {
  const shown = problems.slice(0, 5).join('; ');
  return problems.length > 5 ? `${shown}; and ${problems.length - 5} more` : shown;
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

