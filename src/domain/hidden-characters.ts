// Characters a text can hold that no reader sees as written:
// - the control characters but tab, line feed and carriage return (the rest of C0, DEL, C1): a terminal
//   obeys them (ESC starts an escape sequence that clears the screen or retitles the window, BEL rings),
//   while a Markdown viewer drops them without a trace;
// - the Unicode bidi controls that embed, override or isolate a run of text (U+202A-U+202E,
//   U+2066-U+2069): they make a line show in another order than it is written, so that a record could
//   read differently from what it says ("Trojan Source", CVE-2021-42574).
// The directional marks U+200E, U+200F and U+061C are not among them: a mark only gives a direction to the
// neutral characters beside it and cannot reverse a run, and right-to-left text needs marks to show its
// punctuation and numbers in the right place. Tab and the line breaks are text: fields of many lines keep
// them, and one-line fields fold or refuse them by their own rules (values.ts `oneLine`, the title's).
//
// What becomes of such a character depends on who wrote it. The judge's input is refused (exit 2), before
// anything is recorded, naming where it stands and which it is: the judge can fix its own text. An
// expert's output is never refused nor changed (blue does not invent or drop what an expert said): the
// store keeps it as written, ingest warns, and the Markdown files blue writes show each such character as
// a visible escape (`\u{202E}`). Pure.

import { badInput, type BlueError } from './errors.js';
import { BIDI_CONTROL_RANGES, isRecord } from './values.js';
import { shellQuote } from './shell.js';

const HIDDEN_CLASS = `[\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F${BIDI_CONTROL_RANGES}]`;
const HIDDEN = new RegExp(HIDDEN_CLASS);
const EACH_HIDDEN = new RegExp(HIDDEN_CLASS, 'g');

/** The bidi controls, by what the Unicode standard calls them. */
const BIDI_CONTROLS: Readonly<Record<number, string>> = {
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
};

/** The control characters a message is most likely to meet, by name; the others are named by their number. */
const CONTROL_NAMES: Readonly<Record<number, string>> = { 0x00: 'NUL', 0x07: 'bell', 0x08: 'backspace', 0x1b: 'escape', 0x7f: 'delete', 0x9b: 'control sequence introducer' };

/** Whether `text` holds a control character (but tab and the line breaks) or a bidi control. */
export function hasHiddenCharacters(text: string): boolean {
  return HIDDEN.test(text);
}

/** `U+202E (right-to-left override)`, `U+001B (escape)`, `U+0003`. */
export function codePointName(codePoint: number): string {
  const number = `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
  const name = BIDI_CONTROLS[codePoint] ?? CONTROL_NAMES[codePoint];
  return name ? `${number} (${name})` : number;
}

/** What such a character does, for the messages that name one. */
export function hiddenCharacterKind(codePoint: number): string {
  return BIDI_CONTROLS[codePoint] !== undefined
    ? 'a bidi control, which makes text show in another order than it is written'
    : 'a control character, which a terminal obeys and a Markdown viewer hides';
}

/** Where the first hidden character of a text stands. */
export interface HiddenCharacter {
  codePoint: number;
  /** Its line (from 1, counted by line feeds) and its place in that line (from 1, in characters). */
  line: number;
  column: number;
  /** How many lines hold such characters. */
  lines: number;
}

/** The first hidden character of `text`, with the number of lines that hold one; undefined when none does. */
export function findHiddenCharacter(text: string): HiddenCharacter | undefined {
  if (!HIDDEN.test(text)) return undefined;
  let found: HiddenCharacter | undefined;
  // The line breaks are counted from one match to the next, so a text is looked through once.
  let line = 1;
  let counted = 0;
  let lastLine = 0;
  for (const m of text.matchAll(EACH_HIDDEN)) {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < m.index; i = text.indexOf('\n', i + 1)) line++;
    counted = m.index;
    if (!found) found = { codePoint: m[0].codePointAt(0)!, line, column: m.index - text.lastIndexOf('\n', m.index - 1), lines: 0 };
    if (line !== lastLine) {
      found.lines++;
      lastLine = line;
    }
  }
  return found;
}

/** ` on line 3 (and 2 more lines)`, as the messages about a file say where. */
export function whereHidden(at: HiddenCharacter): string {
  const more = at.lines > 1 ? ` (and ${at.lines - 1} more line${at.lines > 2 ? 's' : ''})` : '';
  return `line ${at.line}${more}`;
}

/**
 * `text` with each hidden character written as a visible escape, `\u{202E}`: what the Markdown files blue
 * writes show in its place. Markdown reads `\u` as the two characters it is, so the escape shows as
 * written and changes no structure; text without such characters is returned as it is.
 */
export function showHiddenCharacters(text: string): string {
  if (!HIDDEN.test(text)) return text;
  return text.replace(EACH_HIDDEN, (c) => `\\u{${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}}`);
}

/**
 * JSON text with each hidden character written as a `\uXXXX` escape. JSON.stringify escapes C0 but leaves
 * DEL, C1 and the bidi controls as they are; in JSON text they can stand only inside strings, where the
 * escape means the same character, so the data is the same and the file reads as it is written.
 */
export function escapeHiddenCharactersInJson(json: string): string {
  if (!HIDDEN.test(json)) return json;
  return json.replace(EACH_HIDDEN, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** How to find every such character of a file: a grep the judge can run. */
function grepFor(file: string): string {
  return `grep -nP '[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F\\x{202A}-\\x{202E}\\x{2066}-\\x{2069}]' ${shellQuote(file)}`;
}

const RECORDS_NONE = 'blue records no such character';

/**
 * The error for a judge's file that holds a hidden character (exit 2 `hidden_character`), or undefined:
 * `what` names the file (`verdict text file v.md`), `file` is its path.
 */
export function hiddenCharacterInFile(what: string, file: string, text: string): BlueError | undefined {
  const at = findHiddenCharacter(text);
  if (!at) return undefined;
  return badInput(
    'hidden_character',
    `${what} holds ${codePointName(at.codePoint)} on ${whereHidden(at)}: ${hiddenCharacterKind(at.codePoint)}; ${RECORDS_NONE}: remove it and run the same command again`,
    {
      file,
      line: at.line,
      code_point: codePointName(at.codePoint),
      fix: `remove ${codePointName(at.codePoint)} from line ${at.line} of ${file}, and the others \`${grepFor(file)}\` lists, then run the same command again`,
    },
  );
}

/**
 * The error for a judge's data file (a pool, a panel, scores) whose parsed values hold a hidden character,
 * or undefined. The file's text was checked as it is written (`hiddenCharacterInFile`); this finds what
 * an escape wrote (`"\u202E"` in JSON, `"\e"` in YAML), named by where it stands: `experts[2].role`.
 */
export function hiddenCharacterInData(what: string, file: string, data: unknown): BlueError | undefined {
  const found = firstHiddenValue(data, '');
  if (!found) return undefined;
  const name = codePointName(found.codePoint);
  const field = found.path || 'the document';
  return badInput('hidden_character', `${what}: ${field} holds ${name} (written as an escape): ${hiddenCharacterKind(found.codePoint)}; ${RECORDS_NONE}: remove it and run the same command again`, {
    file,
    field,
    code_point: name,
    fix: `remove the escape that writes ${name} from ${field} in ${file}, then run the same command again`,
  });
}

function firstHiddenValue(value: unknown, path: string): { path: string; codePoint: number } | undefined {
  if (typeof value === 'string') {
    const at = findHiddenCharacter(value);
    return at ? { path, codePoint: at.codePoint } : undefined;
  }
  const entries: Array<[string, unknown]> = Array.isArray(value)
    ? value.map((v, i) => [`${path}[${i}]`, v])
    : isRecord(value)
      ? Object.entries(value).map(([k, v]) => [path ? `${path}.${k}` : k, v])
      : [];
  for (const [at, v] of entries) {
    const found = firstHiddenValue(v, at);
    if (found) return found;
  }
  return undefined;
}

/**
 * Refuses (exit 2 `hidden_character`) the judge's text given on the command line, each value named by its
 * option (`--label`, `<title>`); a list is each of its values. Called by a use case before it reads or
 * records anything.
 */
export function refuseHiddenCharacters(values: Readonly<Record<string, string | readonly string[] | undefined>>): void {
  for (const [option, value] of Object.entries(values)) {
    for (const text of typeof value === 'string' ? [value] : (value ?? [])) {
      const at = findHiddenCharacter(text);
      if (!at) continue;
      const name = codePointName(at.codePoint);
      const where = at.line > 1 ? `line ${at.line}, character ${at.column}` : `character ${at.column}`;
      throw badInput('hidden_character', `${option} holds ${name} at ${where}: ${hiddenCharacterKind(at.codePoint)}; ${RECORDS_NONE}: give ${option} without it`, {
        option,
        code_point: name,
        fix: `give ${option} again without ${name} (text pasted from elsewhere can carry it unseen), then run the same command again`,
      });
    }
  }
}
