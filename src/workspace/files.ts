// File-system helpers for the commands: reading the judge's input files with errors that say
// which file and what to do, and writing the files blue owns atomically.

import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../platform/atomic-write.js';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { badInput, failure } from '../domain/errors.js';

export function readInputFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw badInput('file_not_found', `${what} ${path} does not exist`, { file: path });
    if (code === 'EISDIR') throw badInput('invalid_file', `${what} ${path} is a folder, not a file`, { file: path });
    throw failure('read_failed', `cannot read ${what} ${path}: ${(error as Error).message}`, { file: path });
  }
}

/** Reads a file that may be absent; undefined when it is. */
export function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw failure('read_failed', `cannot read ${path}: ${(error as Error).message}`, { file: path });
  }
}

/**
 * Writes a file blue owns (prompts, panel.json, the judge-facing files, exports) through a temporary
 * file, fsync and rename, so a reader never sees half a file; creates the folder when needed.
 */
export async function writeOwnedFile(path: string, content: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, content);
  } catch (error) {
    throw failure('write_failed', `cannot write ${path}: ${(error as Error).message}`, { file: path });
  }
}

/** A path as the CLI prints it: relative to the project root. */
export function rel(root: string, path: string): string {
  const r = relative(root, isAbsolute(path) ? path : resolve(root, path));
  return r === '' ? '.' : r.split('\\').join('/');
}
