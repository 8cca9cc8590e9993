// What a use case is given: its ports. Each use case takes these and returns a value; the command line
// (src/cli/) builds them, and the tests build them around a temporary folder.

import type { AgentRunner } from '../agents/types.js';
import type { StoreKind, Stores } from '../store/types.js';
import type { Workspace } from '../workspace/types.js';

export interface Clock {
  now(): Date;
}

/** Where warnings and progress go (stderr on the command line): never the command's answer. */
export interface Log {
  /** `input`: the same warning about an input file, structured, for the JSON answer's `warnings`. */
  warn(message: string, input?: { file: string; message: string }): void;
  progress(message: string): void;
}

/** What `blue store init` did, step by step (each step is idempotent). */
export interface StoreInitReport {
  table: string;
  endpoint?: string;
  region?: string;
  tableStatus: 'created' | 'exists';
  key: { kind: 'kms'; id: string } | { kind: 'file'; id: string; path: string; created: boolean };
  indexKey: 'created' | 'exists';
}

export interface Ports {
  /** Opens the stores behind the command (or those of `kind`, for `store migrate`); the caller closes them. */
  openStores(kind?: StoreKind): Promise<Stores>;
  /** Which store `openStores()` opens. */
  readonly storeKind: StoreKind;
  workspace: Workspace;
  clock: Clock;
  log: Log;
  /** Creates the DynamoDB table, key and index key as configured (`store init`). */
  initDynamoStore(): Promise<StoreInitReport>;
  /** Uniform numbers in [0, 1): the seed of a dialogue started without --seed. */
  random(): number;
  /** The agent command-line tools that `round run` starts, one process group per expert. */
  agents: AgentRunner;
  /** Whether a process of this machine is still running (a zombie is not): the blue a run.json names. */
  isProcessAlive(pid: number): boolean;
}
