// What a command prints. With --json, exactly one JSON document on stdout; otherwise human text.
// Warnings, progress and notices always go to stderr.

import { BlueError } from '../domain/errors.js';
import type { CommandResult } from '../commands/spec.js';


// Colour only on a terminal, never under NO_COLOR or --no-color (CLI.md); hooks and CI see plain text.
let colorAllowed = true;

export function setColor(flag: boolean | undefined): void {
  colorAllowed = flag !== false;
}

function colored(stream: NodeJS.WriteStream, code: number, text: string): string {
  const on = colorAllowed && !('NO_COLOR' in process.env) && stream.isTTY === true;
  return on ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export function printResult(result: CommandResult, json: boolean): void {
  if (json) process.stdout.write(JSON.stringify(result.json, null, 2) + '\n');
  else if (result.human) process.stdout.write(result.human.endsWith('\n') ? result.human : result.human + '\n');
}

export function warn(message: string): void {
  process.stderr.write(`${colored(process.stderr, 33, 'warning:')} ${message}\n`);
}

/** Progress and notices: stderr, so that stdout stays the command's answer. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

export function printError(error: unknown, json: boolean): number {
  const blue =
    error instanceof BlueError
      ? error
      : new BlueError(1, 'unexpected', error instanceof Error ? error.message : String(error), {});
  if (json) {
    process.stdout.write(JSON.stringify({ error: { code: blue.code, message: blue.message, details: blue.details } }, null, 2) + '\n');
  }
  process.stderr.write(`${colored(process.stderr, 31, 'blue:')} ${blue.message}\n`);
  if (!(error instanceof BlueError) && error instanceof Error && process.env.BLUE_DEBUG) {
    process.stderr.write(`${error.stack}\n`);
  }
  return blue.exitCode;
}
