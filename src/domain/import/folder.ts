// What `dialogue import` is given and what it answers: a blue dialogue folder as a listing of the texts it
// holds (read by the workspace, safely), and the findings about it. Pure: no file system here.

import type { NotUtf8 } from '../encoding.js';

/** One file of the folder, read. `path` is relative to the folder, with `/`; a file beside it is `../name`. */
export interface FolderFile {
  path: string;
  text: string;
  /** Where its bytes stop being UTF-8: the others were read as Windows-1252 (workspace/text-encoding.ts). */
  notUtf8?: NotUtf8;
}

export interface ImportFolder {
  /** The folder's own name: `2026-02-06T1839Z-rfc-0058-...` or `ukfs-spec-review`. */
  name: string;
  /** Every regular file read: the folder's, its round folders', and those beside it that belong to it. */
  files: FolderFile[];
  /** What was not read, and why (a symlink, a device, a nested folder, a file over the limit). */
  refused: Array<{ path: string; why: string }>;
  /** The earliest modification time among the files (ISO 8601): the id's time when nothing else dates it. */
  earliestModified?: string;
}

/** A place in the folder and what import has to say about it. `file` is relative to the folder; `.` is the folder. */
export interface Finding {
  file: string;
  line: number;
  message: string;
}

/**
 * What import could not map (`unmapped`: a piece of the folder that is in the imported dialogue in no form),
 * and what it decided where the folder left a choice (`notes`: where the id's time came from, an expert it
 * had to rename). Every finding names its file and line.
 */
export class Findings {
  readonly unmapped: Finding[] = [];
  readonly notes: Finding[] = [];
  // The same finding twice (a role reworded in every round of one table) is said once.
  private readonly said = new Set<string>();

  miss(file: string, line: number, message: string): void {
    if (this.once('miss', file, line, message)) this.unmapped.push({ file, line, message });
  }

  note(file: string, line: number, message: string): void {
    if (this.once('note', file, line, message)) this.notes.push({ file, line, message });
  }

  private once(...key: Array<string | number>): boolean {
    const k = JSON.stringify(key);
    if (this.said.has(k)) return false;
    this.said.add(k);
    return true;
  }
}

/** `round-3/panel.json` -> 3; `round-2.summary.md` -> 2; anything else -> undefined. */
export function roundOfPath(path: string): number | undefined {
  const m = /^round-(\d{1,3})(?:\/|\.summary\.md$)/.exec(path);
  return m ? Number(m[1]) : undefined;
}

