// The workspace port: the project's files as the use cases see them. Paths are relative to the project
// root unless a method says otherwise; the judge's own input files are named relative to the working
// directory, as the judge typed them.

import type { Templates } from '../render/template.js';
import type { NotUtf8 } from '../domain/encoding.js';
import type { SafeRead } from './safe-read.js';

export type { NotUtf8, SafeRead };

export interface InputFile {
  /** The path as blue prints it: relative to the project root. */
  path: string;
  text: string;
}

export interface DataFile {
  path: string;
  /** The file parsed as JSON or YAML. */
  data: unknown;
}

export interface FileToWrite {
  /** Relative to the project root. */
  path: string;
  /** Text, written as UTF-8; or bytes, written as they are (an agent's stdout that is not all UTF-8). */
  content: string | Uint8Array;
}

/** A folder outside blue's own layout, read for `dialogue import`: what it holds, and what was not read. */
export interface ForeignFolder {
  /** The folder as blue prints it: relative to the project root. */
  path: string;
  /** Its own name. */
  name: string;
  /**
   * Its regular files, its round-N/ folders' regular files, and the files beside it named after it
   * (`<name>.expert-pool.json`, `<name>.dialogue*.md`, as `../<file>`). Paths relative to the folder, with `/`.
   */
  files: Array<{ path: string; text: string; notUtf8?: NotUtf8 }>;
  /** What was not read, and why: a symlink, a device, a nested folder, a file over the limit. */
  refused: Array<{ path: string; why: string }>;
  /** When its oldest file read was last changed (ISO 8601). */
  earliestModified?: string;
}

export interface Workspace {
  /** The project root, absolute. */
  readonly root: string;
  /**
   * A file the judge names on the command line (relative to the working directory): refused (exit 2) when
   * it is not UTF-8 text or holds a control or bidi character (domain/hidden-characters.ts), unless
   * `reportsHiddenCharacters` says the caller reads it to report those itself (lint).
   */
  readInput(path: string, what: string, options?: { reportsHiddenCharacters?: boolean }): Promise<InputFile>;
  /**
   * The same, parsed as JSON or YAML; `errorCode` names a file that does not parse (e.g. invalid_pool). A
   * value that holds a control or bidi character through an escape (`"\u202E"`) is refused too.
   */
  readData(path: string, what: string, errorCode: string): Promise<DataFile>;
  /** A path the judge typed (relative to the working directory), as a path relative to the project root. */
  projectPath(path: string): string;
  exists(path: string): Promise<boolean>;
  /** A file blue wrote or reads back (a summary, an export); undefined when it does not exist. */
  read(path: string): Promise<string | undefined>;
  /**
   * An expert's output file, read safely: only a regular file inside the project, within the output
   * limit; `refused` says why not (a symlink, a FIFO, a device, a giant file, a folder leading outside).
   */
  readOutput(path: string): Promise<SafeRead>;
  /**
   * A folder the judge names (relative to the working directory), read safely: regular files only, never
   * through a symlink, each within the output limit, at most a bounded number and total size of files.
   */
  readFolder(path: string): Promise<ForeignFolder>;
  /** The names in a folder; empty when the folder does not exist. */
  list(folder: string): Promise<string[]>;
  /** Writes each file atomically (temporary file, fsync, rename), creating folders as needed. */
  write(files: readonly FileToWrite[]): Promise<void>;
  /**
   * Moves a file aside into `folder` (created when needed), never over another file: a name already taken
   * there gets a numbered suffix. Returns the new path, or undefined when `path` does not exist.
   */
  moveAside(path: string, folder: string): Promise<string | undefined>;
  /** Moves a file to `to`, which must not exist (never over another file: that is an error). */
  moveTo(path: string, to: string): Promise<void>;
  /** The prompt and protocol templates shipped with blue. */
  templates(): Templates;
}
