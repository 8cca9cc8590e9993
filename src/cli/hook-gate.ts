// The pre-commit hook runs on every commit (and pre-merge-commit on every merge git commits itself). When
// the commit adds, changes or deletes no dialogue file (no export and no store.json under a
// `.blue/dialogues/<id>/`), there is nothing to check: main answers before it loads the command tree, the
// configuration or a store, for the price of one `git diff`.

import { resolve } from 'node:path';
import { stagedChanges } from '../platform/git-command.js';
import { dialogueFileOf } from '../domain/dialogue-files.js';

/**
 * The folder to ask git in, when `argv` is the installed hook's own command line (`hook run pre-commit` or
 * `hook run pre-merge-commit`, maybe with `--root <dir>`); undefined for anything else, which takes the
 * ordinary way.
 */
function gatedFolder(argv: readonly string[], cwd: string): string | undefined {
  if (argv[0] !== 'hook' || argv[1] !== 'run' || (argv[2] !== 'pre-commit' && argv[2] !== 'pre-merge-commit')) return undefined;
  if (argv.length === 3) return cwd;
  if (argv.length === 5 && argv[3] === '--root') return resolve(cwd, argv[4]);
  return undefined;
}

/** Whether a path from the top level is a dialogue file of some blue project in the repository. */
function isDialogueFile(path: string): boolean {
  const at = path.lastIndexOf('.blue/dialogues/');
  return at >= 0 && (at === 0 || path[at - 1] === '/') && dialogueFileOf(path.slice(at)) !== undefined;
}

/** True when the hook has nothing to check; false when it has, or when git says something unexpected. */
export function preCommitHasNothingToCheck(argv: readonly string[], cwd: string): boolean {
  const folder = gatedFolder(argv, cwd);
  if (folder === undefined) return false;
  // Paths are relative to the top level here: a dialogue file anywhere in the repository takes the full
  // way, which works out which project it belongs to.
  try {
    return !stagedChanges(folder).some((c) => isDialogueFile(c.path));
  } catch {
    return false; // not a repository, or no git: the full way says so
  }
}
