// The ports every store implements. A DialogueStore touches one dialogue (one partition) per call;
// cross-dialogue reads live in the DialogueCatalog. Both the file store and the DynamoDB store pass
// the same conformance suite (test/store/conformance.ts).

import type { Dialogue, DialogueSummary } from '../domain/model.js';

/** The two stores behind the same commands. */
export type StoreKind = 'file' | 'dynamodb';

export interface DialogueStore {
  /** Creates a dialogue; fails with `dialogue_exists` (exit 3) rather than overwrite one. */
  create(dialogue: Dialogue): Promise<void>;
  /** The whole dialogue; `dialogue_not_found` (exit 2) when absent, exit 4 when it fails integrity checks. */
  load(id: string): Promise<Dialogue>;
  /**
   * Reads the current dialogue, applies `change` and commits the result atomically, so that no other
   * writer's change is lost: the file store holds the dialogue's lock around the whole read-change-write,
   * the DynamoDB store writes conditionally on the version it read and retries on a conflict.
   * `change` is pure and may run more than once; it returns the new dialogue (with the same version:
   * the store bumps it) and may throw to refuse the change, in which case nothing is written.
   */
  update(id: string, change: (current: Dialogue) => Dialogue, options?: UpdateOptions): Promise<Dialogue>;
  /** Whether a dialogue with exactly this id exists. */
  exists(id: string): Promise<boolean>;
  /**
   * A token that changes whenever the dialogue does, far cheaper than `load` (a stat of the store file; one
   * small read of DynamoDB's meta item, nothing decrypted), so that `show --watch` can poll it. It
   * authenticates nothing: a new token only says that a `load` is worth making. `dialogue_not_found`
   * (exit 2) when absent.
   */
  revision(id: string): Promise<string>;
}

export interface UpdateOptions {
  /**
   * What this store's `load` returned for the dialogue moments ago, unchanged since. The store may start
   * from it rather than read the dialogue again (a command that loads, reads files, then updates reads
   * once), as long as the stored dialogue has not moved on since: else it reads afresh, as without it.
   * It may be handed to `change`, which may mutate it: the caller does not use it afterwards.
   */
  from?: Dialogue;
}

/** A dialogue that `list` could not read; it is left out of the summaries and described instead. */
export interface CatalogProblem {
  id: string;
  file: string;
  code: string;
  message: string;
  /** The exit code of the failure it describes (4: integrity), when known. */
  exitCode?: number;
}

export interface ListOptions {
  /** When given, dialogues that cannot be read (corrupt, unreadable) are described here. */
  problems?: CatalogProblem[];
}

export interface DialogueCatalog {
  /** Every readable dialogue, newest first; unreadable ones go to `options.problems`. */
  list(options?: ListOptions): Promise<DialogueSummary[]>;
  /** Resolves an id, a unique id prefix or a bare slug to the full id; exit 2 when none or several match. */
  resolve(idOrPrefix: string): Promise<string>;
}

/** What `store verify` found for one dialogue. */
export interface VerifyReport {
  id: string;
  /** How many stored items (DynamoDB) or files (file store) were read. */
  items: number;
  ok: boolean;
  /** Each item that failed its check, named; `ok` is false when there is any. */
  problems: Array<{ item: string; code: string; message: string }>;
  /** Things worth knowing that are not damage (e.g. leftovers of an interrupted write). */
  notes: string[];
}

/** What `blue store` needs beyond the dialogue commands: copying whole dialogues and checking them. */
export interface StoreMaintenance {
  readonly kind: 'file' | 'dynamodb';
  /** Every dialogue id the store holds, readable or not (unreadable ones also go to `options.problems`). */
  ids(options?: ListOptions): Promise<string[]>;
  /** Writes a dialogue exactly as given, version and updatedAt included; `dialogue_exists` (exit 3) if present. */
  restore(dialogue: Dialogue): Promise<void>;
  /** Reads and authenticates everything stored for one dialogue, collecting every problem. */
  verify(id: string): Promise<VerifyReport>;
}

/**
 * How a store that keeps each dialogue's state in a file of the project (the file store's
 * `.blue/dialogues/<id>/store.json`, which the repository may track) reads such a file's content from
 * somewhere else than its folder: blue's git hook reads the store.json a commit records.
 */
export interface StoreFileReader {
  /**
   * The dialogue in the text of dialogue `id`'s store file, checked and decoded exactly as the store reads
   * its own file: `corrupt_store_file` (exit 4), naming `file`, when it fails a check.
   */
  decode(text: string, id: string, file: string): Dialogue;
}

export interface Stores {
  store: DialogueStore;
  catalog: DialogueCatalog;
  maintenance: StoreMaintenance;
  /** Present when the store's state is a file of the project that git may track (the file store). */
  storeFile?: StoreFileReader;
  close?(): Promise<void>;
}
