// Which file of a blue dialogue folder is which: the names blue (the reference, and this one) writes.

import { isPastryName, normaliseName } from '../names.js';
import { roundOfPath } from './folder.js';

export type FileKind =
  | 'pool'
  | 'record'
  | 'scoreboard'
  | 'tensions'
  | 'verdict'
  | 'convergence'
  | 'summary'
  | 'round-scoreboard'
  | 'panel'
  | 'prompt'
  | 'output'
  | 'brief'
  | 'blue-own'
  | 'unknown';

export interface Classified {
  kind: FileKind;
  round?: number;
  /** For prompts and outputs: the expert's name, normalised. */
  name?: string;
}

/** A file blue writes for itself (its store, exports, run logs), which an import does not read. */
const BLUE_OWN = new Set(['store.json', 'store.lock', 'transcript.md', 'dialogue.json']);

/**
 * The kind of a file, by its path in the folder (`round-1/muffin.md`) or beside it
 * (`../<folder>.expert-pool.json`, `../<folder>.dialogue.recorded.md`).
 */
export function classify(path: string, folderName: string): Classified {
  if (path.startsWith('../')) {
    const name = path.slice(3);
    if (name === `${folderName}.expert-pool.json` || name === `${folderName}.pool.json`) return { kind: 'pool' };
    if (name.startsWith(`${folderName}.dialogue`) && name.endsWith('.md')) return { kind: 'record' };
    return { kind: 'unknown' };
  }
  const round = roundOfPath(path);
  if (round === undefined) {
    const lower = path.toLowerCase();
    if (path.includes('/')) return { kind: 'unknown' };
    if (lower === 'expert-pool.json') return { kind: 'pool' };
    if (lower === 'dialogue.md') return { kind: 'record' };
    if (lower === 'scoreboard.md') return { kind: 'scoreboard' };
    if (lower === 'tensions.md') return { kind: 'tensions' };
    if (lower === 'verdict.md') return { kind: 'verdict' };
    if (/^convergence.*\.md$/.test(lower)) return { kind: 'convergence' };
    if (BLUE_OWN.has(lower)) return { kind: 'blue-own' };
    return { kind: 'unknown' };
  }
  if (!path.includes('/')) return { kind: 'summary', round };
  const file = path.slice(path.indexOf('/') + 1);
  if (file.includes('/')) return { kind: 'unknown', round };
  const lower = file.toLowerCase();
  if (lower === 'panel.json') return { kind: 'panel', round };
  if (lower === 'summary.md') return { kind: 'summary', round };
  if (lower === 'scoreboard.md') return { kind: 'round-scoreboard', round };
  if (lower === 'context-brief.md') return { kind: 'brief', round };
  if (lower === 'run.json' || lower.endsWith('.log')) return { kind: 'blue-own', round };
  const prompt = /^(.+)\.prompt\.md$/.exec(file);
  if (prompt && isPastryName(prompt[1])) return { kind: 'prompt', round, name: normaliseName(prompt[1]) };
  const output = /^(.+)\.md$/.exec(file);
  if (output && !prompt && isPastryName(output[1])) return { kind: 'output', round, name: normaliseName(output[1]) };
  return { kind: 'unknown', round };
}
