// Types of scripts/replay.mjs for the TypeScript tests.

import type { BlueRun } from './blue.mjs';

export interface ReplayOptions {
  /** The judge script (judge.json); its paths are relative to its folder. */
  judgeFile: string;
  /** The project folder to replay into (created). */
  root: string;
  store?: 'file' | 'dynamodb';
  /** Added to process.env for every call. */
  env?: Record<string, string | undefined>;
  /** Called after every blue call with its arguments, its result and its wall time in ms. */
  onCall?: (args: string[], result: BlueRun & { ms: number }) => void;
}

export interface ReplayRound {
  round: number;
  opened: any;
  ingested: any;
  scored: any;
}

export interface ReplayResult {
  id: string;
  /** The exported record's absolute path, and its path relative to root. */
  record: string;
  recordRelative: string;
  rounds: ReplayRound[];
  /** Every figure blue reported that differs from what the judge script expects. */
  problems: string[];
  referenceRecord: string | undefined;
}

export declare function replay(options: ReplayOptions): ReplayResult;
export declare function replayAsync(options: ReplayOptions): Promise<ReplayResult>;
export declare function blue(args: string[], options?: { root?: string; env?: Record<string, string | undefined>; allowFail?: boolean }): BlueRun;
