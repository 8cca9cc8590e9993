// Pastry names: the experts' names (CLI.md, Identifiers). The first twenty come from the contract's list,
// in its order; after them the names run on as Pastry21, Pastry22, ... so a panel never runs out.
// Names are case-insensitive on input, capitalised in output and lower case in file names.

export const PASTRY_NAMES: readonly string[] = [
  'Muffin',
  'Cupcake',
  'Scone',
  'Eclair',
  'Donut',
  'Brioche',
  'Croissant',
  'Macaron',
  'Cannoli',
  'Strudel',
  'Beignet',
  'Churro',
  'Profiterole',
  'Tartlet',
  'Galette',
  'Palmier',
  'Kouign',
  'Sfogliatella',
  'Financier',
  'Religieuse',
];

/** How valid names look, for error messages that must say what to write instead. */
export const PASTRY_NAME_FORM = `${PASTRY_NAMES.join(', ')}, then Pastry21, Pastry22, ... (any case)`;

const NUMBERED = /^pastry0*(\d+)$/i;
const LISTED_BY_LOWER = new Map(PASTRY_NAMES.map((name, index) => [name.toLowerCase(), index]));

/** The name at a 0-based position in the sequence: 0 -> Muffin, 19 -> Religieuse, 20 -> Pastry21. */
export function pastryName(index: number): string {
  if (!Number.isInteger(index) || index < 0) {
    throw new RangeError(`a pastry name index is a non-negative integer (got ${index})`);
  }
  return index < PASTRY_NAMES.length ? PASTRY_NAMES[index] : `Pastry${index + 1}`;
}

/**
 * The canonical spelling of a name: "muffin" and "MUFFIN" -> "Muffin", "pastry21" -> "Pastry21".
 * Input that is not a pastry name is still capitalised (first letter upper, the rest lower), so callers
 * can normalise first and then ask `isPastryName`, and error messages show the name as it would be used.
 */
export function normaliseName(input: string): string {
  const trimmed = input.trim();
  const listed = LISTED_BY_LOWER.get(trimmed.toLowerCase());
  if (listed !== undefined) return PASTRY_NAMES[listed];
  const numbered = NUMBERED.exec(trimmed);
  if (numbered) return `Pastry${Number(numbered[1])}`;
  return trimmed.charAt(0).toUpperCase() + trimmed.slice(1).toLowerCase();
}

/** The 0-based position of a name in the sequence, or -1 when it is not a pastry name. */
export function pastryIndex(input: string): number {
  const trimmed = input.trim();
  const listed = LISTED_BY_LOWER.get(trimmed.toLowerCase());
  if (listed !== undefined) return listed;
  const numbered = NUMBERED.exec(trimmed);
  if (!numbered) return -1;
  const n = Number(numbered[1]);
  // Pastry1..Pastry20 are not names: those positions belong to the listed pastries.
  return Number.isSafeInteger(n) && n > PASTRY_NAMES.length ? n - 1 : -1;
}

export function isPastryName(input: string): boolean {
  return pastryIndex(input) >= 0;
}

/** The lowest name in the sequence that is not in `used` (compared case-insensitively). */
export function nextFreeName(used: Iterable<string>): string {
  const taken = new Set<number>();
  for (const name of used) {
    const index = pastryIndex(name);
    if (index >= 0) taken.add(index);
  }
  let index = 0;
  while (taken.has(index)) index += 1;
  return pastryName(index);
}

/** The stem of an expert's files: `round-1/muffin.md`, `round-1/pastry21.prompt.md`. */
export function fileStem(name: string): string {
  return normaliseName(name).toLowerCase();
}
