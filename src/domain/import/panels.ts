// Each imported round's panel, as blue's round open takes it: from the round's panel.json in any of its
// shapes (parsePanelFile reads them all), else put together from what the round folder shows (the experts
// who wrote an output, were given a prompt, or were scored), with the role each one's prompt or score table
// gives. Folders break blue's binding rule in ways a live dialogue cannot: a retained expert whose role is
// reworded, a name given to a second role, a source that does not fit. Each is mapped by one stated rule
// and reported, never guessed: a retained expert keeps the role it is bound to; a name given a second role
// is another expert and gets a name of its own.

import { BlueError } from '../errors.js';
import type { PanelMember, Pool, Source, Tier } from '../model.js';
import { isPastryName, nextFreeName, normaliseName, pastryIndex } from '../names.js';
import { parsePanelFile, type PanelInput } from '../panel.js';
import { findPoolExpert, roleKey } from '../pool.js';
import { isRecord } from '../values.js';
import type { Findings } from './folder.js';
import { readJson } from './json-lines.js';

/** What a round's files say about one expert, when there is no panel.json to say it. */
export interface SeenExpert {
  /** The name as the folder writes it (normalised). */
  name: string;
  role?: string;
  tier?: Tier;
  /** Where the role was read: the judge's own table outranks a prompt (a prompt may be a template gone wrong). */
  from: 'table' | 'prompt' | 'output';
  file: string;
  line: number;
}

/** The name-role bindings of the dialogue so far, and the renames that keep them. */
export class Bindings {
  private readonly roleByName = new Map<string, string>();
  private readonly nameByRole = new Map<string, string>();
  private readonly tierByName = new Map<string, Tier>();
  /** `${folder name}|${role key}` -> the blue name of that expert. */
  private readonly renamed = new Map<string, string>();

  /** `reserved`: every name the folder uses anywhere, so that a fresh name never takes one of them. */
  constructor(private readonly reserved: ReadonlySet<string>) {}

  roleOf(name: string): string | undefined {
    return this.roleByName.get(name);
  }

  nameOf(role: string): string | undefined {
    return this.nameByRole.get(roleKey(role));
  }

  tierOf(name: string): Tier | undefined {
    return this.tierByName.get(name);
  }

  renameOf(folderName: string, role: string): string | undefined {
    return this.renamed.get(`${folderName}|${roleKey(role)}`);
  }

  bind(name: string, role: string, tier: Tier | undefined): void {
    if (!this.roleByName.has(name)) this.roleByName.set(name, role);
    if (tier && !this.tierByName.has(name)) this.tierByName.set(name, tier);
    if (!this.nameByRole.has(roleKey(role))) this.nameByRole.set(roleKey(role), name);
  }

  rename(folderName: string, role: string, taken: Iterable<string>): string {
    const name = nextFreeName([...this.reserved, ...this.roleByName.keys(), ...taken]);
    this.renamed.set(`${folderName}|${roleKey(role)}`, name);
    return name;
  }

  freshName(taken: Iterable<string>): string {
    return nextFreeName([...this.reserved, ...this.roleByName.keys(), ...taken]);
  }
}

export interface RoundPanel {
  /** Every entry with its name, role and source settled, for openRound. */
  inputs: PanelInput[];
  /** How the round's files name each expert (normalised) -> the expert's name in the imported dialogue. */
  names: Map<string, string>;
}

interface Entry extends PanelInput {
  /** The name as the folder wrote it, when it wrote one. */
  folderName?: string;
  line: number;
  /** Where the entry was read, when not from the panel file. */
  file?: string;
}

/** The entries of a panel.json, or undefined (and a finding) when it cannot be read. */
export function readPanelFile(path: string, text: string, round: number, findings: Findings): Entry[] | undefined {
  const json = readJson(text);
  if (!json.ok) {
    findings.miss(path, json.line, `not valid JSON (${json.message}); the panel is read from the round's other files instead`);
    return undefined;
  }
  const { data, lines } = json;
  if (isRecord(data)) {
    if (typeof data.round === 'number' && data.round !== round) {
      findings.miss(path, lines.get('round') ?? 1, `says round ${data.round}, but it is in round-${round}/; read as round ${round}`);
    }
    for (const key of Object.keys(data)) {
      if (!PANEL_FILE_KEYS.has(key)) findings.miss(path, lines.get(key) ?? 1, `"${key}" is not imported: a blue panel is its list of experts (each with its own focus), with nothing beside it`);
    }
  }
  // parsePanelFile refuses the whole file for one bad entry: drop that entry, say so, and read the rest.
  let current: unknown = data;
  for (let attempt = 0; ; attempt++) {
    try {
      const inputs = parsePanelFile(current, path);
      return inputs.map((input, index) => ({
        ...input,
        ...(input.name !== undefined ? { folderName: input.name } : {}),
        line: lines.get(`${listKeyOf(data)}[${originalIndex(data, current, index)}]`) ?? 1,
      }));
    } catch (error) {
      if (!(error instanceof BlueError) || typeof error.details.index !== 'number' || attempt > 24) {
        findings.miss(path, 1, `${error instanceof Error ? error.message : String(error)}; the panel is read from the round's other files instead`);
        return undefined;
      }
      const index = error.details.index;
      const list = listOf(current);
      findings.miss(path, lines.get(`${listKeyOf(data)}[${originalIndex(data, current, index)}]`) ?? 1, `${error.message.replace(`${path}: `, '')}; that expert is left off the panel`);
      current = withList(current, list.filter((_, i) => i !== index));
      if (listOf(current).length === 0) return undefined;
    }
  }
}

/** The top-level keys of the panel.json shapes parsePanelFile reads, and what blue writes beside its list. */
const PANEL_FILE_KEYS = new Set(['round', 'panel', 'agents', 'experts', 'history', 'rotation', 'retained', 'fresh', 'created']);

function listKeyOf(data: unknown): string {
  if (Array.isArray(data) || !isRecord(data)) return '';
  return ['panel', 'agents', 'experts'].find((k) => data[k] !== undefined) ?? '';
}

function listOf(data: unknown): unknown[] {
  if (Array.isArray(data)) return data;
  const key = listKeyOf(data);
  const list = key && isRecord(data) ? data[key] : undefined;
  return Array.isArray(list) ? list : [];
}

function withList(data: unknown, list: unknown[]): unknown {
  if (Array.isArray(data) || !isRecord(data)) return list;
  return { ...data, [listKeyOf(data)]: list };
}

/** Entries dropped from the list shift the later ones: the index an entry had in the file as written. */
function originalIndex(original: unknown, current: unknown, index: number): number {
  const entry = listOf(current)[index];
  const at = listOf(original).indexOf(entry);
  return at === -1 ? index : at;
}

/** A panel put together from what the round's files show, in pastry-name order. */
export function seenPanel(seen: SeenExpert[], round: number, pool: Pool, previous: readonly PanelMember[], bindings: Bindings, findings: Findings): Entry[] {
  const rank = { table: 0, prompt: 1, output: 2 } as const;
  const byName = new Map<string, SeenExpert[]>();
  for (const s of seen) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const order = (name: string) => (pastryIndex(name) === -1 ? Number.MAX_SAFE_INTEGER : pastryIndex(name));
  return [...byName.entries()]
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([name, claims]) => {
      const ranked = [...claims].sort((a, b) => rank[a.from] - rank[b.from]);
      const best = ranked.find((c) => c.role) ?? ranked[0];
      for (const other of ranked) {
        if (other.role && best.role && roleKey(other.role) !== roleKey(best.role)) {
          findings.note(other.file, other.line, `${name}'s role is "${other.role}" here, but "${best.role}" in ${best.file}:${best.line}, which is kept (the judge's table outranks the prompt)`);
        }
      }
      const role = best.role ?? bindings.roleOf(name) ?? '';
      const onPrevious = previous.some((m) => m.name === name);
      const source: Source = round > 0 && onPrevious ? 'retained' : findPoolExpert(pool, role) ? 'pool' : 'created';
      const tier = ranked.find((c) => c.tier)?.tier ?? findPoolExpert(pool, role)?.tier ?? bindings.tierOf(name);
      return { name, folderName: name, role, source, ...(tier ? { tier } : {}), line: best.line, file: best.file };
    });
}

/**
 * Settles every entry's name, role and source against the dialogue's bindings, reporting each entry that
 * had to be mapped (and leaving off, with a finding, one that cannot be: a created expert without a tier,
 * an expert twice on one panel).
 */
export function settlePanel(
  entries: Entry[],
  context: { round: number; pool: Pool; previous: readonly PanelMember[]; bindings: Bindings; file: string; findings: Findings },
): RoundPanel {
  const { round, pool, previous, bindings, file, findings } = context;
  const inputs: PanelInput[] = [];
  const names = new Map<string, string>();
  const here = (entry: Entry) => entry.file ?? file;
  for (const entry of entries) {
    const at = here(entry);
    const folderName = entry.folderName;
    let role = entry.role ?? (folderName ? bindings.roleOf(folderName) : undefined);
    if (!role) {
      findings.miss(at, entry.line, `no role is known for ${folderName ?? 'an expert'} in round ${round} (no panel.json entry, prompt or score table gives one); left off the panel, so what it wrote is not imported`);
      continue;
    }
    let name = folderName;
    const renamed = folderName ? bindings.renameOf(folderName, role) : undefined;
    if (renamed) {
      name = renamed;
    } else if (folderName) {
      const bound = bindings.roleOf(folderName);
      if (bound !== undefined && roleKey(bound) !== roleKey(role)) {
        if (entry.source === 'retained') {
          findings.note(at, entry.line, `${folderName}'s role is written "${role}" here; ${folderName} is bound to "${bound}", which it keeps (a retained expert keeps its role)`);
          role = bound;
        } else {
          name = bindings.rename(folderName, role, [...inputs.map((i) => i.name!), ...names.values()]);
          findings.note(at, entry.line, `${folderName} is bound to "${bound}"; "${role}" in round ${round} is another expert, imported as ${name} (in blue a name keeps one role for the whole dialogue)`);
        }
      } else if (bound === undefined) {
        const other = bindings.nameOf(role);
        if (other !== undefined && other !== folderName) {
          if (entries.some((e) => e.folderName === other)) {
            findings.miss(at, entry.line, `"${role}" is ${other}'s role in this dialogue, and ${other} sits on round ${round}'s panel too; ${folderName} is left off it (in blue a role keeps one name)`);
            continue;
          }
          findings.note(at, entry.line, `"${role}" is ${other} in this dialogue; the ${folderName} of round ${round} is imported as ${other} (in blue a role keeps one name)`);
          name = other;
        }
      }
    } else {
      name = bindings.nameOf(role) ?? bindings.freshName(inputs.map((i) => i.name!));
    }
    if (inputs.some((i) => i.name === name) || inputs.some((i) => roleKey(i.role!) === roleKey(role!))) {
      findings.miss(at, entry.line, `${name} ("${role}") is on round ${round}'s panel twice; the second entry is left off`);
      continue;
    }
    const source = settleSource(entry, { name: name!, role, round, pool, previous, bindings, at, findings });
    if (!source) continue;
    const tier = entry.tier ?? findPoolExpert(pool, role)?.tier ?? bindings.tierOf(name!) ?? previous.find((m) => m.name === name)?.tier;
    const input: PanelInput = {
      name,
      role: source === 'retained' ? previous.find((m) => m.name === name)!.role : role,
      source,
      ...(tier ? { tier } : {}),
      ...(entry.relevance !== undefined ? { relevance: entry.relevance } : {}),
      ...(entry.focus !== undefined ? { focus: entry.focus } : {}),
    };
    inputs.push(input);
    if (folderName && !names.has(folderName)) names.set(folderName, name!);
    bindings.bind(name!, input.role!, tier);
  }
  return { inputs, names };
}

/** The source blue's rules give the entry (retained means: on the previous panel), reported where it differs. */
function settleSource(
  entry: Entry,
  c: { name: string; role: string; round: number; pool: Pool; previous: readonly PanelMember[]; bindings: Bindings; at: string; findings: Findings },
): Source | undefined {
  const onPrevious = c.previous.some((m) => m.name === c.name);
  const inPool = findPoolExpert(c.pool, c.role) !== undefined;
  const given = entry.source;
  const wanted: Source = c.round > 0 && onPrevious ? 'retained' : inPool ? 'pool' : 'created';
  if (wanted === 'created' && !entry.tier && !c.bindings.tierOf(c.name)) {
    c.findings.miss(c.at, entry.line, `${c.name} ("${c.role}") is not a role of the pool, and no tier is given for it; left off round ${c.round}'s panel (a created expert needs a tier)`);
    return undefined;
  }
  if (given !== wanted) {
    const why =
      wanted === 'retained' ? `${c.name} sat on round ${c.round - 1}'s panel` : wanted === 'pool' ? `"${c.role}" is a role of the pool` : `"${c.role}" is not a role of the pool`;
    c.findings.note(c.at, entry.line, `${c.name}'s source is written "${given}"; imported as ${wanted}, since ${why}`);
  }
  return wanted;
}

/** The role a prompt gives its expert: `You are Muffin 🧁, a Relational Database Architect in an ...`. */
export function roleFromPrompt(text: string): { name: string; role: string } | undefined {
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  const m = /^\s*You are\s+([A-Za-z]+[0-9]*)\b[^,\n]*,\s*(?:an?\s+)?(.+?)\s+in an?\s+ALIGNMENT/i.exec(first);
  if (!m || !isPastryName(m[1])) return undefined;
  return { name: normaliseName(m[1]), role: m[2].trim() };
}
