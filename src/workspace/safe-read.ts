// Reading files that someone else may control (an expert's output, a judge's input file) without letting
// the file decide what blue does: only regular files, opened without following a final symlink and
// without blocking (a FIFO or a device cannot hang blue), read no further than a limit, and only from
// folders that stay inside the project.

import { constants } from 'node:fs';
import { open, realpath } from 'node:fs/promises';
import { dirname, relative, sep } from 'node:path';
import type { NotUtf8 } from '../domain/encoding.js';
import { decodeText, notTextReason } from './text-encoding.js';

/**
 * What a bounded read found: the text (with where it stops being UTF-8, if it does: `decodeText`), or why
 * there is none. `notText` marks a file refused for what it holds (binary, UTF-16), not for what it is;
 * `tooBig`, one over the limit.
 */
export type SafeRead =
  | { kind: 'text'; text: string; notUtf8?: NotUtf8 }
  | { kind: 'absent' }
  | { kind: 'refused'; why: string; notText?: true; tooBig?: true };

/** Default limits, overridable in .blue/config.yaml (`limits.output_bytes`, `limits.input_bytes`). */
export const DEFAULT_OUTPUT_LIMIT = 2_000_000;
export const DEFAULT_INPUT_LIMIT = 2_000_000;

const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * The real path of `path`, one lookup shared by the reads under way at the same moment (a panel's outputs
 * are read together, all in one folder of the project). It is dropped once it settles, so a later read
 * looks again: a folder swapped for a symlink in between is still seen.
 */
const lookups = new Map<string, Promise<string>>();
function sharedRealpath(path: string): Promise<string> {
  let lookup = lookups.get(path);
  if (!lookup) {
    lookup = realpath(path).finally(() => lookups.delete(path));
    lookups.set(path, lookup);
  }
  return lookup;
}

/**
 * Reads `file` if it is a regular file of at most `limit` bytes whose folder resolves inside `inside`
 * (when given). Never follows a symlink at the last step, never waits on a FIFO, never reads past the limit.
 */
export async function readBounded(file: string, limit: number, inside?: string): Promise<SafeRead> {
  if (inside !== undefined) {
    const folder = await sharedRealpath(dirname(file)).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? undefined : Promise.reject(error)));
    if (folder === undefined) return { kind: 'absent' };
    const root = await sharedRealpath(inside).catch(() => inside);
    const rel = relative(root, folder);
    if (rel === '..' || rel.startsWith(`..${sep}`) || rel.startsWith(sep)) {
      return { kind: 'refused', why: `its folder is a symlink that leads out of the project (to ${folder})` };
    }
  }
  let handle;
  try {
    handle = await open(file, FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'absent' };
    if (code === 'ELOOP') return { kind: 'refused', why: 'it is a symlink, and blue reads only regular files' };
    if (code === 'EISDIR') return { kind: 'refused', why: 'it is a folder' };
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      const what = stats.isFIFO() ? 'a FIFO' : stats.isCharacterDevice() || stats.isBlockDevice() ? 'a device' : stats.isSocket() ? 'a socket' : 'not a regular file';
      return { kind: 'refused', why: `it is ${what}, and blue reads only regular files` };
    }
    if (stats.size > limit) return { kind: 'refused', why: `it is ${stats.size} bytes, over the limit of ${limit}`, tooBig: true };
    // The size can change while we read (a file still being written): never read more than the limit.
    const buffer = Buffer.alloc(Math.min(stats.size, limit) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length >= buffer.length) break;
    }
    if (length === buffer.length) {
      return { kind: 'refused', why: length > limit ? `it grew past the limit of ${limit} bytes while it was read` : 'it grew while it was read (still being written?)' };
    }
    const bytes = buffer.subarray(0, length);
    const notText = notTextReason(bytes);
    if (notText !== undefined) return { kind: 'refused', why: notText, notText: true };
    const { text, notUtf8 } = decodeText(bytes);
    return notUtf8 ? { kind: 'text', text, notUtf8 } : { kind: 'text', text };
  } finally {
    await handle.close();
  }
}
