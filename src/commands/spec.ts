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
  /** The values it takes, offered by shell completion (the handler still checks them). */
  choices?: readonly string[];
  /** Left out of --help: for blue's own scripts (the completion scripts' id lookup). */
  hidden?: boolean;
}

/** A positional argument: its name as commander writes it (`<id>`, `[id]`), its help, the values it takes. */
export type ArgSpec = [name: string, description: string, choices?: readonly string[]];

export interface CommandContext {
  ports: Ports;
  json: boolean;
  /** "the file store" or "DynamoDB table <t>", for messages. */
  storeName: string;
  /** How this process was started (absolute paths), for files that call blue back, such as the git hook. */
  self?: { node: string; script: string };
}

export interface CommandSpec {
  /** e.g. ['dialogue', 'round', 'open']. */
  path: string[];
  /** e.g. ['<id>', 'dialogue id, unique prefix or slug']. */
  args?: ArgSpec[];
  description: string;
  options?: OptionSpec[];
  /** Shown after the options in --help: `blue ...` lines, each with a comment. */
  examples?: string[];
  run(ctx: CommandContext, args: Array<string | undefined>, options: Record<string, any>): Promise<CommandResult>;
}

export const ID_ARG: ArgSpec = ['<id>', 'dialogue id, unique prefix or slug'];
