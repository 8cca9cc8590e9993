// A write lock per dialogue: the file `store.lock` in the dialogue's folder, holding its owner's record
// {pid, host, at, token}. Whoever creates the file holds the lock; the others wait with a small backoff.
//
// The record is written to a private draft first and then hard-linked to `store.lock`: link() fails with
// EEXIST when the lock is held, exactly like open(O_EXCL), but the lock file can never exist without its
// record, so a writer killed at any instant leaves either no lock or a lock naming its (dead) pid.
// A lock is stale, and is broken, when its holder is a dead process on this host or it is older than
// `staleAfterMs` (a crashed process on another host, or a pid reused since). Breaking renames the lock
// aside and checks it is the very file judged stale before deleting it, so two writers breaking the same
// stale lock cannot delete a fresh one; and the holder checks it still holds the lock just before it commits.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import os from 'node:os';
import { threadId } from 'node:worker_threads';
import { failure } from '../../domain/errors.js';
import { temporarySibling } from '../../platform/atomic-write.js';
import { sleep } from '../../platform/time.js';

interface LockOptions {
  /** How long to wait for a lock held by someone else before failing with `store_locked`. */
  timeoutMs: number;
  /** Age after which a lock is presumed abandoned even when its pid looks alive. */
  staleAfterMs: number;
  /** The lock file's name in messages (relative to the project root). */
  displayPath: string;
}

interface LockOwner {
  pid: number;
  host: string;
  at: string;
  /** Random, unique to one acquisition: tells two locks of the same process apart. */
  token: string;
  /** The worker thread within the process (0: the main thread); threads share the pid. */
  thread: number;
}

export interface HeldLock {
  /** Throws `store_lock_lost` if the lock was broken as stale meanwhile; call it right before committing. */
  assertHeld(): Promise<void>;
}

/** What was found at a lock path. `raw` identifies one acquisition: every record carries a random token. */
interface LockSnapshot {
  raw: string;
  ino: number;
  mtimeMs: number;
  owner?: LockOwner; // absent when the record cannot be parsed
}

const MAX_PAUSE_MS = 50;
// Link failures that mean "this file system has no hard links" (FAT, some network mounts).
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

/** Callers in this process queue here rather than poll the lock file against each other. */
const inProcessQueues = new Map<string, Promise<void>>();
/**
 * Tokens of the locks this thread holds. A lock naming our pid and thread but another token was left by a
 * dead namesake: an earlier process that had the same pid (containers often run every process as pid 1).
 */
const heldTokens = new Set<string>();

/** Runs `work` while holding the lock at `lockPath`; the lock is released however `work` ends. */
export async function withLock<T>(
  lockPath: string,
  options: LockOptions,
  work: (lock: HeldLock) => Promise<T>,
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const previous = inProcessQueues.get(lockPath) ?? Promise.resolve();
  let endTurn!: () => void;
  const turnEnded = new Promise<void>((resolve) => (endTurn = resolve));
  const queueTail = previous.then(() => turnEnded);
  inProcessQueues.set(lockPath, queueTail);
  try {
    await awaitTurn(previous, deadline, options);
    const lock = await acquire(lockPath, deadline, options);
    try {
      return await work(lock);
    } finally {
      await lock.release();
    }
  } finally {
    endTurn();
    if (inProcessQueues.get(lockPath) === queueTail) inProcessQueues.delete(lockPath);
  }
}

async function awaitTurn(previous: Promise<void>, deadline: number, options: LockOptions): Promise<void> {
  const controller = new AbortController();
  const timedOut = sleep(Math.max(0, deadline - Date.now()), controller.signal).then(() => 'timeout' as const);
  try {
    const outcome = await Promise.race([previous.then(() => 'turn' as const), timedOut]);
    if (outcome === 'timeout') {
      throw failure(
        'store_locked',
        `${options.displayPath} is held by another operation of this process (pid ${process.pid}) for more than ${options.timeoutMs / 1000} s.`,
        { lock: options.displayPath, pid: process.pid, host: os.hostname(), fix: 'run the command again; if it happens again, report it (one command should not wait on itself)' },
      );
    }
  } finally {
    controller.abort();
    await timedOut.catch(() => undefined); // the abort rejects the timer; nothing else to do
  }
}

/** A lock path taken by a folder, a FIFO or a symlink blocks every write: say so, with its path. */
async function checkLockPath(lockPath: string, options: LockOptions): Promise<void> {
  const stats = await fs.lstat(lockPath).catch(() => undefined);
  if (stats && !stats.isFile()) {
    const kind = stats.isDirectory() ? 'a folder' : stats.isSymbolicLink() ? 'a symlink' : stats.isFIFO() ? 'a FIFO' : 'not a regular file';
    throw failure(
      'store_lock_invalid',
      `${options.displayPath} is ${kind}, not blue's lock file, so no write of this dialogue can take the lock. Remove it (blue makes the lock itself) and run the command again.`,
      { lock: options.displayPath, fix: `remove ${options.displayPath} (blue makes the lock itself) and run the command again` },
    );
  }
}

async function acquire(lockPath: string, deadline: number, options: LockOptions): Promise<Lock> {
  await checkLockPath(lockPath, options);
  let pause = 2;
  for (;;) {
    const owner: LockOwner = {
      pid: process.pid,
      host: os.hostname(),
      at: new Date().toISOString(),
      token: randomBytes(8).toString('hex'),
      thread: threadId,
    };
    const record = `${JSON.stringify(owner)}\n`;
    heldTokens.add(owner.token); // before the lock appears, so our own check never calls it a namesake's
    const created = await createExclusively(lockPath, record).catch((error: unknown) => {
      heldTokens.delete(owner.token);
      throw error;
    });
    if (created) return new Lock(lockPath, record, owner.token, created.ino, options);
    heldTokens.delete(owner.token);

    const holder = await snapshot(lockPath);
    if (holder === undefined) continue; // released since our attempt: try again at once
    if (isStale(holder, options.staleAfterMs)) {
      await removeIfUnchanged(lockPath, holder);
      continue;
    }
    if (Date.now() >= deadline) throw lockedError(holder, options);
    await sleep(pause * (0.5 + Math.random())); // jitter, so waiting writers do not retry in step
    pause = Math.min(pause * 2, MAX_PAUSE_MS);
  }
}

/** Creates the lock file with `record` as its content; undefined when someone else holds it. */
async function createExclusively(lockPath: string, record: string): Promise<{ ino: number } | undefined> {
  const draft = temporarySibling(lockPath, 'tmp');
  await fs.writeFile(draft, record, { flag: 'wx' });
  try {
    const { ino } = await fs.stat(draft);
    await fs.link(draft, lockPath);
    return { ino };
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return undefined;
    if (NO_HARD_LINKS.has(code)) return createWithExclusiveOpen(lockPath, record);
    throw error;
  } finally {
    await fs.rm(draft, { force: true }).catch(() => undefined);
  }
}

/** The fallback without hard links: O_EXCL, then the record (a crash in between leaves an empty lock). */
async function createWithExclusiveOpen(lockPath: string, record: string): Promise<{ ino: number } | undefined> {
  let handle: FileHandle;
  try {
    handle = await fs.open(lockPath, 'wx');
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return undefined;
    throw error;
  }
  try {
    await handle.writeFile(record, 'utf8');
    return { ino: (await handle.stat()).ino };
  } finally {
    await handle.close();
  }
}

async function snapshot(file: string): Promise<LockSnapshot | undefined> {
  let handle: FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stats = await handle.stat();
    const raw = await handle.readFile('utf8');
    return { raw, ino: stats.ino, mtimeMs: stats.mtimeMs, owner: parseOwner(raw) };
  } finally {
    await handle.close();
  }
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.at === 'string') {
      return { pid: value.pid, host: value.host, at: value.at, token: String(value.token ?? ''), thread: Number(value.thread ?? 0) };
    }
  } catch {
    // an unreadable record: only the lock's age can tell whether it is stale
  }
  return undefined;
}

function isStale(lock: LockSnapshot, staleAfterMs: number): boolean {
  // The file's mtime is when it was created (nobody rewrites a lock); it does not depend on the record.
  if (Date.now() - lock.mtimeMs > staleAfterMs) return true;
  const owner = lock.owner;
  if (owner === undefined || owner.host !== os.hostname()) return false;
  if (owner.pid === process.pid) {
    // Another thread of this process may hold it (its tokens are not in our set): then only age tells.
    return owner.thread === threadId && !heldTokens.has(owner.token);
  }
  return !isProcessAlive(owner.pid);
}

function isProcessAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return true; // not a pid we can check: rely on the age
  try {
    process.kill(pid, 0); // signal 0 checks existence without signalling
    return true;
  } catch (error) {
    return errorCode(error) !== 'ESRCH'; // EPERM: alive, owned by another user
  }
}

/**
 * Deletes the lock at `lockPath` if it is still the file `expected` describes. The lock is renamed aside
 * first (atomic: of several removers only one gets it), then compared; a lock that turns out to be a newer
 * one is linked back, unless yet another writer took the lock meanwhile, in which case the displaced holder
 * finds out in assertHeld() and writes nothing.
 */
async function removeIfUnchanged(lockPath: string, expected: { raw: string; ino: number }): Promise<boolean> {
  const aside = temporarySibling(lockPath, 'stale');
  try {
    await fs.rename(lockPath, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false; // already gone
    throw error;
  }
  const moved = await snapshot(aside);
  if (moved && moved.raw === expected.raw && moved.ino === expected.ino) {
    await fs.rm(aside, { force: true });
    return true;
  }
  await fs.link(aside, lockPath).catch(() => undefined);
  await fs.rm(aside, { force: true }).catch(() => undefined);
  return false;
}

function lockedError(holder: LockSnapshot, options: LockOptions) {
  const owner = holder.owner;
  const who = owner ? `pid ${owner.pid} on ${owner.host} (since ${owner.at})` : 'a process that left no readable record';
  return failure(
    'store_locked',
    `${options.displayPath} is held by ${who}: another blue command is writing this dialogue. ` +
      `Waited ${options.timeoutMs / 1000} s. Try again when it has finished; a lock whose process has died ` +
      `is taken over automatically, and any lock once it is ${options.staleAfterMs / 1000} s old.`,
    { lock: options.displayPath, pid: owner?.pid, host: owner?.host, since: owner?.at, fix: 'run the same command again when the other blue command has finished' },
  );
}

class Lock implements HeldLock {
  constructor(
    private readonly lockPath: string,
    private readonly record: string,
    private readonly token: string,
    private readonly ino: number,
    private readonly options: LockOptions,
  ) {}

  async assertHeld(): Promise<void> {
    const current = await snapshot(this.lockPath);
    if (current?.raw !== this.record) {
      throw failure(
        'store_lock_lost',
        `${this.options.displayPath} was taken over while this command held it (it was presumed stale); ` +
          'nothing was written. Run the command again.',
        { lock: this.options.displayPath, fix: 'run the same command again: nothing was written' },
      );
    }
  }

  async release(): Promise<void> {
    // A failed release must not hide the outcome of the work; the lock then goes stale with our process.
    try {
      const current = await snapshot(this.lockPath);
      // Leave alone a lock that is no longer ours (ours was broken as stale and someone else holds it now).
      if (current?.raw === this.record) await removeIfUnchanged(this.lockPath, { raw: this.record, ino: this.ino });
    } catch {
      // see above
    }
    heldTokens.delete(this.token);
  }
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? '';
}
