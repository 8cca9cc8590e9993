// Runs the built bin/blue in a temporary git repository, exactly as a user or a hook would, through the
// one spawn helper (scripts/blue.mjs, which also refuses to run a stale dist/).

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BIN, runBlue, runBlueAsync, type BlueRun } from '../../scripts/blue.mjs';
import { POOL_YAML } from './dialogue-factory.js';

export { BIN };
export type Run = BlueRun;

export interface RunOptions {
  /** Added to the environment (NO_COLOR=1 is there already); undefined removes a variable. */
  env?: Record<string, string | undefined>;
  /** Where to run, if not the project's root (e.g. a subfolder). */
  cwd?: string;
}

export class Project {
  constructor(readonly root: string) {}

  private options(options: RunOptions, check: boolean) {
    return { cwd: options.cwd ?? this.root, env: { NO_COLOR: '1', ...options.env }, check };
  }

  /**
   * Runs, whatever the exit code. Without blocking, so that tests (and the runs of one test) can go on
   * side by side; blueSync when a test needs the answer in a synchronous callback.
   */
  blue(args: string[], options: RunOptions = {}): Promise<Run> {
    return runBlueAsync(args, this.options(options, false));
  }

  /** Runs and insists on exit 0, showing the CLI's own words when it is not. */
  ok(args: string[], options: RunOptions = {}): Promise<Run> {
    return runBlueAsync(args, this.options(options, true));
  }

  blueSync(args: string[], options: RunOptions = {}): Run {
    return runBlue(args, this.options(options, false));
  }

  write(path: string, content: string): string {
    const full = join(this.root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
    return full;
  }

  read(path: string): string {
    return readFileSync(join(this.root, path), 'utf8');
  }

  exists(path: string): boolean {
    return existsSync(join(this.root, path));
  }
}

/** A new git repository in the temporary folder, `under` (default: a fresh one). */
export function newProject(under?: string, name?: string): Project {
  const root = under ? join(under, name ?? 'project') : mkdtempSync(join(tmpdir(), 'blue-e2e-'));
  execFileSync('git', ['init', '-q', root]);
  return new Project(root);
}

/** The bakery pool (test/support/dialogue-factory.ts POOL) as a pool.yaml. */
export const SMALL_POOL = POOL_YAML;
