// Errors that reach the user carry an exit code and a snake_case code for `--json` output.
// Exit codes are the CLI contract: 1 failure, 2 bad input, 3 refused by the protocol, 4 integrity.
// Every error says what to do about it (CLI.md: "an error's details say what to do"): its details carry a
// `fix`, the exact command or action, and, where blue knows the dialogue's state, the `next` steps an
// answer would carry. The type makes `fix` required, so no new error can leave it out.

import type { NextStep } from './next.js';

export type ExitCode = 1 | 2 | 3 | 4;

export interface ErrorDetails {
  /** What to do about it: the exact command, or the action, for a person or a judge agent. */
  fix: string;
  /** The commands that make sense now, as an answer's `next`; where the error concerns a dialogue. */
  next?: NextStep[];
  [key: string]: unknown;
}

export class BlueError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    readonly code: string,
    message: string,
    readonly details: ErrorDetails,
  ) {
    super(message);
    this.name = 'BlueError';
  }
}

/** Bad input: an unknown flag, an invalid file, an unknown dialogue, expert or tension. */
export const badInput = (code: string, message: string, details: ErrorDetails) => new BlueError(2, code, message, details);

/** Refused by the protocol: the input is well-formed but the dialogue's state forbids it. */
export const refused = (code: string, message: string, details: ErrorDetails) => new BlueError(3, code, message, details);

/** Integrity failure: a corrupt or hand-edited store file, a record that fails authentication. */
export const integrity = (code: string, message: string, details: ErrorDetails) => new BlueError(4, code, message, details);

/** Anything else that went wrong: I/O, an unreachable store. */
export const failure = (code: string, message: string, details: ErrorDetails) => new BlueError(1, code, message, details);

/** What to do about an integrity failure: the same for every item, so it is said once. */
export const INTEGRITY_FIX =
  'stop and tell the user: the store was altered or damaged; `blue store verify` names every item that fails, and the store must be restored from git or a backup';
