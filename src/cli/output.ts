// What a command prints. With --json, exactly one JSON document on stdout; otherwise human text.
// Warnings, progress and notices always go to stderr. Text for a person goes through printableLines last
// (the one way, which the live views' lines take too): whatever an expert, an agent or a file wrote and an
// answer, a warning or an error quotes, its control characters are drawn as spaces, so none of it can clear
// the screen, set the title or restyle the terminal (and its bidi controls, so none can reorder a line);
// blue's own colours are added after. JSON keeps the text as written: JSON.stringify escapes C0, and
// `jsonText` writes DEL, C1 and the bidi controls, which it leaves, as escapes too (the same data).

import { isatty } from 'node:tty';
import { BlueError } from '../domain/errors.js';
import type { NextStep } from '../domain/next.js';
import { printableLines } from '../domain/values.js';
import { escapeHiddenCharactersInJson } from '../domain/hidden-characters.js';
import type { CommandResult } from '../commands/spec.js';
import { stdio, writeAnswer } from './stdio.js';

/** What to do about an error blue did not foresee. */
const UNEXPECTED_FIX = 'run the command again once; if it fails the same way, report it, with BLUE_DEBUG=1 set for the stack trace';


// Colour only on a terminal, never under NO_COLOR or --no-color (CLI.md); hooks and CI see plain text.
let colorFlag: boolean | undefined;

export function setColor(flag: boolean | undefined): void {
  colorFlag = flag;
}

/**
 * Whether colour is allowed, the stream aside: not --no-color, and no NO_COLOR. NO_COLOR counts only when
 * it is set to something (no-color.org): `NO_COLOR=` in a shell profile, or an empty one a script passes
 * on, asks for nothing. The one decision, for these lines and for the live views.
 */
export function colorAllowed(flag: boolean | undefined, env: NodeJS.ProcessEnv): boolean {
  return flag !== false && (env.NO_COLOR ?? '') === '';
}

function colored(stream: NodeJS.WriteStream, code: number, text: string): string {
  const on = colorAllowed(colorFlag, process.env) && stream.isTTY === true;
  return on ? `\u001b[${code}m${text}\u001b[0m` : text;
}

/**
 * A JSON document as blue prints it: indented, one line break after, and every character that a terminal
 * showing it would obey or reorder by (a C1 control, a bidi control) written as an escape: the same data.
 */
export function jsonText(value: unknown): string {
  return escapeHiddenCharactersInJson(JSON.stringify(value, null, 2)) + '\n';
}

/**
 * Prints the answer. With --json, `next` joins the document (CLI.md: every answer carries it); otherwise a
 * person gets the same steps as a short hint on stderr, where the answer is about a dialogue.
 */
export function printResult(result: CommandResult, json: boolean, next: NextStep[]): void {
  if (json) {
    const document = result.json;
    const plain = typeof document === 'object' && document !== null && !Array.isArray(document);
    writeAnswer(jsonText(plain ? { ...document, next } : document));
    return;
  }
  if (result.human) {
    // A file's content (export --output -) stays byte for byte where it goes to a file or a pipe.
    const text = result.exact && !isatty(1) ? result.human : printableLines(result.human);
    writeAnswer(text.endsWith('\n') ? text : text + '\n');
  }
  if (result.dialogue && next.length) stdio.stderr.write(nextHint(next));
}

/** The next steps for a person: each command as sh reads it, its why as a comment, the default first. */
export function nextHint(next: readonly NextStep[]): string {
  return printableLines(next.map((step, i) => `${i === 0 ? 'Next:' : '  or:'} ${step.command}\n      # ${step.why}\n`).join(''));
}

export function warn(message: string): void {
  stdio.stderr.write(`${colored(stdio.stderr, 33, 'warning:')} ${printableLines(message)}\n`);
}

/** Progress and notices: stderr, so that stdout stays the command's answer. */
export function progress(message: string): void {
  stdio.stderr.write(`${printableLines(message)}\n`);
}

export function printError(error: unknown, json: boolean): number {
  const blue =
    error instanceof BlueError
      ? error
      : new BlueError(1, 'unexpected', error instanceof Error ? error.message : String(error), { fix: UNEXPECTED_FIX });
  const next = blue.details.next ?? [];
  if (json) {
    stdio.stdout.write(jsonText({ error: { code: blue.code, message: blue.message, details: blue.details }, next }));
  }
  stdio.stderr.write(`${colored(stdio.stderr, 31, 'blue:')} ${printableLines(blue.message)}\n`);
  // The message of most errors says what to do already; where it does not, the fix follows it.
  if (blue.details.fix && !blue.message.includes(blue.details.fix)) stdio.stderr.write(`  fix: ${printableLines(blue.details.fix)}\n`);
  if (next.length) stdio.stderr.write(nextHint(next));
  if (!(error instanceof BlueError) && error instanceof Error && process.env.BLUE_DEBUG) {
    stdio.stderr.write(`${printableLines(error.stack ?? error.message)}\n`);
  }
  return blue.exitCode;
}
