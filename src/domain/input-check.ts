// Warnings about input files that parse but may not say what their author meant: a key blue does not know
// (a typo such as `foucs`, named with the closest known key), and a key with no value that YAML made out
// of a comma in a flow mapping (`{focus: CI time, caching}` reads `caching` as a key of its own).

import { isRecord } from './values.js';

export interface InputWarning {
  file: string;
  message: string;
}

/** Warnings for the keys of `value` that are not in `known`; `path` names where it sits (`experts[2]`). */
export function keyWarnings(value: unknown, known: readonly string[], file: string, path: string): InputWarning[] {
  if (!isRecord(value)) return [];
  const warnings: InputWarning[] = [];
  const where = path ? `${path}.` : '';
  for (const [key, v] of Object.entries(value)) {
    if (known.includes(key)) continue;
    if (v === null) {
      const previous = previousKey(value, key);
      warnings.push({
        file,
        message: `${where}${key} has no value and is not a known key: YAML split a value at a comma${previous ? ` (the text after "${previous}: ...,")` : ''}; quote the value, e.g. ${previous ?? 'focus'}: "..., ${key}"`,
      });
      continue;
    }
    const closest = closestKey(key, known);
    warnings.push({ file, message: `${where}${key} is not a known key and is ignored${closest ? `; did you mean ${closest}?` : ''} (known: ${known.join(', ')})` });
  }
  return warnings;
}

function previousKey(value: Record<string, unknown>, key: string): string | undefined {
  const keys = Object.keys(value);
  const before = keys.slice(0, keys.indexOf(key)).reverse().find((k) => typeof value[k] === 'string');
  return before;
}

/** The known key nearest to `key` by edit distance, when it is near enough to be a typo. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (!best || distance < best.distance) best = { key: candidate, distance };
  }
  return best && best.distance <= Math.max(2, Math.floor(key.length / 3)) ? best.key : undefined;
}

/** Damerau-Levenshtein (optimal string alignment) distance: a swapped pair of letters counts once. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The keys pool files carry: blue's, and those the reference writes that blue reads past. */
export const POOL_KEYS = ['domain', 'question', 'experts', 'expert_pool', 'panel_size', 'max_rounds', 'supersedes'] as const;
export const POOL_EXPERT_KEYS = ['role', 'tier', 'relevance', 'focus', 'emoji'] as const;
export const PANEL_KEYS = ['round', 'rotation', 'panel', 'agents', 'history', 'experts', 'focus', 'note', 'evolution', 'constraint_change', 'goal', 'open_items'] as const;
export const PANEL_ENTRY_KEYS = ['name', 'role', 'source', 'tier', 'relevance', 'focus', 'emoji', 'retained'] as const;
export const SCORE_KEYS = ['w', 'c', 't', 'r', 'W', 'C', 'T', 'R'] as const;

/** Warnings for a parsed pool file. */
export function poolInputWarnings(data: unknown, file: string): InputWarning[] {
  const pool = isRecord(data) && isRecord(data.expert_pool) && data.experts === undefined ? data.expert_pool : data;
  const warnings = keyWarnings(pool, POOL_KEYS, file, '');
  if (isRecord(pool) && Array.isArray(pool.experts)) {
    pool.experts.forEach((entry, i) => warnings.push(...keyWarnings(entry, POOL_EXPERT_KEYS, file, `experts[${i}]`)));
  }
  return warnings;
}

/** Warnings for a parsed panel file, in any of its shapes. */
export function panelInputWarnings(data: unknown, file: string): InputWarning[] {
  const warnings: InputWarning[] = [];
  let list: unknown = data;
  let name = 'panel';
  if (isRecord(data)) {
    warnings.push(...keyWarnings(data, PANEL_KEYS, file, ''));
    name = data.panel !== undefined ? 'panel' : data.agents !== undefined ? 'agents' : 'experts';
    list = data[name];
  }
  if (Array.isArray(list)) list.forEach((entry, i) => warnings.push(...keyWarnings(entry, PANEL_ENTRY_KEYS, file, `${name}[${i}]`)));
  return warnings;
}

/** Warnings for a parsed scores file: each value a number or {w, c, t, r}. */
export function scoresInputWarnings(data: unknown, file: string): InputWarning[] {
  if (!isRecord(data)) return [];
  return Object.entries(data).flatMap(([name, value]) => keyWarnings(value, SCORE_KEYS, file, name));
}
