// How a command is declared: its place in the tree, its arguments and options (declared here, beside the
// handler), examples for --help, and the handler. A handler parses its options, calls its use case and
// says what to print; src/cli/ registers the commands with commander and prints.

import type { NextOptions } from '../app/next.js';
import type { Ports } from '../app/ports.js';
import type { Dialogue } from '../domain/model.js';
import type { NextStep } from '../domain/next.js';

export interface CommandResult {
  json: unknown;
  /** The answer for a person; its control characters are drawn as spaces (src/cli/output.ts). */
  human: string;
  /**
   * `human` is a file's content (export --output -, a completion script): written byte for byte to a file
   * or a pipe; on a terminal it is drawn like any other answer.
   */
  exact?: boolean;
  /** Exit code when the command ran but its answer is "no" (e.g. export --check found differences). */
  exitCode?: number;
  /**
   * The dialogue the command worked on, as it stands afterwards: src/cli/ derives the answer's `next` from
   * it (and from the dialogue's folder), the same way for every command.
   */
  dialogue?: Dialogue;
  /** What that `next` needs beyond the dialogue and its folder: the `--agent` a `round run` ran with. */
  nextOptions?: NextOptions;
  /** The answer's `next` when it does not follow from one dialogue (list, export --all, the store commands). */
  next?: NextStep[];
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

/** The terminal a command runs in, for the commands that draw a live view (`show --watch`, `round run`). */
export interface Terminal {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  /** stdout / stderr is a terminal and nothing asks for plain output (CI is not set): a live view may draw there. */
  liveStdout: boolean;
  liveStderr: boolean;
  /** Colour allowed: not NO_COLOR, not --no-color (whether the stream is a terminal is the view's business). */
  color: boolean;
  /** Calls `listener` on SIGINT, SIGTERM or SIGHUP until the function it returns is called. */
  onQuitSignal(listener: () => void): () => void;
}
/** A positional argument: its name as commander writes it (`<id>`, `[id]`), its help, the values it takes. */
export type ArgSpec = [name: string, description: string, choices?: readonly string[]];

export interface CommandContext {
  ports: Ports;
  json: boolean;
  /** "the file store" or "DynamoDB table <t>", for messages. */
  storeName: string;
  /** Absent when a command runs without one (in process, in the tests): then it prints plain output. */
  terminal?: Terminal;
  /**
   * Ctrl-C, SIGTERM and SIGHUP as an AbortSignal. Asking for it makes them stop this command gracefully (it
   * then exits 130) instead of ending the process at once; commands that never ask keep the default.
   * `notify` takes what blue says when a signal comes (a live view draws it above itself); else stderr.
   */
  interruption?: (notify?: (message: string) => void) => AbortSignal;
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
