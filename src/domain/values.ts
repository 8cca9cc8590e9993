// Small helpers for plain values that every layer needs: one definition each.

/** A JSON object: not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as an error message quotes it: `"high"`, `1.5`, `null`, `an array`, `nothing`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** "muffin", "MUFFIN" -> "Muffin"; "core" -> "Core"; "converged" -> "Converged". */
export function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
}

/** Line breaks, tabs and other control characters (including U+2028/U+2029): never part of one line. */
const CONTROL_RANGES = '\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029';
const CONTROL = new RegExp(`[${CONTROL_RANGES}]`);
const CONTROL_RUNS = new RegExp(`[${CONTROL_RANGES}]+`, 'g');

/**
 * The Unicode bidi controls that embed, override or isolate a run of text (U+202A-U+202E, U+2066-U+2069),
 * as the ranges of a character class: the one definition of them, for the terminal guard below and for
 * what the files blue writes show (domain/hidden-characters.ts).
 */
export const BIDI_CONTROL_RANGES = '\\u202a-\\u202e\\u2066-\\u2069';

/** Whether `text` holds a control character or a line break. */
export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

/** `text` as one line: each run of control characters and line breaks becomes one space. */
export function oneLine(text: string): string {
  return text.replace(CONTROL_RUNS, ' ').replace(/ {2,}/g, ' ').trim();
}

/** The control characters and line breaks, and the bidi embedding, override and isolate controls. */
const UNPRINTABLE_RUNS = new RegExp(`[${CONTROL_RANGES}${BIDI_CONTROL_RANGES}]+`, 'g');

/**
 * `text` safe to draw on a terminal: each control character (an escape sequence's ESC, a line break, a
 * carriage return) becomes one space, so that nothing an expert or an agent wrote can move the cursor or
 * restyle the screen, and the width stays what it was. So does each bidi control (U+202E and the rest:
 * domain/hidden-characters.ts): a terminal that lays out right-to-left text would show the line in
 * another order than it is written.
 */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE_RUNS, (run) => ' '.repeat(run.length));
}

/**
 * `text` of any number of lines safe to write to a terminal: each line made `printable`, the line breaks
 * kept. What blue prints for a person (answers, warnings, progress, errors) goes through it last, so that
 * text an expert, an agent or a file wrote reaches the screen as text and never as a terminal command.
 */
export function printableLines(text: string): string {
  return text.split('\n').map(printable).join('\n');
}

/** The first line of `text` that is not blank, trimmed: all of an error a one-line view has room for. */
export function firstLine(text: string | undefined): string {
  return text?.split(/\r?\n/).find((line) => line.trim() !== '')?.trim() ?? '';
}
