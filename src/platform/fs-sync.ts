// Making a new directory entry (a rename, a link) survive a power loss: fsync the directory that holds it.

import * as fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

/** Errors that mean this platform or file system cannot open or fsync a directory (Windows, some mounts). */
const CANNOT_SYNC_DIRECTORY = ['EISDIR', 'EPERM', 'EACCES', 'EINVAL', 'EBADF', 'ENOTSUP'];

/**
 * Flushes `dir` itself to disk, so that an entry just created or renamed in it is durable. A platform that
 * cannot do that is not an error (the entry is there, only its durability is not promised); anything else is.
 */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!CANNOT_SYNC_DIRECTORY.includes(code ?? '')) throw error;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
