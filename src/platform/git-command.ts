// Running git. Imports node:child_process alone: the pre-commit gate asks git what a commit stages on
// every commit, and loads nothing else (git.ts turns a failure into blue's error).

import { execFile, spawnSync } from 'node:child_process';

/** Whatever git prints is read in full; a staged record of several megabytes is not unusual. */
const MAX_OUTPUT = 256 * 1024 * 1024;

/** A git run that failed: why the process could not start (`code` ENOENT: no git), or what git said. */
export class GitFailure extends Error {
  constructor(
    readonly args: string[],
    readonly code: unknown,
    readonly stderr: string,
  ) {
    super(stderr || `git ${args.join(' ')} failed`);
  }
}

/** Runs git in `cwd` and returns its stdout; `input` goes to its stdin. Rejects with a GitFailure. */
export function runGit(cwd: string, args: string[], input?: string): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile('git', args, { cwd, encoding: 'buffer', maxBuffer: MAX_OUTPUT }, (error, stdout, stderr) => {
      if (error) reject(new GitFailure(args, error.code, stderr.toString('utf8').trim() || error.message));
      else resolvePromise(stdout);
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** A path the next commit records a change to: added or changed, or `deleted`. */
export interface StagedChange {
  path: string;
  deleted: boolean;
}

/**
 * The files the next commit adds, changes or deletes, relative to the repository's top level, as git names
 * them (`-z`: no quoting of unusual names). `--no-renames`: a file moved is its old path deleted and its new
 * one added, so that a record moved out of its dialogue's folder is seen to be gone from it.
 * Synchronous on purpose: spawnSync sets up no streams, which the every-commit gate measurably gains.
 */
export function stagedChanges(cwd: string): StagedChange[] {
  const args = ['diff', '--cached', '--name-status', '-z', '--no-renames'];
  const run = spawnSync('git', args, { cwd, maxBuffer: MAX_OUTPUT });
  if (run.error) throw new GitFailure(args, (run.error as NodeJS.ErrnoException).code, run.error.message);
  if (run.status !== 0) throw new GitFailure(args, run.status, run.stderr.toString('utf8').trim());
  // `<status>\0<path>\0` for each file (one path each, with no renames or copies paired).
  const fields = run.stdout.toString('utf8').split('\0');
  const changes: StagedChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) changes.push({ path: fields[i + 1], deleted: fields[i] === 'D' });
  return changes;
}

/**
 * Whether `cwd` is inside a git repository, as git itself decides (GIT_DIR, GIT_CEILING_DIRECTORIES). For
 * explaining a failure: outside a repository `git diff` falls back to `--no-index` and, asked for
 * `--cached`, prints its whole usage rather than saying where it is.
 */
export function isInsideRepository(cwd: string): boolean {
  const run = spawnSync('git', ['rev-parse', '--git-dir'], { cwd, stdio: 'ignore' });
  return run.error === undefined && run.status === 0;
}
