// File-system helpers for the workspace: reading a file blue wrote, which may be absent, and writing
// the files blue owns atomically.

import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../platform/atomic-write.js';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { failure } from '../domain/errors.js';

/** Reads a file that may be absent; undefined when it is. `shown`: the path as errors name it (CLI.md: relative to the root). */
export function readIfExists(path: string, shown = path): string | undefined {
  return readBytesIfExists(path, shown)?.toString('utf8');
}

/** The same, as bytes: for a file whose text must be checked to be UTF-8 (`decodeText`). */
export function readBytesIfExists(path: string, shown = path): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw failure('read_failed', `cannot read ${shown}: ${why(error)}`, { file: shown, fix: `make ${shown} readable (its permissions, its folder), then run the same command again` });
  }
}

/** What went wrong, without the absolute path Node's own message carries: the error code, else the message. */
function why(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : message;
}

/**
 * Writes a file blue owns (prompts, panel.json, the judge-facing files, exports) through a temporary
 * file, fsync and rename, so a reader never sees half a file; creates the folder when needed.
 */
export async function writeOwnedFile(path: string, content: string | Uint8Array, shown = path): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, typeof content === 'string' ? content : (handle) => handle.writeFile(content));
  } catch (error) {
    throw failure('write_failed', `cannot write ${shown}: ${why(error)}`, { file: shown, fix: `make ${shown} writable (its permissions, its folder, the disk space), then run the same command again` });
  }
}

/** A path as the CLI prints it: relative to the project root. */
export function rel(root: string, path: string): string {
  const r = relative(root, isAbsolute(path) ? path : resolve(root, path));
  return r === '' ? '.' : r.split('\\').join('/');
}
