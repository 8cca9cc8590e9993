// The embedded file store. The state of dialogue <id> is one JSON file, `.blue/dialogues/<id>/store.json`,
// next to the judge-facing files (prompts, expert outputs, scoreboard.md, ...) that other code writes in
// the same folder and that this store never touches.
//
// store.json is {format, schema, sha256, dialogue}, the dialogue pretty-printed so a person can read it.
// The sha256 is taken over the dialogue's bytes as written (schema 2; see writeStoreFile), so a hand edit
// or a damaged file is detected on load and reported (exit 4) instead of being used or replaced. Writes go through a temporary file and a rename
// (atomic-write.ts) under a per-dialogue lock file (lock.ts), so a crash leaves the old or the new state
// and concurrent writers, in this process or others, never lose each other's changes.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import path from 'node:path';
import { BlueError, badInput, failure, integrity, refused } from '../../domain/errors.js';
import type { Dialogue, DialogueSummary } from '../../domain/model.js';
import { removeLeftovers, writeFileAtomic } from '../../platform/atomic-write.js';
import { systemClock, type Clock } from '../../platform/time.js';
import { canonicalJson, sha256Hex } from '../canonical-json.js';
import { dialogueShapeProblems } from '../shape.js';
import { prettyJsonPieces } from '../pretty-json.js';
import { expandTexts, storedEntity } from '../stored-text.js';
import { withLock, type HeldLock } from './lock.js';
import { checksumRemedy, conflictError, hasConflictMarkers, mergedRemedy } from './merge-conflict.js';
import type { CatalogProblem, DialogueCatalog, DialogueStore, ListOptions, StoreMaintenance, Stores, UpdateOptions, VerifyReport } from '../types.js';
import { matchDialogueId } from '../../domain/ids.js';
import { ambiguous, checkDialogueId, existsFix, dialogueNotFound, notFound, isDialogueId, newestFirst, summarise, summariseProblems } from '../summary.js';
import { DIALOGUE_STATUSES } from '../../domain/model.js';
import { stamped, writeNextVersion } from '../versioned.js';
import { isRecord } from '../../domain/values.js';
// The store file's name is the layout's: blue's git hook knows a staged store.json by it.
import { STORE_FILE_NAME } from '../../workspace/layout.js';

const STORE_FILE_FORMAT = 'blue.dialogue-store';
const STORE_FILE_SCHEMA = 2;
const LOCK_FILE_NAME = 'store.lock';

const DEFAULT_LOCK_TIMEOUT_MS = 10_000;
const DEFAULT_STALE_LOCK_MS = 60_000;
/** Temporary files younger than this may belong to a writer that is still running. */
const LEFTOVER_AGE_MS = 60_000;
/** How many store files `list` reads at once (enough to be quick, few enough to stay clear of EMFILE). */
const LIST_CONCURRENCY = 16;

interface FileStoreOptions {
  /** How long a writer waits for another writer's lock before failing with `store_locked`. Default 10 s. */
  lockTimeoutMs?: number;
  /** Age at which a lock is presumed abandoned even if its pid looks alive. Default 60 s. */
  staleLockAfterMs?: number;
  /** What updatedAt is stamped with. Default: the system clock. */
  clock?: Clock;
}

export class FileStore implements DialogueStore, DialogueCatalog, StoreMaintenance {
  readonly kind = 'file';
  readonly root: string;
  private readonly dialoguesDir: string;
  /** The revision of the store file each dialogue this store returned was read from (see `update`'s `from`). */
  private readonly readAt = new WeakMap<Dialogue, string>();
  private readonly lockTimeoutMs: number;
  private readonly staleLockAfterMs: number;
  private readonly clock: Clock;

  /** `root` is the project root; the store lives under its `.blue/dialogues/`. */
  constructor(root: string, options: FileStoreOptions = {}) {
    this.root = path.resolve(root);
    this.dialoguesDir = path.join(this.root, '.blue', 'dialogues');
    this.lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
    this.staleLockAfterMs = options.staleLockAfterMs ?? DEFAULT_STALE_LOCK_MS;
    this.clock = options.clock ?? systemClock;
  }

  async create(dialogue: Dialogue): Promise<void> {
    await this.write(dialogue, { version: 1, updatedAt: this.clock().toISOString() });
  }

  /** Writes a dialogue exactly as given (its version and updatedAt kept); used by `store migrate`. */
  async restore(dialogue: Dialogue): Promise<void> {
    await this.write(dialogue, { version: dialogue.version, updatedAt: dialogue.updatedAt });
  }

  /** The file store's integrity check is the store file's checksum and shape: one file per dialogue. */
  async verify(id: string): Promise<VerifyReport> {
    checkDialogueId(id);
    try {
      await this.read(id);
      return { id, items: 1, ok: true, problems: [], notes: [] };
    } catch (error) {
      const storeError = this.asStoreError(error, id);
      if (storeError instanceof BlueError && storeError.code === 'dialogue_not_found' && (await isDirectory(this.dialogueDir(id)))) {
        const message = `${this.display(this.storeFile(id))} is missing: the folder of dialogue ${id} holds no store file.`;
        return { id, items: 0, ok: false, problems: [{ item: this.display(this.storeFile(id)), code: 'store_file_missing', message }], notes: [] };
      }
      if (!(storeError instanceof BlueError) || storeError.exitCode !== 4) throw storeError;
      return { id, items: 1, ok: false, problems: [{ item: this.display(this.storeFile(id)), code: storeError.code, message: storeError.message }], notes: [] };
    }
  }

  async ids(options: ListOptions = {}): Promise<string[]> {
    // list reads every store file already; the unreadable ones come back as problems, and are ids too.
    const problems: CatalogProblem[] = [];
    const readable = await this.list({ problems });
    options.problems?.push(...problems);
    return [...readable.map((summary) => summary.id), ...problems.map((problem) => problem.id)].sort();
  }

  private async write(dialogue: Dialogue, stamp: { version: number; updatedAt: string }): Promise<void> {
    const id = dialogue.id;
    checkDialogueId(id);
    const stored = stamped(dialogue, stamp);
    try {
      await fs.mkdir(this.dialogueDir(id), { recursive: true });
      await this.withDialogueLock(id, async (lock) => {
        if (await isFile(this.storeFile(id))) {
          throw refused(
            'dialogue_exists',
            `Dialogue ${id} already exists (${this.display(this.storeFile(id))}); blue never overwrites a dialogue.`,
            { id, fix: existsFix(id) },
          );
        }
        await this.commit(id, stored, lock);
      });
    } catch (error) {
      throw this.asStoreError(error, id);
    }
  }

  async load(id: string): Promise<Dialogue> {
    checkDialogueId(id);
    try {
      return await this.read(id);
    } catch (error) {
      throw this.asStoreError(error, id);
    }
  }

  async update(id: string, change: (current: Dialogue) => Dialogue, options: UpdateOptions = {}): Promise<Dialogue> {
    checkDialogueId(id);
    try {
      // Checked before locking: the lock file lives in the dialogue's folder, which may not exist.
      if (!(await isFile(this.storeFile(id)))) throw dialogueNotFound(id);
      return await this.withDialogueLock(id, async (lock) => {
        // `current` is parsed for this call alone (or handed over by the caller), so `change` may mutate it.
        return writeNextVersion(id, async () => ({ dialogue: await this.readUnlessUnchanged(id, options.from) }), change, (next) => this.commit(id, next, lock), this.clock);
      });
    } catch (error) {
      throw this.asStoreError(error, id);
    }
  }

  async exists(id: string): Promise<boolean> {
    return isDialogueId(id) && isFile(this.storeFile(id));
  }

  /** Every commit renames a new store file into place: a new inode, size or modification time. */
  async revision(id: string): Promise<string> {
    checkDialogueId(id);
    try {
      const stat = await fs.stat(this.storeFile(id), { bigint: true });
      if (!stat.isFile()) throw dialogueNotFound(id);
      return revisionOf(stat);
    } catch (error) {
      if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) throw dialogueNotFound(id);
      throw this.asStoreError(error, id);
    }
  }

  /**
   * Every readable dialogue, newest first (by createdAt, then id). A corrupt or unreadable store file does
   * not break the listing: that dialogue is left out and, when `options.problems` is given, described there.
   */
  async list(options: ListOptions = {}): Promise<DialogueSummary[]> {
    const ids = await this.folderIds();
    const summaries: DialogueSummary[] = [];
    await forEachWithLimit(ids, LIST_CONCURRENCY, async (id) => {
      try {
        summaries.push((await this.readSummary(id)) ?? summarise(await this.read(id)));
      } catch (error) {
        const storeError = this.asStoreError(error, id);
        if (!(storeError instanceof BlueError)) throw storeError;
        if (storeError.code === 'dialogue_not_found') {
          // A dialogue's folder whose store.json is gone: its dialogue is lost here, and that is said, not hidden.
          options.problems?.push({
            id,
            file: this.display(this.storeFile(id)),
            code: 'store_file_missing',
            message: `${this.display(this.storeFile(id))} is missing: the folder of dialogue ${id} holds no store file. Restore it from version control or a backup, or check the dialogue out from the store that holds it (blue dialogue checkout ${id} --store dynamodb).`,
          });
          return;
        }
        options.problems?.push({
          id,
          file: this.display(this.storeFile(id)),
          code: storeError.code,
          message: storeError.message,
        });
      }
    });
    return summaries.sort(newestFirst);
  }

  /**
   * The full id for an exact id, a bare slug or a unique prefix of an id (case-insensitive after the exact
   * match). A slug match wins over prefix matches, since it names a whole dialogue. Only the folder names
   * are consulted, so a corrupt dialogue still resolves and its load then reports the corruption.
   */
  async resolve(idOrPrefix: string): Promise<string> {
    const wanted = idOrPrefix.trim();
    if (wanted === '') throw notFound('No dialogue id given.', idOrPrefix);
    const ids: string[] = [];
    for (const id of await this.folderIds()) if (await isFile(this.storeFile(id))) ids.push(id);
    const match = matchDialogueId(ids, wanted);
    if (match.kind === 'one') return match.id;
    if (match.kind === 'none') {
      throw notFound(`No dialogue in ${this.display(this.dialoguesDir)} matches "${wanted}" (by id, id prefix, slug or slug prefix).`, wanted);
    }
    throw ambiguous(wanted, match.candidates);
  }

  // --- internals ---------------------------------------------------------------------------------------

  private dialogueDir(id: string): string {
    return path.join(this.dialoguesDir, id);
  }

  private storeFile(id: string): string {
    return path.join(this.dialoguesDir, id, STORE_FILE_NAME);
  }

  /** A path as the user sees it: relative to the project root, with forward slashes. */
  private display(file: string): string {
    return path.relative(this.root, file).split(path.sep).join('/') || '.';
  }

  private withDialogueLock<T>(id: string, work: (lock: HeldLock) => Promise<T>): Promise<T> {
    const lockFile = path.join(this.dialogueDir(id), LOCK_FILE_NAME);
    const options = { timeoutMs: this.lockTimeoutMs, staleAfterMs: this.staleLockAfterMs, displayPath: this.display(lockFile) };
    return withLock(lockFile, options, work);
  }

  private async read(id: string): Promise<Dialogue> {
    const file = this.storeFile(id);
    const shown = this.display(file);
    const { opened, revision } = await openStoreFileAt(file, id, shown);
    const dialogue = decodeStoreFile(opened, id, shown);
    this.readAt.set(dialogue, revision);
    return dialogue;
  }

  /**
   * `from`, when this store read it from the store file as it still is (the same inode, size and time:
   * every commit renames a new file into place); else the dialogue read afresh. Called under the lock.
   */
  private async readUnlessUnchanged(id: string, from: Dialogue | undefined): Promise<Dialogue> {
    const revision = from && this.readAt.get(from);
    if (from && revision !== undefined && from.id === id && revision === (await this.revision(id))) return from;
    return this.read(id);
  }

  /** The summary on a store file's first line, reading only that; undefined when it has none (schema 1). */
  private async readSummary(id: string): Promise<DialogueSummary | undefined> {
    let handle: fs.FileHandle | undefined;
    try {
      handle = await fs.open(this.storeFile(id), 'r');
      const buffer = Buffer.alloc(HEADER_READ_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEADER_READ_BYTES, 0);
      return statedSummary(buffer.subarray(0, bytesRead).toString('utf8'), id);
    } catch {
      return undefined; // the full read says what is wrong
    } finally {
      await handle?.close();
    }
  }

  private async commit(id: string, dialogue: Dialogue, lock: HeldLock): Promise<void> {
    await lock.assertHeld();
    await writeFileAtomic(this.storeFile(id), (handle) => writeStoreFile(handle, dialogue));
    await removeLeftovers(this.dialogueDir(id), LEFTOVER_AGE_MS);
  }

  /** The ids of the dialogue folders (folders whose name is a dialogue id; they may lack a store.json). */
  private async folderIds(): Promise<string[]> {
    let entries;
    try {
      entries = await fs.readdir(this.dialoguesDir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw this.asStoreError(error);
    }
    return entries.filter((e) => (e.isDirectory() || e.isSymbolicLink()) && isDialogueId(e.name)).map((e) => e.name);
  }

  /** File-system errors become `store_io_error` (exit 1); everything else, including errors from `change`, passes. */
  private asStoreError(error: unknown, id?: string): unknown {
    if (error instanceof BlueError || !isSystemError(error)) return error;
    const where = error.path ? this.display(error.path) : this.display(this.dialoguesDir);
    return failure('store_io_error', `Cannot ${error.syscall} ${where}: ${error.code}.`, {
      id,
      path: where,
      errno: error.code,
      fix: `check ${where} (permissions, disk space, a folder where a file should be), then run the same command again`,
    });
  }
}

export function openFileStores(root: string, options?: FileStoreOptions): Stores {
  const fileStore = new FileStore(root, options);
  return { store: fileStore, catalog: fileStore, maintenance: fileStore, storeFile: { decode: decodeStoreFileText } };
}

// --- the store file -------------------------------------------------------------------------------------

interface StoreFileHeader {
  format: typeof STORE_FILE_FORMAT;
  schema: typeof STORE_FILE_SCHEMA;
  sha256: string;
}

/**
 * The first line of a schema 2 store file: format, schema, the checksum, and the dialogue's summary, so
 * that `list` reads one short line per dialogue instead of every dialogue whole. The dialogue's JSON
 * follows it, then `STORE_FILE_END`.
 */
const headerLine = (sha256: string, summary: DialogueSummary | undefined) => {
  const stated = summary && JSON.stringify(summary);
  return (
    `{"format": ${JSON.stringify(STORE_FILE_FORMAT)}, "schema": ${STORE_FILE_SCHEMA}, "sha256": ${JSON.stringify(sha256)}, ` +
    `${stated ? `"summary": ${stated}, "summary_check": ${JSON.stringify(summaryCheck(sha256, stated))}, ` : ''}"dialogue":\n`
  );
};

/**
 * The check of the first line's summary, bound to the dialogue's checksum: `list` reads only that line, so
 * a summary edited by hand must fail there, not only in a command that reads the whole file. It guards
 * against edits, not forgery (anyone can recompute a checksum), so FNV-1a does: a sha256 here would load
 * node:crypto into every `list`, which otherwise never needs it. (The placeholder header a write leaves
 * room with is never read: it is overwritten before the file is renamed.)
 */
function summaryCheck(sha256: string, statedSummary: string): string {
  const text = `${sha256}\n${statedSummary}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}
const STORE_FILE_END = '\n}\n';
/** How much of a store file `list` reads for its first line; a longer line (it is not) means a full read. */
const HEADER_READ_BYTES = 4096;

/**
 * Schema 2: one JSON document `{format, schema, sha256, summary, dialogue}` whose first line is everything
 * but the dialogue, and whose sha256 is taken over the dialogue's bytes exactly as written. The dialogue is
 * serialised once and hashed once, with no canonical form to compute on either side; its expert texts are
 * stored once (stored-text.ts). The summary is checked against the dialogue on every load. `dialogue` must
 * be plain JSON (toPlainJson).
 *
 * The dialogue goes out in pieces of WRITE_BUFFER_BYTES at most, each hashed as it is written, and the first
 * line, which holds the hash, is written last into the room left for it (a hash is always 64 characters).
 * So no write holds the whole file, as a string or as bytes, however large the dialogue.
 */
async function writeStoreFile(handle: fs.FileHandle, dialogue: Dialogue): Promise<void> {
  const summary = summarise(dialogue);
  const headerBytes = Buffer.byteLength(headerLine(HASH_ROOM, summary));
  const hash = createHash('sha256');
  let position = headerBytes;
  // The pieces are encoded into one buffer, written and hashed whenever it fills, and the buffer reused:
  // a write makes no string or buffer the size of the file, nor many that wait for a full collection.
  const buffer = Buffer.allocUnsafe(WRITE_BUFFER_BYTES);
  let used = 0;
  const emit = async (bytes: Buffer) => {
    hash.update(bytes);
    await writeAt(handle, bytes, position);
    position += bytes.length;
  };
  const flush = async () => {
    await emit(buffer.subarray(0, used));
    used = 0;
  };
  for (const piece of prettyJsonPieces(dialogue, storedEntity(dialogue))) {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8; only a piece that may not fit is measured.
    const room = WRITE_BUFFER_BYTES - used;
    const size = piece.length * 3 > room ? Buffer.byteLength(piece, 'utf8') : 0;
    if (size > room) {
      await flush();
      // A piece larger than the buffer (one long output) goes out on its own.
      if (size > WRITE_BUFFER_BYTES) {
        await emit(Buffer.from(piece, 'utf8'));
        continue;
      }
    }
    used += buffer.write(piece, used, 'utf8');
  }
  await flush();
  await writeAt(handle, Buffer.from(STORE_FILE_END, 'utf8'), position);
  const header = Buffer.from(headerLine(hash.digest('hex'), summary), 'utf8');
  if (header.length !== headerBytes) throw new Error(`store file header of ${header.length} bytes where ${headerBytes} were left`);
  await writeAt(handle, header, 0);
}

/** The room the first line leaves for the hash, which is 64 hex digits. */
const HASH_ROOM = '0'.repeat(64);
/** How much of the dialogue's JSON is encoded, hashed and written at a time. */
const WRITE_BUFFER_BYTES = 256 * 1024;

/** All of `bytes` at `position` (a write may take less than it is given). */
async function writeAt(handle: fs.FileHandle, bytes: Buffer, position: number): Promise<void> {
  for (let done = 0; done < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

/**
 * A schema 2 store file holding `value` as it is, as one string: what writeStoreFile writes for a
 * dialogue, for the tests and tools that make a store file by hand. JSON.stringify writes its body, so it
 * also stands as the reference the pieces are checked against.
 */
export function sealStoreFile(value: unknown, summary?: DialogueSummary): string {
  const body = JSON.stringify(value, null, 2);
  return `${headerLine(sha256Hex(body), summary)}${body}${STORE_FILE_END}`;
}

/** The summary a schema 2 file's first line states, from its first bytes alone; undefined when there is none. */
export function statedSummary(head: string, id: string): DialogueSummary | undefined {
  const newline = head.indexOf('\n');
  if (newline === -1) return undefined;
  // A CRLF checkout (withoutCrlf) ends the line in a CR.
  const header = parseHeader(head.slice(0, head[newline - 1] === '\r' ? newline - 1 : newline));
  if (!header || header.format !== STORE_FILE_FORMAT || header.schema !== STORE_FILE_SCHEMA) return undefined;
  // A summary that fails its check (or has none: an earlier blue's) is not trusted: the full read says why.
  return isSummaryOf(header.summary, id) && hasValidSummaryCheck(header) ? header.summary : undefined;
}

function hasValidSummaryCheck(header: Record<string, unknown>): boolean {
  return typeof header.sha256 === 'string' && header.summary_check === summaryCheck(header.sha256, JSON.stringify(header.summary));
}

function isSummaryOf(value: unknown, id: string): value is DialogueSummary {
  return isRecord(value) && value.id === id && typeof value.title === 'string' && (DIALOGUE_STATUSES as readonly unknown[]).includes(value.status) &&
    Number.isSafeInteger(value.rounds) && Number.isSafeInteger(value.alignment) &&
    typeof value.createdAt === 'string' && typeof value.updatedAt === 'string' && Object.keys(value).length === 7;
}

/** A schema 2 first line ends in `"dialogue":`; completed with `null}` it is a JSON object. */
function parseHeader(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{') || !line.endsWith('"dialogue":')) return undefined;
  try {
    const header: unknown = JSON.parse(`${line} null}`);
    return isRecord(header) ? header : undefined;
  } catch {
    return undefined;
  }
}

/** A store file checked as bytes and decoded: its schema 2 header (none for schema 1) and its text. */
interface OpenedStoreFile {
  header: Record<string, unknown> | undefined;
  /** The dialogue's JSON (schema 2), or the whole file (schema 1); emptied when it is parsed. */
  text: string;
}

function corruption(id: string, displayPath: string): Corrupt {
  // A broken checksum is also what a store file joined hunk by hunk in a merge looks like.
  const advice = (problem: string) => (problem === CHECKSUM_MISMATCH ? checksumRemedy(id, displayPath, restoreAdvice(displayPath)) : restoreAdvice(displayPath));
  return (problem, remedy = advice(problem)) =>
    integrity('corrupt_store_file', `${displayPath} is corrupt: ${problem}. ${remedy}`, { id, file: displayPath, problem, fix: remedy, ...(problem === CHECKSUM_MISMATCH ? { merged: mergedRemedy(id, displayPath) } : {}) });
}

/**
 * The store file at `file`, read, checked and decoded, in a call of its own. The parse that follows needs
 * the most memory, and the bytes must be garbage by then: a frame that had held them would keep them alive
 * through it (an interpreter's registers are roots), and a scavenge during the parse would move them to the
 * old generation, which a short command seldom collects. At 100x, that kept 11 MB more for the whole command.
 */
async function openStoreFileAt(file: string, id: string, displayPath: string): Promise<{ opened: OpenedStoreFile; revision: string }> {
  let whole: { bytes: Buffer; revision: string };
  try {
    whole = await readWhole(file);
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) throw dialogueNotFound(id);
    throw error;
  }
  return { opened: openStoreFile(whole.bytes, id, displayPath), revision: whole.revision };
}

/** Checks what can be checked on the bytes (the header, the end, the checksum) and decodes the text. */
function openStoreFile(checkedOut: Buffer, id: string, displayPath: string): OpenedStoreFile {
  const found = corruption(id, displayPath);
  const bytes = withoutCrlf(checkedOut);
  // A merge that could not join two versions leaves git's markers: that is said, whichever check fails.
  const corrupt: Corrupt = (problem, remedy) => (hasConflictMarkers(bytes) ? conflictError(id, displayPath) : found(problem, remedy));
  const newline = bytes.indexOf(LF);
  const header = newline === -1 ? undefined : parseHeader(bytes.subarray(0, newline).toString('utf8'));
  if (!header && hasConflictMarkers(bytes)) throw conflictError(id, displayPath); // its first line is a marker
  if (!header) return { header, text: bytes.toString('utf8') };
  checkHeader(header, corrupt);
  const end = Buffer.byteLength(STORE_FILE_END);
  if (bytes.length < newline + 1 + end || bytes.subarray(bytes.length - end).toString('utf8') !== STORE_FILE_END) {
    throw corrupt('it does not end where a store file ends (it was cut short or edited by hand)');
  }
  const body = bytes.subarray(newline + 1, bytes.length - end);
  if (typeof header.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(header.sha256)) throw corrupt('it has no valid "sha256" checksum');
  if (sha256Hex(body) !== header.sha256) throw corrupt(CHECKSUM_MISMATCH);
  if ('summary_check' in header && !hasValidSummaryCheck(header)) {
    throw corrupt("its first line's summary does not match its summary_check, so it was edited by hand");
  }
  return { header, text: body.toString('utf8') };
}

const CR = 0x0d;
const LF = 0x0a;

/**
 * The bytes with each CR that ends a line taken out. git on Windows (core.autocrlf, a `text eol=crlf`
 * attribute) checks store.json out with CRLF line ends; blue never writes a raw CR into one (JSON writes it
 * as \r), so every CRLF is that conversion, undone here before anything is checked: the checksum then holds
 * for the file as blue wrote it, and the next write puts LF back. A CR anywhere else is kept, and fails the
 * checks as any other change does.
 */
function withoutCrlf(bytes: Buffer): Buffer {
  let at = bytes.indexOf(CR);
  if (at === -1) return bytes;
  const out = Buffer.allocUnsafe(bytes.length);
  let length = 0;
  let from = 0;
  for (; at !== -1; at = bytes.indexOf(CR, at + 1)) {
    if (bytes[at + 1] !== LF) continue;
    length += bytes.copy(out, length, from, at);
    from = at + 1;
  }
  length += bytes.copy(out, length, from);
  return out.subarray(0, length);
}

/** The parsed value; the text is let go of here, so that only the parse holds it. */
function parseOpened(opened: OpenedStoreFile, corrupt: Corrupt): Record<string, unknown> {
  const text = opened.text;
  opened.text = '';
  if (!opened.header) return decodeSchema1(text, corrupt);
  const parsed = parseJson(text, corrupt);
  if (!isRecord(parsed)) throw corrupt('it holds no "dialogue" object');
  return parsed;
}

/**
 * The dialogue in a store file's text (from elsewhere than its folder: the one a commit records), checked
 * and decoded as `load` reads the file, with the same errors naming `displayPath`. blue writes store files
 * in UTF-8, so the text's UTF-8 bytes are the file's.
 */
export function decodeStoreFileText(text: string, id: string, displayPath: string): Dialogue {
  return decodeStoreFile(openStoreFileText(text, id, displayPath), id, displayPath);
}

/** The bytes made of the text are let go of here, before the parse (see openStoreFileAt). */
function openStoreFileText(text: string, id: string, displayPath: string): OpenedStoreFile {
  return openStoreFile(Buffer.from(text, 'utf8'), id, displayPath);
}

function decodeStoreFile(opened: OpenedStoreFile, id: string, displayPath: string): Dialogue {
  const corrupt = corruption(id, displayPath);
  const { header } = opened;
  const value = parseOpened(opened, corrupt);
  expandTexts(value, displayPath);
  const problems = dialogueShapeProblems(value);
  if (problems.length > 0) throw corrupt(`its dialogue is malformed: ${summariseProblems(problems)}`);
  const dialogue = value as unknown as Dialogue;
  if (dialogue.id !== id) {
    throw corrupt(`it holds dialogue ${dialogue.id}, but its folder is named ${id} (was a folder copied or renamed?)`);
  }
  if (header && canonicalJson(header.summary) !== canonicalJson(summarise(dialogue))) {
    throw corrupt('its first line\'s summary disagrees with its dialogue, so it was edited by hand');
  }
  return dialogue;
}

type Corrupt = (problem: string, remedy?: string) => BlueError;

function checkHeader(header: Record<string, unknown>, corrupt: Corrupt): void {
  if (header.format !== STORE_FILE_FORMAT) throw corrupt(`it is not a blue dialogue store file (no "format": "${STORE_FILE_FORMAT}")`);
  const schema = header.schema;
  if (schema === STORE_FILE_SCHEMA) return;
  if (typeof schema === 'number' && schema > STORE_FILE_SCHEMA) {
    throw corrupt(`it has store schema ${schema}, newer than this blue reads (${STORE_FILE_SCHEMA})`, 'It was written by a newer blue: upgrade blue to read it.');
  }
  throw corrupt(`its store schema is ${JSON.stringify(schema) ?? 'missing'}, expected ${STORE_FILE_SCHEMA}`);
}

function parseJson(text: string, corrupt: Corrupt): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw corrupt(`it is not valid JSON (${(error as Error).message})`);
  }
}

/**
 * Schema 1, as blue wrote it before: one pretty-printed document whose sha256 is over the canonical JSON of
 * the dialogue. Still read, and written as schema 2 by the next change.
 */
function decodeSchema1(text: string, corrupt: Corrupt): Record<string, unknown> {
  if (text.trim() === '') throw corrupt('the file is empty');
  const envelope = parseJson(text, corrupt);
  if (!isRecord(envelope) || envelope.format !== STORE_FILE_FORMAT) {
    throw corrupt(`it is not a blue dialogue store file (no "format": "${STORE_FILE_FORMAT}")`);
  }
  if (envelope.schema !== 1) {
    checkHeader(envelope, corrupt);
    // A schema 2 header on one line is the only schema 2 form; pretty-printed, the file was reformatted.
    throw corrupt('its schema 2 header is not on its first line, so it was reformatted by hand');
  }
  if (typeof envelope.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(envelope.sha256)) {
    throw corrupt('it has no valid "sha256" checksum');
  }
  if (!isRecord(envelope.dialogue)) throw corrupt('it holds no "dialogue" object');
  if (sha256Hex(canonicalJson(envelope.dialogue)) !== envelope.sha256) throw corrupt(CHECKSUM_MISMATCH);
  return envelope.dialogue;
}

const CHECKSUM_MISMATCH = 'its content does not match its sha256 checksum, so it was edited by hand, merged line by line, or damaged';

function restoreAdvice(displayPath: string): string {
  return (
    'blue never repairs or replaces a store file silently: restore it from version control ' +
    `(e.g. git checkout -- ${displayPath}) or from a backup.`
  );
}

// --- helpers ----------------------------------------------------------------------------------------------

/**
 * A file's bytes in as few reads as its size allows. fs.readFile reads in 512 KB steps, a trip to the
 * thread pool each: a 10 MB store took some 20 of them, and the command waited on each in turn.
 */
async function readWhole(file: string): Promise<{ bytes: Buffer; revision: string }> {
  const handle = await fs.open(file, 'r');
  try {
    const stat = await handle.stat({ bigint: true });
    const size = Number(stat.size);
    const revision = revisionOf(stat);
    const bytes = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(bytes, filled, size - filled, filled);
      if (bytesRead === 0) break; // cut short while we read: what is there is checked like any other
      filled += bytesRead;
    }
    // A file that grew while we read is read again whole rather than in part.
    if (filled === size && (await handle.read(Buffer.alloc(1), 0, 1, size)).bytesRead > 0) return { bytes: await fs.readFile(file), revision: '' };
    return { bytes: filled === size ? bytes : bytes.subarray(0, filled), revision };
  } finally {
    await handle.close();
  }
}

function revisionOf(stat: { ino: bigint; size: bigint; mtimeNs: bigint }): string {
  return `${stat.ino}:${stat.size}:${stat.mtimeNs}`;
}

async function isDirectory(path: string): Promise<boolean> {
  return fs.stat(path).then((s) => s.isDirectory(), () => false);
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException & { syscall: string; code: string } {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string' &&
    typeof (error as NodeJS.ErrnoException).code === 'string';
}

async function forEachWithLimit<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
