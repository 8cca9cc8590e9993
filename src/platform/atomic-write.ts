// Crash-safe file replacement: the new content goes to a temporary file in the same folder, is flushed to
// disk, and is renamed over the target. rename() within one file system is atomic, so a reader (or a
// process that starts after a crash) sees either the complete old file or the complete new one.

import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import * as fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { syncDirectory } from './fs-sync.js';
import { isProcessAlive } from './process.js';

/** Our temporary files: store.json drafts, lock drafts and broken locks, `<base>.<pid>.<random>.<kind>`. */
const OWN_LEFTOVER = /^store\.(json|lock)\.(\d+)\.[0-9a-f]+\.(?:tmp|stale)$/;

export function temporarySibling(filePath: string, kind: 'tmp' | 'stale'): string {
  return `${filePath}.${process.pid}.${randomBytes(6).toString('hex')}.${kind}`;
}

/**
 * `content`: the text, or a function that writes it to the new file's handle (at any positions), for
 * content too large to hold at once. `mode`: the new file's permissions (less the umask); by default those
 * of the file it replaces.
 */
export async function writeFileAtomic(
  filePath: string,
  content: string | ((handle: FileHandle) => Promise<void>),
  options: { mode?: number } = {},
): Promise<void> {
  // Keep the permissions a user may have given the existing file (e.g. 0600).
  const existing = options.mode === undefined ? await fs.stat(filePath).catch(() => undefined) : undefined;
  const mode = options.mode ?? (existing ? existing.mode & 0o777 : 0o666);
  const draft = temporarySibling(filePath, 'tmp');
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(draft, 'wx', mode);
    if (typeof content === 'string') await handle.writeFile(content, 'utf8');
    else await content(handle);
    await handle.sync(); // the data must be on disk before the rename makes it the current file
    await handle.close();
    handle = undefined;
    await fs.rename(draft, filePath);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await fs.rm(draft, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(path.dirname(filePath)); // makes the rename itself survive a power loss
}

/**
 * Deletes temporary files a crashed writer left in `dir`, once older than `olderThanMs` (a younger one may
 * belong to a writer still running, perhaps on another machine sharing the folder). A store.json draft
 * goes at once when the process its name gives is gone from this machine: drafts are written under the
 * dialogue's lock, which the caller holds, and a `kill -9` mid-write left one the size of the store, which
 * `git add -A` would commit. Only our own names are touched, never other files.
 */
export async function removeLeftovers(dir: string, olderThanMs: number, isAlive: (pid: number) => boolean = isProcessAlive): Promise<void> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const cutoff = Date.now() - olderThanMs;
  for (const name of names) {
    const match = OWN_LEFTOVER.exec(name);
    if (!match) continue;
    const file = path.join(dir, name);
    const stats: Stats | undefined = await fs.stat(file).catch(() => undefined);
    const draftOfGoneWriter = match[1] === 'json' && Number(match[2]) !== process.pid && !isAlive(Number(match[2]));
    if (stats && (stats.mtimeMs < cutoff || draftOfGoneWriter)) await fs.rm(file, { force: true }).catch(() => undefined);
  }
}
