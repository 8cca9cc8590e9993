// A store file that git merged: left with conflict markers when both sides changed it (its first line, a
// checksum of the rest, always differs), or with its checksum broken when someone joined the two versions
// hunk by hunk. Neither can be mended line by line; what can be done is to take one side whole and redo the
// other side's steps with blue, which these words say.

import { integrity, type BlueError } from '../../domain/errors.js';

/** git's markers at the start of a line: `<<<<<<< ours`, `=======` (and diff3's `||||||| base`), `>>>>>>> theirs`. */
const MARKERS = ['<<<<<<< ', '>>>>>>> ', '||||||| ', '=======\n'];

/**
 * Whether the file (its CRLFs read as LF already) holds git's conflict markers. No line of a store file
 * blue wrote starts with `<`, `=`, `>` or `|` (its text is JSON, whose strings keep their line breaks
 * escaped), so a marker is a merge's. Asked once a check has failed, or of a file with no schema 2 first
 * line (a conflict's first line is a marker): a sound schema 2 file never pays for it.
 */
export function hasConflictMarkers(bytes: Buffer): boolean {
  return MARKERS.some((marker) => bytes.subarray(0, marker.length).toString('utf8') === marker || bytes.includes(`\n${marker}`));
}

/** How to come out of a merge that joined (or could not join) two versions of a store file. */
function takeOneSide(id: string, file: string): string {
  return (
    `take one side whole with \`git checkout --ours ${file}\` (or \`--theirs\`; once the file is git added, ` +
    `\`git checkout -m ${file}\` first brings the conflict back), redo the other side's steps with blue commands, then ` +
    `\`blue dialogue export ${id}\` and \`blue dialogue checkout ${id} --force\` (for the judge files), git add the dialogue's folder and conclude the merge`
  );
}

/** The problem, as the store names it: what the file holds, and what that means. */
export const CONFLICT_PROBLEM = "it has an unresolved merge conflict: git left its conflict markers in it (lines that start <<<<<<<, ======= and >>>>>>>)";

/** A store file with conflict markers: still exit 4 corrupt_store_file, with the remedy that works. */
export function conflictError(id: string, file: string): BlueError {
  const fix = `A store.json cannot be merged line by line (its first line is a checksum of the rest): ${takeOneSide(id, file)}`;
  return integrity('corrupt_store_file', `${file} has an unresolved merge conflict: git left its conflict markers in it (lines that start <<<<<<<, ======= and >>>>>>>). ${fix}.`, {
    id,
    file,
    problem: CONFLICT_PROBLEM,
    conflict: true,
    fix,
  });
}

/** The remedy for a checksum that fails: a restore, or, where a merge joined two versions, one side whole. */
export function checksumRemedy(id: string, file: string, restore: string): string {
  return `${restore} If a merge joined two versions of it line by line, ${takeOneSide(id, file)}.`;
}

/** The same advice, for a store.json a commit stages (the hook's words for it). */
export function mergedRemedy(id: string, file: string): string {
  return `if a merge joined two versions of it line by line, ${takeOneSide(id, file)}`;
}
