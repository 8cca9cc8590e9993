// What `list` and `export --all` answer of the dialogues they could not read: each named in `problems`,
// and the command failing as the problem says (CLI.md: exit 4 for a corrupt store, 1 when only I/O failed).

import type { CatalogProblem } from '../store/types.js';
import type { CommandResult } from './spec.js';

/** The `problems` member of the --json answer (none when every dialogue was read). */
export function problemsJson(problems: readonly CatalogProblem[]): { problems?: Array<Pick<CatalogProblem, 'id' | 'file' | 'code' | 'message'>> } {
  return problems.length ? { problems: problems.map((p) => ({ id: p.id, file: p.file, code: p.code, message: p.message })) } : {};
}

/** An unreadable dialogue fails the command: exit 1 when only I/O failed, else 4 (integrity). */
export function unreadableExit(problems: readonly CatalogProblem[]): Pick<CommandResult, 'exitCode'> {
  return problems.length ? { exitCode: problems.every((p) => p.code === 'store_io_error') ? 1 : 4 } : {};
}

/** How many dialogues could not be read, as a summary line says it (each is named on stderr). */
export function unreadableCount(problems: readonly CatalogProblem[]): string {
  return `${problems.length} dialogue${problems.length === 1 ? '' : 's'} could not be read (named above)`;
}
