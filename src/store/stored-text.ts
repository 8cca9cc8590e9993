// An expert's words are stored once. The text of a perspective, tension, reference or move is a slice of
// the output its author wrote that round, and that output is stored verbatim (the transcript and a
// re-ingest need it). So both stores write such a text as the slice's bounds, `"text": [start, end]` in
// UTF-16 code units of the output, and put the text back on load. A text that is not a slice of its
// author's output (an imported or hand-made entity) is kept as it is. Without this a 50 MB output made a
// 100 MB store file that every later command loaded.

import { integrity } from '../domain/errors.js';
import type { Dialogue } from '../domain/model.js';
import { isRecord } from '../domain/values.js';

/** The lists whose entities carry an expert's text, by round and author. */
const TEXT_LISTS = ['contributions', 'tensions', 'refs', 'moves'] as const;

type Outputs = ReadonlyMap<number, Readonly<Record<string, string>>>;

function outputsByRound(dialogue: { rounds?: unknown }): Outputs {
  const outputs = new Map<number, Record<string, string>>();
  if (!Array.isArray(dialogue.rounds)) return outputs;
  for (const round of dialogue.rounds) {
    if (isRecord(round) && typeof round.n === 'number' && isRecord(round.ingest) && isRecord(round.ingest.outputs)) {
      outputs.set(round.n, round.ingest.outputs as Record<string, string>);
    }
  }
  return outputs;
}

/** Where each line of a text starts, computed once per output however many entities point into it. */
class LineStarts {
  private readonly cache = new Map<string, number[]>();
  of(text: string): number[] {
    let starts = this.cache.get(text);
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.cache.set(text, starts);
    }
    return starts;
  }
}

/**
 * The dialogue as stored: every entity text that is a slice of its author's output that round becomes the
 * slice's bounds. `dialogue` is not changed; lists are copied where an entity is.
 */
export function compactTexts(dialogue: Dialogue): Dialogue {
  const stored = storedEntity(dialogue);
  if (!stored) return dialogue;
  const compacted: Record<string, unknown> = { ...dialogue };
  for (const list of TEXT_LISTS) compacted[list] = (dialogue[list] as unknown[]).map((entity) => stored(list, entity));
  return compacted as unknown as Dialogue;
}

/**
 * How one entity of `dialogue` is stored, for a writer that writes them one at a time and so never holds a
 * compacted copy of every list (store.json's writer): `(list, entity)` gives the entity as stored, a copy
 * whose text is the slice's bounds, or the entity itself. An element of any other list is itself. The
 * search starts at the entity's own line, where the marker was read, so it is one comparison for what
 * ingest wrote. Undefined when the dialogue has no outputs, so nothing is compacted.
 */
export function storedEntity(dialogue: Dialogue): ((list: string, entity: unknown) => unknown) | undefined {
  const outputs = outputsByRound(dialogue);
  if (outputs.size === 0) return undefined;
  const lines = new LineStarts();
  return (list, item) => {
    if (!(TEXT_LISTS as readonly string[]).includes(list) || !isRecord(item)) return item;
    const entity = item as { round: number; author: string; text: string; line: number };
    const output = outputs.get(entity.round)?.[entity.author];
    if (typeof output !== 'string' || entity.text === '') return entity;
    const starts = lines.of(output);
    const from = starts[Math.min(Math.max(entity.line - 1, 0), starts.length - 1)] ?? 0;
    let start = output.startsWith(entity.text, from) ? from : output.indexOf(entity.text, from);
    if (start === -1) start = output.indexOf(entity.text);
    return start === -1 ? entity : { ...entity, text: [start, start + entity.text.length] };
  };
}

/**
 * Puts every stored slice back as text, in place (the value is freshly parsed and the caller's own). The
 * text key keeps its position, so the dialogue's key order, and the JSON export, are as before. A slice
 * that points outside its output is an integrity failure naming the entity: the store was damaged.
 */
export function expandTexts(value: Record<string, unknown>, where: string): void {
  const outputs = outputsByRound(value);
  for (const list of TEXT_LISTS) {
    const entities = value[list];
    if (!Array.isArray(entities)) continue;
    entities.forEach((entity, index) => {
      if (!isRecord(entity) || !Array.isArray(entity.text)) return;
      const [start, end] = entity.text as unknown[];
      const output = typeof entity.round === 'number' && typeof entity.author === 'string' ? outputs.get(entity.round)?.[entity.author] : undefined;
      const valid = entity.text.length === 2 && Number.isSafeInteger(start) && Number.isSafeInteger(end) &&
        typeof output === 'string' && (start as number) >= 0 && (start as number) <= (end as number) && (end as number) <= output.length;
      if (!valid) {
        throw integrity(
          'corrupt_store_file',
          `${where}: ${list}[${index}].text is a slice [${entity.text.map(String).join(', ')}] that is not inside its author's output of round ${String(entity.round)}, so the store was damaged.`,
          { path: `${list}[${index}].text`, fix: 'restore the store from version control or a backup; blue never repairs it silently' },
        );
      }
      entity.text = (output as string).slice(start as number, end as number);
    });
  }
}
