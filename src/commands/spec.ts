// How a command is declared: its place in the tree, its arguments and options (declared here, beside the
// handler), examples for --help, and the handler. A handler parses its options, calls its use case and
// says what to print; src/cli/ registers the commands with commander and prints.

import type { Ports } from '../app/ports.js';

export interface CommandResult {
  json: unknown;
  human: string;
  /** Exit code when the command ran but its answer is "no" (e.g. export --check found differences). */
  exitCode?: number;
}

export interface OptionSpec {
  /** commander's flags, e.g. `--round <n>`. */
  flags: string;
  description: string;
  default?: string;
  /** May be given several times; the handler gets a list. */
  repeatable?: boolean;
  required?: boolean;
}

export interface CommandContext {
  ports: Ports;
  json: boolean;
  /** "the file store" or "DynamoDB table <t>", for messages. */
  storeName: string;
  /** stderr, when it is a terminal a live view may draw on (not under CI, not a dumb terminal); else unset. */
  terminal?: NodeJS.WriteStream;
  /**
   * Ctrl-C and SIGTERM as an AbortSignal. Asking for it makes them stop this command gracefully (it then
   * exits 130) instead of ending the process at once; commands that never ask keep the default.
   */
  interruption?: () => AbortSignal;
}

export interface CommandSpec {
  /** e.g. ['dialogue', 'round', 'open']. */
  path: string[];
  /** e.g. ['<id>', 'dialogue id, unique prefix or slug']. */
  args?: Array<[string, string]>;
  description: string;
  options?: OptionSpec[];
  /** Shown after the options in --help: `blue ...` lines, each with a comment. */
  examples?: string[];
  run(ctx: CommandContext, args: Array<string | undefined>, options: Record<string, any>): Promise<CommandResult>;
}

export const ID_ARG: [string, string] = ['<id>', 'dialogue id, unique prefix or slug'];
