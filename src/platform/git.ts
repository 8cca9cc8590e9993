// git, as blue's hook needs it: what a commit stages, the staged content of a file, and the hooks folder.
// Every call spawns git itself (no library): its plumbing output is the contract, and git honours the
// environment a hook runs in (GIT_INDEX_FILE for `git commit -a`, GIT_DIR, core.hooksPath).
//
// The pre-commit gate (src/cli/hook-gate.ts) needs only git-command.ts; this module is for the hook itself.

import { constants } from 'node:fs';
import { access, lstat, mkdir, readFile, rename } from 'node:fs/promises';
import { dirname, isAbsolute, posix, resolve } from 'node:path';
import { badInput, failure } from '../domain/errors.js';
import { writeFileAtomic } from './atomic-write.js';
import { GitFailure, isInsideRepository, runGit as runGitRaw, stagedChanges as stagedChangesRaw, type StagedChange } from './git-command.js';

/**
 * A failed git run in blue's words: no git, no repository, or git's own message. Not every command says
 * that it is outside a repository (`git diff --cached` prints its usage there), so a failure that does not
 * say why is asked about once more.
 */
function blueErrorOf(cwd: string, error: unknown): unknown {
  if (!(error instanceof GitFailure)) return error;
  if (error.code === 'ENOENT') {
    return failure('git_not_found', 'blue could not run git: it is not on PATH. Install git, or run blue where git is on PATH.', { fix: 'install git (apt-get install -y git), or put it on PATH' });
  }
  if (/not a git repository/i.test(error.stderr) || !isInsideRepository(cwd)) {
    return badInput('not_a_git_repository', `${cwd} is not inside a git repository: run \`git init\` there first, or give --root <a folder of the repository>.`, { folder: cwd, fix: `run git init in ${cwd}, or give --root <a folder of the repository>` });
  }
  return failure('git_failed', `git ${error.args.join(' ')} failed in ${cwd}: ${error.message}`, { command: ['git', ...error.args], folder: cwd, fix: `run git ${error.args.join(' ')} in ${cwd} yourself to see why` });
}

export function runGit(cwd: string, args: string[], input?: string): Promise<Buffer> {
  return runGitRaw(cwd, args, input).catch((error: unknown) => {
    throw blueErrorOf(cwd, error);
  });
}

export function stagedChanges(cwd: string): StagedChange[] {
  try {
    return stagedChangesRaw(cwd);
  } catch (error) {
    throw blueErrorOf(cwd, error);
  }
}


/** A staged file: its content, or undefined when the index holds no such path. */
export type StagedContent = { path: string; text: string | undefined };

/**
 * Reads the staged content of each path (relative to the top level) with one `git cat-file --batch`: one
 * process however many files, and binary-safe (each object's size is given before its bytes).
 */
async function staged(cwd: string, paths: readonly string[]): Promise<StagedContent[]> {
  if (paths.length === 0) return [];
  // A name with a line break cannot be asked for line by line; such a path is no dialogue file anyway.
  const asked = paths.filter((p) => !/[\n\r]/.test(p));
  const out = await runGit(cwd, ['cat-file', '--batch'], asked.map((p) => `:${p}\n`).join(''));
  const found = new Map<string, string>();
  let at = 0;
  for (const path of asked) {
    const end = out.indexOf(0x0a, at);
    if (end < 0) break;
    const header = out.subarray(at, end).toString('utf8');
    at = end + 1;
    const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!match) continue; // `<name> missing`: the index holds no such path
    const size = Number(match[2]);
    found.set(path, out.subarray(at, at + size).toString('utf8'));
    at += size + 1; // the content, then a line feed
  }
  return paths.map((path) => ({ path, text: found.get(path) }));
}

/** A hook file as it stands: its text (undefined when it is binary), and whether git would run it. */
export interface HookFile {
  text: string | undefined;
  executable: boolean;
}

/**
 * The repository that holds the project at `root`: what its index stages, relative to the project root
 * (a file outside the project starts with `../`), and its hooks folder.
 */
export class GitRepository {
  private prefixOnce: Promise<string> | undefined;
  private changesOnce: Promise<StagedChange[]> | undefined;

  constructor(private readonly root: string) {}

  /** Where the project root is below the repository's top level: '' or `sub/dir/`. */
  projectPrefix(): Promise<string> {
    this.prefixOnce ??= runGit(this.root, ['rev-parse', '--show-prefix']).then((out) => out.toString('utf8').trim());
    return this.prefixOnce;
  }

  private async fromTop(projectPath: string): Promise<string> {
    return posix.normalize(posix.join(await this.projectPrefix(), projectPath));
  }

  /** What the commit changes, named from the project root: one `git diff` for stagedFiles and deletedFiles. */
  private changes(): Promise<StagedChange[]> {
    this.changesOnce ??= (async () => {
      const changes = stagedChanges(this.root);
      if (changes.length === 0) return [];
      const prefix = (await this.projectPrefix()).replace(/\/$/, '');
      return prefix === '' ? changes : changes.map((c) => ({ ...c, path: posix.relative(prefix, c.path) }));
    })();
    return this.changesOnce;
  }

  async stagedFiles(): Promise<string[]> {
    return (await this.changes()).filter((c) => !c.deleted).map((c) => c.path);
  }

  async deletedFiles(): Promise<string[]> {
    return (await this.changes()).filter((c) => c.deleted).map((c) => c.path);
  }

  async stagedTexts(projectPaths: readonly string[]): Promise<StagedContent[]> {
    const tops = await Promise.all(projectPaths.map((p) => this.fromTop(p)));
    const read = await staged(this.root, tops);
    return read.map((r, i) => ({ path: projectPaths[i], text: r.text }));
  }

  /**
   * Every folder of the repository that holds a `.blue/` with a file in it, tracked or not ignored, from
   * the top level ('' for the top level itself): the blue projects a hook may check.
   */
  async projects(): Promise<string[]> {
    const out = await runGit(this.root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--full-name', '--', ':(top,glob)**/.blue/**']);
    const found = new Set<string>();
    for (const path of out.toString('utf8').split('\0')) {
      if (path.startsWith('.blue/')) found.add('');
      else if (path.includes('/.blue/')) found.add(path.slice(0, path.indexOf('/.blue/')));
    }
    return [...found].sort();
  }

  /**
   * The hooks folder, as git names it from the project root (core.hooksPath when it is set): relative
   * to the project root, or absolute.
   */
  async hooksFolder(): Promise<string> {
    return (await runGit(this.root, ['rev-parse', '--git-path', 'hooks'])).toString('utf8').trim();
  }

  private full(path: string): string {
    return isAbsolute(path) ? path : resolve(this.root, path);
  }

  async readHook(path: string): Promise<HookFile | undefined> {
    const full = this.full(path);
    const stats = await lstat(full).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw failure('hook_unreadable', `cannot read ${path}: ${error.message}`, { file: path, fix: `check the permissions of ${path}` });
    });
    if (!stats) return undefined;
    const bytes = await readFile(full).catch((error: NodeJS.ErrnoException) => {
      throw failure('hook_unreadable', `cannot read ${path}: ${error.message}`, { file: path, fix: `check the permissions of ${path}` });
    });
    const executable = await access(full, constants.X_OK).then(() => true, () => false);
    return { text: bytes.includes(0) ? undefined : bytes.toString('utf8'), executable };
  }

  async exists(path: string): Promise<boolean> {
    return lstat(this.full(path)).then(() => true, () => false);
  }

  /** Writes a hook atomically (a reader sees the old file or the new one), executable. */
  async writeHook(path: string, text: string): Promise<void> {
    const full = this.full(path);
    try {
      await mkdir(dirname(full), { recursive: true });
      await writeFileAtomic(full, text, { mode: 0o755 });
    } catch (error) {
      throw failure('hook_unwritable', `cannot write ${path}: ${(error as Error).message}`, { file: path, fix: `check that the hooks folder of ${path} is writable` });
    }
  }

  /** Renames a hook file; the caller has checked that `to` is free. */
  async moveHook(from: string, to: string): Promise<void> {
    await rename(this.full(from), this.full(to)).catch((error: Error) => {
      throw failure('hook_unwritable', `cannot move ${from} to ${to}: ${error.message}`, { file: from, fix: `check that the hooks folder is writable, or move ${from} yourself` });
    });
  }
}
