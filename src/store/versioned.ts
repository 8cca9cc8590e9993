// The one step every write of a dialogue shares, in both stores: what goes in is checked, stamped with its
// version and time, turned into the plain JSON that is stored, and checked again before it is written.
// How the current dialogue is read and how the result is committed (under a lock, or conditionally on the
// version read) is each store's own.

import type { Dialogue } from '../domain/model.js';
import type { Clock } from '../platform/time.js';
import { toPlainJson } from './canonical-json.js';
import { checkChange, checkStorable } from './summary.js';

/** A dialogue as it will be stored: plain JSON with this version and updatedAt; refuses what load would reject. */
export function stamped(dialogue: Dialogue, stamp: { version: number; updatedAt: string }): Dialogue {
  const stored = toPlainJson({ ...dialogue, ...stamp });
  checkStorable(stored);
  return stored;
}

/**
 * The version after `current`: `change` applied, checked, stamped with version + 1 and the clock's time.
 * `current.version` is read before `change` runs, since `change` may mutate its argument.
 */
export function nextVersion(id: string, current: Dialogue, change: (current: Dialogue) => Dialogue, clock: Clock): Dialogue {
  const version = current.version + 1;
  const next = change(current);
  checkChange(id, next);
  return stamped(next, { version, updatedAt: clock().toISOString() });
}

/**
 * One versioned write: read the current state, compute the next version from it, commit that. A commit
 * that throws (a conflict, say) throws from here, and the caller decides whether to read again.
 */
export async function writeNextVersion<T extends { dialogue: Dialogue }>(
  id: string,
  read: () => Promise<T>,
  change: (current: Dialogue) => Dialogue,
  commit: (next: Dialogue, current: T) => Promise<void>,
  clock: Clock,
): Promise<Dialogue> {
  const current = await read();
  const next = nextVersion(id, current.dialogue, change, clock);
  await commit(next, current);
  return next;
}
