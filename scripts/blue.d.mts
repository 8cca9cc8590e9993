// Types of scripts/blue.mjs for the TypeScript tests.

export declare const REPO: string;
export declare const BIN: string;

export interface BlueRun {
  /** The exit code; -1 when the process was killed by a signal. */
  status: number;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** stdout parsed, when it is a JSON object or array. */
  json: any;
}

export interface BlueOptions {
  /** The folder to run in (default: the current one). */
  cwd?: string;
  /** Added to process.env; undefined removes a variable. */
  env?: Record<string, string | undefined>;
  /** Throw, with the CLI's stderr and stdout, when the exit code is not 0. */
  check?: boolean;
}

export declare function staleDist(repo?: string): string | undefined;
export declare function assertDistCurrent(): void;
export declare function runBlue(args: string[], options?: BlueOptions): BlueRun;
export declare function runBlueAsync(args: string[], options?: BlueOptions): Promise<BlueRun>;
