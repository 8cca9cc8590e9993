// Errors that reach the user carry an exit code and a snake_case code for `--json` output.
// Exit codes are the CLI contract: 1 failure, 2 bad input, 3 refused by the protocol, 4 integrity.

export type ExitCode = 1 | 2 | 3 | 4;

export class BlueError extends Error {
  constructor(
    readonly exitCode: ExitCode,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BlueError';
  }
}

/** Bad input: an unknown flag, an invalid file, an unknown dialogue, expert or tension. */
export const badInput = (code: string, message: string, details?: Record<string, unknown>) =>
  new BlueError(2, code, message, details);

/** Refused by the protocol: the input is well-formed but the dialogue's state forbids it. */
export const refused = (code: string, message: string, details?: Record<string, unknown>) =>
  new BlueError(3, code, message, details);

/** Integrity failure: a corrupt or hand-edited store file, a record that fails authentication. */
export const integrity = (code: string, message: string, details?: Record<string, unknown>) =>
  new BlueError(4, code, message, details);

/** Anything else that went wrong: I/O, an unreachable store. */
export const failure = (code: string, message: string, details?: Record<string, unknown>) =>
  new BlueError(1, code, message, details);
